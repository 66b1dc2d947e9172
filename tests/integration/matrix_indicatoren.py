"""The authorisation matrix rows of indicatoren: operationId → who may, who may not.

The catalogue's kernindicatoren belong to the programmabureau (BZK with the beheer scope); a
gemeente writes metingen of its own regions and the nulmetingen and streefwaarden of its own
focusgebieden (scope nplv:indicatoren:schrijven)."""

from __future__ import annotations

import secrets
from typing import Any

from tests.integration.authorisation import Case, Target

BEHEER = "nplv:indicatoren:beheer"
SCHRIJVEN = "nplv:indicatoren:schrijven"
ANDERS = "nplv:gebieden:schrijven"  # a real scope, but not this service's


def indicator_body(**overrides: Any) -> dict[str, Any]:
    return {"naam": "Matrixindicator", "actielijn": 3, "bron": "Gemeente",
            "eenheid": "percentage", "richting": "lager-is-beter", "soort": "stand",
            "combinatie": "gewogen-inwoners", "periodetype": "jaar", **overrides}


def local_indicator(stack: Any, focusgebied: str = "rotterdam-zuid") -> str:
    """A fresh local indicator of the focusgebied (made by the programmabureau)."""
    code = f"matrix-{secrets.token_hex(5)}"
    with stack.client("indicatoren") as c:
        r = c.put(f"/indicatoren/{code}", json=indicator_body(focusgebied=focusgebied),
                  headers=stack.auth("BZK", BEHEER))
    assert r.status_code == 201, r.text
    return code


def _put_indicator(stack: Any) -> Target:
    code = f"matrix-{secrets.token_hex(5)}"
    return Target("PUT", f"/indicatoren/{code}", indicator_body(),
                  probe=f"/indicatoren/{code}")


def _put_meting(stack: Any) -> Target:
    buurt = f"BU0599{secrets.token_hex(2).upper()}"
    path = f"/metingen/relatieve-welvaart/{buurt}/2023"
    return Target("PUT", path, {"waarde": "37.5", "bron": "CBS 85984NED"}, probe=path)


def _delete_meting(stack: Any) -> Target:
    """A fresh meting (written by the gemeente), withdrawn with its ETag and a reden."""
    buurt = f"BU0599{secrets.token_hex(2).upper()}"
    path = f"/metingen/relatieve-welvaart/{buurt}/2023"
    with stack.client("indicatoren") as c:
        r = c.put(path, json={"waarde": "37.5"}, headers=stack.auth("GM0599", SCHRIJVEN))
    assert r.status_code == 201, r.text
    return Target("DELETE", f"{path}?reden=Dubbel%20vastgelegd",
                  headers={"If-Match": r.headers["etag"]}, probe=path)


def _import_metingen(stack: Any) -> Target:
    buurt = f"BU0599{secrets.token_hex(2).upper()}"
    rows = [{"indicator": "relatieve-welvaart", "regio": buurt, "periode": "2023",
             "waarde": "37.5"}]
    return Target("POST", "/metingen/imports", rows,  # a list: the import takes an array
                  probe=f"/metingen/relatieve-welvaart/{buurt}/2023")


def _put_nulmeting(stack: Any) -> Target:
    path = f"/focusgebieden/rotterdam-zuid/indicatoren/{local_indicator(stack)}/nulmeting"
    return Target("PUT", path, {"waarde": "20", "periode": "2022"}, probe=path)


def _put_streefwaarde(stack: Any) -> Target:
    path = (f"/focusgebieden/rotterdam-zuid/indicatoren/{local_indicator(stack)}"
            "/streefwaarden/2030")
    return Target("PUT", path, {"waarde": "15", "besluit": "Prestatieafspraken 2022"},
                  probe=path)


MATRIX: dict[tuple[str, str], Case] = {
    ("indicatoren", "putIndicator"): Case(("BZK", BEHEER), ("OCW", BEHEER),
                                          ("BZK", SCHRIJVEN), _put_indicator),
    ("indicatoren", "putMeting"): Case(("GM0599", SCHRIJVEN), ("GM0363", SCHRIJVEN),
                                       ("GM0599", ANDERS), _put_meting),
    ("indicatoren", "deleteMeting"): Case(("GM0599", SCHRIJVEN), ("GM0363", SCHRIJVEN),
                                          ("GM0599", ANDERS), _delete_meting),
    ("indicatoren", "importMetingen"): Case(("GM0599", SCHRIJVEN), ("GM0363", SCHRIJVEN),
                                            ("GM0599", ANDERS), _import_metingen),
    ("indicatoren", "putNulmeting"): Case(("GM0599", SCHRIJVEN), ("GM0363", SCHRIJVEN),
                                          ("GM0599", ANDERS), _put_nulmeting),
    ("indicatoren", "putStreefwaarde"): Case(("GM0599", SCHRIJVEN), ("GM0363", SCHRIJVEN),
                                             ("GM0599", ANDERS), _put_streefwaarde),
}
