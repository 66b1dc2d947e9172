from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, status

from financien.begrotingsregels.schemas import (
    ActielijnverdelingInvoer,
    Begrotingsregel,
    GoedkeuringInvoer,
    RegelFilter,
    Revisie,
    RevisieInvoer,
)
from financien.begrotingsregels.service import BegrotingsregelService, begrotingsregel_service
from financien.codes import Actielijn, Ministerie, RegelCode
from financien.permissions import SCOPE_BEHEER, SCOPE_GOEDKEUREN, SCOPE_SCHRIJVEN
from nplv_shared.auth import Principal, require_scope
from nplv_shared.idempotency import IdempotencyDep, IdempotencyKey, StoredResponse
from nplv_shared.paging import Page, PageParams, page_params, paginate
from nplv_shared.problems import NotFound
from nplv_shared.responses import (
    GET_RESPONSES,
    NOT_FOUND,
    REPLACE_RESPONSES,
    IfMatch,
    JsonResponse,
    Responses,
    create_responses,
)

TAG = {"name": "Begrotingsregels",
       "description": "De tabel 'Uitgaven in miljoen' van hoofdstuk 7, precies zoals gedrukt "
                      "(bedragen in euro), met revisies, goedkeuring van geld op de aanvullende "
                      "post en de verdeling over de actielijnen."}
router = APIRouter(prefix="/begrotingsregels", tags=[TAG["name"]])
Code = Annotated[RegelCode, Path(alias="regelCode")]
Schrijver = Annotated[Principal, require_scope(SCOPE_SCHRIJVEN)]
Goedkeurder = Annotated[Principal, require_scope(SCOPE_GOEDKEUREN)]
Beheerder = Annotated[Principal, require_scope(SCOPE_BEHEER)]
Service = Annotated[BegrotingsregelService, Depends(begrotingsregel_service)]
CONFLICT: Responses = {409: {"description": "Past niet bij de huidige toestand"}}


@router.get("", summary="Begrotingsregels", response_model=Page[Begrotingsregel])
async def list_begrotingsregels(
    request: Request, service: Service, paging: Annotated[PageParams, Depends(page_params)],
    kop: Annotated[str | None, Query(max_length=32, description="Kop zoals gedrukt, bv. VRO")]
    = None,
    ministerie: Annotated[Ministerie | None, Query()] = None,
    specifiekVoorFocusgebieden: Annotated[bool | None, Query()] = None,
    actielijn: Annotated[Actielijn | None, Query()] = None,
) -> JsonResponse:
    """De regels in de volgorde van de tabel, gepagineerd; te filteren op kop, ministerie,
    specifiek voor de focusgebieden en actielijn (filters combineren met EN). Openbaar."""
    filters = RegelFilter(kop=kop, ministerie=ministerie.value if ministerie else None,
                          specifiek_voor_focusgebieden=specifiekVoorFocusgebieden,
                          actielijn=actielijn)
    rows, total = await service.zoek(filters, offset=paging.offset, limit=paging.page_size)
    return paginate(request, [Begrotingsregel.model_validate(r) for r in rows], total, paging)


@router.get("/{regelCode}", summary="Eén begrotingsregel", response_model=Begrotingsregel,
            responses=GET_RESPONSES)
async def get_begrotingsregel(code: Code, service: Service) -> JsonResponse:
    """Eén regel met zijn huidige bedragen, goedkeuring en actielijnverdeling, met zijn versie
    als ETag. Openbaar."""
    return JsonResponse.versioned(Begrotingsregel, await service.get(code))


@router.get("/{regelCode}/revisies", summary="Revisies van een begrotingsregel",
            response_model=Page[Revisie], responses=GET_RESPONSES)
async def list_revisies(code: Code, request: Request, service: Service,
                        paging: Annotated[PageParams, Depends(page_params)]) -> JsonResponse:
    """De geschiedenis van de bedragen van een regel: revisie 0 is het origineel uit het
    programmadocument, de hoogste is de huidige. Gepagineerd, oudste eerst. Openbaar."""
    rows, total = await service.revisies(code, offset=paging.offset, limit=paging.page_size)
    return paginate(request, [Revisie.model_validate(r) for r in rows], total, paging)


