from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from nplv_shared.db import SessionDep
from nplv_shared.paging import Page, PageParams, page_params, paginate
from nplv_shared.responses import JsonResponse
from rapportage.voortgang.schemas import FocusgebiedSamenvatting, FocusgebiedVoortgang
from rapportage.voortgang.service import VoortgangService

TAG = {"name": "Voortgang",
       "description": "Voortgang per focusgebied en actielijn, bijgehouden uit de events van de "
                      "andere diensten; elke weergave vermeldt het laatst verwerkte event."}
router = APIRouter(prefix="/voortgang", tags=[TAG["name"]])
# Views are eventually consistent anyway: a shared cache may serve one for 5 s, then revalidates.
VIEW_CACHE = "public, max-age=5, stale-while-revalidate=30"
FocusgebiedCode = Annotated[str, Path(alias="focusgebiedCode",
                                      pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64,
                                      examples=["rotterdam-zuid"])]
GemeenteCode = Annotated[str | None, Query(pattern=r"^GM[0-9]{4}$")]


@router.get("/focusgebieden", summary="Voortgang van alle focusgebieden",
            response_model=Page[FocusgebiedSamenvatting])
async def list_voortgang(request: Request, session: SessionDep,
                         paging: Annotated[PageParams, Depends(page_params)],
                         gemeente: GemeenteCode = None) -> JsonResponse:
    """Per focusgebied het aantal interventies, op code, gepagineerd; desgewenst van één
    gemeente. Openbaar."""
    items, total = await VoortgangService(session).summaries(
        gemeente=gemeente, offset=paging.offset, limit=paging.page_size)
    return paginate(request, items, total, paging)


@router.get("/focusgebieden/{focusgebiedCode}",
            summary="Interventies per actielijn en status, met geplande en gerealiseerde output",
            response_model=FocusgebiedVoortgang,
            responses={404: {"description": "Focusgebied onbekend"}})
async def get_voortgang(code: FocusgebiedCode, session: SessionDep) -> JsonResponse:
    """Per actielijn het aantal interventies per status en de geplande en gerealiseerde output
    per eenheid, met de actualiteit (`stand`: het laatst verwerkte event). 404 als het gebied
    (nog) niet bekend is bij de rapportage. Openbaar. De weergave loopt enkele tellen achter op
    gebieden (eventual consistency; `stand` zegt hoe ver): een cache mag haar 5 s bewaren en
    daarna met If-None-Match hervalideren."""
    return JsonResponse(await VoortgangService(session).focusgebied(code),
                        headers={"Cache-Control": VIEW_CACHE})
