from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Self

from pydantic import Field, model_validator

from indicatoren.codes import (
    NIET_LEEG,
    Actielijn,
    Combinatie,
    Eenheid,
    FocusgebiedCode,
    IndicatorStatus,
    Richting,
    Soort,
    Waarde,
)
from indicatoren.perioden import PeriodeType
from nplv_shared.schemas import Invoer, Uitvoer

# The fields that give a value its meaning: changing one is a new betekenisversie.
BETEKENIS = ("bron", "eenheid", "schaal_min", "schaal_max", "richting", "soort", "combinatie",
             "periodetype")


class IndicatorInvoer(Invoer):
    """An indicator of the catalogue. Without `focusgebied` it is a kernindicator (only the
    programmabureau); with it, a local indicator of that focusgebied (its gemeente or the
    programmabureau)."""

    naam: str = Field(max_length=200, pattern=NIET_LEEG)
    omschrijving: str | None = Field(default=None, max_length=10_000)
    actielijn: Actielijn
    kernindicator: int | None = Field(
        default=None, ge=1, le=15,
        description="Nummer in §6.1 van het programma (1–15); alleen bij een kernindicator "
                    "(zonder focusgebied), elk nummer één keer")
    focusgebied: FocusgebiedCode | None = Field(
        default=None, description="Het focusgebied van een lokale indicator; leeg bij een "
                                  "kernindicator. Kan na aanmaken niet wijzigen.")
    bron: str = Field(max_length=64, pattern=NIET_LEEG,
                      description="Bv. Leefbaarometer, CBS, Veiligheidsmonitor, "
                                  "Zicht op Ondermijning")
    bron_toelichting: str | None = Field(default=None, max_length=2000)
    eenheid: Eenheid = Field(description="aantal (geheel, ≥ 0), percentage (0–100) of score "
                                         "(binnen schaalMin–schaalMax)")
    schaal_min: Waarde | None = Field(default=None, description="Verplicht bij eenheid score, "
                                      "anders leeg; kleiner dan schaalMax")
    schaal_max: Waarde | None = Field(default=None, description="Verplicht bij eenheid score, "
                                      "anders leeg")
    richting: Richting
    soort: Soort = Field(description="stand (op een peildatum), stroom (in de periode) of "
                                     "cumulatief (sinds de start)")
    combinatie: Combinatie = Field(description="Hoe waarden van gebieden samengaan")
    periodetype: PeriodeType = Field(description="Het type periode waarin gemeten wordt; een "
                                                 "meting van een ander type wordt geweigerd")
    status: IndicatorStatus = IndicatorStatus.ACTIEF
    reden: str | None = Field(
        default=None, max_length=2000, pattern=NIET_LEEG,
        description="Waarom de betekenis wijzigt; verplicht als een van bron, eenheid, "
                    "schaalMin, schaalMax, richting, soort, combinatie of periodetype wijzigt "
                    "(dat maakt een nieuwe betekenisversie)")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.eenheid is Eenheid.SCORE:
            if self.schaal_min is None or self.schaal_max is None:
                raise ValueError("schaalMin en schaalMax zijn verplicht bij eenheid score")
            if self.schaal_min >= self.schaal_max:
                raise ValueError("schaalMin moet kleiner zijn dan schaalMax")
        elif self.schaal_min is not None or self.schaal_max is not None:
            raise ValueError("schaalMin en schaalMax horen alleen bij eenheid score")
        if self.kernindicator is not None and self.focusgebied is not None:
            raise ValueError("een lokale indicator (met focusgebied) heeft geen "
                             "kernindicatornummer")
        return self


class Indicator(Uitvoer):
    code: str
    naam: str
    omschrijving: str | None
    actielijn: int
    kernindicator: int | None
    focusgebied: str | None = Field(description="Leeg bij een kernindicator")
    eigenaar: str = Field(description="Organisatie die de indicator beheert")
    bron: str
    bron_toelichting: str | None
    eenheid: Eenheid
    schaal_min: Decimal | None
    schaal_max: Decimal | None
    richting: Richting
    soort: Soort
    combinatie: Combinatie
    periodetype: PeriodeType
    status: IndicatorStatus
    betekenisversie: int = Field(description="Telt alleen betekeniswijzigingen; een meting "
                                             "houdt de versie waarmee ze gemeten is")
    versie: int
    aangemaakt_op: datetime
    gewijzigd_op: datetime


class IndicatorVersie(Uitvoer):
    indicator: str
    betekenisversie: int
    omschrijving: str | None
    bron: str
    eenheid: Eenheid
    schaal_min: Decimal | None
    schaal_max: Decimal | None
    richting: Richting
    soort: Soort
    combinatie: Combinatie
    periodetype: PeriodeType
    reden: str | None
    vastgesteld_door: str
    vastgesteld_op: datetime


@dataclass(frozen=True)
class IndicatorFilter:
    actielijn: int | None = None
    focusgebied: str | None = None
    status: str | None = None
    kern: bool | None = None
