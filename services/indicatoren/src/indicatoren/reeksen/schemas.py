from datetime import date
from decimal import Decimal

from pydantic import Field

from indicatoren.doelen.schemas import Nulmeting, Streefwaarde
from indicatoren.indicatoren.schemas import Indicator
from nplv_shared.schemas import Uitvoer


class Reekswaarde(Uitvoer):
    waarde: Decimal
    status: str
    plausibel: bool | None
    indicator_versie: int


class Reeksregio(Uitvoer):
    rol: str = Field(description="focusgebied, rest-gemeente, gemeente of nederland")
    regio: str
    naam: str


class Reekspunt(Uitvoer):
    """One period, the values of the area and its comparison regions side by side (null where
    none was measured)."""

    periode: str
    periode_begin: date
    periode_eind: date
    focusgebied: Reekswaarde | None
    rest_gemeente: Reekswaarde | None
    gemeente: Reekswaarde | None
    nederland: Reekswaarde | None


class Reeks(Uitvoer):
    focusgebied: str
    gemeente: str
    indicator: Indicator
    regios: list[Reeksregio]
    punten: list[Reekspunt] = Field(description="Op periode, oudste eerst")
    nulmeting: Nulmeting | None
    streefwaarden: list[Streefwaarde]
