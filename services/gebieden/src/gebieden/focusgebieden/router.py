from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from gebieden.codes import FocusgebiedCode, GemeenteCode
from gebieden.concurrency import etag
from gebieden.focusgebieden.schemas import (
    Alliantie,
    AlliantieInvoer,
    Focusgebied,
    FocusgebiedInvoer,
    Uitvoeringsprogramma,
    UitvoeringsprogrammaInvoer,
)
from gebieden.focusgebieden.service import FocusgebiedService
from gebieden.permissions import SCOPE_BEHEER
from gebieden.responses import GET_RESPONSES, UPDATE, IfMatch, put_responses
from nplv_shared.auth import Principal, current_principal, require_scope
from nplv_shared.db import SessionDep
from nplv_shared.paging import Page, PageParams, page_params, paginate

router = APIRouter(prefix="/focusgebieden", tags=["Focusgebieden"])
Code = Annotated[FocusgebiedCode, Path(alias="focusgebiedCode")]
Beheerder = Annotated[Principal, require_scope(SCOPE_BEHEER)]
Gebruiker = Annotated[Principal, Depends(current_principal)]


@router.get("", summary="Stedelijke focusgebieden", response_model=Page[Focusgebied])
async def list_focusgebieden(
    request: Request, response: Response, session: SessionDep,
    paging: Annotated[PageParams, Depends(page_params)],
    gemeente: Annotated[GemeenteCode | None, Query()] = None,
) -> Page[Focusgebied]:
    rows, total = await FocusgebiedService(session).list(gemeente=gemeente, offset=paging.offset,
                                                         limit=paging.page_size)
    return paginate(request, response, [Focusgebied.model_validate(r) for r in rows], total,
                    paging)


@router.get("/{focusgebiedCode}", summary="Eén focusgebied", response_model=Focusgebied,
            responses=GET_RESPONSES)
async def get_focusgebied(code: Code, session: SessionDep, response: Response) -> Focusgebied:
    focusgebied = await FocusgebiedService(session).get(code)
    response.headers["ETag"] = etag(focusgebied.versie)
    return Focusgebied.model_validate(focusgebied)


@router.put("/{focusgebiedCode}", summary="Focusgebied vastleggen (programmabureau)",
            response_model=Focusgebied, responses=put_responses(Focusgebied))
async def put_focusgebied(code: Code, invoer: FocusgebiedInvoer, session: SessionDep,
                          response: Response, _: Beheerder,
                          if_match: IfMatch = None) -> Focusgebied:
    focusgebied, created = await FocusgebiedService(session).put(code, invoer, if_match)
    response.status_code = 201 if created else 200
    response.headers["ETag"] = etag(focusgebied.versie)
    return Focusgebied.model_validate(focusgebied)


@router.delete("/{focusgebiedCode}", summary="Focusgebied verwijderen (programmabureau)",
               status_code=status.HTTP_204_NO_CONTENT,
               responses={**UPDATE, 409: {"description": "Er zijn nog interventies"}})
async def delete_focusgebied(code: Code, session: SessionDep, _: Beheerder,
                             if_match: IfMatch = None) -> Response:
    await FocusgebiedService(session).delete(code, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{focusgebiedCode}/alliantie", summary="De lokale alliantie",
            response_model=Alliantie, responses=GET_RESPONSES)
async def get_alliantie(code: Code, session: SessionDep, response: Response) -> Alliantie:
    alliantie = await FocusgebiedService(session).get_alliantie(code)
    response.headers["ETag"] = etag(alliantie.versie)
    return Alliantie.model_validate(alliantie)


@router.put("/{focusgebiedCode}/alliantie", summary="Alliantie vastleggen",
            response_model=Alliantie, responses=put_responses(Alliantie))
async def put_alliantie(code: Code, invoer: AlliantieInvoer, session: SessionDep,
                        response: Response, principal: Gebruiker,
                        if_match: IfMatch = None) -> Alliantie:
    alliantie, created = await FocusgebiedService(session).put_alliantie(code, invoer, principal,
                                                                         if_match)
    response.status_code = 201 if created else 200
    response.headers["ETag"] = etag(alliantie.versie)
    return Alliantie.model_validate(alliantie)


@router.get("/{focusgebiedCode}/uitvoeringsprogramma", summary="Het uitvoeringsprogramma",
            response_model=Uitvoeringsprogramma, responses=GET_RESPONSES)
async def get_uitvoeringsprogramma(code: Code, session: SessionDep,
                                   response: Response) -> Uitvoeringsprogramma:
    programma = await FocusgebiedService(session).get_uitvoeringsprogramma(code)
    response.headers["ETag"] = etag(programma.versie)
    return Uitvoeringsprogramma.model_validate(programma)


@router.put("/{focusgebiedCode}/uitvoeringsprogramma", summary="Uitvoeringsprogramma vastleggen",
            response_model=Uitvoeringsprogramma, responses=put_responses(Uitvoeringsprogramma))
async def put_uitvoeringsprogramma(code: Code, invoer: UitvoeringsprogrammaInvoer,
                                   session: SessionDep, response: Response,
                                   principal: Gebruiker,
                                   if_match: IfMatch = None) -> Uitvoeringsprogramma:
    programma, created = await FocusgebiedService(session).put_uitvoeringsprogramma(
        code, invoer, principal, if_match)
    response.status_code = 201 if created else 200
    response.headers["ETag"] = etag(programma.versie)
    return Uitvoeringsprogramma.model_validate(programma)
