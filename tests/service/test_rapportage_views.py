"""The progress views over the three topics, on a real PostgreSQL session (rolled back per
test): figures computed by hand, corrections and withdrawals, cross-topic disorder, the money
split, combination rules across areas, unknown and invalid events."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared.events import CloudEvent
from nplv_shared.inbox import PermanentEventError
from rapportage.db import indicator_voortgang, meting
from rapportage.projectie import OVERGESLAGEN, Projectie
from rapportage.voortgang.service import VoortgangService

_seq = itertools.count(1)
_clock = itertools.count()
START = datetime(2026, 1, 1, tzinfo=UTC)
AREA, AREA2, GM, GM2 = "wijk-noord", "wijk-zuid", "GM0917", "GM0995"
IND, IND2 = "gezondheid", "incidenten"


def ev(service: str, kind: str, key: str, data: dict[str, Any], *,
       sequence: int | None = None) -> CloudEvent:
    return CloudEvent(source=f"urn:nld:nplv:systeem:{service}",
                      type=f"nl.nplv.{service}.{kind}.v1", subject=f"x/{key}",
                      dataschema="urn:x", sequence=sequence or next(_seq), partitionkey=key,
                      data=data, time=START + timedelta(seconds=next(_clock)))


def gebied(code: str, gemeente: str, inwoners: int) -> CloudEvent:
    return ev("gebieden", "focusgebied.aangemaakt", code,
              {"code": code, "naam": code.title(), "gemeente": gemeente,
               "inwoners": inwoners, "gebiedsdelen": []})


def indicator(code: str, *, actielijn: int, richting: str, periodetype: str,
              combinatie: str) -> CloudEvent:
    return ev("indicatoren", "indicator.aangemaakt", "programma", {
        "code": code, "naam": code.title(), "actielijn": actielijn, "kernindicator": 1,
        "eigenaar": "BZK", "bron": "CBS", "eenheid": "percentage", "richting": richting,
        "soort": "stand", "combinatie": combinatie, "periodetype": periodetype,
        "status": "actief", "betekenisversie": 1})


def periode_data(periode: str) -> tuple[str, str]:
    if "S" in periode:
        year, half = periode.split("S")
        if half == "1":
            return f"{year}-01-01", f"{year}-06-30"
        return f"{year}-07-01", f"{year}-12-31"
    return f"{periode}-01-01", f"{periode}-12-31"


def meting_ev(ind: str, regio: str, periode: str, waarde: str, *, kind: str = "vastgelegd",
              sequence: int | None = None, focusgebied: str | None = None,
              gemeente: str | None = None, **extra: Any) -> CloudEvent:
    begin, eind = periode_data(periode)
    key = focusgebied or gemeente or regio
    return ev("indicatoren", f"meting.{kind}", key, {
        "indicator": ind, "indicatorVersie": 1, "regio": regio, "regioSoort": "x",
        "focusgebied": focusgebied, "gemeente": gemeente, "periode": periode,
        "periodeType": "x", "periodeBegin": begin, "periodeEind": eind, "waarde": waarde,
        "status": "definitief", "ingediendDoor": "t", "organisatie": "BZK", **extra},
        sequence=sequence)


def nulmeting(area: str, ind: str, periode: str, waarde: str) -> CloudEvent:
    return ev("indicatoren", "nulmeting.vastgelegd", area, {
        "focusgebied": area, "indicator": ind, "waarde": waarde, "periode": periode,
        "indicatorVersie": 1, "oorspronkelijkeWaarde": waarde, "oorspronkelijkePeriode": periode})


def streef(area: str, ind: str, periode: str, waarde: str) -> CloudEvent:
    return ev("indicatoren", "streefwaarde.vastgelegd", area, {
        "focusgebied": area, "indicator": ind, "doelperiode": periode, "waarde": waarde,
        "indicatorVersie": 1, "oorspronkelijkeWaarde": waarde})


async def apply(session: AsyncSession, *events: CloudEvent) -> None:
    await Projectie().apply_batch(session, list(events))


async def row(session: AsyncSession, area: str, ind: str) -> dict[str, Any] | None:
    found = (await session.execute(select(indicator_voortgang.c.gegevens).where(
        indicator_voortgang.c.focusgebied == area,
        indicator_voortgang.c.indicator == ind))).scalar_one_or_none()
    return found


def midden(periode: str) -> date:
    begin, eind = (date.fromisoformat(d) for d in periode_data(periode))
    return begin + (eind - begin) / 2


def years(d: date) -> Fraction:
    return Fraction((d - date(2000, 1, 1)).days) / Fraction("365.25")


def least_squares_year(points: list[tuple[str, int]], target: int) -> int:
    """The year in which the least-squares line through `points` reaches `target` (by hand)."""
    ts = [years(midden(p)) for p, _ in points]
    vs = [Fraction(v) for _, v in points]
    n = len(ts)
    mt, mv = sum(ts) / n, sum(vs) / n
    slope = sum((t - mt) * (v - mv) for t, v in zip(ts, vs, strict=True)) / sum(
        (t - mt) ** 2 for t in ts)
    t_target = mt + (target - mv) / slope
    return (date(2000, 1, 1) + timedelta(days=round(float(t_target * Fraction("365.25"))))).year


def vier(x: Fraction) -> str:
    return str(Decimal(x.numerator) / Decimal(x.denominator)).split(".")[0] + "." + \
        f"{Decimal(x.numerator) / Decimal(x.denominator):.4f}".split(".")[1]


def scenario() -> list[CloudEvent]:
    return [
        gebied(AREA, GM, 10_000), gebied(AREA2, GM2, 30_000),
        indicator(IND, actielijn=3, richting="hoger-is-beter", periodetype="jaar",
                  combinatie="gewogen-inwoners"),
        nulmeting(AREA, IND, "2022", "50"), streef(AREA, IND, "2026", "60"),
        streef(AREA, IND, "2032", "70"),
        meting_ev(IND, AREA, "2023", "51", focusgebied=AREA, gemeente=GM),
        meting_ev(IND, AREA, "2024", "53", focusgebied=AREA, gemeente=GM),
        meting_ev(IND, AREA, "2025", "56", focusgebied=AREA, gemeente=GM, bron="85984NED"),
        meting_ev(IND, f"{GM}-rest", "2023", "60", gemeente=GM),
        meting_ev(IND, f"{GM}-rest", "2025", "61", gemeente=GM),
        meting_ev(IND, "NL01", "2023", "70"), meting_ev(IND, "NL01", "2025", "70"),
        nulmeting(AREA2, IND, "2022", "40"), streef(AREA2, IND, "2026", "50"),
        meting_ev(IND, AREA2, "2023", "40", focusgebied=AREA2, gemeente=GM2),
        meting_ev(IND, AREA2, "2024", "39", focusgebied=AREA2, gemeente=GM2),
        meting_ev(IND, AREA2, "2025", "38", focusgebied=AREA2, gemeente=GM2),
    ]


class TestIndicatorProgress:
    async def test_the_figures_computed_by_hand(self, rapportage_session: AsyncSession) -> None:
        await apply(rapportage_session, *scenario())
        r = await row(rapportage_session, AREA, IND)
        assert r is not None
        expected = Fraction((midden("2025") - midden("2022")).days,
                            (midden("2026") - midden("2022")).days)  # 1096 / 1461
        assert r["nulmeting"] == {"periode": "2022", "waarde": "50"}
        assert r["laatsteMeting"]["periode"] == "2025"
        assert r["laatsteMeting"]["waarde"] == "56"
        assert r["streefwaarde"] == {"periode": "2026", "waarde": "60"}  # the next target
        assert r["voortgang"] == "0.6000"  # (56 - 50) / (60 - 50)
        assert r["verwachteVoortgang"] == vier(expected) == "0.7502"
        assert r["trajectwaarde"] == vier(50 + 10 * expected)
        assert r["status"] == "risico"  # 0.7502 - 0.6 = 0.15: between 0.10 and 0.25
        year = least_squares_year([("2023", 51), ("2024", 53), ("2025", 56)], 60)
        assert r["prognose"]["uitkomst"] == "verwacht"
        assert r["prognose"]["periode"] == str(year) == "2027"
        rest, nl = r["vergelijking"]
        assert (rest["regio"], rest["kloof"], rest["kloofBijBegin"], rest["wordtKleiner"]) == \
            (f"{GM}-rest", "-5", "-9", True)  # 56-61 now, 51-60 in 2023
        assert (nl["regio"], nl["kloof"], nl["kloofBijBegin"], nl["wordtKleiner"]) == \
            ("NL01", "-14", "-19", True)

        r2 = await row(rapportage_session, AREA2, IND)
        assert r2 is not None
        assert r2["voortgang"] == "-0.2000"
        assert r2["status"] == "achter"
        assert r2["prognose"]["uitkomst"] == "niet-bij-huidig-tempo"

    async def test_lower_is_better_and_a_reached_target(
            self, rapportage_session: AsyncSession) -> None:
        await apply(rapportage_session, gebied(AREA, GM, 1),
                    indicator(IND2, actielijn=4, richting="lager-is-beter",
                              periodetype="halfjaar", combinatie="optelbaar"),
                    nulmeting(AREA, IND2, "2022S1", "100"), streef(AREA, IND2, "2024S2", "90"),
                    meting_ev(IND2, AREA, "2023S1", "97", focusgebied=AREA, gemeente=GM),
                    meting_ev(IND2, AREA, "2023S2", "93", focusgebied=AREA, gemeente=GM),
                    meting_ev(IND2, AREA, "2024S1", "88", focusgebied=AREA, gemeente=GM))
        r = await row(rapportage_session, AREA, IND2)
        assert r is not None
        assert r["voortgang"] == "1.2000"  # a fall of 12 of the 10 to go: the sign follows
        assert r["status"] == "op-koers"
        assert r["prognose"]["uitkomst"] == "bereikt"
        assert r["prognose"]["periode"] == "2024S1"

    async def test_without_a_target_there_is_no_status(
            self, rapportage_session: AsyncSession) -> None:
        await apply(rapportage_session, gebied(AREA, GM, 1),
                    indicator(IND, actielijn=3, richting="hoger-is-beter", periodetype="jaar",
                              combinatie="optelbaar"),
                    nulmeting(AREA, IND, "2022", "50"),
                    meting_ev(IND, AREA, "2023", "55", focusgebied=AREA, gemeente=GM))
        r = await row(rapportage_session, AREA, IND)
        assert r is not None
        assert r["status"] == "onvoldoende-gegevens"
        assert r["voortgang"] is None
        assert r["prognose"]["uitkomst"] == "onvoldoende-gegevens"


class TestCorrectionsAndWithdrawals:
    async def test_a_correction_moves_the_figures_and_a_withdrawal_removes_its_influence(
            self, rapportage_session: AsyncSession) -> None:
        await apply(rapportage_session, *scenario())
        # a later value, then withdrawn: the 2025 value is the latest again
        late = meting_ev(IND, AREA, "2026", "65", focusgebied=AREA, gemeente=GM, sequence=1)
        await apply(rapportage_session, late)
        assert (await row(rapportage_session, AREA, IND))["laatsteMeting"]["waarde"] == "65"
        await apply(rapportage_session, meting_ev(
            IND, AREA, "2026", "65", kind="ingetrokken", focusgebied=AREA, gemeente=GM,
            sequence=2, reden="dubbel ingevoerd"))
        r = await row(rapportage_session, AREA, IND)
        assert r is not None
        assert r["laatsteMeting"]["periode"] == "2025"
        assert r["aantalMetingen"] == 3
        # a correction of 2025 from 56 to 58: progress 0.8, on course
        await apply(rapportage_session, meting_ev(
            IND, AREA, "2025", "58", kind="gecorrigeerd", focusgebied=AREA, gemeente=GM,
            sequence=10**6, vorigeWaarde="56", vorigeStatus="definitief", reden="herzien"))
        r = await row(rapportage_session, AREA, IND)
        assert r is not None
        assert r["voortgang"] == "0.8000"
        assert r["status"] == "op-koers"
        # the older event arriving late changes nothing (sequence guard)
        await apply(rapportage_session, meting_ev(IND, AREA, "2025", "10", focusgebied=AREA,
                                                  gemeente=GM, sequence=1))
        assert (await row(rapportage_session, AREA, IND))["voortgang"] == "0.8000"


class TestCrossTopicDisorder:
    async def test_metingen_before_their_area_and_indicator_wait_and_are_applied_later(
            self, rapportage_session: AsyncSession) -> None:
        events = scenario()
        references = [e for e in events if e.type.endswith(("focusgebied.aangemaakt.v1",
                                                            "indicator.aangemaakt.v1"))]
        facts = [e for e in events if e not in references]
        await apply(rapportage_session, *facts)  # everything but the area and the indicator
        assert await row(rapportage_session, AREA, IND) is None
        stored = (await rapportage_session.execute(select(func.count()).select_from(meting)
                                                   )).scalar_one()
        assert stored == 10  # kept, waiting
        await apply(rapportage_session, references[2])  # the indicator: still no area
        assert await row(rapportage_session, AREA, IND) is None
        await apply(rapportage_session, *references[:2])  # the areas arrive last
        r = await row(rapportage_session, AREA, IND)
        assert r is not None
        assert r["voortgang"] == "0.6000"
        assert r["status"] == "risico"
        assert r["vergelijking"][0]["kloof"] == "-5"


class TestAcrossAreas:
    async def test_weighted_by_inhabitants_never_a_plain_average(
            self, rapportage_session: AsyncSession) -> None:
        await apply(rapportage_session, *scenario())
        view = await VoortgangService(rapportage_session).actielijn(3)
        combined = next(i for i in view.indicatoren if i.indicator == IND)
        # weights 10,000 and 30,000: nulmeting (50*1 + 40*3)/4 = 42.5, latest (56 + 38*3)/4 =
        # 42.5, target (60 + 50*3)/4 = 52.5: progress 0 (a plain average would say 0.2)
        assert (combined.nulmeting, combined.laatste, combined.streefwaarde) == \
            ("42.5000", "42.5000", "52.5000")
        assert combined.voortgang == "0.0000"
        assert {s.status: s.aantal for s in combined.per_status}["risico"] == 1
        assert {s.status: s.aantal for s in combined.per_status}["achter"] == 1

    async def test_weights_the_programme_does_not_have_are_not_invented(
            self, rapportage_session: AsyncSession) -> None:
        await apply(rapportage_session, gebied(AREA, GM, 1),
                    indicator(IND, actielijn=3, richting="hoger-is-beter", periodetype="jaar",
                              combinatie="gewogen-leerlingen"))
        view = await VoortgangService(rapportage_session).actielijn(3)
        combined = next(i for i in view.indicatoren if i.indicator == IND)
        assert combined.voortgang is None
        assert "leerlingen" in combined.toelichting


class TestMoney:
    async def test_toekenningen_and_realisaties_split_by_the_lines_shares(
            self, rapportage_session: AsyncSession) -> None:
        regel = ev("financien", "begrotingsregel.aangemaakt", "programma", {
            "code": "r1", "kop": "BZK", "ministerie": "BZK", "instrument": "x",
            "specifiekVoorFocusgebieden": True, "bedragen": [], "revisie": 0,
            "aanvullendePost": False,
            "actielijnen": [{"actielijn": 2, "percentage": "66.67"},
                            {"actielijn": 3, "percentage": "33.33"}]})
        t = uuid.uuid4()
        toekenning = ev("financien", "toekenning.aangemaakt", AREA, {
            "id": str(t), "begrotingsregel": "r1", "ministerie": "BZK", "focusgebied": AREA,
            "gemeente": GM, "jaar": 2024, "bedrag": "1000.00"})
        betaling = ev("financien", "realisatie.aangemaakt", AREA, {
            "id": str(uuid.uuid4()), "toekenning": str(t), "begrotingsregel": "r1",
            "focusgebied": AREA, "gemeente": GM, "jaar": 2024, "soort": "betaling",
            "bedrag": "100.01", "datum": "2024-05-01", "referentie": "b1",
            "overschrijding": False, "vastgelegdDoor": "x"})
        # the money arrives before the line and the area: it waits
        await apply(rapportage_session, toekenning, betaling)
        await apply(rapportage_session, gebied(AREA, GM, 1))
        v = await VoortgangService(rapportage_session).focusgebied(AREA)
        assert v.actielijnen[1].geld.toegekend == 0
        await apply(rapportage_session, regel)
        v = await VoortgangService(rapportage_session).focusgebied(AREA)
        a2, a3 = v.actielijnen[1].geld, v.actielijnen[2].geld
        # 1000.00: 666.70 and 333.30; 100.01: 66.6766.. → 66.67, 33.3333.. → 33.33, one cent
        # left goes to the largest remainder (actielijn 2: 0.6766 > 0.3333)
        assert (a2.toegekend, a3.toegekend) == (Decimal("666.70"), Decimal("333.30"))
        assert (a2.betaald, a3.betaald) == (Decimal("66.68"), Decimal("33.33"))
        assert a2.resterend == Decimal("600.02")
        assert v.actielijnen[1].geld_per_jaar[0].jaar == 2024


class TestTolerantReader:
    async def test_unknown_types_are_skipped_and_counted(
            self, rapportage_session: AsyncSession) -> None:
        before = OVERGESLAGEN.labels("onbekend")._value.get()
        newer = meting_ev(IND, AREA, "2025", "56", focusgebied=AREA, gemeente=GM)
        newer.type = newer.type.replace(".v1", ".v2")  # a version this reader does not know
        await apply(rapportage_session, newer, ev("indicatoren", "meting.geschat", AREA, {}))
        assert OVERGESLAGEN.labels("onbekend")._value.get() == before + 2
        assert (await rapportage_session.execute(select(func.count()).select_from(meting))
                ).scalar_one() == 0

    async def test_an_event_its_schema_does_not_allow_is_refused(
            self, rapportage_session: AsyncSession) -> None:
        with pytest.raises(PermanentEventError):
            await apply(rapportage_session, meting_ev(IND, AREA, "2025", "veel",
                                                      focusgebied=AREA, gemeente=GM))


class TestAbsoluteNumbers:
    async def test_no_gap_between_an_areas_count_and_a_countrys(
            self, rapportage_session: AsyncSession) -> None:
        ind = indicator(IND2, actielijn=4, richting="lager-is-beter", periodetype="jaar",
                        combinatie="optelbaar")
        ind.data["eenheid"] = "aantal"
        await apply(rapportage_session, gebied(AREA, GM, 1), ind,
                    meting_ev(IND2, AREA, "2024", "90", focusgebied=AREA, gemeente=GM),
                    meting_ev(IND2, "NL01", "2024", "800000"))
        r = await row(rapportage_session, AREA, IND2)
        assert r is not None
        nl = r["vergelijking"][1]
        assert (nl["waarde"], nl["kloof"], nl["vergelijkbaar"]) == ("800000", None, False)
