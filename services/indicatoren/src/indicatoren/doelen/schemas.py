from datetime import datetime
from decimal import Decimal

from pydantic import Field

from indicatoren.codes import NIET_LEEG, PeriodeId, Waarde
from nplv_shared.schemas import Invoer, Uitvoer

REDEN = Field(default=None, max_length=2000, pattern=NIET_LEEG,
              description="Waarom de waarde wordt herzien; verplicht bij een herziening")
BESLUIT = Field(default=None, max_length=200, pattern=NIET_LEEG,
                description="Verwijzing naar het besluit (bv. de prestatieafspraken of een "
                            "collegebesluit); verplicht bij een herziening")


class NulmetingInvoer(Invoer):
    waarde: Waarde = Field(description="Binnen de eenheid en schaal van de indicator")
    periode: PeriodeId = Field(description="Van het periodetype van de indicator")
    besluit: str | None = BESLUIT
    toelichting: str | None = Field(default=None, max_length=2000)
    reden: str | None = REDEN


class Nulmeting(Uitvoer):
    focusgebied: str
    indicator: str
    waarde: Decimal
    periode: str
    indicator_versie: int
    besluit: str | None
    toelichting: str | None
    oorspronkelijke_waarde: Decimal = Field(description="De eerst vastgelegde waarde")
    oorspronkelijke_periode: str
    versie: int
    aangemaakt_op: datetime
    gewijzigd_op: datetime


class StreefwaardeInvoer(Invoer):
    waarde: Waarde = Field(description="Binnen de eenheid en schaal van de indicator")
    besluit: str | None = BESLUIT
    toelichting: str | None = Field(default=None, max_length=2000)
    reden: str | None = REDEN


class Streefwaarde(Uitvoer):
    focusgebied: str
    indicator: str
    doelperiode: str
    waarde: Decimal
    indicator_versie: int
    besluit: str | None
    toelichting: str | None
    oorspronkelijke_waarde: Decimal = Field(description="De eerst vastgelegde waarde")
    versie: int
    aangemaakt_op: datetime
    gewijzigd_op: datetime


class DoelRevisie(Uitvoer):
    soort: str = Field(description="nulmeting of streefwaarde")
    doelperiode: str | None
    versie: int
    vorige_waarde: Decimal
    nieuwe_waarde: Decimal
    vorige_periode: str | None
    nieuwe_periode: str | None
    reden: str
    besluit: str
    herzien_door: str
    organisatie: str
    herzien_op: datetime
