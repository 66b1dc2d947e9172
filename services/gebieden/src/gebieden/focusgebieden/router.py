from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from gebieden.codes import FocusgebiedCode, GemeenteCode
from gebieden.focusgebieden.schemas import (
    Alliantie,
    AlliantieInvoer,
    Focusgebied,
    FocusgebiedInvoer,
    Uitvoeringsprogramma,
    UitvoeringsprogrammaInvoer,
)
from gebieden.focusgebieden.service import FocusgebiedService, focusgebied_service
from gebieden.permissions import SCOPE_BEHEER
from nplv_shared.auth import Principal, current_principal, require_scope
from nplv_shared.paging import Page, PageParams, page_params, paginate
from nplv_shared.responses import GET_RESPONSES, UPDATE, IfMatch, JsonResponse, links, put_responses

TAG = {"name": "Focusgebieden",
       "description": "De 20 stedelijke focusgebieden (hoofdstuk 5) met hun CBS-wijken en "
                      "-buurten, hun lokale alliantie en hun uitvoeringsprogramma."}
router = APIRouter(prefix="/focusgebieden", tags=[TAG["name"]])
Code = Annotated[FocusgebiedCode, Path(alias="focusgebiedCode")]
Beheerder = Annotated[Principal, require_scope(SCOPE_BEHEER)]
Gebruiker = Annotated[Principal, Depends(current_principal)]
Service = Annotated[FocusgebiedService, Depends(focusgebied_service)]


@router.get("", summary="Stedelijke focusgebieden", response_model=Page[Focusgebied])
async def list_focusgebieden(
    request: Request, service: Service,
    paging: Annotated[PageParams, Depends(page_params)],
    gemeente: Annotated[GemeenteCode | None, Query()] = None,
) -> JsonResponse:
    """Alle focusgebieden op code, gepagineerd, desgewenst van één gemeente. Openbaar."""
    rows, total = await service.list(gemeente=gemeente, offset=paging.offset,
                                     limit=paging.page_size)
    return paginate(request, [Focusgebied.model_validate(r) for r in rows], total,
                    paging)


@router.get("/{focusgebiedCode}", summary="Eén focusgebied", response_model=Focusgebied,
            responses=GET_RESPONSES)
async def get_focusgebied(code: Code, service: Service) -> JsonResponse:
    """Eén focusgebied met zijn gebiedsdelen, met zijn versie als ETag. Openbaar."""
    focusgebied = await service.get(code)
    return JsonResponse.versioned(Focusgebied, focusgebied)


@router.put("/{focusgebiedCode}", summary="Focusgebied vastleggen (programmabureau)",
            response_model=Focusgebied, responses=put_responses(Focusgebied, links(
                "focusgebiedCode", "$request.path.focusgebiedCode", "getFocusgebied",
                "getAlliantie", "putAlliantie", "getUitvoeringsprogramma",
                "putUitvoeringsprogramma", with_etag=("deleteFocusgebied",))))
async def put_focusgebied(code: Code, invoer: FocusgebiedInvoer, principal: Beheerder,
                          service: Service,
                          if_match: IfMatch = None) -> JsonResponse:
    """Legt een focusgebied vast of vervangt het (201 / 200; een ongewijzigde PUT schrijft
    niets). Alleen het programmabureau (scope `nplv:gebieden:beheer`); de gemeente moet bij het
    programma horen. Vervangen vraagt `If-Match`. Publiceert
    `nl.nplv.gebieden.focusgebied.aangemaakt.v1` of `...gewijzigd.v1`."""
    focusgebied, created = await service.put(code, invoer, principal, if_match)
    return JsonResponse.versioned(Focusgebied, focusgebied, created=created)


@router.delete("/{focusgebiedCode}", summary="Focusgebied verwijderen (programmabureau)",
               status_code=status.HTTP_204_NO_CONTENT,
               responses={**UPDATE, 409: {"description": "Er zijn nog interventies"}})
async def delete_focusgebied(code: Code, principal: Beheerder, service: Service,
                             if_match: IfMatch = None) -> Response:
    """Verwijdert een focusgebied met zijn alliantie en uitvoeringsprogramma. Alleen het
    programmabureau, met `If-Match`; 409 zolang er interventies in het gebied zijn. Publiceert
    `nl.nplv.gebieden.focusgebied.verwijderd.v1`."""
    await service.delete(code, principal, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{focusgebiedCode}/alliantie", summary="De lokale alliantie",
            response_model=Alliantie, responses=GET_RESPONSES)
async def get_alliantie(code: Code, service: Service) -> JsonResponse:
    """De lokale alliantie van het focusgebied: voorzitter, rijksvertegenwoordiger, partners
    en programmabureau. 404 zolang ze niet is vastgelegd. Openbaar."""
    alliantie = await service.get_alliantie(code)
    return JsonResponse.versioned(Alliantie, alliantie)


@router.put("/{focusgebiedCode}/alliantie", summary="Alliantie vastleggen",
            response_model=Alliantie, responses=put_responses(Alliantie))
async def put_alliantie(code: Code, invoer: AlliantieInvoer, principal: Gebruiker,
                        service: Service,
                        if_match: IfMatch = None) -> JsonResponse:
    """Legt de alliantie vast of vervangt haar. De gemeente van het gebied (scope
    `nplv:gebieden:schrijven`) of het programmabureau. Vervangen vraagt `If-Match`. Publiceert
    `nl.nplv.gebieden.alliantie.aangemaakt.v1` of `...gewijzigd.v1`."""
    alliantie, created = await service.put_alliantie(code, invoer, principal, if_match)
    return JsonResponse.versioned(Alliantie, alliantie, created=created)


@router.get("/{focusgebiedCode}/uitvoeringsprogramma", summary="Het uitvoeringsprogramma",
            response_model=Uitvoeringsprogramma, responses=GET_RESPONSES)
async def get_uitvoeringsprogramma(code: Code, service: Service) -> JsonResponse:
    """Het uitvoeringsprogramma met zijn status en de zes verplichte onderdelen (§5.2). 404
    zolang het niet is vastgelegd. Openbaar."""
    programma = await service.get_uitvoeringsprogramma(code)
    return JsonResponse.versioned(Uitvoeringsprogramma, programma)


@router.put("/{focusgebiedCode}/uitvoeringsprogramma", summary="Uitvoeringsprogramma vastleggen",
            response_model=Uitvoeringsprogramma, responses=put_responses(Uitvoeringsprogramma))
async def put_uitvoeringsprogramma(code: Code, invoer: UitvoeringsprogrammaInvoer,
                                   principal: Gebruiker, service: Service,
                                   if_match: IfMatch = None) -> JsonResponse:
    """Legt het uitvoeringsprogramma vast: precies de zes onderdelen, elk één keer. De
    gemeente van het gebied of het programmabureau. Vervangen vraagt `If-Match`. Publiceert
    `nl.nplv.gebieden.uitvoeringsprogramma.aangemaakt.v1` of `...gewijzigd.v1`."""
    programma, created = await service.put_uitvoeringsprogramma(code, invoer, principal,
                                                                if_match)
    return JsonResponse.versioned(Uitvoeringsprogramma, programma, created=created)
