"""The half-yearly voortgangsrapportage on a real PostgreSQL session (rolled back per test):
the report's numbers computed by hand, "as of the end of the period" (a 2024S2 meting is not in
2024S1's report; an interventie's status as it was then; money dated up to then), freezing
(publish, correct, the snapshot and its hash unchanged, the difference list names the change,
a next version references the previous one), the CSV round trip, and the HTML page's shape."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared import audit
from nplv_shared.auth import Principal
from nplv_shared.events import CloudEvent
from nplv_shared.problems import Conflict, NotFound, PreconditionFailed
from rapportage.projectie import Projectie
from rapportage.voortgangsrapportage import pagina, tabellen
from rapportage.voortgangsrapportage.service import RapportService, canoniek
from tests.service.test_rapportage_views import midden, vier, years

A, GM = "wijk-noord", "GM0917"
IND = "gezondheid"
BZK = Principal("programmabureau", "BZK", frozenset({"nplv:rapportage:beheer"}))
I1, I2, I3, I4 = (uuid.UUID(int=n) for n in (1, 2, 3, 4))
T1, T2 = uuid.UUID(int=11), uuid.UUID(int=12)
_seq = itertools.count(1)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def ev(service: str, kind: str, key: str, data: dict[str, Any], tijd: str, *,
       sequence: int | None = None) -> CloudEvent:
    return CloudEvent(source=f"urn:nld:nplv:systeem:{service}",
                      type=f"nl.nplv.{service}.{kind}.v1", subject=f"x/{key}",
                      dataschema="urn:x", sequence=sequence or next(_seq), partitionkey=key,
                      data=data, time=at(tijd))


def meting(regio: str, periode: str, waarde: str, tijd: str, *, kind: str = "vastgelegd",
           sequence: int | None = None) -> CloudEvent:
    jaar, half = periode.split("S")
    begin, eind = (f"{jaar}-01-01", f"{jaar}-06-30") if half == "1" else \
        (f"{jaar}-07-01", f"{jaar}-12-31")
    return ev("indicatoren", f"meting.{kind}", A, {
        "indicator": IND, "indicatorVersie": 1, "regio": regio, "regioSoort": "x",
        "focusgebied": A if regio == A else None, "gemeente": GM if regio != "NL01" else None,
        "periode": periode, "periodeType": "halfjaar", "periodeBegin": begin,
        "periodeEind": eind, "waarde": waarde, "status": "definitief", "ingediendDoor": "t",
        "organisatie": "BZK"}, tijd, sequence=sequence)


def interventie(id_: uuid.UUID, kind: str, tijd: str, sequence: int, **data: Any) -> CloudEvent:
    return ev("gebieden", f"interventie.{kind}", A, {
        "id": str(id_), "focusgebied": A, "actielijn": 2, "titel": f"Interventie {id_.int}",
        "ministerie": "BZK", "outputEenheid": "woningen", **data}, tijd, sequence=sequence)


def scenario() -> list[CloudEvent]:
    return [
        ev("gebieden", "focusgebied.aangemaakt", A, {"code": A, "naam": "Wijk Noord",
                                                     "gemeente": GM, "inwoners": 10_000,
                                                     "gebiedsdelen": []}, "2023-01-01"),
        ev("indicatoren", "indicator.aangemaakt", "programma", {
            "code": IND, "naam": "Ervaren gezondheid", "actielijn": 3, "kernindicator": 12,
            "eigenaar": "VWS", "bron": "GGD", "eenheid": "percentage",
            "richting": "hoger-is-beter", "soort": "stand", "combinatie": "gewogen-inwoners",
            "periodetype": "halfjaar", "status": "actief", "betekenisversie": 1}, "2023-01-01"),
        ev("indicatoren", "nulmeting.vastgelegd", A, {
            "focusgebied": A, "indicator": IND, "waarde": "50", "periode": "2022S1",
            "indicatorVersie": 1, "oorspronkelijkeWaarde": "50",
            "oorspronkelijkePeriode": "2022S1"}, "2023-01-02"),
        ev("indicatoren", "streefwaarde.vastgelegd", A, {
            "focusgebied": A, "indicator": IND, "doelperiode": "2026S2", "waarde": "60",
            "indicatorVersie": 1, "oorspronkelijkeWaarde": "60"}, "2023-01-02"),
        meting(A, "2023S1", "52", "2023-09-01"), meting(A, "2023S2", "53", "2024-03-01"),
        meting(A, "2024S1", "55", "2024-09-01"), meting(A, "2024S2", "58", "2025-03-01"),
        meting(f"{GM}-rest", "2024S1", "60", "2024-09-01"),
        meting("NL01", "2023S1", "70", "2023-09-01"), meting("NL01", "2024S1", "71", "2024-09-01"),
        meting("NL01", "2024S2", "72", "2025-03-01"),
        # I1: planned in February, running with 4 of 10 by May, finished in September
        interventie(I1, "aangemaakt", "2024-02-01", 1, status="gepland", startdatum="2024-03-01",
                    geplandeOutput="10", gerealiseerdeOutput="0"),
        interventie(I1, "gewijzigd", "2024-05-01", 2, status="lopend", startdatum="2024-03-01",
                    geplandeOutput="10", gerealiseerdeOutput="4"),
        interventie(I1, "gewijzigd", "2024-09-01", 3, status="afgerond", startdatum="2024-03-01",
                    einddatum="2024-08-31", geplandeOutput="10", gerealiseerdeOutput="10"),
        # I2: recorded late (2025), but running since 2023: in the report, marked nagemeld
        interventie(I2, "aangemaakt", "2025-01-10", 1, status="lopend", startdatum="2023-06-01",
                    geplandeOutput="20", gerealiseerdeOutput="7"),
        # I3: recorded late and begun after the period: not in the report
        interventie(I3, "aangemaakt", "2025-01-10", 1, status="lopend", startdatum="2024-09-01",
                    geplandeOutput="5", gerealiseerdeOutput="0"),
        # I4: deleted before the end of the period
        interventie(I4, "aangemaakt", "2023-01-05", 1, status="gepland", startdatum="2023-02-01"),
        interventie(I4, "verwijderd", "2024-03-01", 2, status="gepland"),
        ev("financien", "begrotingsregel.aangemaakt", "R1", {
            "code": "R1", "ministerie": "BZK", "actielijnen": [
                {"actielijn": 3, "percentage": "60"}, {"actielijn": 4, "percentage": "40"}]},
           "2023-01-01"),
        ev("financien", "toekenning.aangemaakt", A, {
            "id": str(T1), "begrotingsregel": "R1", "ministerie": "BZK", "focusgebied": A,
            "jaar": 2024, "bedrag": "1000.01"}, "2024-01-15"),
        ev("financien", "toekenning.aangemaakt", A, {
            "id": str(T2), "begrotingsregel": "R1", "ministerie": "BZK", "focusgebied": A,
            "jaar": 2025, "bedrag": "500.00"}, "2024-01-15"),
        *(ev("financien", "realisatie.aangemaakt", A, {
            "id": str(uuid.UUID(int=100 + n)), "toekenning": str(T1), "begrotingsregel": "R1",
            "focusgebied": A, "jaar": 2024, "soort": soort, "bedrag": bedrag, "datum": datum},
            datum) for n, (soort, bedrag, datum) in enumerate([
                ("verplichting", "200.00", "2023-12-01"), ("verplichting", "300.00", "2024-02-01"),
                ("betaling", "100.01", "2024-05-15"), ("betaling", "50.00", "2024-08-01")])),
    ]


async def load(session: AsyncSession, *events: CloudEvent) -> None:
    await Projectie().apply_batch(session, list(events))


def gebied(rapport: Any) -> Any:
    (g,) = rapport.focusgebieden
    return g


def actielijn(rapport: Any, n: int) -> Any:
    return next(a for a in gebied(rapport).actielijnen if a.actielijn == n)


async def test_report_numbers_as_of_the_end_of_the_period(rapportage_session: AsyncSession):
    await load(rapportage_session, *scenario())
    rapport = (await RapportService(rapportage_session).bereken("2024S1")).rapport
    assert (rapport.begin.isoformat(), rapport.eind.isoformat()) == ("2024-01-01", "2024-06-30")

    (ind,) = actielijn(rapport, 3).indicatoren
    # the 2024S2 meting (58) is not in 2024S1's report
    assert [(p.periode, p.waarde) for p in ind.reeks] == [
        ("2023S1", "52"), ("2023S2", "53"), ("2024S1", "55")]
    assert (ind.laatste_meting.periode, ind.laatste_meting.waarde) == ("2024S1", "55")
    assert ind.voortgang == "0.5000"  # (55 − 50) / |60 − 50|
    t0, t, t_doel = years(midden("2022S1")), years(midden("2024S1")), years(midden("2026S2"))
    verwacht = (t - t0) / (t_doel - t0)
    assert ind.verwachte_voortgang == vier(verwacht)
    assert ind.trajectwaarde == vier(50 + 10 * verwacht)
    achter = verwacht - Fraction(1, 2)
    assert ind.status == ("op-koers" if achter <= Fraction(1, 10) else
                          "risico" if achter <= Fraction(1, 4) else "achter")
    kloof = {k.soort: (k.periode, k.kloof) for k in ind.vergelijking}
    assert kloof == {"rest-gemeente": ("2024S1", "-5"), "nederland": ("2024S1", "-16")}
    nl = {v.soort: [(p.periode, p.waarde) for p in v.punten] for v in ind.vergelijkingsreeksen}
    assert nl["nederland"] == [("2023S1", "70"), ("2024S1", "71")]  # not 2024S2's 72
    assert [(n.indicator, n.periode, n.waarde) for n in rapport.programma.nederland] == [
        (IND, "2024S1", "71")]

    interventies = actielijn(rapport, 2).interventies
    per_id = {i.id: i for i in interventies.lijst}
    assert set(per_id) == {I1, I2}  # I3 began after the period, I4 was deleted in it
    # I1 as it was on 30 June: running, 4 of 10 (finished only in September)
    assert (per_id[I1].status, per_id[I1].gerealiseerde_output) == ("lopend", Decimal("4"))
    assert per_id[I1].gestart_in_periode
    assert not per_id[I1].beeindigd_in_periode
    assert per_id[I2].nagemeld
    assert per_id[I2].status == "lopend"
    assert interventies.aantal == 2
    assert interventies.nagemeld == 1
    assert {s.status: s.aantal for s in interventies.per_status}["lopend"] == 2
    assert [(o.eenheid, o.gepland, o.gerealiseerd) for o in interventies.output] == [
        ("woningen", Decimal("30"), Decimal("11"))]
    assert (interventies.gestart_in_periode, interventies.beeindigd_in_periode) == (1, 0)

    # Money: toekenning 2024 only (2025's 500 not yet); realisaties dated up to 30 June;
    # split 60/40 by largest remainder: 1000.01 → 600.01 / 400.00, 100.01 → 60.01 / 40.00
    geld3, geld4 = actielijn(rapport, 3).geld, actielijn(rapport, 4).geld
    assert (geld3.toegekend, geld3.verplicht, geld3.betaald, geld3.resterend) == (
        Decimal("600.01"), Decimal("300.00"), Decimal("60.01"), Decimal("540.00"))
    assert (geld4.toegekend, geld4.verplicht, geld4.betaald) == (
        Decimal("400.00"), Decimal("200.00"), Decimal("40.00"))
    assert (geld3.verplicht_in_periode, geld3.betaald_in_periode) == (
        Decimal("180.00"), Decimal("60.01"))
    programma = {a.actielijn: a for a in rapport.programma.actielijnen}
    assert programma[3].geld.toegekend + programma[4].geld.toegekend == Decimal("1000.01")
    assert programma[2].interventies.aantal == 2

    # The same data, reported for 2024S2: the 2024S2 meting, I1 finished, the August payment
    later = (await RapportService(rapportage_session).bereken("2024S2")).rapport
    assert actielijn(later, 3).indicatoren[0].laatste_meting.waarde == "58"
    assert {i.id: i.status for i in actielijn(later, 2).interventies.lijst}[I1] == "afgerond"
    assert actielijn(later, 3).geld.betaald == Decimal("90.01")  # 60 % of 150.01, rounded up


async def test_publish_freezes_and_the_difference_list_names_a_later_correction(
        rapportage_session: AsyncSession):
    await load(rapportage_session, *scenario())
    audit.start_audit(rapportage_session)  # as a request does
    service = RapportService(rapportage_session)
    concept = await service.bereken("2024S1")
    with pytest.raises(PreconditionFailed):
        await service.publiceer("2024S1", BZK, None, '"' + "0" * 64 + '"')
    v1 = await service.publiceer("2024S1", BZK, "Eerste versie.", f'"{concept.hash}"')
    assert (v1.versie, v1.vorige_versie, v1.inhoud_hash) == (1, None, concept.hash)
    assert hashlib.sha256(v1.inhoud.encode()).hexdigest() == v1.inhoud_hash
    assert v1.gepubliceerd_door == "BZK/programmabureau"
    with pytest.raises(Conflict):  # nothing new
        await service.publiceer("2024S1", BZK, "Eerste versie.", None)

    # a correction of the 2024S1 value, and of a 2024S2 value (not in this report)
    correctie = meting(A, "2024S1", "56", "2025-02-01", kind="gecorrigeerd", sequence=10_000)
    await load(rapportage_session, correctie,
               meting(A, "2024S2", "59", "2025-04-01", kind="gecorrigeerd", sequence=10_001))
    bevroren = await service.publicatie("2024S1", 1)
    assert (bevroren.inhoud, bevroren.inhoud_hash) == (v1.inhoud, v1.inhoud_hash)
    assert json.loads(bevroren.inhoud)["focusgebieden"][0]["actielijnen"][2]["indicatoren"][0][
        "laatsteMeting"]["waarde"] == "55"

    verschil = await service.verschillen("2024S1", 1, None)
    assert verschil.aantal == 1
    (feit,) = verschil.feiten
    assert (feit.feit, feit.wijziging) == (f"meting {IND} {A} 2024S1", "gewijzigd")
    assert [(v.veld, v.oud, v.nieuw) for v in feit.velden] == [("waarde", "55", "56")]
    assert feit.event is not None
    assert feit.event.id == str(correctie.id)
    assert feit.event.type.endswith("meting.gecorrigeerd.v1")
    cijfers = {c.pad: (c.oud, c.nieuw) for c in verschil.cijfers}
    pad = f"focusgebieden/{A}/actielijnen/3/indicatoren/{IND}/laatsteMeting/waarde"
    assert cijfers[pad] == ("55", "56")
    assert cijfers[f"focusgebieden/{A}/actielijnen/3/indicatoren/{IND}/voortgang"] == (
        "0.5000", "0.6000")
    assert not any("2024S2" in c for c in cijfers)

    v2 = await service.publiceer("2024S1", BZK, None, None)
    assert (v2.versie, v2.vorige_versie) == (2, 1)
    assert v2.inhoud_hash != v1.inhoud_hash
    tussen = await service.verschillen("2024S1", 1, 2)
    assert [f.feit for f in tussen.feiten] == [f"meting {IND} {A} 2024S1"]
    assert (await service.verschillen("2024S1", 2, None)).aantal == 0
    assert [(p.periode, p.versie) for p in await service.publicaties("2024S1")] == [
        ("2024S1", 2), ("2024S1", 1)]

    # the database itself refuses to change a publication
    for statement in ("UPDATE voortgangsrapportage SET inhoud_hash = 'x'",
                      "DELETE FROM voortgangsrapportage"):
        with pytest.raises(DBAPIError, match="verandert nooit"):
            async with rapportage_session.begin_nested():
                await rapportage_session.execute(text(statement))


async def test_periods_that_may_not_be_reported_or_published(rapportage_session: AsyncSession):
    audit.start_audit(rapportage_session)
    service = RapportService(rapportage_session)
    volgend_jaar = datetime.now(UTC).year + 1
    with pytest.raises(NotFound):
        await service.bereken(f"{volgend_jaar}S1")
    lopend = f"{datetime.now(UTC).year}S{1 if datetime.now(UTC).month <= 6 else 2}"
    await service.bereken(lopend)  # a concept of the running half-year is fine
    with pytest.raises(Conflict, match="loopt nog"):
        await service.publiceer(lopend, BZK, None, None)
    with pytest.raises(NotFound):
        await service.publicatie("2024S1", 7)


async def test_csv_round_trip_gives_the_json_numbers(rapportage_session: AsyncSession):
    await load(rapportage_session, *scenario())
    rapport = (await RapportService(rapportage_session).bereken("2024S1")).rapport
    doc = json.loads(canoniek(rapport))

    def rows(tabel: str) -> list[dict[str, str]]:
        tekst = tabellen.csv_tekst(rapport, tabel)
        parsed = list(csv.DictReader(io.StringIO(tekst)))
        assert list(parsed[0]) == [k for k, _ in tabellen.TABELLEN[tabel]]
        return parsed

    (g,) = doc["focusgebieden"]
    per_al = {a["actielijn"]: a for a in g["actielijnen"]}
    (ind,) = rows("indicatoren")
    j = per_al[3]["indicatoren"][0]
    assert (ind["nulmeting"], ind["laatste_waarde"], ind["streefwaarde"], ind["voortgang"],
            ind["verwachte_voortgang"], ind["status"], ind["kloof_nederland"]) == (
        j["nulmeting"]["waarde"], j["laatsteMeting"]["waarde"], j["streefwaarde"]["waarde"],
        j["voortgang"], j["verwachteVoortgang"], j["status"],
        next(k["kloof"] for k in j["vergelijking"] if k["soort"] == "nederland"))
    metingen = rows("metingen")
    assert {(m["regio"], m["meting_periode"]): Decimal(m["waarde"]) for m in metingen} == {
        (A, "2023S1"): 52, (A, "2023S2"): 53, (A, "2024S1"): 55, (f"{GM}-rest", "2024S1"): 60,
        ("NL01", "2023S1"): 70, ("NL01", "2024S1"): 71}
    for r in rows("geld"):
        j = per_al[int(r["actielijn"])]["geld"]
        for veld, kolom in (("toegekend", "toegekend"), ("verplicht", "verplicht"),
                            ("betaald", "betaald"), ("resterend", "resterend"),
                            ("verplichtInPeriode", "verplicht_in_periode"),
                            ("betaaldInPeriode", "betaald_in_periode")):
            assert Decimal(r[kolom]) == Decimal(j[veld]), (r["actielijn"], veld)
    interventies = {r["id"]: r for r in rows("interventies")}
    assert interventies[str(I1)]["status"] == "lopend"
    assert interventies[str(I1)]["startdatum"] == "2024-03-01"  # ISO dates
    assert interventies[str(I1)]["gestart_in_periode"] == "true"
    assert Decimal(interventies[str(I2)]["gerealiseerde_output"]) == 7
    programma = {int(r["actielijn"]): r for r in rows("programma")}
    assert Decimal(programma[3]["toegekend"]) == Decimal("600.01")
    assert int(programma[2]["interventies"]) == 2


async def test_html_page_has_headings_in_order_and_a_chart_per_indicator(
        rapportage_session: AsyncSession):
    await load(rapportage_session, *scenario())
    berekend = await RapportService(rapportage_session).bereken("2024S1")
    html = pagina.html(berekend.rapport, pagina.Kop(soort="concept", inhoud_hash=berekend.hash,
                                                    berekend_op=datetime.now(UTC)))
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in html
    assert html.count("<svg") == 1  # one indicator in one area
    assert "Wijk Noord (GM0917)" in html
    assert "eerste halfjaar 2024" in html
    assert "€ 600,01" in html
    assert "Concept" in html
    assert berekend.hash in html


async def test_a_report_is_reused_until_the_next_batch(rapportage_session: AsyncSession):
    await load(rapportage_session, *scenario())
    service = RapportService(rapportage_session)
    eerst = await service.bereken("2024S1")
    assert await service.bereken("2024S1") is eerst  # nothing applied since: the same report
    assert await service.bereken("2024S1", opnieuw=True) is not eerst
    await load(rapportage_session, meting(A, "2024S1", "57", "2025-02-01", kind="gecorrigeerd",
                                          sequence=20_000))
    daarna = await service.bereken("2024S1")  # a batch was applied: computed again
    assert daarna.hash != eerst.hash
    assert actielijn(daarna.rapport, 3).indicatoren[0].laatste_meting.waarde == "57"


async def test_the_facts_are_kept_only_when_asked_for(rapportage_session: AsyncSession):
    await load(rapportage_session, *scenario())
    service = RapportService(rapportage_session)
    zonder = await service.bereken("2024S1")
    assert zonder.feiten is None  # a concept read does not build them
    met = await service.bereken("2024S1", met_feiten=True)
    assert met.feiten is not None
    assert met.hash == zonder.hash
    assert met.feiten[f"meting {IND} {A} 2024S1"]["velden"]["waarde"] == "55"
    assert await service.bereken("2024S1") is met  # the one with facts serves both
