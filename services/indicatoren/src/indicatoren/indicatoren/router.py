from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import RootModel

from indicatoren.codes import Actielijn, FocusgebiedCode, IndicatorCode, IndicatorStatus
from indicatoren.indicatoren.schemas import (
    Indicator,
    IndicatorFilter,
    IndicatorInvoer,
    IndicatorVersie,
)
from indicatoren.indicatoren.service import IndicatorService, indicator_service
from nplv_shared.auth import Principal, current_principal
from nplv_shared.paging import Page, PageParams, page_params, paginate
from nplv_shared.responses import (
    GET_RESPONSES,
    NOT_FOUND,
    IfMatch,
    JsonResponse,
    links,
    put_responses,
)

TAG = {"name": "Indicatoren",
       "description": "De catalogus: de 15 kernindicatoren van §6.1 van het programma en de "
                      "lokale indicatoren van de focusgebieden, met eenheid, schaal, richting, "
                      "soort, combinatieregel, periodetype en betekenisversies."}
router = APIRouter(prefix="/indicatoren", tags=[TAG["name"]])
Code = Annotated[IndicatorCode, Path(alias="indicatorCode")]
Gebruiker = Annotated[Principal, Depends(current_principal)]
Service = Annotated[IndicatorService, Depends(indicator_service)]


class IndicatorVersies(RootModel[list[IndicatorVersie]]):
    pass


@router.get("", summary="De indicatoren", response_model=Page[Indicator])
async def list_indicatoren(
    request: Request, service: Service,
    paging: Annotated[PageParams, Depends(page_params)],
    actielijn: Annotated[Actielijn | None, Query()] = None,
    focusgebied: Annotated[FocusgebiedCode | None, Query(
        description="Alleen de lokale indicatoren van dit focusgebied")] = None,
    status_: Annotated[IndicatorStatus | None, Query(alias="status")] = None,
    kern: Annotated[bool | None, Query(
        description="true: alleen kernindicatoren; false: alleen lokale")] = None,
) -> JsonResponse:
    """De kernindicatoren op nummer (1–15), daarna de lokale op code, gepagineerd; filters
    combineren met EN. Openbaar."""
    filters = IndicatorFilter(actielijn=actielijn, focusgebied=focusgebied,
                              status=status_.value if status_ else None, kern=kern)
    rows, total = await service.search(filters, offset=paging.offset, limit=paging.page_size)
    return paginate(request, [Indicator.model_validate(r) for r in rows], total, paging)


@router.get("/{indicatorCode}", summary="Eén indicator", response_model=Indicator,
            responses=GET_RESPONSES)
async def get_indicator(code: Code, service: Service) -> JsonResponse:
    """Eén indicator met zijn versie als ETag. Openbaar."""
    return JsonResponse.versioned(Indicator, await service.get(code))


@router.put("/{indicatorCode}", summary="Indicator vastleggen, wijzigen of laten vervallen",
            response_model=Indicator, responses=put_responses(Indicator, links(
                "indicatorCode", "$request.path.indicatorCode", "getIndicator",
                "listIndicatorVersies")))
async def put_indicator(code: Code, invoer: IndicatorInvoer, principal: Gebruiker,
                        service: Service, if_match: IfMatch = None) -> JsonResponse:
    """Legt een indicator vast (201) of vervangt hem (200, met `If-Match`; een ongewijzigde
    PUT schrijft niets). Een kernindicator (zonder `focusgebied`) alleen door het
    programmabureau (organisatie BZK, scope `nplv:indicatoren:beheer`); een lokale indicator
    door de gemeente van het focusgebied (scope `nplv:indicatoren:schrijven`) of het
    programmabureau. Een wijziging van bron, eenheid, schaal, richting, soort, combinatie of
    periodetype vraagt een `reden` en maakt een nieuwe betekenisversie; metingen houden de
    versie waarmee ze gemeten zijn. `status: vervallen` laat de indicator vervallen: er komen
    geen metingen meer bij. Publiceert `nl.nplv.indicatoren.indicator.aangemaakt.v1`,
    `...gewijzigd.v1`, `...nieuwe-versie.v1` of `...vervallen.v1`."""
    indicator, created = await service.put(code, invoer, principal, if_match)
    return JsonResponse.versioned(Indicator, indicator, created=created)


@router.get("/{indicatorCode}/versies", summary="De betekenisversies van een indicator",
            response_model=list[IndicatorVersie], responses=NOT_FOUND)
async def list_indicator_versies(code: Code, service: Service) -> JsonResponse:
    """Elke betekenis die de indicator heeft gehad, oudste eerst, met reden, wie en wanneer.
    Openbaar."""
    versies = await service.versies(code)
    return JsonResponse(IndicatorVersies(versies))
