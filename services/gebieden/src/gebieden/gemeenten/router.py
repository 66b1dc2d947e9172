from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from gebieden.codes import GemeenteCode
from gebieden.concurrency import etag
from gebieden.gemeenten.schemas import (
    Gemeente,
    GemeenteInvoer,
    Prestatieafspraken,
    PrestatieafsprakenInvoer,
)
from gebieden.gemeenten.service import GemeenteService
from gebieden.permissions import SCOPE_BEHEER
from gebieden.responses import GET_RESPONSES, IfMatch, put_responses
from nplv_shared.auth import Principal, current_principal, require_scope
from nplv_shared.db import SessionDep
from nplv_shared.paging import Page, PageParams, page_params, paginate

router = APIRouter(prefix="/gemeenten", tags=["Gemeenten"])
Code = Annotated[GemeenteCode, Path(alias="gemeenteCode")]


@router.get("", summary="De gemeenten van het programma", response_model=Page[Gemeente])
async def list_gemeenten(request: Request, response: Response, session: SessionDep,
                         paging: Annotated[PageParams, Depends(page_params)]) -> Page[Gemeente]:
    rows, total = await GemeenteService(session).list(offset=paging.offset,
                                                      limit=paging.page_size)
    return paginate(request, response, [Gemeente.model_validate(r) for r in rows], total, paging)


@router.get("/{gemeenteCode}", summary="Eén gemeente", response_model=Gemeente,
            responses=GET_RESPONSES)
async def get_gemeente(code: Code, session: SessionDep, response: Response) -> Gemeente:
    gemeente = await GemeenteService(session).get(code)
    response.headers["ETag"] = etag(gemeente.versie)
    return Gemeente.model_validate(gemeente)


@router.put("/{gemeenteCode}", summary="Gemeente vastleggen (programmabureau)",
            response_model=Gemeente, responses=put_responses(Gemeente))
async def put_gemeente(code: Code, invoer: GemeenteInvoer, session: SessionDep,
                       response: Response,
                       _: Annotated[Principal, require_scope(SCOPE_BEHEER)],
                       if_match: IfMatch = None) -> Gemeente:
    gemeente, created = await GemeenteService(session).put(code, invoer, if_match)
    response.status_code = 201 if created else 200
    response.headers["ETag"] = etag(gemeente.versie)
    return Gemeente.model_validate(gemeente)


@router.get("/{gemeenteCode}/prestatieafspraken", summary="Prestatieafspraken Rijk–gemeente",
            response_model=Prestatieafspraken,
            responses=GET_RESPONSES)
async def get_prestatieafspraken(code: Code, session: SessionDep,
                                 response: Response) -> Prestatieafspraken:
    afspraken = await GemeenteService(session).get_prestatieafspraken(code)
    response.headers["ETag"] = etag(afspraken.versie)
    return Prestatieafspraken.model_validate(afspraken)


@router.put("/{gemeenteCode}/prestatieafspraken", summary="Prestatieafspraken vastleggen",
            response_model=Prestatieafspraken, responses=put_responses(Prestatieafspraken))
async def put_prestatieafspraken(code: Code, invoer: PrestatieafsprakenInvoer,
                                 session: SessionDep, response: Response,
                                 principal: Annotated[Principal, Depends(current_principal)],
                                 if_match: IfMatch = None) -> Prestatieafspraken:
    afspraken, created = await GemeenteService(session).put_prestatieafspraken(
        code, invoer, principal, if_match)
    response.status_code = 201 if created else 200
    response.headers["ETag"] = etag(afspraken.versie)
    return Prestatieafspraken.model_validate(afspraken)
