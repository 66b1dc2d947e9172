import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, model_validator

from gebieden.codes import Actielijn, FocusgebiedCode, InterventieStatus, Ministerie
from nplv_shared.schemas import Invoer, Uitvoer, canonical_decimal, decimal_input_schema

Bronsysteem = Annotated[str, Field(min_length=1, max_length=64,
                                   pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$",
                                   examples=["bzk-projectenregister"])]
BronId = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f]+$",
                              examples=["PRJ-2024-0042"])]
Output = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2), canonical_decimal(2),
                   decimal_input_schema(max_digits=18, decimal_places=2)]


class InterventieInvoer(Invoer):
    """What a departmental system sends to create or replace an interventie."""

    focusgebied: FocusgebiedCode
    actielijn: Actielijn
    ministerie: Ministerie | None = Field(
        default=None, description="Verantwoordelijk ministerie; leeg als de gemeente uitvoert")
    titel: str = Field(min_length=3, max_length=200)
    omschrijving: str | None = Field(default=None, max_length=10_000)
    status: InterventieStatus = InterventieStatus.GEPLAND
    startdatum: date | None = None
    einddatum: date | None = Field(default=None, description="Niet vóór startdatum")
    output_eenheid: str | None = Field(
        default=None, max_length=64, description="Eenheid van de output, bv. 'woningen'; "
        "verplicht als geplandeOutput of gerealiseerdeOutput is opgegeven")
    geplande_output: Output | None = None
    gerealiseerde_output: Output | None = None
    begrotingsregel_id: uuid.UUID | None = Field(
        default=None, description="Id van een begrotingsregel in de financiën-dienst")
    bronsysteem: Bronsysteem | None = Field(
        default=None, description="Systeem van de eigenaar waar de interventie vandaan komt; "
        "met bronId de sleutel waarop een import synchroniseert")
    bron_id: BronId | None = Field(
        default=None, description="Id van de interventie in het bronsysteem (uniek per "
        "eigenaar en bronsysteem)")

    @model_validator(mode="after")
    def _bron_together(self) -> Self:
        if (self.bronsysteem is None) != (self.bron_id is None):
            raise ValueError("bronsysteem en bronId horen samen: geef beide of geen van beide")
        return self

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.startdatum and self.einddatum and self.einddatum < self.startdatum:
            raise ValueError("einddatum ligt vóór startdatum")
        has_output = self.geplande_output is not None or self.gerealiseerde_output is not None
        if has_output and not self.output_eenheid:
            raise ValueError("outputEenheid is verplicht als er output is opgegeven")
        return self


class InterventieImportRij(InterventieInvoer):
    """One row of an interventies import: an interventie with its source reference, which is
    the key the import synchronises on."""

    bronsysteem: Bronsysteem = Field(description="Systeem van de eigenaar")
    bron_id: BronId = Field(description="Id in dat systeem")


class Interventie(Uitvoer):
    id: uuid.UUID
    focusgebied: str
    gemeente: str
    actielijn: int
    ministerie: str | None
    eigenaar: str = Field(description="Organisatie die de interventie beheert")
    titel: str
    omschrijving: str | None
    status: InterventieStatus
    startdatum: date | None
    einddatum: date | None
    output_eenheid: str | None
    geplande_output: Decimal | None
    gerealiseerde_output: Decimal | None
    begrotingsregel_id: uuid.UUID | None
    bronsysteem: str | None
    bron_id: str | None
    versie: int
    aangemaakt_op: datetime
    gewijzigd_op: datetime


@dataclass(frozen=True)
class InterventieFilter:
    focusgebied: str | None = None
    gemeente: str | None = None
    actielijn: int | None = None
    ministerie: str | None = None
    status: str | None = None
