import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import JSONResponse

from gebieden.codes import Actielijn, FocusgebiedCode, GemeenteCode, InterventieStatus, Ministerie
from gebieden.interventies.schemas import Interventie, InterventieFilter, InterventieInvoer
from gebieden.interventies.service import (
    InterventieImporter,
    InterventieService,
    interventie_service,
)
from gebieden.permissions import SCOPE_INTERVENTIES
from nplv_shared.auth import Principal, require_scope
from nplv_shared.concurrency import etag
from nplv_shared.db import SessionDep
from nplv_shared.idempotency import IdempotencyDep, IdempotencyKey, StoredResponse
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
    REPLACE_RESPONSES,
    UPDATE,
    IfMatch,
    JsonResponse,
    create_responses,
    links,
)

TAG = {"name": "Interventies",
       "description": "Wat ministeries en gemeenten in de focusgebieden doen, per actielijn, "
                      "met geplande en gerealiseerde output."}
router = APIRouter(prefix="/interventies", tags=[TAG["name"]])
Schrijver = Annotated[Principal, require_scope(SCOPE_INTERVENTIES)]
Service = Annotated[InterventieService, Depends(interventie_service)]


@router.get("", summary="Interventies zoeken", response_model=Page[Interventie])
async def list_interventies(
    request: Request, response: Response, service: Service,
    paging: Annotated[PageParams, Depends(page_params)],
    focusgebied: Annotated[FocusgebiedCode | None, Query()] = None,
    gemeente: Annotated[GemeenteCode | None, Query()] = None,
    actielijn: Annotated[Actielijn | None, Query()] = None,
    ministerie: Annotated[Ministerie | None, Query()] = None,
    status_: Annotated[InterventieStatus | None, Query(alias="status")] = None,
) -> JsonResponse:
    """Interventies in aanmaakvolgorde, gepagineerd, te filteren op focusgebied, gemeente,
    actielijn, ministerie en status (filters combineren met EN). Openbaar."""
    filters = InterventieFilter(
        focusgebied=focusgebied, gemeente=gemeente, actielijn=actielijn,
        ministerie=ministerie.value if ministerie else None,
        status=status_.value if status_ else None)
    rows, total = await service.list(filters, offset=paging.offset, limit=paging.page_size)
    items = [Interventie.model_validate(r) for r in rows]
    return paginate(request, items, total, paging)


@router.post("", summary="Interventie aanmaken", status_code=status.HTTP_201_CREATED,
             response_model=Interventie, responses=create_responses(links(
                 "interventieId", "$response.body#/id", "getInterventie",
                 with_etag=("replaceInterventie", "deleteInterventie"))))
async def create_interventie(invoer: InterventieInvoer, principal: Schrijver, service: Service,
                             idempotency: IdempotencyDep,
                             idempotency_key: IdempotencyKey = None) -> Any:
    """Legt een nieuwe interventie vast (201 met `Location` en `ETag`). Scope
    `nplv:interventies:schrijven`: een ministerie alleen interventies van zijn eigen ministerie,
    een gemeente alleen in haar eigen focusgebieden en zonder ministerie. Met een
    `Idempotency-Key` is een herhaald verzoek veilig. Publiceert
    `nl.nplv.gebieden.interventie.aangemaakt.v1`."""

    async def create() -> StoredResponse:
        interventie = await service.create(invoer, principal)
        body = Interventie.model_validate(interventie)
        return StoredResponse(
            status=201, body=body.model_dump(mode="json", by_alias=True),
            headers={"Location": f"/v1/interventies/{interventie.id}",
                     "ETag": etag(interventie.versie)})

    return await idempotency.respond(principal.client_id, idempotency_key, invoer, create)


@router.post("/imports", summary="Interventies importeren (synchroniseren)",
             response_model=Import, responses=import_responses(),
             openapi_extra=import_body({
                 "type": "object", "required": ["bronsysteem", "bronId", "focusgebied",
                                                "actielijn", "titel"],
                 "description": "Een interventie met de velden van POST /interventies, plus "
                                "`bronsysteem` en `bronId` (verplicht): de sleutel waarop "
                                "gesynchroniseerd wordt"}))
async def import_interventies(request: Request, principal: Schrijver, session: SessionDep,
                              publisher: PublisherDep, modus: Modus = ImportModus.ATOMAIR,
                              dry_run: DryRun = False, asynchroon: Async = False,
                              idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Synchroniseert de interventies van een bronsysteem in één bestand (JSON-array, NDJSON
    of CSV met kopregel): een rij met een bekende (`bronsysteem`, `bronId`) van de eigenaar
    werkt die interventie bij, een nieuwe maakt er een aan, een gelijke verandert niets (een
    tweede keer hetzelfde bestand sturen: alles `ongewijzigd`, geen events). Per rij gelden
    dezelfde regels als bij POST /interventies (scope `nplv:interventies:schrijven`; een
    ministerie alleen zijn eigen interventies, een gemeente alleen in haar eigen
    focusgebieden); een rij die een regel breekt wordt geweigerd met rijnummer, veld en
    reden. `modus=atomair` (standaard): alles of niets, foute rijen geven 400;
    `modus=beste-poging`: de goede rijen wel. `dryRun=true` valideert en telt zonder te
    schrijven. Grote bestanden (of `async=true`) worden een job: 202 met `Location`
    `/v1/imports/{importId}`. Met `Idempotency-Key` is hetzelfde bestand twee keer één
    import. Publiceert `nl.nplv.gebieden.interventie.aangemaakt.v1` en
    `nl.nplv.gebieden.interventie.gewijzigd.v1`, één per aangemaakte of gewijzigde rij."""
    return await receive_import(request, session, principal, InterventieImporter(publisher),
                                modus=modus, dry_run=dry_run, asynchroon=asynchroon,
                                idempotency_key=idempotency_key)


@router.get("/{interventieId}", summary="Eén interventie", response_model=Interventie,
            responses=GET_RESPONSES)
async def get_interventie(interventieId: uuid.UUID, service: Service,
                          response: Response) -> JsonResponse:
    """Eén interventie met haar versie als ETag. Openbaar."""
    interventie = await service.get(interventieId)
    return JsonResponse.versioned(Interventie, interventie)


@router.put("/{interventieId}", summary="Interventie vervangen (met If-Match)",
            response_model=Interventie, responses=REPLACE_RESPONSES)
async def replace_interventie(interventieId: uuid.UUID, invoer: InterventieInvoer,
                              principal: Schrijver, service: Service, response: Response,
                              if_match: IfMatch = None) -> JsonResponse:
    """Vervangt een interventie (ook een verhuizing naar een ander focusgebied). Vraagt
    `If-Match` met de laatst gelezen ETag; alleen de eigenaar, volgens dezelfde regels als bij
    aanmaken. Publiceert `nl.nplv.gebieden.interventie.gewijzigd.v1`."""
    interventie = await service.replace(interventieId, invoer, principal, if_match)
    return JsonResponse.versioned(Interventie, interventie)


@router.delete("/{interventieId}", summary="Interventie verwijderen (met If-Match)",
               status_code=status.HTTP_204_NO_CONTENT, responses=UPDATE)
async def delete_interventie(interventieId: uuid.UUID, principal: Schrijver, service: Service,
                             if_match: IfMatch = None) -> Response:
    """Verwijdert een interventie; vraagt `If-Match` en is alleen voor de eigenaar. Publiceert
    `nl.nplv.gebieden.interventie.verwijderd.v1`."""
    await service.delete(interventieId, principal, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
