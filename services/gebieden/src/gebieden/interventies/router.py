import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from gebieden.codes import Actielijn, FocusgebiedCode, GemeenteCode, InterventieStatus, Ministerie
from gebieden.interventies.schemas import Interventie, InterventieFilter, InterventieInvoer
from gebieden.interventies.service import InterventieService, interventie_service
from gebieden.permissions import SCOPE_INTERVENTIES
from nplv_shared.auth import Principal, require_scope
from nplv_shared.concurrency import etag
from nplv_shared.idempotency import IdempotencyDep, IdempotencyKey, StoredResponse
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
