from typing import Annotated

from fastapi import APIRouter, Depends, Path

from financien.codes import FocusgebiedCode
from financien.overzichten.schemas import Begrotingstotalen, Budgetoverzicht
from financien.overzichten.service import OverzichtService, overzicht_service
from nplv_shared.responses import NOT_FOUND, JsonResponse

TAG = {"name": "Overzichten",
       "description": "Totalen van de begroting per ministerie, jaar, actielijn en focusgebied, "
                      "en het budgetoverzicht per focusgebied (toegekend, verplicht, betaald, "
                      "resterend), exact tot op de cent."}
router = APIRouter(tags=[TAG["name"]])
Service = Annotated[OverzichtService, Depends(overzicht_service)]


@router.get("/begroting/totalen", summary="Totalen van de programmabegroting",
            response_model=Begrotingstotalen)
async def get_begrotingstotalen(service: Service) -> JsonResponse:
    """Totalen van de huidige bedragen van alle begrotingsregels: per jaar (de kolomtotalen),
    per kop/ministerie zoals gedrukt (VRO en BZK apart), per actielijn (volgens de
    actielijnverdeling, verdeeld tot op de cent met de grootste-restmethode) en de toekenningen
    per focusgebied. Een lege cel telt als niets mee. Openbaar."""
    return JsonResponse(await service.totalen())


@router.get("/focusgebieden/{focusgebiedCode}/budgetoverzicht",
            summary="Budgetoverzicht van een focusgebied", response_model=Budgetoverzicht,
            responses=NOT_FOUND)
async def get_budgetoverzicht(
    code: Annotated[FocusgebiedCode, Path(alias="focusgebiedCode")], service: Service,
) -> JsonResponse:
    """Wat aan het focusgebied is toegekend, wat daarop is verplicht en betaald, en wat resteert
    (toegekend min betaald), in totaal, per jaar van de toekenning en per actielijn (volgens de
    actielijnverdeling van elke regel, tot op de cent). 404 voor een code die geen focusgebied
    van het programma is. Openbaar."""
    return JsonResponse(await service.budgetoverzicht(code))