@router.get("/{regelCode}/revisies/{nummer}", summary="Eén revisie", response_model=Revisie,
            responses=GET_RESPONSES)
async def get_revisie(code: Code, nummer: Annotated[int, Path(ge=0, le=1_000_000)],
                      service: Service) -> JsonResponse:
    """Eén revisie van een regel. Openbaar."""
    rows, _ = await service.revisies(code, offset=nummer, limit=1)
    if not rows or rows[0].nummer != nummer:
        raise NotFound(f"Begrotingsregel {code} heeft geen revisie {nummer}.")
    return JsonResponse(Revisie.model_validate(rows[0]))


@router.post("/{regelCode}/revisies", summary="Bedragen van een regel herzien",
             status_code=status.HTTP_201_CREATED, response_model=Revisie,
             responses={**create_responses(), **NOT_FOUND, **CONFLICT})
async def create_revisie(code: Code, invoer: RevisieInvoer, principal: Schrijver,
                         service: Service, idempotency: IdempotencyDep,
                         idempotency_key: IdempotencyKey = None) -> Any:
    """Legt een revisie vast: de genoemde jaren (en `structureel`, `aanvullendePost` als ze
    zijn opgegeven) krijgen een nieuw bedrag, met reden en datum (een jaar dat twee keer in
    `bedragen` staat is 400); het origineel en eerdere revisies blijven leesbaar. Alleen het
    ministerie van de regel (scope `nplv:financien:schrijven`). 409 als een jaar lager zou
    worden dan wat er al aan focusgebieden is toegekend. Met een `Idempotency-Key` is een
    herhaald verzoek veilig. Publiceert `nl.nplv.financien.begrotingsregel.gewijzigd.v1`."""

    async def create() -> StoredResponse:
        _, revisie = await service.revise(code, invoer, principal)
        body = Revisie.model_validate(revisie)
        return StoredResponse(
            status=201, body=body.model_dump(mode="json", by_alias=True),
            headers={"Location": f"/v1/begrotingsregels/{code}/revisies/{revisie.nummer}"})

    return await idempotency.respond(principal.client_id, idempotency_key, invoer, create)


@router.put("/{regelCode}/goedkeuring", summary="Goedkeuring op de aanvullende post (Financiën)",
            response_model=Begrotingsregel, responses={**REPLACE_RESPONSES, **CONFLICT})
async def replace_goedkeuring(code: Code, invoer: GoedkeuringInvoer, principal: Goedkeurder,
                              service: Service,
                              if_match: IfMatch = None,
                              ) -> JsonResponse:
    """Zet de goedkeuringsstatus (`aangevraagd`, `goedgekeurd`, `afgewezen`) met datum en
    referentie van geld op de aanvullende post; een besluit (`goedgekeurd` of `afgewezen`)
    zonder datum en referentie is 400. Alleen het ministerie van Financiën (organisatie `FIN`,
    scope `nplv:financien:goedkeuren`); vraagt `If-Match` met de ETag van de regel. 409 als de
    regel niet op de aanvullende post staat. Publiceert
    `nl.nplv.financien.begrotingsregel.gewijzigd.v1`."""
    regel = await service.replace_goedkeuring(code, invoer, principal, if_match)
    return JsonResponse.versioned(Begrotingsregel, regel)


@router.put("/{regelCode}/actielijnverdeling", summary="Actielijnverdeling (programmabureau)",
            response_model=Begrotingsregel, responses=REPLACE_RESPONSES)
async def replace_actielijnverdeling(code: Code, invoer: ActielijnverdelingInvoer,
                                     principal: Beheerder, service: Service,
                                     if_match: IfMatch = None,
                                     ) -> JsonResponse:
    """Vervangt de verdeling van de regel over de actielijnen; de percentages (hoogstens twee
    decimalen) tellen op tot precies 100.00, anders 400. Alleen het programmabureau
    (organisatie `BZK`, scope `nplv:financien:beheer`); vraagt `If-Match`. Publiceert
    `nl.nplv.financien.begrotingsregel.gewijzigd.v1`."""
    regel = await service.replace_actielijnen(code, invoer, principal, if_match)
    return JsonResponse.versioned(Begrotingsregel, regel)
