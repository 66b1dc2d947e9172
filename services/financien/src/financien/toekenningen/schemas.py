import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Self

from pydantic import Field, model_validator

from financien.codes import Bedrag, BedragInvoer, FocusgebiedCode, Jaar, Realisatiesoort, RegelCode
from nplv_shared.schemas import Invoer, Uitvoer


class ToekenningInvoer(Invoer):
    """Part of a line's amount for one year, for one focusgebied. The toekenningen of a line and
    year together never exceed the line's amount for that year (409 says by how much)."""

    begrotingsregel: RegelCode = Field(description="Code van een bestaande begrotingsregel")
    focusgebied: FocusgebiedCode = Field(description="Een van de 20 focusgebieden")
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
    """A commitment or payment against a toekenning. The realisaties of one kind on a toekenning
    may not exceed it, unless `overschrijding` is true with a `reden`."""

    toekenning: uuid.UUID = Field(description="Id van een bestaande toekenning")
    soort: Realisatiesoort
    bedrag: BedragInvoer
    datum: date
    referentie: str = Field(min_length=1, max_length=200,
                            description="Kenmerk van de verplichting of betaling")
    overschrijding: bool = Field(default=False, description="Bewust boven de toekenning; "
                                                            "vraagt een reden")
    reden: str | None = Field(default=None, max_length=1000,
                              description="Verplicht als overschrijding true is")

    @model_validator(mode="after")
    def _overrun_has_reason(self) -> Self:
        if self.overschrijding and not self.reden:
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
