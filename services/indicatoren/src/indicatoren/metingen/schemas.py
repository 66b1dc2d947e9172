from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from indicatoren.codes import NIET_LEEG, MetingStatus, Waarde
from indicatoren.perioden import PeriodeType
from indicatoren.regios import RegioSoort
from nplv_shared.schemas import Invoer, Uitvoer


class MetingInvoer(Invoer):
    """The value of an indicator in a region and period (both in the path)."""

    waarde: Waarde = Field(description="Binnen de eenheid van de indicator: een aantal is "
                                       "geheel en ≥ 0, een percentage 0–100, een score binnen "
                                       "schaalMin–schaalMax")
    status: MetingStatus = MetingStatus.VOORLOPIG
    bron: str | None = Field(default=None, max_length=200,
                             description="Bronverwijzing, bv. een CBS-tabel (85984NED) of "
                                         "Leefbaarometer-editie")
    reden: str | None = Field(default=None, max_length=2000, pattern=NIET_LEEG,
                              description="Waarom de meting wordt gecorrigeerd; verplicht bij "
                                          "een correctie (een PUT op een bestaande meting die "
                                          "waarde, status of bron wijzigt)")


class Meting(Uitvoer):
    indicator: str
    indicator_versie: int = Field(description="Betekenisversie van de indicator bij de meting")
    regio: str
    regio_soort: RegioSoort
    focusgebied: str | None = Field(description="Gezet als de regio een focusgebied is")
    gemeente: str | None = Field(description="De gemeente waarin de regio ligt (leeg bij NL01)")
    periode: str
    periode_type: PeriodeType
    periode_begin: date
    periode_eind: date
    waarde: Decimal
    status: MetingStatus
    bron: str | None
    plausibel: bool | None = Field(
        description="false: een sprong van meer dan 3,5 gemodificeerde z-scores ten opzichte "
                    "van de eigen historie van de regio; leeg bij minder dan 4 eerdere metingen")
    zscore: Decimal | None = Field(description="De gemodificeerde z-score (2 decimalen)")
    ingediend_door: str = Field(description="Client die de meting (laatst) vastlegde")
    organisatie: str
    versie: int
    aangemaakt_op: datetime
    gewijzigd_op: datetime


class MetingCorrectie(Uitvoer):
    versie: int = Field(description="Versie van de meting na de correctie")
    vorige_waarde: Decimal
    nieuwe_waarde: Decimal
    vorige_status: MetingStatus
    nieuwe_status: MetingStatus
    vorige_bron: str | None
    nieuwe_bron: str | None
    reden: str
    gecorrigeerd_door: str
    organisatie: str
    gecorrigeerd_op: datetime


@dataclass(frozen=True)
class MetingFilter:
    indicator: str | None = None
    regio: str | None = None
    periode: str | None = None
    focusgebied: str | None = None
    gemeente: str | None = None
    status: str | None = None
