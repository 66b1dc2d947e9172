"""The authorisation matrix rows of financien: operationId → who may, who may not.

A ministry writes its own lines, toekenningen and realisaties; a gemeente records realisaties on
toekenningen to its own focusgebieden; only Financiën (FIN) sets the approval of money on the
aanvullende post; only the programmabureau (BZK) the actielijn shares. Each target changes
something real (so the owner's call publishes an event) without changing any amount that the
cell-by-cell test of the chapter-7 table reads (revisions repeat the printed amount)."""

from __future__ import annotations

import random
import uuid
from typing import Any

from tests.integration.authorisation import Case, Target

SCHRIJVEN = "nplv:financien:schrijven"
GOEDKEUREN = "nplv:financien:goedkeuren"
BEHEER = "nplv:financien:beheer"
OCW_REGEL = "investeren-in-goede-leraren-en-schoolleiders"  # OCW, 800 mln a year


def _etag(stack: Any, path: str) -> str:
    with stack.client("financien") as c:
        r = c.get(path)
    assert r.status_code == 200, r.text
    return str(r.headers["etag"])


def _toekenning(stack: Any) -> str:
    with stack.client("financien") as c:
        r = c.post("/toekenningen", json={"begrotingsregel": OCW_REGEL, "jaar": 2024,
                                          "focusgebied": "rotterdam-zuid", "bedrag": "1.00"},
                   headers=stack.auth("OCW", SCHRIJVEN))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _create_revisie(stack: Any) -> Target:
    path = "/begrotingsregels/dak-en-thuislozen"
    return Target("POST", f"{path}/revisies", {
        "bedragen": [{"jaar": 2022, "bedrag": "65000000.00"}],
        "reden": f"Bevestiging bedrag 2022 ({uuid.uuid4().hex[:8]})", "datum": "2024-09-17"},
        probe=path)


def _replace_goedkeuring(stack: Any) -> Target:
    path = "/begrotingsregels/preventie-met-gezag"
    with stack.client("financien") as c:
        r = c.post(f"{path}/revisies", json={"aanvullendePost": True, "datum": "2024-09-17",
                                             "reden": "Op de aanvullende post"},
                   headers=stack.auth("JenV", SCHRIJVEN))
    assert r.status_code == 201, r.text
    besluit = {"status": random.choice(["goedgekeurd", "afgewezen"]), "datum": "2024-10-01",
               "referentie": f"FIN-{uuid.uuid4().hex[:8]}"}
    return Target("PUT", f"{path}/goedkeuring", besluit,
                  headers={"If-Match": _etag(stack, path)}, probe=path)


def _replace_actielijnverdeling(stack: Any) -> Target:
    path = "/begrotingsregels/regiodeals"
    deel = random.randint(1, 9999)
    aandelen = [{"actielijn": 1, "percentage": f"{deel / 100:.2f}"},
                {"actielijn": 2, "percentage": f"{(10000 - deel) / 100:.2f}"}]
    return Target("PUT", f"{path}/actielijnverdeling", {"aandelen": aandelen},
                  headers={"If-Match": _etag(stack, path)}, probe=path)


def _create_toekenning(stack: Any) -> Target:
    return Target("POST", "/toekenningen", {
        "begrotingsregel": OCW_REGEL, "jaar": 2024, "focusgebied": "rotterdam-zuid",
        "bedrag": "1.00"}, probe=f"/toekenningen?begrotingsregel={OCW_REGEL}&jaar=2024")


def _replace_toekenning(stack: Any) -> Target:
    toekenning = _toekenning(stack)
    return Target("PUT", f"/toekenningen/{toekenning}", {
        "begrotingsregel": OCW_REGEL, "jaar": 2024, "focusgebied": "rotterdam-zuid",
        "bedrag": "2.00"}, headers={"If-Match": '"1"'}, probe=f"/toekenningen/{toekenning}")


def _create_realisatie(stack: Any) -> Target:
    toekenning = _toekenning(stack)
    return Target("POST", "/realisaties", {
        "toekenning": toekenning, "soort": "betaling", "bedrag": "1.00",
        "datum": "2024-03-01", "referentie": "FAC-2024-1"},
        probe=f"/realisaties?toekenning={toekenning}")


MATRIX: dict[tuple[str, str], Case] = {
    ("financien", "createRevisie"): Case(("VWS", SCHRIJVEN), ("OCW", SCHRIJVEN),
                                         ("VWS", BEHEER), _create_revisie),
    ("financien", "replaceGoedkeuring"): Case(("FIN", GOEDKEUREN), ("BZK", GOEDKEUREN),
                                              ("FIN", SCHRIJVEN), _replace_goedkeuring),
    ("financien", "replaceActielijnverdeling"): Case(("BZK", BEHEER), ("OCW", BEHEER),
                                                     ("BZK", SCHRIJVEN),
                                                     _replace_actielijnverdeling),
    ("financien", "createToekenning"): Case(("OCW", SCHRIJVEN), ("VWS", SCHRIJVEN),
                                            ("OCW", BEHEER), _create_toekenning),
    ("financien", "replaceToekenning"): Case(("OCW", SCHRIJVEN), ("SZW", SCHRIJVEN),
                                             ("OCW", GOEDKEUREN), _replace_toekenning),
    ("financien", "createRealisatie"): Case(("GM0599", SCHRIJVEN), ("GM0363", SCHRIJVEN),
                                            ("GM0599", BEHEER), _create_realisatie),
}
