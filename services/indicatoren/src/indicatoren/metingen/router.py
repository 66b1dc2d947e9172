from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import RootModel

from indicatoren.codes import (
    NIET_LEEG,
    FocusgebiedCode,
    IndicatorCode,
    MetingStatus,
    PeriodeId,
    RegioCode,
)
from indicatoren.metingen.bulk import MetingImporter
from indicatoren.metingen.schemas import Meting, MetingCorrectie, MetingFilter, MetingInvoer
from indicatoren.metingen.service import MetingService, meting_service
from indicatoren.permissions import ensure_may_write_metingen
from nplv_shared.auth import Principal, current_principal
from nplv_shared.db import SessionDep
from nplv_shared.idempotency import IdempotencyKey
from nplv_shared.imports import ImportModus
from nplv_shared.imports_api import (
    Async,
    DryRun,
    Import,
    Modus,
    import_body,
    import_responses,
    receive_import,
)
from nplv_shared.outbox import PublisherDep
from nplv_shared.paging import Page, PageParams, page_params, paginate
from nplv_shared.responses import (
    GET_RESPONSES,
    NOT_FOUND,
    UPDATE,
    IfMatch,
    JsonResponse,
    links,
    put_responses,
)

TAG = {"name": "Metingen",
       "description": "De gemeten waarde van een indicator in een regio (focusgebied, gemeente, "
                      "rest van de gemeente, wijk, buurt, Nederland) over een periode, met "
                      "status, bron, plausibiliteit en correctiehistorie; een meting kan met "
                      "reden worden ingetrokken."}
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


@router.delete(PATH, summary="Meting intrekken (met If-Match en reden)",
               status_code=status.HTTP_204_NO_CONTENT, responses=UPDATE)
async def delete_meting(
    indicator: Indicator, regio: Regio, periode: Periode, principal: Gebruiker,
    service: Service,
    reden: Annotated[str, Query(min_length=1, max_length=500, pattern=NIET_LEEG,
                                description="Waarom de meting wordt ingetrokken (verplicht)")],
    if_match: IfMatch = None,
) -> Response:
    """Trekt een meting in (204): ze blijft bewaard met wie, wanneer en waarom, maar telt niet
    meer mee: GET geeft daarna 404, en lijsten, reeksen en de plausibiliteit van latere
    metingen laten haar weg. Vraagt `If-Match` met de huidige ETag (428 zonder, 412
    verouderd) en een `reden` (400 zonder); 404 als de meting niet bestaat of al is
    ingetrokken. Dezelfde rechten als een correctie van die meting (scope
    `nplv:indicatoren:schrijven`: een gemeente alleen haar eigen gebieden, een ministerie
    kernindicatoren; `nplv:indicatoren:beheer`: het programmabureau alles). Een latere PUT
    legt de meting opnieuw vast (201). Publiceert `nl.nplv.indicatoren.meting.ingetrokken.v1`
    met de laatste stand en de reden."""
    await service.withdraw(indicator, regio, periode, reden, principal, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def importeur(principal: Gebruiker) -> Principal:
    ensure_may_write_metingen(principal)
    return principal


@router.post("/imports", summary="Metingen importeren", response_model=Import,
             responses=import_responses(), openapi_extra=import_body({
                 "type": "object", "required": ["indicator", "regio", "periode", "waarde"],
                 "description": "Een meting: indicator, regio, periode, waarde (decimaal, als "
                                "tekst of getal), status, bron en (bij een correctie) reden"}))
async def import_metingen(request: Request, principal: Annotated[Principal, Depends(importeur)],
                          session: SessionDep, publisher: PublisherDep,
                          modus: Modus = ImportModus.ATOMAIR, dry_run: DryRun = False,
                          asynchroon: Async = False,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Legt een bestand met metingen vast: een JSON-array, NDJSON of CSV met kopregel
    (`indicator,regio,periode,waarde,status,bron,reden`), tienduizenden rijen per verzoek.
    Elke rij volgt de regels van PUT /metingen/{indicatorCode}/{regioCode}/{periodeId}
    (validatie, rechten per regio, plausibiliteit); een bestaande meting met een andere
    waarde is een correctie en vraagt een `reden`, een gelijke verandert niets (hetzelfde
    bestand nog eens: alles `ongewijzigd`, geen events). Een samenvatting per import:
    `aangemaakt`, `bijgewerkt`, `ongewijzigd`, `geweigerd`, en elke geweigerde rij met
    rijnummer, veld en reden. `modus=atomair` (standaard): alles of niets (400, of 403 bij
    rijen die de client niet mag schrijven); `modus=beste-poging`: de goede rijen wel.
    `dryRun=true` valideert en telt zonder te schrijven. Boven `IMPORT_SYNC_MAX_BYTES` of
    met `async=true` wordt de import een job: 202 met `Location` `/v1/imports/{importId}`
    (fase, voortgang, samenvatting). Met `Idempotency-Key` is hetzelfde bestand twee keer
    één import. Scope `nplv:indicatoren:schrijven` of `nplv:indicatoren:beheer`. Publiceert
    per nieuwe of gecorrigeerde meting `nl.nplv.indicatoren.meting.vastgelegd.v1` of
    `...gecorrigeerd.v1`, in bestandsvolgorde."""
    return await receive_import(request, session, principal, MetingImporter(publisher),
                                modus=modus, dry_run=dry_run, asynchroon=asynchroon,
                                idempotency_key=idempotency_key)


@router.get(PATH + "/correcties", summary="Correctiehistorie van een meting",
            response_model=list[MetingCorrectie], responses=NOT_FOUND)
async def list_meting_correcties(indicator: Indicator, regio: Regio, periode: Periode,
                                 service: Service) -> JsonResponse:
    """Elke correctie van de meting, oudste eerst: vorige en nieuwe waarde, status en bron,
    reden, wie en wanneer. Openbaar."""
    return JsonResponse(MetingCorrecties(await service.correcties(indicator, regio, periode)))
