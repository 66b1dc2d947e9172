"""Read-only reference data from the programme document: actielijnen and ER-subdoelen."""

import json
from functools import cache
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import Field

from nplv_shared.problems import NotFound
from nplv_shared.schemas import Uitvoer

TAG = {"name": "Referentiedata",
       "description": "De actielijnen (hoofdstuk 4) en ER-subdoelen (hoofdstuk 3) uit het "
                      "programmadocument. Alleen lezen, openbaar."}
router = APIRouter(tags=[TAG["name"]])


class ErSubdoel(Uitvoer):
    nummer: int
    naam: str
    omschrijving: str


class Actielijn(Uitvoer):
    nummer: int
    naam: str
    omschrijving: str
    er_subdoel: int | None = Field(description="Het ER-subdoel waaraan de actielijn bijdraagt")


@cache
def load(name: str) -> list[dict[str, Any]]:
    text = resources.files("gebieden.referentiedata").joinpath(f"{name}.json").read_text("utf-8")
    return list(json.loads(text))


@router.get("/actielijnen", summary="De vier actielijnen (hoofdstuk 4)",
            response_model=list[Actielijn])
async def list_actielijnen() -> list[Actielijn]:
    """De vier actielijnen met het ER-subdoel waaraan elk bijdraagt."""
    return [Actielijn.model_validate(a) for a in load("actielijnen")]


@router.get("/actielijnen/{nummer}", summary="Eén actielijn", response_model=Actielijn,
            responses={404: {"description": "Bestaat niet"}})
async def get_actielijn(nummer: Annotated[int, Path(ge=1, le=4)]) -> Actielijn:
    """Eén actielijn, op nummer 1–4."""
    for actielijn in load("actielijnen"):
        if actielijn["nummer"] == nummer:
            return Actielijn.model_validate(actielijn)
    raise NotFound(f"Actielijn {nummer} bestaat niet.")


@router.get("/er-subdoelen", summary="De drie ER-subdoelen (hoofdstuk 3)",
            response_model=list[ErSubdoel])
async def list_er_subdoelen() -> list[ErSubdoel]:
    """De drie subdoelen van de Europese Regio-aanpak waar het programma aan bijdraagt."""
    return [ErSubdoel.model_validate(d) for d in load("er_subdoelen")]
