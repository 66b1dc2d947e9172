"""From event to read-model row: one `Handler` per event type of the three topics.

Events carry the aggregate's whole state (event-carried state transfer), so a handler maps an
event's `data` to the row it describes, and says which views that row feeds (`raakt`). A
handler raises KeyError, ValueError or TypeError on data its type's schema does not allow: the
consumer then parks the event (dead letter) and goes on.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import Table

from nplv_shared.events import CloudEvent
from rapportage.db import (
    begrotingsregel,
    focusgebied,
    indicator,
    interventie,
    meting,
    nulmeting,
    realisatie,
    streefwaarde,
    toekenning,
)

NEDERLAND = "NL01"
GEBIEDEN = "nl.nplv.gebieden"
INDICATOREN = "nl.nplv.indicatoren"
FINANCIEN = "nl.nplv.financien"


@dataclass
class Geraakt:
    """What one batch changed, per view, with the last event that changed it (freshness)."""

    interventies: dict[str, CloudEvent] = field(default_factory=dict)  # area
    indicator_paren: dict[tuple[str, str], CloudEvent] = field(default_factory=dict)
    indicatoren: dict[str, CloudEvent] = field(default_factory=dict)  # every area of it
    vergelijking: dict[tuple[str, str], CloudEvent] = field(default_factory=dict)  # (gm|NL01, ind)
    gebieden: dict[str, CloudEvent] = field(default_factory=dict)  # every view of the area
    geld: dict[str, CloudEvent] = field(default_factory=dict)  # area
    regels: dict[str, CloudEvent] = field(default_factory=dict)  # every area with money on it
    verhuisd: dict[str, CloudEvent] = field(default_factory=dict)  # area an interventie left

    def __bool__(self) -> bool:
        return any((self.interventies, self.indicator_paren, self.indicatoren,
                    self.vergelijking, self.gebieden, self.geld, self.regels))


def markeer(touched: dict[Any, CloudEvent], key: Any, event: CloudEvent) -> None:
    """Remember `event` for `key` when it is the later one (by time, then id)."""
    current = touched.get(key)
    if current is None or (event.time, str(event.id)) > (current.time, str(current.id)):
        touched[key] = event


@dataclass(frozen=True)
class Handler:
    table: Table
    values: Callable[[dict[str, Any]], dict[str, Any] | None]  # None: not kept (a wijk's meting)
    raakt: Callable[[Geraakt, dict[str, Any], CloudEvent], None]
    tombstone: bool = False
    keep: frozenset[str] = frozenset()  # what a tombstone leaves as it was

    @cached_property
    def key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.table.primary_key.columns)


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise TypeError(f"geen decimaal getal: {value!r}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"geen eindig getal: {value!r}")
    return result


def _waarde(value: Any) -> Decimal:
    result = _decimal(value)
    if result is None:
        raise ValueError("waarde ontbreekt")
    return result


def _tekst(value: Any, *, leeg: bool = False) -> str:
    if not isinstance(value, str) or (not leeg and not value):
        raise TypeError(f"geen tekst: {value!r}")
    return value


def _datum(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(_tekst(value))


def _uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(_tekst(value))


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"geen geheel getal: {value!r}")
    return value


# --- gebieden ----------------------------------------------------------------------------------
def _focusgebied(d: dict[str, Any]) -> dict[str, Any]:
    # A tombstone carries no name: it keeps the last known one (the code if none is known).
    inwoners = d.get("inwoners")
    return {"code": _tekst(d["code"]), "naam": d.get("naam") or d["code"],
            "gemeente": _tekst(d["gemeente"]),
            "inwoners": None if inwoners is None else _int(inwoners)}


def _interventie(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": _uuid(d["id"]), "focusgebied": _tekst(d["focusgebied"]),
        "actielijn": _int(d.get("actielijn", 0)), "status": d.get("status", "onbekend"),
        "titel": d.get("titel"), "ministerie": d.get("ministerie"),
        "startdatum": _datum(d.get("startdatum")), "einddatum": _datum(d.get("einddatum")),
        "output_eenheid": d.get("outputEenheid") or "",
        "geplande_output": _decimal(d.get("geplandeOutput")),
        "gerealiseerde_output": _decimal(d.get("gerealiseerdeOutput")),
        "bronsysteem": d.get("bronsysteem"), "bron_id": d.get("bronId"),
    }


def _raakt_gebied(g: Geraakt, row: dict[str, Any], event: CloudEvent) -> None:
    markeer(g.gebieden, row["code"], event)


def _raakt_interventie(g: Geraakt, row: dict[str, Any], event: CloudEvent) -> None:
    markeer(g.interventies, row["focusgebied"], event)


KEEP_FOCUSGEBIED = frozenset({"naam", "inwoners"})
KEEP_INTERVENTIE = frozenset({"focusgebied", "actielijn", "status", "titel", "ministerie",
                              "startdatum", "einddatum", "output_eenheid", "geplande_output",
                              "gerealiseerde_output", "bronsysteem", "bron_id"})


# --- indicatoren -------------------------------------------------------------------------------
def _indicator(d: dict[str, Any]) -> dict[str, Any]:
    return {"code": _tekst(d["code"]), "naam": _tekst(d["naam"]),
            "actielijn": _int(d["actielijn"]), "kernindicator": d.get("kernindicator"),
            "focusgebied": d.get("focusgebied"), "eenheid": _tekst(d["eenheid"]),
            "richting": _tekst(d["richting"]), "soort": _tekst(d["soort"]),
            "combinatie": _tekst(d["combinatie"]), "periodetype": _tekst(d["periodetype"]),
            "status": _tekst(d["status"]), "betekenisversie": _int(d["betekenisversie"])}


def vergeleken(regio: str) -> bool:
    """Regions kept: focusgebieden, the rest of a gemeente and Nederland (which the views
    compare), and gemeenten (for context); not wijken and buurten."""
    return not regio.startswith(("WK", "BU"))


def _meting(d: dict[str, Any], *, ingetrokken: bool = False) -> dict[str, Any] | None:
    regio = _tekst(d["regio"])
    values = {
        "indicator": _tekst(d["indicator"]), "regio": regio, "periode": _tekst(d["periode"]),
        "begin": _datum(d["periodeBegin"]), "eind": _datum(d["periodeEind"]),
        "waarde": _waarde(d["waarde"]), "status": _tekst(d["status"]),
        "ingetrokken": ingetrokken, "focusgebied": d.get("focusgebied"),
        "gemeente": d.get("gemeente"), "bron": d.get("bron"), "import_id": d.get("importId"),
    }
    return values if vergeleken(regio) else None


def _raakt_indicator(g: Geraakt, row: dict[str, Any], event: CloudEvent) -> None:
    markeer(g.indicatoren, row["code"], event)


def _raakt_meting(g: Geraakt, row: dict[str, Any], event: CloudEvent) -> None:
    regio = row["regio"]
    if row["focusgebied"]:
        markeer(g.indicator_paren, (row["focusgebied"], row["indicator"]), event)
    elif regio == NEDERLAND:
        markeer(g.vergelijking, (NEDERLAND, row["indicator"]), event)
    elif regio.endswith("-rest"):  # the rest of a gemeente: its focusgebieden compare to it
        markeer(g.vergelijking, (regio.removesuffix("-rest"), row["indicator"]), event)


def _nulmeting(d: dict[str, Any]) -> dict[str, Any]:
    return {"focusgebied": _tekst(d["focusgebied"]), "indicator": _tekst(d["indicator"]),
            "waarde": _waarde(d["waarde"]), "periode": _tekst(d["periode"])}


def _streefwaarde(d: dict[str, Any]) -> dict[str, Any]:
    return {"focusgebied": _tekst(d["focusgebied"]), "indicator": _tekst(d["indicator"]),
            "doelperiode": _tekst(d["doelperiode"]), "waarde": _waarde(d["waarde"])}


def _raakt_doel(g: Geraakt, row: dict[str, Any], event: CloudEvent) -> None:
    markeer(g.indicator_paren, (row["focusgebied"], row["indicator"]), event)


# --- financien ---------------------------------------------------------------------------------
def _begrotingsregel(d: dict[str, Any]) -> dict[str, Any]:
    aandelen: list[list[int | str]] = [[_int(a["actielijn"]), str(_waarde(a["percentage"]))]
                                       for a in d["actielijnen"]]
    if aandelen and sum(Decimal(str(p)) for _, p in aandelen) != 100:
        raise ValueError("actielijnaandelen tellen niet op tot 100%")
    return {"code": _tekst(d["code"]), "ministerie": _tekst(d["ministerie"]),
            "aandelen": aandelen}


def _toekenning(d: dict[str, Any]) -> dict[str, Any]:
    return {"id": _uuid(d["id"]), "begrotingsregel": _tekst(d["begrotingsregel"]),
            "ministerie": _tekst(d["ministerie"]), "focusgebied": _tekst(d["focusgebied"]),
            "jaar": _int(d["jaar"]), "bedrag": _waarde(d["bedrag"]),
            "interventie_id": _uuid(d.get("interventieId"))}


def _realisatie(d: dict[str, Any]) -> dict[str, Any]:
    return {"id": _uuid(d["id"]), "toekenning": _uuid(d["toekenning"]),
            "begrotingsregel": _tekst(d["begrotingsregel"]),
            "focusgebied": _tekst(d["focusgebied"]), "jaar": _int(d["jaar"]),
            "soort": _tekst(d["soort"]), "bedrag": _waarde(d["bedrag"]),
            "datum": _datum(d["datum"]), "referentie": d.get("referentie")}


def _raakt_geld(g: Geraakt, row: dict[str, Any], event: CloudEvent) -> None:
    markeer(g.geld, row["focusgebied"], event)


def _raakt_regel(g: Geraakt, row: dict[str, Any], event: CloudEvent) -> None:
    markeer(g.regels, row["code"], event)


def _handlers() -> dict[str, Handler]:
    gebied = Handler(focusgebied, _focusgebied, _raakt_gebied)
    weg_gebied = Handler(focusgebied, _focusgebied, _raakt_gebied, True, KEEP_FOCUSGEBIED)
    interv = Handler(interventie, _interventie, _raakt_interventie)
    weg_interv = Handler(interventie, _interventie, _raakt_interventie, True, KEEP_INTERVENTIE)
    ind = Handler(indicator, _indicator, _raakt_indicator)
    met = Handler(meting, _meting, _raakt_meting)
    ingetrokken = Handler(meting, lambda d: _meting(d, ingetrokken=True), _raakt_meting)
    nul = Handler(nulmeting, _nulmeting, _raakt_doel)
    streef = Handler(streefwaarde, _streefwaarde, _raakt_doel)
    regel = Handler(begrotingsregel, _begrotingsregel, _raakt_regel)
    toek = Handler(toekenning, _toekenning, _raakt_geld)
    real = Handler(realisatie, _realisatie, _raakt_geld)
    return {
        f"{GEBIEDEN}.focusgebied.aangemaakt.v1": gebied,
        f"{GEBIEDEN}.focusgebied.gewijzigd.v1": gebied,
        f"{GEBIEDEN}.focusgebied.verwijderd.v1": weg_gebied,
        f"{GEBIEDEN}.interventie.aangemaakt.v1": interv,
        f"{GEBIEDEN}.interventie.gewijzigd.v1": interv,
        f"{GEBIEDEN}.interventie.verwijderd.v1": weg_interv,
        f"{INDICATOREN}.indicator.aangemaakt.v1": ind,
        f"{INDICATOREN}.indicator.gewijzigd.v1": ind,
        f"{INDICATOREN}.indicator.nieuwe-versie.v1": ind,
        f"{INDICATOREN}.indicator.vervallen.v1": ind,
        f"{INDICATOREN}.meting.vastgelegd.v1": met,
        f"{INDICATOREN}.meting.gecorrigeerd.v1": met,
        f"{INDICATOREN}.meting.ingetrokken.v1": ingetrokken,
        f"{INDICATOREN}.nulmeting.vastgelegd.v1": nul,
        f"{INDICATOREN}.nulmeting.herzien.v1": nul,
        f"{INDICATOREN}.streefwaarde.vastgelegd.v1": streef,
        f"{INDICATOREN}.streefwaarde.herzien.v1": streef,
        f"{FINANCIEN}.begrotingsregel.aangemaakt.v1": regel,
        f"{FINANCIEN}.begrotingsregel.gewijzigd.v1": regel,
        f"{FINANCIEN}.toekenning.aangemaakt.v1": toek,
        f"{FINANCIEN}.toekenning.gewijzigd.v1": toek,
        f"{FINANCIEN}.realisatie.aangemaakt.v1": real,
    }


HANDLERS = _handlers()
# Events of these topics the views have no use for: skipped quietly (not counted as unknown).
NIET_GEBRUIKT = (f"{GEBIEDEN}.gemeente.", f"{GEBIEDEN}.alliantie.",
                 f"{GEBIEDEN}.prestatieafspraken.", f"{GEBIEDEN}.uitvoeringsprogramma.")
