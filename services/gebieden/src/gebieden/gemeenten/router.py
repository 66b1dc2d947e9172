from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from gebieden.codes import GemeenteCode
from gebieden.gemeenten.schemas import (
    Gemeente,
    GemeenteInvoer,
    Prestatieafspraken,
    PrestatieafsprakenInvoer,
)
from gebieden.gemeenten.service import GemeenteService, gemeente_service
from gebieden.permissions import SCOPE_BEHEER
from nplv_shared.auth import Principal, current_principal, require_scope
from nplv_shared.paging import Page, PageParams, page_params, paginate
from nplv_shared.responses import GET_RESPONSES, IfMatch, JsonResponse, links, put_responses

TAG = {"name": "Gemeenten",
       "description": "De 19 gemeenten van het programma en hun prestatieafspraken met het Rijk "
                      "(§5.2)."}
router = APIRouter(prefix="/gemeenten", tags=[TAG["name"]])
Code = Annotated[GemeenteCode, Path(alias="gemeenteCode")]
Service = Annotated[GemeenteService, Depends(gemeente_service)]


@router.get("", summary="De gemeenten van het programma", response_model=Page[Gemeente])
async def list_gemeenten(request: Request, service: Service,
                         paging: Annotated[PageParams, Depends(page_params)]) -> JsonResponse:
    """Alle gemeenten op CBS-code, gepagineerd. Openbaar, zonder token."""
    rows, total = await service.list(offset=paging.offset, limit=paging.page_size)
    return paginate(request, [Gemeente.model_validate(r) for r in rows], total, paging)


@router.get("/{gemeenteCode}", summary="Eén gemeente", response_model=Gemeente,
            responses=GET_RESPONSES)
async def get_gemeente(code: Code, service: Service) -> JsonResponse:
    """Eén gemeente op CBS-code (`GM` + 4 cijfers), met haar versie als ETag. Openbaar."""
    gemeente = await service.get(code)
    return JsonResponse.versioned(Gemeente, gemeente)


@router.put("/{gemeenteCode}", summary="Gemeente vastleggen (programmabureau)",
            response_model=Gemeente, responses=put_responses(Gemeente, links(
                "gemeenteCode", "$request.path.gemeenteCode", "getGemeente",
                "getPrestatieafspraken", "putPrestatieafspraken")))
async def put_gemeente(code: Code, invoer: GemeenteInvoer,
                       principal: Annotated[Principal, require_scope(SCOPE_BEHEER)],
                       service: Service,
                       if_match: IfMatch = None) -> JsonResponse:
    """Legt een gemeente vast of vervangt haar (201 bij aanmaken, 200 bij vervangen; een
    ongewijzigde PUT schrijft niets). Alleen het programmabureau (scope `nplv:gebieden:beheer`).
    Vervangen vraagt `If-Match`. Publiceert `nl.nplv.gebieden.gemeente.aangemaakt.v1` of
    `...gewijzigd.v1`."""
    gemeente, created = await service.put(code, invoer, principal, if_match)
    return JsonResponse.versioned(Gemeente, gemeente, created=created)


@router.get("/{gemeenteCode}/prestatieafspraken", summary="Prestatieafspraken Rijk–gemeente",
            response_model=Prestatieafspraken, responses=GET_RESPONSES)
async def get_prestatieafspraken(code: Code, service: Service) -> JsonResponse:
    """De zeven punten van de prestatieafspraken tussen Rijk en gemeente (§5.2), in
    puntvolgorde. 404 zolang ze niet zijn vastgelegd. Openbaar."""
    afspraken = await service.get_prestatieafspraken(code)
    return JsonResponse.versioned(Prestatieafspraken, afspraken)


@router.put("/{gemeenteCode}/prestatieafspraken", summary="Prestatieafspraken vastleggen",
            response_model=Prestatieafspraken, responses=put_responses(Prestatieafspraken))
async def put_prestatieafspraken(code: Code, invoer: PrestatieafsprakenInvoer,
                                 principal: Annotated[Principal, Depends(current_principal)],
                                 service: Service,
                                 if_match: IfMatch = None) -> JsonResponse:
    """Legt de prestatieafspraken vast: precies de punten 1–7, elk één keer. De gemeente zelf
    (scope `nplv:gebieden:schrijven`, organisatie = deze gemeente) of het programmabureau.
    Vervangen vraagt `If-Match`. Publiceert `nl.nplv.gebieden.prestatieafspraken.*.v1`."""
    afspraken, created = await service.put_prestatieafspraken(code, invoer, principal, if_match)
    return JsonResponse.versioned(Prestatieafspraken, afspraken, created=created)
