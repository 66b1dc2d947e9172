"""indicatoren's use cases on a real PostgreSQL session (migrated schema), rolled back per test:
what they store, what they put in the outbox and what they refuse."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren.config import Settings
from indicatoren.db import event_sequence, outbox
from indicatoren.doelen.schemas import NulmetingInvoer, StreefwaardeInvoer
from indicatoren.doelen.service import DoelService
from indicatoren.indicatoren.schemas import IndicatorInvoer
from indicatoren.indicatoren.service import IndicatorService
from indicatoren.loader import load_reference_data
from indicatoren.metingen.schemas import MetingFilter, MetingInvoer
from indicatoren.metingen.service import MetingService
from indicatoren.permissions import SCOPE_BEHEER, SCOPE_SCHRIJVEN
from indicatoren.reeksen.service import ReeksService
from nplv_shared.auth import Principal
from nplv_shared.outbox import EventPublisher
from nplv_shared.problems import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from tests.conftest import _rolled_back

pytestmark = pytest.mark.database

PUBLISHER = EventPublisher(service="indicatoren", settings=Settings(), table=outbox,
                           sequences=event_sequence)
BZK = Principal("programmabureau", "BZK", frozenset({SCOPE_BEHEER}))
ROTTERDAM = Principal("rotterdam-monitor", "GM0599", frozenset({SCOPE_SCHRIJVEN}))
AMSTERDAM = Principal("amsterdam-monitor", "GM0363", frozenset({SCOPE_SCHRIJVEN}))
CBS = Principal("cbs-datateam", "EZK", frozenset({SCOPE_SCHRIJVEN}))
T = "nl.nplv.indicatoren."


@pytest.fixture
async def session(service_database: dict[str, str]) -> AsyncIterator[AsyncSession]:
    async with _rolled_back(service_database["indicatoren"]) as s:
        await load_reference_data(s, PUBLISHER)
        yield s


async def events(session: AsyncSession, prefix: str = T) -> list[dict[str, Any]]:
    rows = await session.execute(select(outbox.c.key, outbox.c.payload).order_by(outbox.c.id))
    return [{**r.payload, "key": r.key} for r in rows if r.payload["type"].startswith(prefix)]


async def count(session: AsyncSession, table: str) -> int:
    return (await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()


def meting(waarde: str, **extra: Any) -> MetingInvoer:
    return MetingInvoer.model_validate({"waarde": waarde, **extra})


class TestLoader:
    async def test_loads_the_catalogue_and_areas_once(self, session: AsyncSession) -> None:
        assert await count(session, "indicator") == 15
        assert await count(session, "focusgebied") == 20
        assert await count(session, "gemeente") == 19
        loaded = await events(session)
        assert len(loaded) == 15
        assert {e["type"] for e in loaded} == {T + "indicator.aangemaakt.v1"}
        assert {e["key"] for e in loaded} == {"programma"}
        assert await load_reference_data(session, PUBLISHER) == 0
        assert len(await events(session)) == 15

    async def test_the_leefbaarometer_is_a_biennial_score_from_1_to_9(
            self, session: AsyncSession) -> None:
        lbm = await IndicatorService(session, PUBLISHER).get("leefbaarometer-score")
        assert (lbm.eenheid, lbm.schaal_min, lbm.schaal_max, lbm.periodetype, lbm.bron) == (
            "score", Decimal("1.0000"), Decimal("9.0000"), "tweejaar", "Leefbaarometer")


def indicator_invoer(**overrides: Any) -> IndicatorInvoer:
    body = {"naam": "Aandeel groen", "actielijn": 2, "bron": "Gemeente",
            "eenheid": "percentage", "richting": "hoger-is-beter", "soort": "stand",
            "combinatie": "gewogen-inwoners", "periodetype": "jaar", **overrides}
    return IndicatorInvoer.model_validate(body)


class TestCatalogue:
    async def test_a_change_of_meaning_needs_a_reason_and_makes_a_new_version(
            self, session: AsyncSession) -> None:
        service = IndicatorService(session, PUBLISHER)
        record, created = await service.put("groen", indicator_invoer(), BZK, None)
        assert created
        assert record.betekenisversie == 1
        with pytest.raises(PreconditionRequired):
            await service.put("groen", indicator_invoer(periodetype="halfjaar"), BZK, None)
        with pytest.raises(BadRequest) as refused:
            await service.put("groen", indicator_invoer(periodetype="halfjaar"), BZK, '"1"')
        assert refused.value.invalid_params[0].name == "body.reden"
        assert "periodetype" in refused.value.invalid_params[0].reason
        record, _ = await service.put("groen", indicator_invoer(
            periodetype="halfjaar", reden="Halfjaarlijks rapporteren"), BZK, '"1"')
        assert (record.betekenisversie, record.versie) == (2, 2)
        record, _ = await service.put("groen", indicator_invoer(
            periodetype="halfjaar", naam="Aandeel groen in de wijk"), BZK, '"2"')
        assert (record.betekenisversie, record.versie) == (2, 3)  # a name is no meaning
        record, _ = await service.put("groen", indicator_invoer(
            periodetype="halfjaar", naam="Aandeel groen in de wijk", status="vervallen"),
            BZK, '"3"')
        versies = await service.versies("groen")
        assert [(v.betekenisversie, v.periodetype, v.reden) for v in versies] == [
            (1, "jaar", None), (2, "halfjaar", "Halfjaarlijks rapporteren")]
        mine = [e for e in await events(session) if e["subject"] == "indicatoren/groen"]
        assert [e["type"].split(".")[-2] for e in mine] == [
            "aangemaakt", "nieuwe-versie", "gewijzigd", "vervallen"]
        assert [e["sequence"] for e in mine] == [1, 2, 3, 4]
        assert mine[1]["data"]["betekenisversie"] == 2

    async def test_an_unchanged_put_writes_nothing(self, session: AsyncSession) -> None:
        service = IndicatorService(session, PUBLISHER)
        await service.put("groen", indicator_invoer(), BZK, None)
        before = len(await events(session))
        record, created = await service.put("groen", indicator_invoer(), BZK, '"1"')
        assert (created, record.versie, len(await events(session))) == (False, 1, before)

    async def test_only_the_programmabureau_adds_kernindicatoren(
            self, session: AsyncSession) -> None:
        service = IndicatorService(session, PUBLISHER)
        for who in (ROTTERDAM, CBS, Principal("x", "OCW", frozenset({SCOPE_BEHEER}))):
            with pytest.raises(Forbidden):
                await service.put("groen", indicator_invoer(), who, None)
        with pytest.raises(Conflict, match="Kernindicator 5 is al indicator"):
            await service.put("groen", indicator_invoer(kernindicator=5), BZK, None)

    async def test_a_gemeente_adds_a_local_indicator_for_its_own_focusgebied(
            self, session: AsyncSession) -> None:
        service = IndicatorService(session, PUBLISHER)
        record, _ = await service.put("groen-zuid", indicator_invoer(
            focusgebied="rotterdam-zuid"), ROTTERDAM, None)
        assert (record.focusgebied, record.eigenaar) == ("rotterdam-zuid", "GM0599")
        with pytest.raises(Forbidden):
            await service.put("groen-zo", indicator_invoer(focusgebied="amsterdam-zuidoost"),
                              ROTTERDAM, None)
        with pytest.raises(Forbidden):
            await service.put("groen-zuid", indicator_invoer(focusgebied="rotterdam-zuid",
                                                             naam="Ander"), AMSTERDAM, '"1"')
        with pytest.raises(BadRequest):
            await service.put("groen-x", indicator_invoer(focusgebied="bestaat-niet"),
                              ROTTERDAM, None)
        created = (await events(session))[-1]
        assert (created["key"], created["data"]["focusgebied"]) == ("rotterdam-zuid",
                                                                    "rotterdam-zuid")


class TestMetingen:
    async def test_create_then_correct_keeps_the_history_and_publishes_old_and_new(
            self, session: AsyncSession) -> None:
        service = MetingService(session, PUBLISHER)
        record, created = await service.put("ervaren-veiligheid", "rotterdam-zuid", "2023B",
                                            meting("41.5", bron="VM 2023"), ROTTERDAM, None)
        assert created
        assert (record.waarde, record.status, record.indicator_versie, record.gemeente) == (
            Decimal("41.5000"), "voorlopig", 1, "GM0599")
        with pytest.raises(PreconditionRequired):
            await service.put("ervaren-veiligheid", "rotterdam-zuid", "2023B",
                              meting("39.0"), ROTTERDAM, None)
        with pytest.raises(BadRequest) as refused:
            await service.put("ervaren-veiligheid", "rotterdam-zuid", "2023B",
                              meting("39.0"), ROTTERDAM, '"1"')
        assert refused.value.invalid_params[0].name == "body.reden"
        record, created = await service.put(
            "ervaren-veiligheid", "rotterdam-zuid", "2023B",
            meting("39.0", status="definitief", bron="VM 2023 definitief",
                   reden="Definitieve cijfers CBS"), ROTTERDAM, '"1"')
        assert (created, record.versie, record.waarde) == (False, 2, Decimal("39.0000"))
        with pytest.raises(PreconditionFailed):
            await service.put("ervaren-veiligheid", "rotterdam-zuid", "2023B",
                              meting("38", reden="nog eens"), ROTTERDAM, '"1"')
        history = await service.correcties("ervaren-veiligheid", "rotterdam-zuid", "2023B")
        assert [(c.vorige_waarde, c.nieuwe_waarde, c.vorige_status, c.nieuwe_status, c.reden,
                 c.gecorrigeerd_door) for c in history] == [
            (Decimal("41.5000"), Decimal("39.0000"), "voorlopig", "definitief",
             "Definitieve cijfers CBS", "rotterdam-monitor")]
        vastgelegd, gecorrigeerd = await events(session, T + "meting.")
        assert vastgelegd["type"] == T + "meting.vastgelegd.v1"
        assert vastgelegd["data"]["waarde"] == "41.5000"
        assert gecorrigeerd["type"] == T + "meting.gecorrigeerd.v1"
        assert (gecorrigeerd["data"]["vorigeWaarde"], gecorrigeerd["data"]["waarde"],
                gecorrigeerd["data"]["reden"]) == ("41.5000", "39.0000",
                                                   "Definitieve cijfers CBS")
        assert gecorrigeerd["key"] == "rotterdam-zuid"
        assert gecorrigeerd["subject"] == "metingen/ervaren-veiligheid/rotterdam-zuid/2023B"
        assert gecorrigeerd["sequence"] == 2

    async def test_the_same_value_again_changes_nothing(self, session: AsyncSession) -> None:
        service = MetingService(session, PUBLISHER)
        await service.put("relatieve-welvaart", "GM0599", "2023", meting("40"), BZK, None)
        record, created = await service.put("relatieve-welvaart", "GM0599", "2023",
                                            meting("40.0"), BZK, '"1"')
        assert (created, record.versie) == (False, 1)
        assert await count(session, "meting_correctie") == 0
        assert len(await events(session, T + "meting.")) == 1

    async def test_keys_of_comparison_regions(self, session: AsyncSession) -> None:
        service = MetingService(session, PUBLISHER)
        for regio in ("GM0599-rest", "WK059912", "GM0599", "NL01"):
            await service.put("relatieve-welvaart", regio, "2023", meting("30"), CBS, None)
        assert [e["key"] for e in await events(session, T + "meting.")] == [
            "GM0599", "GM0599", "GM0599", "NL01"]

    async def test_bad_input_is_refused_with_every_reason_and_nothing_written(
            self, session: AsyncSession) -> None:
        service = MetingService(session, PUBLISHER)
        with pytest.raises(BadRequest) as refused:
            await service.put("leefbaarometer-score", "GM0001", "2024Q1", meting("12"), BZK,
                              None)
        names = {p.name: p.code for p in refused.value.invalid_params}
        assert names == {"path.regioCode": "unknown", "path.periodeId": "wrong_period_type",
                         "body.waarde": "out_of_range"}
        with pytest.raises(BadRequest) as refused:
            await service.put("bestaat-niet", "NL01", "2024", meting("1"), BZK, None)
        assert refused.value.invalid_params[0].reason == "onbekende indicator 'bestaat-niet'"
        assert await count(session, "meting") == 0
        assert await events(session, T + "meting.") == []

    async def test_scope_rules(self, session: AsyncSession) -> None:
        service = MetingService(session, PUBLISHER)
        with pytest.raises(Forbidden, match="GM0363"):
            await service.put("relatieve-welvaart", "amsterdam-zuidoost", "2023", meting("30"),
                              ROTTERDAM, None)
        with pytest.raises(Forbidden):
            await service.put("relatieve-welvaart", "NL01", "2023", meting("30"), ROTTERDAM,
                              None)
        reader = Principal("lezer", "GM0599", frozenset({"nplv:audit:lezen"}))
        with pytest.raises(Forbidden):
            await service.put("relatieve-welvaart", "GM0599", "2023", meting("30"), reader,
                              None)
        await service.put("relatieve-welvaart", "amsterdam-zuidoost", "2023", meting("30"),
                          CBS, None)
        assert await count(session, "meting") == 1

    async def test_a_jump_is_flagged_not_refused(self, session: AsyncSession) -> None:
        service = MetingService(session, PUBLISHER)
        for year, value in zip(range(2018, 2023), ("20", "21", "19", "20", "22"), strict=True):
            record, _ = await service.put("huishoudens-uitkering", "GM0599-rest", str(year),
                                          meting(value), BZK, None)
            assert record.plausibel is (None if year < 2022 else True)
        record, _ = await service.put("huishoudens-uitkering", "GM0599-rest", "2023",
                                      meting("45"), BZK, None)
        assert record.plausibel is False
        assert record.zscore == Decimal("16.86")  # median 20, MAD 1: 0.6745 × 25
        event = (await events(session, T + "meting."))[-1]
        assert (event["data"]["plausibel"], event["data"]["zscore"]) == (False, "16.86")

    async def test_a_meting_keeps_the_meaning_it_was_measured_with(
            self, session: AsyncSession) -> None:
        indicatoren = IndicatorService(session, PUBLISHER)
        service = MetingService(session, PUBLISHER)
        await indicatoren.put("groen", indicator_invoer(), BZK, None)
        await service.put("groen", "GM0599", "2023", meting("30"), BZK, None)
        await indicatoren.put("groen", indicator_invoer(
            bron="Satellietbeelden", reden="Andere bron"), BZK, '"1"')
        await service.put("groen", "GM0599", "2024", meting("31"), BZK, None)
        rows, total = await service.search(MetingFilter(indicator="groen"), offset=0, limit=10)
        assert total == 2
        assert [(m.periode, m.indicator_versie) for m in rows] == [("2023", 1), ("2024", 2)]

    async def test_a_retired_indicator_takes_no_new_metingen(
            self, session: AsyncSession) -> None:
        await IndicatorService(session, PUBLISHER).put(
            "groen", indicator_invoer(status="vervallen"), BZK, None)
        with pytest.raises(BadRequest, match="fout"):
            await MetingService(session, PUBLISHER).put("groen", "GM0599", "2023",
                                                        meting("30"), BZK, None)


class TestDoelen:
    async def test_revisions_keep_the_original_with_reason_and_decision(
            self, session: AsyncSession) -> None:
        service = DoelService(session, PUBLISHER)
        nul, created = await service.put_nulmeting(
            "rotterdam-zuid", "ervaren-veiligheid",
            NulmetingInvoer.model_validate({"waarde": "45", "periode": "2020B"}), ROTTERDAM,
            None)
        assert created
        with pytest.raises(BadRequest) as refused:
            await service.put_nulmeting(
                "rotterdam-zuid", "ervaren-veiligheid",
                NulmetingInvoer.model_validate({"waarde": "44", "periode": "2020B"}),
                ROTTERDAM, '"1"')
        assert {p.name for p in refused.value.invalid_params} == {"body.reden", "body.besluit"}
        nul, _ = await service.put_nulmeting(
            "rotterdam-zuid", "ervaren-veiligheid", NulmetingInvoer.model_validate(
                {"waarde": "44", "periode": "2022B", "reden": "Herweging VM",
                 "besluit": "Collegebesluit 2024/12"}), ROTTERDAM, '"1"')
        assert (nul.waarde, nul.periode, nul.oorspronkelijke_waarde,
                nul.oorspronkelijke_periode) == (Decimal("44.0000"), "2022B",
                                                 Decimal("45.0000"), "2020B")
        _, created = await service.put_streefwaarde(
            "rotterdam-zuid", "ervaren-veiligheid", "2030",
            StreefwaardeInvoer.model_validate({"waarde": "35", "besluit": "PA 2022"}),
            BZK, None)
        assert created
        await service.put_streefwaarde(
            "rotterdam-zuid", "ervaren-veiligheid", "2030", StreefwaardeInvoer.model_validate(
                {"waarde": "33", "besluit": "PA 2024", "reden": "Ambitie verhoogd"}),
            ROTTERDAM, '"1"')
        revisies = await service.revisies("rotterdam-zuid", "ervaren-veiligheid")
        assert [(r.soort, r.vorige_waarde, r.nieuwe_waarde, r.besluit) for r in revisies] == [
            ("nulmeting", Decimal("45.0000"), Decimal("44.0000"), "Collegebesluit 2024/12"),
            ("streefwaarde", Decimal("35.0000"), Decimal("33.0000"), "PA 2024")]
        types = [(e["type"].removeprefix(T), e["key"]) for e in await events(session)
                 if "nulmeting" in e["type"] or "streefwaarde" in e["type"]]
        assert types == [("nulmeting.vastgelegd.v1", "rotterdam-zuid"),
                         ("nulmeting.herzien.v1", "rotterdam-zuid"),
                         ("streefwaarde.vastgelegd.v1", "rotterdam-zuid"),
                         ("streefwaarde.herzien.v1", "rotterdam-zuid")]
        herzien = [e for e in await events(session) if e["type"].endswith("herzien.v1")][1]
        assert (herzien["data"]["vorigeWaarde"], herzien["data"]["waarde"],
                herzien["data"]["oorspronkelijkeWaarde"]) == ("35.0000", "33.0000", "35.0000")

    async def test_only_the_areas_gemeente_or_the_programmabureau(
            self, session: AsyncSession) -> None:
        service = DoelService(session, PUBLISHER)
        invoer = StreefwaardeInvoer.model_validate({"waarde": "35"})
        for who in (AMSTERDAM, CBS):
            with pytest.raises(Forbidden):
                await service.put_streefwaarde("rotterdam-zuid", "ervaren-veiligheid", "2030",
                                               invoer, who, None)
        with pytest.raises(NotFound):
            await service.put_streefwaarde("nergens", "ervaren-veiligheid", "2030", invoer,
                                           BZK, None)
        with pytest.raises(BadRequest) as refused:
            await service.put_nulmeting("rotterdam-zuid", "ervaren-veiligheid",
                                        NulmetingInvoer.model_validate(
                                            {"waarde": "101", "periode": "2020"}), BZK, None)
        assert {p.name for p in refused.value.invalid_params} == {"body.waarde",
                                                                   "body.periode"}
        assert await count(session, "streefwaarde") + await count(session, "nulmeting") == 0


class TestReeks:
    async def test_the_area_beside_its_comparison_regions(self, session: AsyncSession) -> None:
        metingen = MetingService(session, PUBLISHER)
        for regio, waarden in (("rotterdam-zuid", ("14", "13")), ("GM0599-rest", ("8", "8")),
                               ("GM0599", ("9", None)), ("NL01", ("6", "5.5")),
                               ("amsterdam-zuidoost", ("12", "12"))):
            for year, value in zip(("2022", "2023"), waarden, strict=True):
                if value is not None:
                    await metingen.put("huishoudens-uitkering", regio, year, meting(value),
                                       BZK, None)
        doelen = DoelService(session, PUBLISHER)
        await doelen.put_nulmeting("rotterdam-zuid", "huishoudens-uitkering",
                                   NulmetingInvoer.model_validate(
                                       {"waarde": "14", "periode": "2022"}), BZK, None)
        await doelen.put_streefwaarde("rotterdam-zuid", "huishoudens-uitkering", "2030",
                                      StreefwaardeInvoer.model_validate({"waarde": "10"}),
                                      BZK, None)
        reeks = await ReeksService(session, PUBLISHER).reeks("rotterdam-zuid",
                                                             "huishoudens-uitkering")
        assert [r.regio for r in reeks.regios] == ["rotterdam-zuid", "GM0599-rest", "GM0599",
                                                   "NL01"]
        rows = [(p.periode, p.focusgebied and p.focusgebied.waarde,
                 p.rest_gemeente and p.rest_gemeente.waarde, p.gemeente and p.gemeente.waarde,
                 p.nederland and p.nederland.waarde) for p in reeks.punten]
        D = Decimal
        assert rows == [("2022", D("14.0000"), D("8.0000"), D("9.0000"), D("6.0000")),
                        ("2023", D("13.0000"), D("8.0000"), None, D("5.5000"))]
        assert reeks.nulmeting is not None
        assert reeks.nulmeting.waarde == D("14.0000")
        assert [(s.doelperiode, s.waarde) for s in reeks.streefwaarden] == [
            ("2030", D("10.0000"))]


async def test_count_helper_sees_the_outbox(session: AsyncSession) -> None:
    total = (await session.execute(select(func.count()).select_from(outbox))).scalar_one()
    assert total == 15
