"""`make demo` (tools/demo.py) on the suite's throw-away stack: every write succeeds, a second
run writes nothing, the data is recognisably demo, and rapportage shows its progress."""

from __future__ import annotations

from typing import Any

import pytest

import demo
from nplv_shared.tokens import ensure_keys
from tests.integration.helpers import totals, voortgang, wait_until

PER_GEBIED = len(demo.SJABLONEN)


def urls(stack: Any) -> demo.Urls:
    return demo.Urls(**{s: stack.url(s) for s in demo.SERVICES})


def all_pages(stack: Any, service: str, path: str, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    with stack.client(service) as c:
        page = 1
        while True:
            body = c.get(path, params={**params, "page": page, "pageSize": 100}).json()
            out += body["resultaten"]
            if len(out) >= body["totaal"] or not body["resultaten"]:
                return out
            page += 1


def test_demo_loads_once_and_a_second_run_changes_nothing(stack):
    lines: list[str] = []
    first = demo.run_demo(urls(stack), stack.private_key, lines.append)
    eerste = {soort: dict(c) for soort, c in first.per_soort.items()}
    n_gebieden = len(demo.DEMO_GEBIEDEN)
    assert eerste["interventies"]["aangemaakt"] == n_gebieden * PER_GEBIED
    assert eerste["nulmetingen"]["aangemaakt"] == n_gebieden * 15
    assert eerste["streefwaarden"]["aangemaakt"] == n_gebieden * 15 * len(demo.DOELJAREN)
    assert eerste["correcties"] == {"gecorrigeerd": 1}
    assert eerste["metingen"]["aangemaakt"] > 800
    assert eerste["toekenningen"]["aangemaakt"] > 20
    assert eerste["realisaties"]["aangemaakt"] > eerste["toekenningen"]["aangemaakt"]

    second = demo.run_demo(urls(stack), stack.private_key, lines.append)
    assert second.aangemaakt() == 0
    for soort, counts in second.per_soort.items():
        # realisaties on a line another test put on the aanvullende post and Financiën rejected
        # wait for approval, in both runs alike
        assert {k for k, v in counts.items() if v} <= {"ongewijzigd", "wacht-op-goedkeuring"}, (
            soort, counts)
        assert counts["wacht-op-goedkeuring"] == eerste[soort].get("wacht-op-goedkeuring", 0)
    # the imports report everything `ongewijzigd`; the same number of records as the first time
    assert second.per_soort["interventies"]["ongewijzigd"] == n_gebieden * PER_GEBIED
    assert (second.per_soort["metingen"]["ongewijzigd"]
            == eerste["metingen"]["aangemaakt"] - 1)  # the corrected one is not in the import
    for soort in ("nulmetingen", "streefwaarden", "toekenningen", "realisaties"):
        assert second.per_soort[soort]["ongewijzigd"] == eerste[soort]["aangemaakt"], soort

    # recognisably demo, everywhere
    rijen = [i for g in demo.DEMO_GEBIEDEN
             for i in all_pages(stack, "gebieden", "/interventies", focusgebied=g.code)
             if i["bronsysteem"] == demo.BRONSYSTEEM]
    assert len(rijen) == n_gebieden * PER_GEBIED
    assert all(i["titel"].startswith("[DEMO]") and i["omschrijving"].startswith("DEMO")
               for i in rijen)
    assert {i["status"] for i in rijen} == {"gepland", "lopend", "afgerond", "gestopt"}
    assert {i["actielijn"] for i in rijen} == {1, 2, 3, 4}
    metingen = all_pages(stack, "indicatoren", "/metingen", regio="rotterdam-zuid")
    assert metingen
    assert all(m["bron"].startswith("DEMO") for m in metingen)
    toekenningen = all_pages(stack, "financien", "/toekenningen", focusgebied="rotterdam-zuid")
    demo_toekenningen = [t for t in toekenningen if (t["omschrijving"] or "").startswith("DEMO")]
    assert demo_toekenningen
    assert all(t["begrotingsregel"] != "volkshuisvestingsfonds" for t in demo_toekenningen)
    with stack.client("indicatoren") as c:
        ind, regio, periode, _, reden = demo.CORRECTIE
        correcties = c.get(f"/metingen/{ind}/{regio}/{periode}/correcties").json()
        assert [k["reden"] for k in correcties] == [reden]

    # rapportage consumes the interventie events into its progress view
    for gebied in demo.DEMO_GEBIEDEN:
        view = wait_until(
            lambda g=gebied.code: (v := voortgang(stack, g)) and totals(v)[0] >= PER_GEBIED
            and v, timeout=30, message=f"voortgang {gebied.code}")
        assert set(totals(view)[1]) >= {"gepland", "lopend", "afgerond", "gestopt"}


def test_an_unreachable_service_is_a_clear_error(stack):
    weg = demo.Urls(**{**urls(stack).__dict__, "financien": "http://127.0.0.1:9"})
    with pytest.raises(demo.DemoFout, match="financien is niet bereikbaar"):
        demo.run_demo(weg, stack.private_key, lambda _: None)


def test_a_refused_write_shows_the_problem(stack, tmp_path):
    other_key, _ = ensure_keys(tmp_path)  # a key the services do not trust
    with pytest.raises(demo.DemoFout, match="401") as exc:
        demo.run_demo(urls(stack), other_key.read_text(), lambda _: None)
    assert '"status": 401' in str(exc.value)
