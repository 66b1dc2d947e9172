"""The events gebieden publishes on `nplv.gebieden.v1` (event-carried state, CloudEvents).

`...aangemaakt` and `...gewijzigd` carry the aggregate's full public state, taken from its API
schema (`EventData.of`, strict: the response schema and the event must name the same fields);
`...verwijderd` carries its identity (`EventData.identity_of`). These classes are the published
contract (contracts/events/): change them only as CONVENTIONS.md's versioning rules allow.
The Kafka key is the focusgebied code (gemeente code for gemeente-level aggregates), so every
change in one area arrives in order.
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from nplv_shared.events import GEMEENTE_KEY, EventRegistry, Gegevens

registry = EventRegistry()


# --- gemeente -----------------------------------------------------------------------------
class GemeenteGegevens(Gegevens):
    key_schema: ClassVar[dict[str, Any]] = GEMEENTE_KEY
    code: str
    naam: str


@registry.register
class GemeenteAangemaakt(GemeenteGegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.gemeente.aangemaakt.v1"


@registry.register
class GemeenteGewijzigd(GemeenteGegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.gemeente.gewijzigd.v1"


# --- focusgebied --------------------------------------------------------------------------
class GebiedsdeelGegevens(Gegevens):
    code: str
    geldigVanaf: date
    geldigTot: date | None = None


class FocusgebiedGegevens(Gegevens):
    code: str
    naam: str
    gemeente: str
    inwoners: int | None = None
    gebiedsdelen: list[GebiedsdeelGegevens] = []


@registry.register
class FocusgebiedAangemaakt(FocusgebiedGegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.focusgebied.aangemaakt.v1"


@registry.register
class FocusgebiedGewijzigd(FocusgebiedGegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.focusgebied.gewijzigd.v1"


@registry.register
class FocusgebiedVerwijderd(Gegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.focusgebied.verwijderd.v1"
    code: str
    gemeente: str


# --- alliantie, uitvoeringsprogramma (per focusgebied), prestatieafspraken (per gemeente) --
class PersoonGegevens(Gegevens):
    naam: str | None = None
    ministerie: str | None = None
    directoraat: str | None = None


class PartnerGegevens(Gegevens):
    naam: str
    rol: str | None = None


class ProgrammabureauGegevens(Gegevens):
    ingericht: bool
    naam: str | None = None
    contactEmail: str | None = None


class AlliantieGegevens(Gegevens):
    focusgebied: str
    voorzitter: str | None = None
    rijksvertegenwoordiger: PersoonGegevens
    partners: list[PartnerGegevens] = []
    programmabureau: ProgrammabureauGegevens


@registry.register
class AlliantieAangemaakt(AlliantieGegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.alliantie.aangemaakt.v1"


@registry.register
class AlliantieGewijzigd(AlliantieGegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.alliantie.gewijzigd.v1"


class OnderdeelGegevens(Gegevens):
    code: str
    aanwezig: bool
    toelichting: str | None = None


class UitvoeringsprogrammaGegevens(Gegevens):
    focusgebied: str
    status: str
    vastgesteldOp: date | None = None
    onderdelen: list[OnderdeelGegevens]


@registry.register
class UitvoeringsprogrammaAangemaakt(UitvoeringsprogrammaGegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.uitvoeringsprogramma.aangemaakt.v1"


@registry.register
class UitvoeringsprogrammaGewijzigd(UitvoeringsprogrammaGegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.uitvoeringsprogramma.gewijzigd.v1"


class AfspraakGegevens(Gegevens):
    nummer: int
    status: str
    toelichting: str | None = None


class PrestatieafsprakenGegevens(Gegevens):
    key_schema: ClassVar[dict[str, Any]] = GEMEENTE_KEY
    gemeente: str
    ondertekendOp: date | None = None
    afspraken: list[AfspraakGegevens]


@registry.register
class PrestatieafsprakenAangemaakt(PrestatieafsprakenGegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.prestatieafspraken.aangemaakt.v1"


@registry.register
class PrestatieafsprakenGewijzigd(PrestatieafsprakenGegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.prestatieafspraken.gewijzigd.v1"


# --- interventie --------------------------------------------------------------------------
class InterventieGegevens(Gegevens):
    id: uuid.UUID
    focusgebied: str
    gemeente: str
    actielijn: int
    ministerie: str | None = None
    eigenaar: str
    titel: str
    omschrijving: str | None = None
    status: str
    startdatum: date | None = None
    einddatum: date | None = None
    outputEenheid: str | None = None
    geplandeOutput: Decimal | None = None
    gerealiseerdeOutput: Decimal | None = None
    begrotingsregelId: uuid.UUID | None = None
    bronsysteem: str | None = None
    bronId: str | None = None


@registry.register
class InterventieAangemaakt(InterventieGegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.interventie.aangemaakt.v1"


@registry.register
class InterventieGewijzigd(InterventieGegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.interventie.gewijzigd.v1"


@registry.register
class InterventieVerwijderd(Gegevens):
    event_type: ClassVar[str] = "nl.nplv.gebieden.interventie.verwijderd.v1"
    id: uuid.UUID
    focusgebied: str
    gemeente: str
