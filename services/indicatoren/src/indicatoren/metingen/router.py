from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import RootModel

from indicatoren.codes import FocusgebiedCode, IndicatorCode, MetingStatus, PeriodeId, RegioCode
from indicatoren.metingen.schemas import Meting, MetingCorrectie, MetingFilter, MetingInvoer
from indicatoren.metingen.service import MetingService, meting_service
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

TAG = {"name": "Metingen",
       "description": "De gemeten waarde van een indicator in een regio (focusgebied, gemeente, "
                      "rest van de gemeente, wijk, buurt, Nederland) over een periode, met "
                      "status, bron, plausibiliteit en correctiehistorie."}
router = APIRouter(prefix="/metingen", tags=[TAG["name"]])
Indicator = Annotated[IndicatorCode, Path(alias="indicatorCode")]
Regio = Annotated[RegioCode, Path(alias="regioCode")]
Periode = Annotated[PeriodeId, Path(alias="periodeId")]
Gebruiker = Annotated[Principal, Depends(current_principal)]
Service = Annotated[MetingService, Depends(meting_service)]
PATH = "/{indicatorCode}/{regioCode}/{periodeId}"


class MetingCorrecties(RootModel[list[MetingCorrectie]]):
    pass


@router.get("", summary="Metingen zoeken", response_model=Page[Meting])
async def list_metingen(
    request: Request, service: Service,
    paging: Annotated[PageParams, Depends(page_params)],
    indicator: Annotated[IndicatorCode | None, Query()] = None,
    regio: Annotated[RegioCode | None, Query()] = None,
    periode: Annotated[PeriodeId | None, Query()] = None,
    focusgebied: Annotated[FocusgebiedCode | None, Query(
        description="Metingen van dit focusgebied zelf")] = None,
    gemeente: Annotated[str | None, Query(
        pattern=r"^GM[0-9]{4}$", description="Metingen van regio's in deze gemeente")] = None,
    status_: Annotated[MetingStatus | None, Query(alias="status")] = None,
) -> JsonResponse:
    """Metingen op indicator, regio en periode, gepagineerd; filters combineren met EN.
    Openbaar."""
    filters = MetingFilter(indicator=indicator, regio=regio, periode=periode,
                           focusgebied=focusgebied, gemeente=gemeente,
                           status=status_.value if status_ else None)
    rows, total = await service.search(filters, offset=paging.offset, limit=paging.page_size)
    return paginate(request, [Meting.model_validate(r) for r in rows], total, paging)


@router.get(PATH, summary="Eén meting", response_model=Meting, responses=GET_RESPONSES)
async def get_meting(indicator: Indicator, regio: Regio, periode: Periode,
                     service: Service) -> JsonResponse:
    """Eén meting met haar versie als ETag. Een schooljaar staat in het pad als `2024-2025`.
    Openbaar."""
    return JsonResponse.versioned(Meting, await service.get(indicator, regio, periode))


@router.put(PATH, summary="Meting vastleggen of corrigeren", response_model=Meting,
            responses=put_responses(Meting, links(
                "indicatorCode", "$request.path.indicatorCode", "getMeting",
                "listMetingCorrecties")))
async def put_meting(indicator: Indicator, regio: Regio, periode: Periode,
                     invoer: MetingInvoer, principal: Gebruiker, service: Service,
                     if_match: IfMatch = None) -> JsonResponse:
    """Legt de meting van een indicator in een regio over een periode vast (201), of
    corrigeert haar (200): een correctie vraagt `If-Match` en een `reden`, bewaart de vorige
    waarde met wie, wanneer en waarom, en wordt nooit stil overschreven; dezelfde waarde nog
    eens schrijft niets. Geweigerd (400, alle fouten tegelijk): een onbekende of vervallen
    indicator, een onbekende regio, een ongeldige periode of een periode van een ander type
    dan de indicator, een waarde buiten eenheid of schaal. Een sprong van meer dan 3,5
    gemodificeerde z-scores ten opzichte van de eigen historie van de regio wordt gemarkeerd
    (`plausibel: false`), niet geweigerd. Scope `nplv:indicatoren:schrijven`: een gemeente
    alleen voor haar eigen gebieden, een ministerie (datateam) voor kernindicatoren in elke
    regio; het programmabureau (`nplv:indicatoren:beheer`) alles. Publiceert
    `nl.nplv.indicatoren.meting.vastgelegd.v1` of `...gecorrigeerd.v1` (met oude en nieuwe
    waarde)."""
    meting, created = await service.put(indicator, regio, periode, invoer, principal, if_match)
    return JsonResponse.versioned(Meting, meting, created=created)


@router.get(PATH + "/correcties", summary="Correctiehistorie van een meting",
            response_model=list[MetingCorrectie], responses=NOT_FOUND)
async def list_meting_correcties(indicator: Indicator, regio: Regio, periode: Periode,
                                 service: Service) -> JsonResponse:
    """Elke correctie van de meting, oudste eerst: vorige en nieuwe waarde, status en bron,
    reden, wie en wanneer. Openbaar."""
    return JsonResponse(MetingCorrecties(await service.correcties(indicator, regio, periode)))
