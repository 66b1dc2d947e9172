from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from indicatoren.codes import FocusgebiedCode
from indicatoren.referentie.schemas import Gebied
from indicatoren.referentie.service import ReferentieService, referentie_service
from nplv_shared.paging import Page, PageParams, page_params, paginate
from nplv_shared.responses import NOT_FOUND, JsonResponse

TAG = {"name": "Focusgebieden",
       "description": "De 20 stedelijke focusgebieden en hun gemeenten, zoals de "
                      "indicatoren-dienst ze kent (uit het programmadocument): de regio's "
                      "waarvoor metingen, nulmetingen en streefwaarden gelden."}
router = APIRouter(prefix="/focusgebieden", tags=[TAG["name"]])
Service = Annotated[ReferentieService, Depends(referentie_service)]
Code = Annotated[FocusgebiedCode, Path(alias="focusgebiedCode")]


@router.get("", summary="De focusgebieden", response_model=Page[Gebied])
async def list_focusgebieden(request: Request, service: Service,
                             paging: Annotated[PageParams, Depends(page_params)],
                             ) -> JsonResponse:
    """De focusgebieden op code met hun gemeente, gepagineerd. Openbaar."""
    rows = await service.focusgebieden()
    return paginate(request, rows[paging.offset:paging.offset + paging.page_size], len(rows),
                    paging)


@router.get("/{focusgebiedCode}", summary="Eén focusgebied", response_model=Gebied,
            responses=NOT_FOUND)
async def get_focusgebied(code: Code, service: Service) -> JsonResponse:
    """Eén focusgebied met zijn gemeente. Openbaar."""
    return JsonResponse(await service.focusgebied(code))
