"""The financien service on the running system: the chapter-7 table read back cell by cell
against a fixture transcribed by hand from the document, the money rules at their boundaries,
revisions, the approval flow, bad input, concurrent toekenningen and the events."""

from __future__ import annotations

import json
import threading
import uuid
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from tests.integration.helpers import query, scalar

ROOT = Path(__file__).resolve().parents[2]
SCHRIJVEN = "nplv:financien:schrijven"
GOEDKEUREN = "nplv:financien:goedkeuren"
BEHEER = "nplv:financien:beheer"
MLN = Decimal(1_000_000)

# Chapter 7, table "Uitgaven in miljoen", transcribed by hand from the document (pages 46-47 of
# the printed programme; lines 854-881 of the text version). Columns 2022, 2023, 2024, 2025,
# 2026, structureel; None is an empty cell, "0" the printed zero. In millions, as printed with
# a decimal point instead of the Dutch comma.
TABEL: list[tuple[str, str, str | None, list[str | None]]] = [
    # kop, instrument, label, cells
    ("VRO", "Woningbouwimpuls", "(10 x 100 mln)", [None, "100", "100", "100", "100", None]),
    ("VRO", "Volkshuisvestingsfonds", "(4 x 150 mln)", [None, "150", "150", "150", "150", None]),
    ("BZK", "Regiodeals", None, ["50", "250", "300", "300", None, None]),
    ("EZK/Klimaat", "Nationaal isolatieprogramma", None, [None, None, "180", "360", "562", None]),
    ("EZK/Klimaat", "Verduurzaming maatschappelijk vastgoed", None,
     [None, None, "100", "330", "464", None]),
    ("VWS", "Stimuleren van wooncombinaties", None, [None, "10", "20", "30", "40", "50"]),
    ("VWS", "Woon-zorgcombinaties", None, ["37.5", "75", "87.5", "100", None, None]),
    ("VWS", "Dak- en thuislozen", None, ["65", "65", "65", "65", "65", "65"]),
    ("VWS", "Preventieakkoord", None, ["60", "60", "60", "60", None, None]),
    ("VWS", "Stimuleren sport en bewegen", None, ["25", "25", "25", "25", "25", "25"]),
    ("VWS", "Kansrijke start", None, ["10", "23", "23", "23", "23", "23"]),
    ("OCW", "Versterken onderwijskwaliteit", None, ["500", "600", "1000", "1000", "1000", "1000"]),
    ("OCW", "Kansengelijkheid", None, ["200", "300", "900", "1000", "1000", "1000"]),
    ("OCW", "Investeren in goede leraren en schoolleiders", None,
     ["800", "800", "800", "800", "800", "800"]),
    ("SZW", "Envelop arbeidsmarkt, armoede en schulden", None, [None, "12", "4", "4", None, "0"]),
    ("SZW", "Verhoging leeftijd kostendelersnorm", None, [None, "64", "64", "65", "66", "74"]),
    ("JenV", "Preventie met gezag", None, ["59.7", "137.8", "149.3", "143", "143", "143"]),
]
# Column totals per year, added up by hand (millions).
KOLOMTOTALEN = {2022: "1807.2", 2023: "2671.8", 2024: "4027.8", 2025: "4555",
                2026: "4438", "structureel": "3180"}
# Per heading, 2022-2026 summed by hand (millions).
PER_KOP = {"VRO": "1000", "BZK": "900", "EZK/Klimaat": "1996", "VWS": "1192", "OCW": "11500",
           "SZW": "279", "JenV": "632.8"}
TOTAAL = "17499.8"  # 2022-2026, all lines
JAREN = (2022, 2023, 2024, 2025, 2026)


def euro(miljoen: str | None) -> str | None:
    return None if miljoen is None else f"{Decimal(miljoen) * MLN:.2f}"


def client(stack: Any) -> httpx.Client:
    return stack.client("financien")


