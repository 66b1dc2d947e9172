from typing import Annotated

from fastapi import APIRouter, Depends, Path

from indicatoren.codes import FocusgebiedCode, IndicatorCode
from indicatoren.reeksen.schemas import Reeks
from indicatoren.reeksen.service import ReeksService, reeks_service
from nplv_shared.responses import NOT_FOUND, JsonResponse

TAG = {"name": "Reeksen",
       "description": "De tijdreeks van een indicator in een focusgebied naast de rest van de "
                      "gemeente, de gemeente en Nederland, met nulmeting en streefwaarden."}
router = APIRouter(prefix="/focusgebieden/{focusgebiedCode}/indicatoren/{indicatorCode}",
                   tags=[TAG["name"]])
Focusgebied = Annotated[FocusgebiedCode, Path(alias="focusgebiedCode")]
Indicator = Annotated[IndicatorCode, Path(alias="indicatorCode")]
Service = Annotated[ReeksService, Depends(reeks_service)]


@router.get("/reeks", summary="Tijdreeks met vergelijkingsregio's", response_model=Reeks,
            responses=NOT_FOUND)
async def get_reeks(focusgebied: Focusgebied, indicator: Indicator,
                    service: Service) -> JsonResponse:
    """De metingen van de indicator in het focusgebied per periode, naast die van de rest van
    de gemeente (`GM….-rest`), de gemeente en Nederland (`NL01`), met de nulmeting en de
    streefwaarden van het gebied. Openbaar."""
    return JsonResponse(await service.reeks(focusgebied, indicator))
