import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from financien.codes import (
    FocusgebiedCode,
    GemeenteCode,
    Jaar,
    Ministerie,
    Realisatiesoort,
    RegelCode,
)
from financien.permissions import SCOPE_SCHRIJVEN
from financien.toekenningen.schemas import (
    Realisatie,
    RealisatieFilter,
    RealisatieInvoer,
    Toekenning,
    ToekenningFilter,
    ToekenningInvoer,
)
from financien.toekenningen.service import ToekenningService, toekenning_service
from nplv_shared.auth import Principal, require_scope
from nplv_shared.concurrency import etag
from nplv_shared.idempotency import IdempotencyDep, IdempotencyKey, StoredResponse
from nplv_shared.paging import Page, PageParams, page_params, paginate
from nplv_shared.responses import (
    GET_RESPONSES,
    REPLACE_RESPONSES,
    IfMatch,
    JsonResponse,
    Responses,
    create_responses,
    links,
)

TAG = {"name": "Toekenningen",
       "description": "Delen van een begrotingsregel voor één jaar, toegekend aan een "
                      "focusgebied (ook de €500.000 per focusgebied per jaar voor de "
                      "programmaorganisatie, 2023–2025), en de realisaties daarop: "
                      "verplichtingen en betalingen."}
router = APIRouter(tags=[TAG["name"]])
Schrijver = Annotated[Principal, require_scope(SCOPE_SCHRIJVEN)]
Service = Annotated[ToekenningService, Depends(toekenning_service)]
Paging = Annotated[PageParams, Depends(page_params)]
CONFLICT: Responses = {409: {"description": "Overschrijdt een bedrag of past niet bij de "
                                            "huidige toestand (detail zegt met hoeveel)"}}


@router.get("/toekenningen", summary="Toekenningen zoeken", response_model=Page[Toekenning])
async def list_toekenningen(
    request: Request, service: Service, paging: Paging,
    begrotingsregel: Annotated[RegelCode | None, Query()] = None,
    focusgebied: Annotated[FocusgebiedCode | None, Query()] = None,
    gemeente: Annotated[GemeenteCode | None, Query()] = None,
    ministerie: Annotated[Ministerie | None, Query()] = None,
    jaar: Annotated[Jaar | None, Query()] = None,
    interventieId: Annotated[uuid.UUID | None, Query()] = None,
) -> JsonResponse:
    """Toekenningen in aanmaakvolgorde, gepagineerd, te filteren op begrotingsregel,
    focusgebied, gemeente, ministerie, jaar en interventie (filters combineren met EN).
    Openbaar."""
    filters = ToekenningFilter(begrotingsregel=begrotingsregel, focusgebied=focusgebied,
                               gemeente=gemeente,
                               ministerie=ministerie.value if ministerie else None, jaar=jaar,
                               interventie_id=interventieId)
    rows, total = await service.zoek(filters, offset=paging.offset, limit=paging.page_size)
    return paginate(request, [Toekenning.model_validate(r) for r in rows], total, paging)


@router.post("/toekenningen", summary="Toekenning vastleggen", status_code=201,
             response_model=Toekenning, responses={**create_responses(links(
                 "toekenningId", "$response.body#/id", "getToekenning",
                 with_etag=("replaceToekenning",))), **CONFLICT})
async def create_toekenning(invoer: ToekenningInvoer, principal: Schrijver, service: Service,
                            idempotency: IdempotencyDep,
                            idempotency_key: IdempotencyKey = None) -> Any:
    """Kent een deel van een begrotingsregel voor één jaar toe aan een focusgebied (201 met
    `Location` en `ETag`). Alleen het ministerie van de regel (scope
    `nplv:financien:schrijven`). De toekenningen van een regel en jaar samen mogen het bedrag
    van dat jaar niet overschrijden: anders 409, met in `detail` het bedrag van de
    overschrijding. Een onbekende regel of een onbekend focusgebied is 400. Met een
    `Idempotency-Key` is een herhaald verzoek veilig. Publiceert
    `nl.nplv.financien.toekenning.aangemaakt.v1`."""

    async def create() -> StoredResponse:
        toekenning = await service.create(invoer, principal)
        body = Toekenning.model_validate(toekenning)
        return StoredResponse(
            status=201, body=body.model_dump(mode="json", by_alias=True),
            headers={"Location": f"/v1/toekenningen/{toekenning.id}",
                     "ETag": etag(toekenning.versie)})

    return await idempotency.respond(principal.client_id, idempotency_key, invoer, create)


