"""The events financien publishes on `nplv.financien.v1` (event-carried state, CloudEvents).

`...aangemaakt` and `...gewijzigd` carry the aggregate's full public state, taken from its API
schema (`EventData.of`, strict). Money is a decimal string with exactly two decimals in every
event (never a JSON number).

Kafka key: the focusgebied code for toekenningen and realisaties, so everything about one area
arrives in order. A begrotingsregel belongs to the whole programme, not to one area: its events
carry the fixed key `programma` (one partition, so all changes to the programme budget arrive
in order).
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import WithJsonSchema

from financien.codes import BEDRAG_PATTERN, PERCENTAGE_PATTERN
from nplv_shared.events import EventRegistry, Gegevens

registry = EventRegistry()

PROGRAMMA = "programma"  # the Kafka key of programme-level records
PROGRAMMA_KEY: dict[str, Any] = {
    "type": "string", "const": PROGRAMMA,
    "description": "Vaste sleutel voor gegevens van het hele programma (begrotingsregels): "
                   "ze horen niet bij één focusgebied.",
}
# In the event, as in the API: a decimal string, never a number.
Geld = Annotated[Decimal, WithJsonSchema({"type": "string", "pattern": BEDRAG_PATTERN})]
Procent = Annotated[Decimal, WithJsonSchema({"type": "string", "pattern": PERCENTAGE_PATTERN})]


class JaarBedragGegevens(Gegevens):
    jaar: int
    bedrag: Geld | None = None


class AandeelGegevens(Gegevens):
    actielijn: int
    percentage: Procent


class GoedkeuringGegevens(Gegevens):
    status: str
    datum: date | None = None
    referentie: str | None = None


# --- begrotingsregel (key: "programma") ------------------------------------------------------
class BegrotingsregelGegevens(Gegevens):
    key_schema: ClassVar[dict[str, Any]] = PROGRAMMA_KEY
    code: str
    kop: str
    ministerie: str
    instrument: str
    label: str | None = None
    toelichting: str | None = None
    specifiekVoorFocusgebieden: bool
    bedragen: list[JaarBedragGegevens]
    structureel: Geld | None = None
    revisie: int
    aanvullendePost: bool
    goedkeuring: GoedkeuringGegevens | None = None
    actielijnen: list[AandeelGegevens]


@registry.register
class BegrotingsregelAangemaakt(BegrotingsregelGegevens):
    event_type: ClassVar[str] = "nl.nplv.financien.begrotingsregel.aangemaakt.v1"


@registry.register
class BegrotingsregelGewijzigd(BegrotingsregelGegevens):
    event_type: ClassVar[str] = "nl.nplv.financien.begrotingsregel.gewijzigd.v1"


# --- toekenning (key: focusgebied) -----------------------------------------------------------
class ToekenningGegevens(Gegevens):
    id: uuid.UUID
    begrotingsregel: str
    ministerie: str
    focusgebied: str
    gemeente: str
    jaar: int
    bedrag: Geld
    interventieId: uuid.UUID | None = None
    omschrijving: str | None = None


@registry.register
class ToekenningAangemaakt(ToekenningGegevens):
    event_type: ClassVar[str] = "nl.nplv.financien.toekenning.aangemaakt.v1"


@registry.register
class ToekenningGewijzigd(ToekenningGegevens):
    event_type: ClassVar[str] = "nl.nplv.financien.toekenning.gewijzigd.v1"


# --- realisatie (key: focusgebied) -----------------------------------------------------------
class RealisatieGegevens(Gegevens):
    id: uuid.UUID
    toekenning: uuid.UUID
    begrotingsregel: str
    focusgebied: str
    gemeente: str
    jaar: int
    soort: str
    bedrag: Geld
    datum: date
    referentie: str
    overschrijding: bool
    reden: str | None = None
    vastgelegdDoor: str


@registry.register
class RealisatieAangemaakt(RealisatieGegevens):
    event_type: ClassVar[str] = "nl.nplv.financien.realisatie.aangemaakt.v1"
