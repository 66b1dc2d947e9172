from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from nplv_shared.db import SessionDep
from nplv_shared.paging import Page, PageParams, page_params, paginate
from nplv_shared.responses import JsonResponse
from rapportage.voortgang.herkomst import HerkomstService
from rapportage.voortgang.schemas import (
    ActielijnOverzicht,
    FocusgebiedSamenvatting,
    FocusgebiedVoortgang,
    Herkomst,
    IndicatorWeergave,
    Programmaoverzicht,
)
from rapportage.voortgang.service import SORTEERBAAR, VoortgangService

TAG = {"name": "Voortgang",
       "description": "Voortgang per focusgebied en actielijn, bijgehouden uit de events van "
                      "gebieden, indicatoren en financien. Per focusgebied is de standaard; elke "
                      "rij vermeldt het laatst verwerkte event (`stand`) en elk antwoord hoe "
                      "ver de verwerking achterloopt (`achterstand`)."}
router = APIRouter(prefix="/voortgang", tags=[TAG["name"]])
# Views are eventually consistent anyway: a shared cache may serve one for 5 s, then revalidates.
VIEW_CACHE = "public, max-age=5, stale-while-revalidate=30"
CODE = r"^[a-z0-9]+(-[a-z0-9]+)*$"
FocusgebiedCode = Annotated[str, Path(alias="focusgebiedCode", pattern=CODE, max_length=64,
                                      examples=["rotterdam-zuid"])]
IndicatorCode = Annotated[str, Path(alias="indicatorCode", pattern=CODE, max_length=64,
                                    examples=["leefbaarometer-score"])]
Actielijn = Annotated[int, Path(ge=1, le=4, description="Actielijn 1–4 (hoofdstuk 5)")]
GemeenteCode = Annotated[str | None, Query(pattern=r"^GM[0-9]{4}$")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "Focusgebied of indicator (nog) niet bekend"}}


def _view(model: object) -> JsonResponse:
    return JsonResponse(model, headers={"Cache-Control": VIEW_CACHE})  # type: ignore[arg-type]


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
            summary="Voortgang van een focusgebied per actielijn: indicatoren, interventies, geld",
            response_model=FocusgebiedVoortgang, responses=NOT_FOUND)
async def get_voortgang(code: FocusgebiedCode, session: SessionDep) -> JsonResponse:
    """Per actielijn (1–4): de indicatoren met hun voortgang en status en de tellingen per
    status; de interventies per status met geplande en gerealiseerde output per eenheid; het geld
    (toegekend, verplicht, betaald, resterend; totaal en per jaar) verdeeld naar de
    actielijnaandelen van de begrotingsregels. Met de actualiteit (`stand`) en de achterstand
    van de verwerking. 404 als het gebied (nog) niet bekend is. Openbaar; een cache mag het
    antwoord 5 s bewaren."""
    return _view(await VoortgangService(session).focusgebied(code))


@router.get("/focusgebieden/{focusgebiedCode}/indicatoren/{indicatorCode}",
            summary="Voortgang van één indicator in een focusgebied",
            response_model=IndicatorWeergave, responses=NOT_FOUND)
async def get_indicator(code: FocusgebiedCode, indicator_code: IndicatorCode,
                        session: SessionDep) -> JsonResponse:
    """Nulmeting, laatste meting, streefwaarden, voortgang tegen het rechte traject, status,
    prognose (kleinste kwadraten over de laatste 6 metingen) en de kloof met de rest van de
    gemeente en Nederland. De rekenregels staan in de README ("Hoe de voortgang wordt
    berekend"). Openbaar."""
    return _view(await VoortgangService(session).indicator(code, indicator_code))


@router.get("/focusgebieden/{focusgebiedCode}/indicatoren/{indicatorCode}/herkomst",
            summary="De events achter de voortgang van een indicator in een focusgebied",
            response_model=Herkomst, responses=NOT_FOUND)
async def get_indicator_herkomst(code: FocusgebiedCode, indicator_code: IndicatorCode,
                                 session: SessionDep) -> JsonResponse:
    """Per feit (gebied, indicator, nulmeting, streefwaarden, metingen van het gebied en van de
    vergelijkingsregio's) het event dat het zo heeft gemaakt (source, type, id, tijd), en de
    oorspronkelijke indiening: importId, metingId, bron (CBS-tabel). Openbaar."""
    gebied = await VoortgangService(session)._gebied(code)
    return JsonResponse(await HerkomstService(session).indicator(code, indicator_code,
                                                                 gebied.gemeente))


@router.get("/focusgebieden/{focusgebiedCode}/actielijnen/{actielijn}/herkomst",
            summary="De events achter de interventies en het geld van een actielijn in een "
                    "focusgebied", response_model=Herkomst, responses=NOT_FOUND)
async def get_actielijn_herkomst(code: FocusgebiedCode, actielijn: Actielijn,
                                 session: SessionDep) -> JsonResponse:
    """De interventies, toekenningen, realisaties en begrotingsregels die deze rij bepalen,
    elk met het event dat ze zo maakte en de oorspronkelijke indiening (interventieId,
    toekenningId, realisatieId, referentie). Openbaar."""
    await VoortgangService(session)._gebied(code)
    return JsonResponse(await HerkomstService(session).actielijn(code, actielijn))


@router.get("/actielijnen/{actielijn}", summary="Voortgang van een actielijn over alle "
            "focusgebieden", response_model=ActielijnOverzicht)
async def get_actielijn(actielijn: Actielijn, session: SessionDep) -> JsonResponse:
    """Statustellingen van de indicatoren, per indicator de combinatie over de gebieden volgens
    haar combinatieregel (optelbaar: opgeteld; gewogen naar inwoners: gewogen; anders niet
    gecombineerd, met de reden — nooit een gewoon gemiddelde van percentages), de interventies
    en het geld opgeteld, en per focusgebied de eigen cijfers. Openbaar."""
    return _view(await VoortgangService(session).actielijn(actielijn))


@router.get("/programma", summary="Programmaoverzicht: de focusgebieden naast elkaar per "
            "actielijn, met Nederland als context", response_model=Programmaoverzicht)
async def get_programma(session: SessionDep, sorteer: Annotated[str | None, Query(
        pattern="^-?(" + "|".join(SORTEERBAAR) + ")$",
        description="Sorteersleutel, `-` ervoor voor aflopend; zonder: op code (geen "
                    "rangorde)")] = None) -> JsonResponse:
    """Per focusgebied en actielijn de statustellingen van de indicatoren, het aantal
    interventies en het geld; daarnaast de laatste waarde van elke kernindicator voor Nederland.
    Geen rangorde: standaard op code, sorteren kiest de client. Openbaar."""
    return _view(await VoortgangService(session).programma(sorteer))
