import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Self

from pydantic import Field, model_validator

from financien.codes import (
    NIET_LEEG,
    Bedrag,
    BedragInvoer,
    FocusgebiedCode,
    Jaar,
    Realisatiesoort,
    RegelCode,
)
from nplv_shared.schemas import Invoer, Uitvoer


class ToekenningInvoer(Invoer):
    """Een deel van het bedrag van een begrotingsregel voor één jaar, voor één focusgebied. De
    toekenningen van een regel en jaar samen overschrijden nooit het bedrag van de regel voor
    dat jaar (409 zegt met hoeveel)."""

    begrotingsregel: RegelCode = Field(description="Code van een bestaande begrotingsregel "
                                                   "(een onbekende is 400)")
    focusgebied: FocusgebiedCode = Field(description="Een van de 20 focusgebieden van het "
                                                     "programma (een ander is 400)")
    jaar: Jaar
    bedrag: BedragInvoer
    interventie_id: uuid.UUID | None = Field(
        default=None, description="Id van een interventie in de gebieden-dienst (geen "
                                  "verwijzing die hier wordt gecontroleerd)")
    omschrijving: str | None = Field(default=None, max_length=500)


class Toekenning(Uitvoer):
    id: uuid.UUID
    begrotingsregel: str
    ministerie: str = Field(description="Ministerie van de begrotingsregel")
    focusgebied: str
    gemeente: str
    jaar: int
    bedrag: Bedrag
    interventie_id: uuid.UUID | None
    omschrijving: str | None
    versie: int
    aangemaakt_op: datetime
    gewijzigd_op: datetime


class RealisatieInvoer(Invoer):
    """Een verplichting of betaling op een toekenning. De realisaties van één soort op een
    toekenning overschrijden haar niet, tenzij `overschrijding` true is met een `reden`."""

    toekenning: uuid.UUID = Field(description="Id van een bestaande toekenning (een onbekende "
                                              "is 400)")
    soort: Realisatiesoort
    bedrag: BedragInvoer
    datum: date
    referentie: str = Field(max_length=200, pattern=NIET_LEEG,
                            description="Kenmerk van de verplichting of betaling")
    overschrijding: bool = Field(default=False, description="Bewust boven de toekenning; "
                                                            "vraagt een reden")
    reden: str | None = Field(default=None, max_length=1000, pattern=NIET_LEEG,
                              description="Verplicht als overschrijding true is (anders 400)")

    @model_validator(mode="after")
    def _overrun_has_reason(self) -> Self:
        if self.overschrijding and self.reden is None:
            raise ValueError("een overschrijding vraagt een reden")
        return self


class Realisatie(Uitvoer):
    id: uuid.UUID
    toekenning: uuid.UUID
    begrotingsregel: str
    focusgebied: str
    gemeente: str
    jaar: int = Field(description="Het jaar van de toekenning")
    soort: Realisatiesoort
    bedrag: Bedrag
    datum: date
    referentie: str
    overschrijding: bool
    reden: str | None
    vastgelegd_door: str = Field(description="Organisatie die de realisatie vastlegde")
    versie: int
    aangemaakt_op: datetime
    gewijzigd_op: datetime


@dataclass(frozen=True)
class ToekenningFilter:
    begrotingsregel: str | None = None
    focusgebied: str | None = None
    gemeente: str | None = None
    ministerie: str | None = None
    jaar: int | None = None
    interventie_id: uuid.UUID | None = None


@dataclass(frozen=True)
class RealisatieFilter:
    toekenning: uuid.UUID | None = None
    begrotingsregel: str | None = None
    focusgebied: str | None = None
    jaar: int | None = None
    soort: str | None = None
