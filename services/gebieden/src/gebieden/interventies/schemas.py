import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, model_validator

from gebieden.codes import Actielijn, FocusgebiedCode, InterventieStatus, Ministerie
from nplv_shared.schemas import Invoer, Uitvoer, canonical_decimal, decimal_input_schema

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

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.startdatum and self.einddatum and self.einddatum < self.startdatum:
            raise ValueError("einddatum ligt vóór startdatum")
        has_output = self.geplande_output is not None or self.gerealiseerde_output is not None
        if has_output and not self.output_eenheid:
            raise ValueError("outputEenheid is verplicht als er output is opgegeven")
        return self


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
