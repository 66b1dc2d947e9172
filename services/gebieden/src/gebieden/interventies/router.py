import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import JSONResponse

from gebieden.codes import Actielijn, FocusgebiedCode, GemeenteCode, InterventieStatus, Ministerie
from gebieden.concurrency import etag
from gebieden.db import idempotency
from gebieden.interventies.repository import InterventieFilter
from gebieden.interventies.schemas import Interventie, InterventieInvoer
from gebieden.interventies.service import InterventieService
from gebieden.permissions import SCOPE_INTERVENTIES
from gebieden.responses import ETAG_HEADER, GET_RESPONSES, UPDATE, WRITE, IfMatch
from nplv_shared.auth import Principal, require_scope
from nplv_shared.db import SessionDep
from nplv_shared.idempotency import (
    IdempotencyKey,
    IdempotencyStore,
    StoredResponse,
    request_hash,
)
from nplv_shared.paging import Page, PageParams, page_params, paginate

router = APIRouter(prefix="/interventies", tags=["Interventies"])
Schrijver = Annotated[Principal, require_scope(SCOPE_INTERVENTIES)]


@router.get("", summary="Interventies zoeken", response_model=Page[Interventie])
async def list_interventies(
    request: Request, response: Response, session: SessionDep,
    paging: Annotated[PageParams, Depends(page_params)],
    focusgebied: Annotated[FocusgebiedCode | None, Query()] = None,
    gemeente: Annotated[GemeenteCode | None, Query()] = None,
    actielijn: Annotated[Actielijn | None, Query()] = None,
    ministerie: Annotated[Ministerie | None, Query()] = None,
    status_: Annotated[InterventieStatus | None, Query(alias="status")] = None,
) -> Page[Interventie]:
    filters = InterventieFilter(
        focusgebied=focusgebied, gemeente=gemeente, actielijn=actielijn,
        ministerie=ministerie.value if ministerie else None,
        status=status_.value if status_ else None)
    rows, total = await InterventieService(session).list(
        filters, offset=paging.offset, limit=paging.page_size)
    items = [Interventie.model_validate(r) for r in rows]
    return paginate(request, response, items, total, paging)


@router.post("", summary="Interventie aanmaken", status_code=status.HTTP_201_CREATED,
             response_model=Interventie,
             responses={**WRITE, 201: {"headers": {**ETAG_HEADER, "Location": {
                 "description": "URI van de nieuwe interventie", "schema": {"type": "string"}}}},
                 422: {"description": "Idempotency-Key eerder gebruikt voor een ander verzoek"}})
async def create_interventie(invoer: InterventieInvoer, principal: Schrijver,
                             session: SessionDep, response: Response,
                             idempotency_key: IdempotencyKey = None) -> Any:
    store = IdempotencyStore(session, idempotency)
    fingerprint = request_hash("POST", "/interventies", invoer.model_dump_json().encode())
    if idempotency_key and (earlier := await store.claim(principal.client_id, idempotency_key,
                                                         fingerprint)):
        return JSONResponse(earlier.body, status_code=earlier.status,
                            headers={**earlier.headers, "Idempotent-Replayed": "true"})
    interventie = await InterventieService(session).create(invoer, principal)
    body = Interventie.model_validate(interventie)
    headers = {"Location": f"/v1/interventies/{interventie.id}",
               "ETag": etag(interventie.versie)}
    response.headers.update(headers)
    if idempotency_key:
        await store.store(principal.client_id, idempotency_key, StoredResponse(
            status=201, body=body.model_dump(mode="json", by_alias=True), headers=headers))
    return body


@router.get("/{interventieId}", summary="Eén interventie", response_model=Interventie,
            responses=GET_RESPONSES)
async def get_interventie(interventieId: uuid.UUID, session: SessionDep,
                          response: Response) -> Interventie:
    interventie = await InterventieService(session).get(interventieId)
    response.headers["ETag"] = etag(interventie.versie)
    return Interventie.model_validate(interventie)


@router.put("/{interventieId}", summary="Interventie vervangen (met If-Match)",
            response_model=Interventie, responses={**UPDATE, 200: {"headers": ETAG_HEADER}})
async def replace_interventie(interventieId: uuid.UUID, invoer: InterventieInvoer,
                              principal: Schrijver, session: SessionDep, response: Response,
                              if_match: IfMatch = None) -> Interventie:
    interventie = await InterventieService(session).replace(interventieId, invoer, principal,
                                                            if_match)
    response.headers["ETag"] = etag(interventie.versie)
    return Interventie.model_validate(interventie)


@router.delete("/{interventieId}", summary="Interventie verwijderen (met If-Match)",
               status_code=status.HTTP_204_NO_CONTENT, responses=UPDATE)
async def delete_interventie(interventieId: uuid.UUID, principal: Schrijver,
                             session: SessionDep, if_match: IfMatch = None) -> Response:
    await InterventieService(session).delete(interventieId, principal, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
