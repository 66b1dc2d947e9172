"""The difference list between a published report and the concept (or another version): which
facts changed, from which event, old and new value; and which figures of the report moved."""

from typing import Any

from rapportage.voortgangsrapportage.opbouw import Feiten
from rapportage.voortgangsrapportage.schemas import (
    Cijferwijziging,
    Feitwijziging,
    Gebeurtenis,
    Veldwijziging,
)

# The key of an item in a list of the report, so a path names the item, not its position.
# First match wins: an indicator also names its actielijn, a meting its status.
SLEUTELS = ("focusgebied", "indicator", "id", "regio", "periode", "jaar", "eenheid", "actielijn",
            "status")
WIJZIGING = {"toegevoegd": "nieuw", "gewijzigd": "gewijzigd", "verwijderd": "niet meer aanwezig"}


def feiten(oud: Feiten, nieuw: Feiten) -> list[Feitwijziging]:
    uitkomst = []
    for sleutel in sorted(oud.keys() | nieuw.keys()):
        a, b = oud.get(sleutel), nieuw.get(sleutel)
        if a == b or (a is not None and b is not None and a["velden"] == b["velden"]):
            continue  # the same, or set again to the same values
        if a is None:
            assert b is not None
            wijziging, velden, bron = "toegevoegd", [
                Veldwijziging(veld=k, oud=None, nieuw=v) for k, v in b["velden"].items()], b
        elif b is None:
            wijziging, velden, bron = "verwijderd", [
                Veldwijziging(veld=k, oud=v, nieuw=None) for k, v in a["velden"].items()], a
        else:
            wijziging, bron = "gewijzigd", b
            velden = [Veldwijziging(veld=k, oud=a["velden"].get(k), nieuw=b["velden"].get(k))
                      for k in sorted(a["velden"].keys() | b["velden"].keys())
                      if a["velden"].get(k) != b["velden"].get(k)]
        event = Gebeurtenis.model_validate(bron["event"])
        uitkomst.append(Feitwijziging(
            feit=sleutel, soort=bron["soort"], wijziging=wijziging, velden=velden, event=event,
            omschrijving=_omschrijving(sleutel, wijziging, velden, event)))
    return uitkomst


def _omschrijving(sleutel: str, wijziging: str, velden: list[Veldwijziging],
                  event: Gebeurtenis) -> str:
    if wijziging == "gewijzigd":
        wat = "; ".join(f"{v.veld} {v.oud or '(leeg)'} → {v.nieuw or '(leeg)'}" for v in velden)
    else:
        wat = WIJZIGING[wijziging]
    return (f"{sleutel[0].upper()}{sleutel[1:]}: {wat} (event {event.type} {event.id} van "
            f"{event.tijd.isoformat()})")


def cijfers(oud: dict[str, Any], nieuw: dict[str, Any]) -> list[Cijferwijziging]:
    a, b = dict(_plat(oud, "")), dict(_plat(nieuw, ""))
    return [Cijferwijziging(pad=pad, oud=a.get(pad), nieuw=b.get(pad))
            for pad in sorted(a.keys() | b.keys()) if a.get(pad) != b.get(pad)]


def _plat(waarde: Any, pad: str) -> Any:
    """Every leaf of the report as (path, text); list items are named by their key."""
    if isinstance(waarde, dict):
        for k, v in waarde.items():
            yield from _plat(v, f"{pad}/{k}" if pad else k)
    elif isinstance(waarde, list):
        for n, item in enumerate(waarde):
            naam = next((str(item[k]) for k in SLEUTELS if isinstance(item, dict) and k in item),
                        str(n))
            yield from _plat(item, f"{pad}/{naam}")
    else:
        yield pad, None if waarde is None else str(waarde).lower() if isinstance(
            waarde, bool) else str(waarde)
