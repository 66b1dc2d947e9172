"""The events indicatoren publishes on `nplv.indicatoren.v1` (event-carried state, CloudEvents).

Each event carries the resource's full public state (`EventData.of`, strict), plus, for a
correction or revision, the value before it. Values are decimal strings, never floats.

Kafka key (= `partitionkey`):
- a meting of a focusgebied, a nulmeting, a streefwaarde, a local indicator: the focusgebied
  code, so everything about one area is ordered;
- a meting of another region: the gemeente code it lies in (`GM0599` for GM0599, GM0599-rest,
  WK0599…, BU0599…), and `NL01` for Nederland;
- a kernindicator of the catalogue: the fixed key `programma`.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar
from uuid import UUID

from pydantic import Field, PlainSerializer, WithJsonSchema

from nplv_shared.events import EventRegistry, Gegevens

registry = EventRegistry()

PROGRAMMA_KEY = "programma"
INDICATOR_KEY: dict[str, Any] = {
    "type": "string",
    "description": "De focusgebiedcode bij een lokale indicator, anders de vaste sleutel "
                   "`programma` (kernindicatoren gelden voor het hele programma).",
    "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$",
    "examples": ["programma", "rotterdam-zuid"],
}
METING_KEY: dict[str, Any] = {
    "type": "string",
    "description": "De focusgebiedcode als de regio een focusgebied is; anders de "
                   "CBS-gemeentecode waarin de regio ligt (gemeente, rest van de gemeente, "
                   "wijk, buurt) of NL01 voor Nederland.",
    "pattern": r"^([a-z0-9]+(-[a-z0-9]+)*|GM[0-9]{4}|NL01)$",
    "examples": ["rotterdam-zuid", "GM0599", "NL01"],
}
# A decimal in an event: always a string (the JSON Schema says so), never a float.
Waarde = Annotated[Decimal, PlainSerializer(lambda v: str(v), return_type=str,
                                            when_used="always"),
                   WithJsonSchema({"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$",
                                   "description": "Exact decimaal getal als tekst",
                                   "examples": ["12.5000"]})]


# --- indicator -----------------------------------------------------------------------------
class IndicatorGegevens(Gegevens):
    key_schema: ClassVar[dict[str, Any]] = INDICATOR_KEY
    code: str
    naam: str
    omschrijving: str | None = None
    actielijn: int
    kernindicator: int | None = None
    focusgebied: str | None = None
    eigenaar: str
    bron: str
    bronToelichting: str | None = None
    eenheid: str
    schaalMin: Waarde | None = None
    schaalMax: Waarde | None = None
    richting: str
    soort: str
    combinatie: str
    periodetype: str
    status: str
    betekenisversie: int


@registry.register
class IndicatorAangemaakt(IndicatorGegevens):
    event_type: ClassVar[str] = "nl.nplv.indicatoren.indicator.aangemaakt.v1"


@registry.register
class IndicatorGewijzigd(IndicatorGegevens):
    """A change that keeps the meaning (name, description, source note)."""

    event_type: ClassVar[str] = "nl.nplv.indicatoren.indicator.gewijzigd.v1"


@registry.register
class IndicatorNieuweVersie(IndicatorGegevens):
    """A change of meaning: `betekenisversie` went up; earlier metingen keep theirs."""

    event_type: ClassVar[str] = "nl.nplv.indicatoren.indicator.nieuwe-versie.v1"


@registry.register
class IndicatorVervallen(IndicatorGegevens):
    """Retired: no new metingen; its metingen, nulmetingen and streefwaarden stay."""

    event_type: ClassVar[str] = "nl.nplv.indicatoren.indicator.vervallen.v1"


# --- meting --------------------------------------------------------------------------------
class MetingGegevens(Gegevens):
    key_schema: ClassVar[dict[str, Any]] = METING_KEY
    indicator: str
    indicatorVersie: int
    regio: str
    regioSoort: str
    focusgebied: str | None = None
    gemeente: str | None = None
    periode: str
    periodeType: str
    periodeBegin: date
    periodeEind: date
    waarde: Waarde
    status: str
    bron: str | None = None
    plausibel: bool | None = None
    zscore: Waarde | None = None
    ingediendDoor: str
    organisatie: str
    importId: UUID | None = Field(
        default=None, description="De bulkimport (GET /v1/imports/{importId}) die deze "
                                  "stand schreef; leeg bij een enkele PUT of DELETE")


@registry.register
class MetingVastgelegd(MetingGegevens):
    event_type: ClassVar[str] = "nl.nplv.indicatoren.meting.vastgelegd.v1"


@registry.register
class MetingGecorrigeerd(MetingGegevens):
    """A correction: the new state, with the value, status and reason before it."""

    event_type: ClassVar[str] = "nl.nplv.indicatoren.meting.gecorrigeerd.v1"
    vorigeWaarde: Waarde
    vorigeStatus: str
    reden: str


@registry.register
class MetingIngetrokken(MetingGegevens):
    """A withdrawal: the meting's last state and why it was withdrawn. The meting no longer
    counts (consumers remove its influence); a later `vastgelegd` of the same subject, with a
    higher sequence, records it anew."""

    event_type: ClassVar[str] = "nl.nplv.indicatoren.meting.ingetrokken.v1"
    reden: str


# --- nulmeting and streefwaarde ------------------------------------------------------------
class NulmetingGegevens(Gegevens):
    focusgebied: str
    indicator: str
    waarde: Waarde
    periode: str
    indicatorVersie: int
    besluit: str | None = None
    toelichting: str | None = None
    oorspronkelijkeWaarde: Waarde
    oorspronkelijkePeriode: str


@registry.register
class NulmetingVastgelegd(NulmetingGegevens):
    event_type: ClassVar[str] = "nl.nplv.indicatoren.nulmeting.vastgelegd.v1"


@registry.register
class NulmetingHerzien(NulmetingGegevens):
    event_type: ClassVar[str] = "nl.nplv.indicatoren.nulmeting.herzien.v1"
    vorigeWaarde: Waarde
    vorigePeriode: str
    reden: str


class StreefwaardeGegevens(Gegevens):
    focusgebied: str
    indicator: str
    doelperiode: str
    waarde: Waarde
    indicatorVersie: int
    besluit: str | None = None
    toelichting: str | None = None
    oorspronkelijkeWaarde: Waarde


@registry.register
class StreefwaardeVastgelegd(StreefwaardeGegevens):
    event_type: ClassVar[str] = "nl.nplv.indicatoren.streefwaarde.vastgelegd.v1"


@registry.register
class StreefwaardeHerzien(StreefwaardeGegevens):
    event_type: ClassVar[str] = "nl.nplv.indicatoren.streefwaarde.herzien.v1"
    vorigeWaarde: Waarde
    reden: str