def all_pages(stack: Any, path: str, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    page = 1
    with client(stack) as c:
        while True:
            r = c.get(path, params={**params, "page": page, "pageSize": 100})
            assert r.status_code == 200, r.text
            found += r.json()["resultaten"]
            if len(found) >= r.json()["totaal"]:
                return found
            page += 1


def regel(stack: Any, code: str) -> httpx.Response:
    with client(stack) as c:
        return c.get(f"/begrotingsregels/{code}")


def outbox_count(stack: Any) -> int:
    return int(scalar(stack.database_url("financien"), "SELECT count(*) FROM outbox"))


def footprint(stack: Any) -> tuple[int, ...]:
    url = stack.database_url("financien")
    return tuple(int(scalar(url, f"SELECT count(*) FROM {t}")) for t in (
        "outbox", "toekenning", "realisatie", "begrotingsregel_revisie", "audit_log"))


def toekennen(stack: Any, regelcode: str, jaar: int, bedrag: str, organisatie: str,
              focusgebied: str = "rotterdam-zuid") -> httpx.Response:
    with client(stack) as c:
        return c.post("/toekenningen", json={
            "begrotingsregel": regelcode, "focusgebied": focusgebied, "jaar": jaar,
            "bedrag": bedrag}, headers=stack.auth(organisatie, SCHRIJVEN))


def reviseer(stack: Any, code: str, organisatie: str, **body: Any) -> httpx.Response:
    with client(stack) as c:
        return c.post(f"/begrotingsregels/{code}/revisies",
                      json={"reden": "Testrevisie", "datum": "2024-09-17", **body},
                      headers=stack.auth(organisatie, SCHRIJVEN))


# --- the loaded table, cell by cell -----------------------------------------------------------

def test_loaded_table_matches_the_document_cell_by_cell(stack):
    regels = all_pages(stack, "/begrotingsregels")
    assert [(r["kop"], r["instrument"], r["label"]) for r in regels] == [
        (kop, instrument, label) for kop, instrument, label, _ in TABEL]
    for r, (_, instrument, _, cellen) in zip(regels, TABEL, strict=True):
        # the original (revision 0) and, as nobody revised amounts, the current amounts
        origineel = all_pages(stack, f"/begrotingsregels/{r['code']}/revisies")[0]
        assert origineel["nummer"] == 0
        for bron in (r, origineel):
            assert [b["jaar"] for b in bron["bedragen"]] == list(JAREN)
            gelezen = [b["bedrag"] for b in bron["bedragen"]] + [bron["structureel"]]
            assert gelezen == [euro(c) for c in cellen], instrument
    envelop = next(r for r in regels if r["instrument"].startswith("Envelop"))
    assert envelop["structureel"] == "0.00"
    assert envelop["bedragen"][4]["bedrag"] is None
    assert envelop["specifiekVoorFocusgebieden"] is True
    assert sum(r["specifiekVoorFocusgebieden"] for r in regels) == 1
    assert {r["kop"]: r["ministerie"] for r in regels}["VRO"] == "BZK"


def test_column_totals_and_totals_per_heading(stack):
    with client(stack) as c:
        totalen = c.get("/begroting/totalen").json()
    assert {t["jaar"]: t["bedrag"] for t in totalen["perJaar"]} == {
        j: euro(KOLOMTOTALEN[j]) for j in JAREN}
    assert totalen["structureel"] == euro(KOLOMTOTALEN["structureel"])
    assert {m["kop"]: m["totaal"] for m in totalen["perMinisterie"]} == {
        k: euro(v) for k, v in PER_KOP.items()}
    assert totalen["totaal"] == euro(TOTAAL)
    # the hand-made totals agree with the hand-made cells
    for index, jaar in enumerate((*JAREN, "structureel")):
        assert sum(Decimal(c[3][index] or 0) for c in TABEL) == Decimal(KOLOMTOTALEN[jaar])
    for kop, totaal in PER_KOP.items():
        assert sum(Decimal(x or 0) for c in TABEL if c[0] == kop for x in c[3][:5]) == Decimal(
            totaal)
    assert sum(Decimal(v) for v in PER_KOP.values()) == Decimal(TOTAAL)
    # every split adds up: per actielijn and per heading, to the cent
    for deel in ("perActielijn", "perMinisterie"):
        for jaar in JAREN:
            som = sum(Decimal(x["perJaar"][jaar - 2022]["bedrag"]) for x in totalen[deel])
            assert som == Decimal(euro(KOLOMTOTALEN[jaar]) or 0)


def test_programme_organisation_grants_are_loaded(stack):
    grants = all_pages(stack, "/toekenningen", begrotingsregel="volkshuisvestingsfonds")
    assert len(grants) == 60
    assert {(g["focusgebied"], g["jaar"]) for g in grants} == {
        (f, j) for f in {g["focusgebied"] for g in grants} for j in (2023, 2024, 2025)}
    assert len({g["focusgebied"] for g in grants}) == 20
    assert {g["bedrag"] for g in grants} == {"500000.00"}
    with client(stack) as c:
        overzicht = c.get("/focusgebieden/zaandam-oost/budgetoverzicht").json()
    assert overzicht["gemeente"] == "GM0479"
    per_jaar = {j["jaar"]: j for j in overzicht["perJaar"]}
    assert per_jaar[2023]["toegekend"] >= "500000.00"
    assert per_jaar[2022]["toegekend"] == "0.00"


# --- allocation at its boundary, concurrency --------------------------------------------------

def test_exactly_the_remainder_is_allowed_one_cent_more_is_refused(stack):
    # Kansengelijkheid 2022: 200 mln, nobody else allocates on it
    assert toekennen(stack, "kansengelijkheid", 2022, "199999999.50", "OCW").status_code == 201
    before = footprint(stack)
    r = toekennen(stack, "kansengelijkheid", 2022, "0.51", "OCW", "utrecht-overvecht")
    assert r.status_code == 409, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert "met 0.01 euro" in r.json()["detail"]
    assert footprint(stack) == before
    r = toekennen(stack, "kansengelijkheid", 2022, "0.50", "OCW", "utrecht-overvecht")
    assert r.status_code == 201, r.text
    r = toekennen(stack, "kansengelijkheid", 2022, "0.01", "OCW")
    assert r.status_code == 409
    assert "met 0.01 euro" in r.json()["detail"]


def test_an_empty_cell_has_no_money_to_allocate(stack):
    r = toekennen(stack, "envelop-arbeidsmarkt-armoede-en-schulden", 2022, "1.00", "SZW")
    assert r.status_code == 409
    assert "lege cel" in r.json()["detail"]


def test_two_parallel_toekenningen_cannot_together_exceed_the_line(stack):
    # Versterken onderwijskwaliteit 2022: 500 mln; each asks 300 mln
    results: list[int] = []
    barrier = threading.Barrier(2)

    def call(focusgebied: str) -> None:
        barrier.wait()
        results.append(toekennen(stack, "versterken-onderwijskwaliteit", 2022, "300000000",
                                 "OCW", focusgebied).status_code)

    threads = [threading.Thread(target=call, args=(f,))
               for f in ("delft-west", "breda-noord")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201, 409]
    total = scalar(stack.database_url("financien"),
                   "SELECT sum(bedrag) FROM toekenning WHERE begrotingsregel_code = $1 "
                   "AND jaar = 2022", "versterken-onderwijskwaliteit")
    assert total == Decimal("300000000.00")


def test_a_ministry_allocates_only_its_own_lines(stack):
    before = footprint(stack)
    assert toekennen(stack, "kansengelijkheid", 2023, "1.00", "VWS").status_code == 403
    assert footprint(stack) == before


# --- realisaties --------------------------------------------------------------------------------

def test_realisaties_up_to_the_toekenning_then_only_as_marked_overrun(stack):
    r = toekennen(stack, "preventieakkoord", 2023, "1000.00", "VWS", "groningen-noord")
    toekenning = r.json()["id"]

    def realiseer(bedrag: str, organisatie: str = "GM0014", **extra: Any) -> httpx.Response:
        with client(stack) as c:
            return c.post("/realisaties", json={
                "toekenning": toekenning, "soort": "betaling", "bedrag": bedrag,
                "datum": "2023-05-01", "referentie": "FAC-1", **extra},
                headers=stack.auth(organisatie, SCHRIJVEN))

    assert realiseer("999.99").status_code == 201
    assert realiseer("0.01", "VWS").status_code == 201  # exactly the toekenning
    before = footprint(stack)
    r = realiseer("0.01")
    assert r.status_code == 409
    assert "met 0.01 euro" in r.json()["detail"]
    assert realiseer("0.01", "GM0599").status_code == 403  # another gemeente
    assert footprint(stack) == before
    r = realiseer("0.01", overschrijding=True)
    assert r.status_code == 400  # an overrun needs a reason
    r = realiseer("0.01", overschrijding=True, reden="Meerwerk na aanbesteding")
    assert r.status_code == 201, r.text
    with client(stack) as c:
        overzicht = c.get("/focusgebieden/groningen-noord/budgetoverzicht").json()
    jaar = next(j for j in overzicht["perJaar"] if j["jaar"] == 2023)
    assert Decimal(jaar["betaald"]) == Decimal("1000.01")
    lijn3 = next(a for a in jaar["perActielijn"] if a["actielijn"] == 3)
    assert lijn3["betaald"] == "1000.01"  # Preventieakkoord: actielijn 3 for 100 %
    assert sum(Decimal(a["resterend"]) for a in jaar["perActielijn"]) == Decimal(
        jaar["resterend"])


# --- revisions and the aanvullende post ---------------------------------------------------------

def test_a_revision_keeps_the_original_and_cannot_go_below_what_is_allocated(stack):
    code = "stimuleren-van-wooncombinaties"  # VWS; 2023 is 10 mln in the document
    r = reviseer(stack, code, "VWS", bedragen=[{"jaar": 2023, "bedrag": "12000000"}])
    assert r.status_code == 201, r.text
    assert r.json()["nummer"] == 1
    assert r.json()["bedragen"][1]["bedrag"] == "12000000.00"
    assert regel(stack, code).json()["bedragen"][1]["bedrag"] == "12000000.00"
    toekenning = toekennen(stack, code, 2023, "11000000", "VWS").json()
    before = footprint(stack)
    r = reviseer(stack, code, "VWS", bedragen=[{"jaar": 2023, "bedrag": "10999999.99"}])
    assert r.status_code == 409
    assert "0.01 euro te laag" in r.json()["detail"]
    assert reviseer(stack, code, "OCW", structureel="1").status_code == 403
    assert footprint(stack) == before
    # back to the document's amount: the toekenning down to 0 first
    with client(stack) as c:
        r = c.put(f"/toekenningen/{toekenning['id']}", json={
            "begrotingsregel": code, "focusgebied": "rotterdam-zuid", "jaar": 2023,
            "bedrag": "0"}, headers={**stack.auth("VWS", SCHRIJVEN), "If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert reviseer(stack, code, "VWS",
                    bedragen=[{"jaar": 2023, "bedrag": "10000000"}]).status_code == 201
    history = all_pages(stack, f"/begrotingsregels/{code}/revisies")
    assert [h["nummer"] for h in history] == [0, 1, 2]
    assert [h["bedragen"][1]["bedrag"] for h in history] == [
        "10000000.00", "12000000.00", "10000000.00"]
    assert history[0]["bedragen"][0]["bedrag"] is None  # the empty cell stays empty


def test_approval_flow_on_the_aanvullende_post(stack):
    code = "kansrijke-start"  # VWS
    assert reviseer(stack, code, "VWS", aanvullendePost=True).status_code == 201
    line = regel(stack, code)
    assert line.json()["goedkeuring"] == {"status": "aangevraagd", "datum": None,
                                          "referentie": None}
    toekenning = toekennen(stack, code, 2024, "100", "VWS").json()["id"]
    with client(stack) as c:
        betaling = {"toekenning": toekenning, "soort": "verplichting", "bedrag": "10",
                    "datum": "2024-02-01", "referentie": "V-1"}
        r = c.post("/realisaties", json=betaling, headers=stack.auth("VWS", SCHRIJVEN))
        assert r.status_code == 409
        assert "aanvullende post" in r.json()["detail"]
        besluit = {"status": "goedgekeurd", "datum": "2024-01-15", "referentie": "FIN-2024-7"}
        etag = regel(stack, code).headers["etag"]
        for organisatie in ("VWS", "BZK"):  # only Financiën
            r = c.put(f"/begrotingsregels/{code}/goedkeuring", json=besluit,
                      headers={**stack.auth(organisatie, GOEDKEUREN), "If-Match": etag})
            assert r.status_code == 403
        r = c.put(f"/begrotingsregels/{code}/goedkeuring", json={"status": "goedgekeurd"},
                  headers={**stack.auth("FIN", GOEDKEUREN), "If-Match": etag})
        assert r.status_code == 400  # a decision needs date and reference
        r = c.put(f"/begrotingsregels/{code}/goedkeuring", json=besluit,
                  headers={**stack.auth("FIN", GOEDKEUREN), "If-Match": etag})
        assert r.status_code == 200, r.text
        assert r.json()["goedkeuring"] == {"status": "goedgekeurd", "datum": "2024-01-15",
                                           "referentie": "FIN-2024-7"}
        r = c.post("/realisaties", json=betaling, headers=stack.auth("VWS", SCHRIJVEN))
        assert r.status_code == 201, r.text
        r = c.put("/begrotingsregels/regiodeals/goedkeuring", json=besluit,
                  headers={**stack.auth("FIN", GOEDKEUREN),
                           "If-Match": regel(stack, "regiodeals").headers["etag"]})
        assert r.status_code == 409  # not on the aanvullende post


# --- bad input: 400 problem+json, nothing written ---------------------------------------------

BAD: dict[str, tuple[str, str, dict[str, Any], str]] = {
    "negatief bedrag": ("POST", "/toekenningen", {
        "begrotingsregel": "regiodeals", "focusgebied": "rotterdam-zuid", "jaar": 2023,
        "bedrag": "-1.00"}, "body.bedrag"),
    "onbekend jaar": ("POST", "/toekenningen", {
        "begrotingsregel": "regiodeals", "focusgebied": "rotterdam-zuid", "jaar": 2027,
        "bedrag": "1.00"}, "body.jaar"),
    "drie decimalen": ("POST", "/toekenningen", {
        "begrotingsregel": "regiodeals", "focusgebied": "rotterdam-zuid", "jaar": 2023,
        "bedrag": "1.001"}, "body.bedrag"),
    "drie decimalen als getal": ("POST", "/toekenningen", {
        "begrotingsregel": "regiodeals", "focusgebied": "rotterdam-zuid", "jaar": 2023,
        "bedrag": 1.005}, "body.bedrag"),
    "onbekende regel": ("POST", "/toekenningen", {
        "begrotingsregel": "bestaat-niet", "focusgebied": "rotterdam-zuid", "jaar": 2023,
        "bedrag": "1.00"}, "body.begrotingsregel"),
    "onbekend focusgebied": ("POST", "/toekenningen", {
        "begrotingsregel": "regiodeals", "focusgebied": "nergens", "jaar": 2023,
        "bedrag": "1.00"}, "body.focusgebied"),
    "revisie met onbekend jaar": ("POST", "/begrotingsregels/regiodeals/revisies", {
        "bedragen": [{"jaar": 2021, "bedrag": "1"}], "reden": "Test", "datum": "2024-01-01"},
        "body.bedragen.0.jaar"),
    "aandelen niet 100%": ("PUT", "/begrotingsregels/regiodeals/actielijnverdeling", {
        "aandelen": [{"actielijn": 1, "percentage": "50"}, {"actielijn": 2,
                                                            "percentage": "49.99"}]}, "body"),
}
SCOPE_OF = {"/toekenningen": ("BZK", SCHRIJVEN), "revisies": ("BZK", SCHRIJVEN),
            "actielijnverdeling": ("BZK", BEHEER)}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_400_problem_and_writes_nothing(stack, case):
    method, path, body, name = BAD[case]
    organisatie, scope = next(v for k, v in SCOPE_OF.items() if k in path)
    headers = stack.auth(organisatie, scope)
    if method == "PUT":
        headers["If-Match"] = regel(stack, "regiodeals").headers["etag"]
    before = footprint(stack)
    with client(stack) as c:
        r = c.request(method, path, json=body, headers=headers)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/problem+json"
    names = [p["name"] for p in r.json()["invalidParams"]]
    assert any(n == name or n.startswith(name + ".") or n.startswith(name) for n in names), names
    assert footprint(stack) == before


def test_a_400_lists_every_error_at_once(stack):
    with client(stack) as c:
        r = c.post("/toekenningen", json={"begrotingsregel": "regiodeals", "jaar": 2030,
                                          "bedrag": "1.234", "focusgebied": "rotterdam-zuid"},
                   headers=stack.auth("BZK", SCHRIJVEN))
    assert r.status_code == 400
    assert {p["name"] for p in r.json()["invalidParams"]} >= {"body.jaar", "body.bedrag"}


def test_shares_change_by_the_programmabureau_only(stack):
    etag = regel(stack, "regiodeals").headers["etag"]
    body = {"aandelen": [{"actielijn": 2, "percentage": "33.33"},
                         {"actielijn": 1, "percentage": "66.67"}]}
    with client(stack) as c:
        r = c.put("/begrotingsregels/regiodeals/actielijnverdeling", json=body,
                  headers={**stack.auth("OCW", BEHEER), "If-Match": etag})
        assert r.status_code == 403
        r = c.put("/begrotingsregels/regiodeals/actielijnverdeling", json=body,
                  headers={**stack.auth("BZK", BEHEER), "If-Match": etag})
        assert r.status_code == 200, r.text
        assert r.json()["actielijnen"] == [{"actielijn": 1, "percentage": "66.67"},
                                           {"actielijn": 2, "percentage": "33.33"}]
        totalen = c.get("/begroting/totalen").json()
    # 2022: 50 mln split 66.67 / 33.33
    lijnen = {a["actielijn"]: a["perJaar"][0]["bedrag"] for a in totalen["perActielijn"]}
    assert Decimal(lijnen[1]) + Decimal(lijnen[2]) + Decimal(lijnen[3]) + Decimal(
        lijnen[4]) == Decimal(euro(KOLOMTOTALEN[2022]) or 0)


# --- events -------------------------------------------------------------------------------------

@cache
def validator(event_type: str) -> Draft202012Validator:
    schema = json.loads((ROOT / "contracts" / "events" / f"{event_type}.schema.json")
                        .read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_every_change_has_an_event_that_fits_its_contract(stack):
    rows = query(stack.database_url("financien"),
                 "SELECT key, type, payload::text AS payload FROM outbox ORDER BY id")
    types = {r["type"] for r in rows}
    assert types >= {"nl.nplv.financien.begrotingsregel.aangemaakt.v1",
                     "nl.nplv.financien.begrotingsregel.gewijzigd.v1",
                     "nl.nplv.financien.toekenning.aangemaakt.v1",
                     "nl.nplv.financien.toekenning.gewijzigd.v1",
                     "nl.nplv.financien.realisatie.aangemaakt.v1"}
    for row in rows:
        payload = json.loads(row["payload"])
        errors = list(validator(row["type"]).iter_errors(payload))
        assert not errors, (row["type"], errors[:3])
        assert payload["partitionkey"] == row["key"]
        if ".begrotingsregel." in row["type"]:
            assert row["key"] == "programma"
        else:
            assert row["key"] == payload["data"]["focusgebied"]
        assert "e+" not in row["payload"].lower()
        for value in _money(payload["data"]):
            assert isinstance(value, str)  # never a JSON number
    # 17 lines and 60 grants from the loader, each exactly once
    assert sum(r["type"].endswith("begrotingsregel.aangemaakt.v1") for r in rows) == 17
    grants = [r for r in rows if r["type"].endswith("toekenning.aangemaakt.v1")
              and "programmaorganisatie" in r["payload"]]
    assert len(grants) == 60


def _money(data: Any) -> list[Any]:
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("bedrag", "structureel", "percentage") and value is not None:
                found.append(value)
            else:
                found += _money(value)
    elif isinstance(data, list):
        for item in data:
            found += _money(item)
    return found


def test_unknown_ids_are_404(stack):
    with client(stack) as c:
        assert c.get(f"/toekenningen/{uuid.uuid4()}").status_code == 404
        assert c.get(f"/realisaties/{uuid.uuid4()}").status_code == 404
        assert c.get("/begrotingsregels/bestaat-niet").status_code == 404
        assert c.get("/focusgebieden/nergens/budgetoverzicht").status_code == 404
        assert c.get("/begrotingsregels/regiodeals/revisies/99").status_code == 404
