from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import RootModel

from indicatoren.codes import FocusgebiedCode, IndicatorCode, PeriodeId
from indicatoren.doelen.schemas import (
    DoelRevisie,
    Nulmeting,
    NulmetingInvoer,
    Streefwaarde,
    StreefwaardeInvoer,
)
from indicatoren.doelen.service import DoelService, doel_service
from nplv_shared.auth import Principal, current_principal
from nplv_shared.responses import GET_RESPONSES, NOT_FOUND, IfMatch, JsonResponse, put_responses

TAG = {"name": "Nulmetingen en streefwaarden",
       "description": "Per focusgebied en indicator: de nulmeting en de streefwaarden (bv. "
                      "voor 2030 en 2040) uit de prestatieafspraken, met hun herzieningen."}
router = APIRouter(prefix="/focusgebieden/{focusgebiedCode}/indicatoren/{indicatorCode}",
                   tags=[TAG["name"]])
Focusgebied = Annotated[FocusgebiedCode, Path(alias="focusgebiedCode")]
Indicator = Annotated[IndicatorCode, Path(alias="indicatorCode")]
Doelperiode = Annotated[PeriodeId, Path(alias="doelperiode")]
Gebruiker = Annotated[Principal, Depends(current_principal)]
Service = Annotated[DoelService, Depends(doel_service)]


class Streefwaarden(RootModel[list[Streefwaarde]]):
    pass


class DoelRevisies(RootModel[list[DoelRevisie]]):
    pass


@router.get("/nulmeting", summary="De nulmeting", response_model=Nulmeting,
            responses=GET_RESPONSES)
async def get_nulmeting(focusgebied: Focusgebied, indicator: Indicator,
                        service: Service) -> JsonResponse:
    """De nulmeting van de indicator in het focusgebied, met de oorspronkelijke waarde als ze
    herzien is. Openbaar."""
    return JsonResponse.versioned(Nulmeting, await service.get_nulmeting(focusgebied, indicator))


@router.put("/nulmeting", summary="Nulmeting vastleggen of herzien", response_model=Nulmeting,
            responses=put_responses(Nulmeting))
async def put_nulmeting(focusgebied: Focusgebied, indicator: Indicator,
                        invoer: NulmetingInvoer, principal: Gebruiker, service: Service,
                        if_match: IfMatch = None) -> JsonResponse:
    """Legt de nulmeting vast (201): waarde binnen de eenheid en schaal van de indicator,
    periode van zijn periodetype. Herzien (200) vraagt `If-Match`, een `reden` en een
    `besluit`; de oorspronkelijke waarde blijft bewaard. Alleen de gemeente van het
    focusgebied (scope `nplv:indicatoren:schrijven`) of het programmabureau (organisatie BZK,
    scope `nplv:indicatoren:beheer`). Publiceert
    `nl.nplv.indicatoren.nulmeting.vastgelegd.v1` of `...herzien.v1`."""
    record, created = await service.put_nulmeting(focusgebied, indicator, invoer, principal,
                                                  if_match)
    return JsonResponse.versioned(Nulmeting, record, created=created)


@router.get("/streefwaarden", summary="De streefwaarden", response_model=list[Streefwaarde],
            responses=NOT_FOUND)
async def list_streefwaarden(focusgebied: Focusgebied, indicator: Indicator,
                             service: Service) -> JsonResponse:
    """Alle streefwaarden van de indicator in het focusgebied, op doelperiode. Openbaar."""
    await service.pair(focusgebied, indicator)
    return JsonResponse(Streefwaarden(await service.streefwaarden(focusgebied, indicator)))


@router.get("/streefwaarden/{doelperiode}", summary="Eén streefwaarde",
            response_model=Streefwaarde, responses=GET_RESPONSES)
async def get_streefwaarde(focusgebied: Focusgebied, indicator: Indicator,
                           doelperiode: Doelperiode, service: Service) -> JsonResponse:
    """De streefwaarde voor één doelperiode (bv. 2030), met haar versie als ETag. Openbaar."""
    record = await service.get_streefwaarde(focusgebied, indicator, doelperiode)
    return JsonResponse.versioned(Streefwaarde, record)


@router.put("/streefwaarden/{doelperiode}", summary="Streefwaarde vastleggen of herzien",
            response_model=Streefwaarde, responses=put_responses(Streefwaarde))
async def put_streefwaarde(focusgebied: Focusgebied, indicator: Indicator,
                           doelperiode: Doelperiode, invoer: StreefwaardeInvoer,
                           principal: Gebruiker, service: Service,
                           if_match: IfMatch = None) -> JsonResponse:
    """Legt de streefwaarde voor een doelperiode vast (201; elke geldige periode, meestal een
    jaar zoals 2030). Herzien (200) vraagt `If-Match`, een `reden` en een `besluit`; de
    oorspronkelijke waarde blijft bewaard. Alleen de gemeente van het focusgebied (scope
    `nplv:indicatoren:schrijven`) of het programmabureau (organisatie BZK, scope
    `nplv:indicatoren:beheer`). Publiceert `nl.nplv.indicatoren.streefwaarde.vastgelegd.v1`
    of `...herzien.v1`."""
    record, created = await service.put_streefwaarde(focusgebied, indicator, doelperiode,
                                                     invoer, principal, if_match)
    return JsonResponse.versioned(Streefwaarde, record, created=created)


@router.get("/revisies", summary="Herzieningen van nulmeting en streefwaarden",
            response_model=list[DoelRevisie], responses=NOT_FOUND)
async def list_doel_revisies(focusgebied: Focusgebied, indicator: Indicator,
                             service: Service) -> JsonResponse:
    """Elke herziening van de nulmeting en de streefwaarden, oudste eerst: vorige en nieuwe
    waarde, reden, besluit, wie en wanneer. Openbaar."""
    return JsonResponse(DoelRevisies(await service.revisies(focusgebied, indicator)))