@router.get("/toekenningen/{toekenningId}", summary="Eén toekenning",
            response_model=Toekenning, responses=GET_RESPONSES)
async def get_toekenning(toekenningId: uuid.UUID, service: Service) -> JsonResponse:
    """Eén toekenning met haar versie als ETag. Openbaar."""
    return JsonResponse.versioned(Toekenning, await service.get(toekenningId))


@router.put("/toekenningen/{toekenningId}", summary="Toekenning vervangen (met If-Match)",
            response_model=Toekenning, responses={**REPLACE_RESPONSES, **CONFLICT})
async def replace_toekenning(toekenningId: uuid.UUID, invoer: ToekenningInvoer,
                             principal: Schrijver, service: Service,
                             if_match: IfMatch = None) -> JsonResponse:
    """Wijzigt bedrag, interventie of omschrijving van een toekenning; begrotingsregel,
    focusgebied en jaar liggen vast (anders 409). Vraagt `If-Match`; alleen het ministerie
    van de regel. 409 als het nieuwe bedrag de regel overschrijdt of lager is dan wat er al
    op is gerealiseerd. Publiceert `nl.nplv.financien.toekenning.gewijzigd.v1`."""
    toekenning = await service.replace(toekenningId, invoer, principal, if_match)
    return JsonResponse.versioned(Toekenning, toekenning)


@router.get("/realisaties", summary="Realisaties zoeken", response_model=Page[Realisatie])
async def list_realisaties(
    request: Request, service: Service, paging: Paging,
    toekenning: Annotated[uuid.UUID | None, Query()] = None,
    begrotingsregel: Annotated[RegelCode | None, Query()] = None,
    focusgebied: Annotated[FocusgebiedCode | None, Query()] = None,
    jaar: Annotated[Jaar | None, Query()] = None,
    soort: Annotated[Realisatiesoort | None, Query()] = None,
) -> JsonResponse:
    """Verplichtingen en betalingen in aanmaakvolgorde, gepagineerd, te filteren op
    toekenning, begrotingsregel, focusgebied, jaar (van de toekenning) en soort. Openbaar."""
    filters = RealisatieFilter(toekenning=toekenning, begrotingsregel=begrotingsregel,
                               focusgebied=focusgebied, jaar=jaar,
                               soort=soort.value if soort else None)
    rows, total = await service.list_realisaties(filters, offset=paging.offset,
                                                 limit=paging.page_size)
    return paginate(request, [Realisatie.model_validate(r) for r in rows], total, paging)


@router.post("/realisaties", summary="Realisatie vastleggen", status_code=201,
             response_model=Realisatie, responses={**create_responses(links(
                 "realisatieId", "$response.body#/id", "getRealisatie")), **CONFLICT})
async def create_realisatie(invoer: RealisatieInvoer, principal: Schrijver, service: Service,
                            idempotency: IdempotencyDep,
                            idempotency_key: IdempotencyKey = None) -> Any:
    """Legt een verplichting of betaling op een toekenning vast (201). Het ministerie van de
    toekenning of de gemeente van haar focusgebied (scope `nplv:financien:schrijven`). De
    realisaties van één soort op een toekenning mogen haar niet overschrijden, tenzij
    `overschrijding` true is met een `reden` (anders 409 met het bedrag van de
    overschrijding); geld op de aanvullende post moet eerst door Financiën zijn goedgekeurd
    (anders 409). Een onbekende toekenning is 400. Publiceert
    `nl.nplv.financien.realisatie.aangemaakt.v1`."""

    async def create() -> StoredResponse:
        realisatie = await service.create_realisatie(invoer, principal)
        body = Realisatie.model_validate(realisatie)
        return StoredResponse(
            status=201, body=body.model_dump(mode="json", by_alias=True),
            headers={"Location": f"/v1/realisaties/{realisatie.id}",
                     "ETag": etag(realisatie.versie)})

    return await idempotency.respond(principal.client_id, idempotency_key, invoer, create)


@router.get("/realisaties/{realisatieId}", summary="Eén realisatie",
            response_model=Realisatie, responses=GET_RESPONSES)
async def get_realisatie(realisatieId: Annotated[uuid.UUID, Path()],
                         service: Service) -> JsonResponse:
    """Eén verplichting of betaling. Openbaar."""
    return JsonResponse.versioned(Realisatie, await service.get_realisatie(realisatieId))
