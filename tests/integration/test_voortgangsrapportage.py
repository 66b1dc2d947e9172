"""The half-yearly voortgangsrapportage end to end, on the suite's stack with the DEMO data set
(`make demo`): the concept through the API, the printable page in a real headless Chromium
(no console errors, the expected headings in order, one SVG chart per indicator shown, a PDF
with pages, no serious axe-core violations), publication with If-Match, a later correction that
leaves the published version and its hash unchanged and shows in the difference list, CSV as
analysts get it, and bad requests as problem+json.

Runs after test_demo.py (file order); on its own it loads the demo itself (idempotent)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from decimal import Decimal
from typing import Any

import demo
from tests.browser.chromium import open_page, print_pdf
from tests.integration.helpers import wait_until

PERIODE = "2025S2"  # the demo's metingen run to 2026S1; its interventies began before
GEBIED = "rotterdam-zuid"
BEHEER = ("BZK", "nplv:rapportage:beheer")


def urls(stack: Any) -> demo.Urls:
    return demo.Urls(**{s: stack.url(s) for s in demo.SERVICES})


def concept(stack: Any, **params: str) -> Any:
    with stack.client("rapportage") as c:
        return c.get(f"/voortgangsrapportages/{PERIODE}", params=params)


def _verwacht_aantal_interventies(stack: Any) -> int:
    """The area's interventies in the report of PERIODE (from gebieden, the source): all were
    recorded after it, so those that had begun by its end (the rule for `nagemeld`)."""
    aantal, pagina = 0, 1
    with stack.client("gebieden") as c:
        while True:
            body = c.get("/interventies", params={"focusgebied": GEBIED, "page": pagina,
                                                  "pageSize": 100}).json()
            aantal += sum(1 for i in body["resultaten"]
                          if i["startdatum"] and i["startdatum"] <= "2025-12-31")
            if pagina * 100 >= body["totaal"]:
                return aantal
            pagina += 1


def demo_loaded_and_consumed(stack: Any) -> dict[str, Any]:
    """The demo is in the report: what gebieden holds of the area is all there, every
    indicator has its series, and the report stays the same for a moment. (Not `achterstand`
    zero: other tests' topics and partitions are no concern of this one.)"""
    demo.run_demo(urls(stack), stack.private_key, lambda _: None)
    verwacht = _verwacht_aantal_interventies(stack)
    last: dict[str, Any] = {}

    def stable() -> dict[str, Any] | None:
        first = concept(stack, focusgebied=GEBIED)
        if first.status_code != 200:
            last["status"] = first.status_code
            return None
        rapport = first.json()["rapport"]
        (gebied,) = rapport["focusgebieden"]
        kern = kernindicatoren(rapport, gebied)
        aantal = sum(a["interventies"]["aantal"] for a in gebied["actielijnen"])
        last.update(kernindicatoren=len(kern), interventies=(aantal, verwacht),
                    zonder_meting=[i["indicator"] for i in kern if i["laatsteMeting"] is None],
                    achterstand=first.json()["achterstand"])
        if (len(kern) < 15 or any(i["laatsteMeting"] is None for i in kern)
                or aantal != verwacht):
            return None
        time.sleep(1.5)
        second = concept(stack, focusgebied=GEBIED)
        return first.json() if second.headers["etag"] == first.headers["etag"] else None

    try:
        return wait_until(stable, timeout=120, interval=0.5, message="demo in het rapport")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; laatst gezien: {last}") from exc


def kernindicatoren(rapport: dict[str, Any], gebied: dict[str, Any]) -> list[dict[str, Any]]:
    """The area's rows of the 15 kernindicatoren (the programme part names them), which the
    demo fills; other tests may add indicators of their own to the catalogue."""
    kern = {n["indicator"] for n in rapport["programma"]["nederland"]}
    return [i for a in gebied["actielijnen"] for i in a["indicatoren"] if i["indicator"] in kern]


def indicatoren(rapport: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for g in rapport["focusgebieden"] for a in g["actielijnen"]
            for i in a["indicatoren"]]


async def test_the_demo_report_in_a_real_browser(stack, page):
    body = demo_loaded_and_consumed(stack)
    rapport = body["rapport"]
    (gebied,) = rapport["focusgebieden"]
    assert (rapport["periode"], rapport["begin"], rapport["eind"]) == (
        PERIODE, "2025-07-01", "2025-12-31")
    shown = indicatoren(rapport)
    assert len(kernindicatoren(rapport, gebied)) == 15
    # as of the end of the period: no meting of a period that ends later
    assert all(p["periode"] not in ("2026", "2026S1") for i in shown for p in i["reeks"])
    assert sum(a["interventies"]["aantal"] for a in gebied["actielijnen"]) > 0
    assert sum(Decimal(a["geld"]["toegekend"]) for a in gebied["actielijnen"]) > 0

    url = f"{stack.url('rapportage')}/v1/voortgangsrapportages/{PERIODE}/afdrukversie"
    report = await open_page(page, f"{url}?focusgebied={GEBIED}")
    assert report.status == 200
    assert not report.console_errors, report.describe()
    assert not report.page_errors, report.describe()
    assert not report.failed_requests, report.describe()
    levels = [h.level for h in report.headings]
    texts = [h.text for h in report.headings]
    assert levels[0] == 1
    assert texts[0].startswith("Voortgangsrapportage Nationaal Programma Leefbaarheid")
    assert not report.skipped_heading_levels(), report.describe()
    assert "Het programma als geheel" in texts
    assert f"{gebied['naam']} ({gebied['gemeente']})" in texts
    assert [t for t in texts if t.startswith("Actielijn ")] == [
        f"Actielijn {a['actielijn']}: {a['naam']}" for a in rapport["programma"]["actielijnen"]
    ] + [f"Actielijn {a['actielijn']}: {a['naam']}" for a in gebied["actielijnen"]]
    assert report.visible_svgs == len(shown)  # one chart per indicator shown
    assert not report.serious_violations, report.describe()
    pdf = await print_pdf(page)
    assert pdf.data.startswith(b"%PDF")
    assert pdf.pages > 0


async def test_publish_then_correct_then_differences(stack, page):
    demo_loaded_and_consumed(stack)
    with stack.client("rapportage") as c:
        # not without the programmabureau's token; not with a concept that changed since
        assert c.post(f"/voortgangsrapportages/{PERIODE}/publicaties").status_code == 401
        r = c.post(f"/voortgangsrapportages/{PERIODE}/publicaties", headers={
            **stack.auth(*BEHEER), "If-Match": '"' + "0" * 64 + '"'})
        assert r.status_code == 412, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        full = c.get(f"/voortgangsrapportages/{PERIODE}")
        r = c.post(f"/voortgangsrapportages/{PERIODE}/publicaties",
                   json={"toelichting": "DEMO – eerste versie.\n\nLessen: fictief."},
                   headers={**stack.auth(*BEHEER), "If-Match": full.headers["etag"]})
        if r.status_code == 409:  # published by an earlier run of this test on this stack
            r = c.get(f"/voortgangsrapportages/{PERIODE}/publicaties")
            versie = r.json()[0]["versie"]
        else:
            assert r.status_code == 201, r.text
            versie = r.json()["versie"]
            assert r.headers["location"] == (
                f"/v1/voortgangsrapportages/{PERIODE}/publicaties/{versie}")
            assert r.json()["inhoudHash"] == full.json()["inhoudHash"]
        gepubliceerd = c.get(f"/voortgangsrapportages/{PERIODE}/publicaties/{versie}")
    assert gepubliceerd.status_code == 200
    doc = gepubliceerd.json()
    canon = json.dumps(doc["rapport"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(canon.encode()).hexdigest() == doc["inhoudHash"]
    assert gepubliceerd.headers["etag"] == f'"{doc["inhoudHash"]}"'

    # a correction of a value inside the period, after publication
    (area,) = [g for g in doc["rapport"]["focusgebieden"] if g["focusgebied"] == GEBIED]
    ind = next(i for i in kernindicatoren(doc["rapport"], area)
               if any(p["periode"] == "2025S1" for p in i["reeks"]))
    oud = next(p["waarde"] for p in ind["reeks"] if p["periode"] == "2025S1")
    with stack.client("indicatoren") as c:
        indicator = c.get(f"/indicatoren/{ind['indicator']}").json()
        organisatie, scope = demo.schrijver(indicator, "focus", area["gemeente"])
        path = f"/metingen/{ind['indicator']}/{GEBIED}/2025S1"
        huidig = c.get(path)
        nieuw = Decimal(huidig.json()["waarde"]) + 1
        r = c.put(path, headers={**stack.auth(organisatie, scope),
                                 "If-Match": huidig.headers["etag"]},
                  json={"waarde": str(nieuw), "status": "definitief",
                        "bron": huidig.json()["bron"], "reden": "DEMO – correctie na publicatie"})
        assert r.status_code == 200, r.text
    feit = f"meting {ind['indicator']} {GEBIED} 2025S1"

    def verschil() -> dict[str, Any] | None:
        with stack.client("rapportage") as c:
            v = c.get(f"/voortgangsrapportages/{PERIODE}/publicaties/{versie}/verschillen")
        found = [f for f in v.json()["feiten"] if f["feit"] == feit]
        return found[0] if found and found[0]["velden"][0]["nieuw"] == str(nieuw) else None

    wijziging = wait_until(verschil, timeout=60, message="correctie in de verschillen")
    assert wijziging["wijziging"] == "gewijzigd"
    assert wijziging["velden"][0]["veld"] == "waarde"
    assert Decimal(wijziging["velden"][0]["oud"]) == Decimal(oud)
    assert wijziging["event"]["type"].endswith("meting.gecorrigeerd.v1")
    with stack.client("rapportage") as c:
        opnieuw = c.get(f"/voortgangsrapportages/{PERIODE}/publicaties/{versie}")
    assert opnieuw.content == gepubliceerd.content  # frozen, to the byte

    # the published page says what it is
    url = (f"{stack.url('rapportage')}/v1/voortgangsrapportages/{PERIODE}/publicaties/"
           f"{versie}/afdrukversie?focusgebied={GEBIED}")
    report = await open_page(page, url, axe=False)
    assert not report.console_errors, report.describe()
    assert report.visible_svgs == len([i for a in area["actielijnen"]
                                       for i in a["indicatoren"]])
    assert await page.get_by_text(f"Gepubliceerd: versie {versie}").count() == 1


def test_csv_as_analysts_get_it(stack):
    body = demo_loaded_and_consumed(stack)
    (gebied,) = body["rapport"]["focusgebieden"]
    with stack.client("rapportage") as c:
        r = c.get(f"/voortgangsrapportages/{PERIODE}/tabellen/indicatoren",
                  params={"focusgebied": GEBIED})
        geld = c.get(f"/voortgangsrapportages/{PERIODE}/tabellen/geld",
                     params={"focusgebied": GEBIED})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    per_code = {i["indicator"]: i for a in gebied["actielijnen"] for i in a["indicatoren"]}
    assert {row["indicator"] for row in rows} == set(per_code)
    for row in rows:
        i = per_code[row["indicator"]]
        assert row["laatste_waarde"] == (i["laatsteMeting"] or {}).get("waarde", "")
        assert row["status"] == i["status"]
        assert row["voortgang"] == (i["voortgang"] or "")
    per_lijn = {a["actielijn"]: a["geld"] for a in gebied["actielijnen"]}
    for row in csv.DictReader(io.StringIO(geld.text)):
        assert Decimal(row["toegekend"]) == Decimal(per_lijn[int(row["actielijn"])]["toegekend"])


def test_bad_requests_are_problems(stack):
    with stack.client("rapportage") as c:
        for path, status in (("/voortgangsrapportages/2024S3", 400),
                             ("/voortgangsrapportages/2024Q1", 400),
                             ("/voortgangsrapportages/1999S1", 400),
                             ("/voortgangsrapportages/2101S1", 400),
                             ("/voortgangsrapportages/2099S1", 404),
                             ("/voortgangsrapportages/2024S1/tabellen/onbekend", 400),
                             ("/voortgangsrapportages/2024S1/publicaties/0", 400),
                             ("/voortgangsrapportages/2024S1/publicaties/999", 404),
                             ("/voortgangsrapportages/2024S1/afdrukversie?focusgebied=Nee", 400),
                             ("/voortgangsrapportages/2024S1?focusgebied=bestaat-niet", 404)):
            r = c.get(path)
            assert r.status_code == status, (path, r.text)
            assert r.headers["content-type"].startswith("application/problem+json"), path
        r = c.post("/voortgangsrapportages/2024S1/publicaties", json={"onbekend": 1},
                   headers=stack.auth(*BEHEER))
        assert r.status_code == 400, r.text
