from datetime import date, datetime
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from nplv_shared.schemas import Invoer, Uitvoer


class GemeenteInvoer(Invoer):
    naam: str = Field(min_length=2, max_length=100)


class Gemeente(Uitvoer):
    code: str
    naam: str
    versie: int


class AfspraakStatus(StrEnum):
    OPEN = "open"
    IN_OVERLEG = "in-overleg"
    VASTGELEGD = "vastgelegd"


class Afspraak(Invoer):
    nummer: int = Field(ge=1, le=7, description="Punt 1–7 van de prestatieafspraken (§5.2)")
    status: AfspraakStatus
    toelichting: str | None = Field(default=None, max_length=4000)


class PrestatieafsprakenInvoer(Invoer):
    ondertekend_op: date | None = None
    afspraken: list[Afspraak] = Field(
        min_length=7, max_length=7,
        description="De punten 1 t/m 7 van de prestatieafspraken, elk precies één keer")

    @model_validator(mode="after")
    def _each_point_once(self) -> Self:
        if sorted(a.nummer for a in self.afspraken) != list(range(1, 8)):
            raise ValueError("afspraken moet elk van de punten 1 t/m 7 precies één keer bevatten")
        self.afspraken.sort(key=lambda a: a.nummer)  # stored and published in point order
        return self


class Prestatieafspraken(Uitvoer):
    gemeente: str
    ondertekend_op: date | None
    afspraken: list[dict[str, object]]
    versie: int
    gewijzigd_op: datetime
