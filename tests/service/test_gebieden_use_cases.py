"""gebieden's use cases on a real PostgreSQL session (migrated schema), rolled back per test:
what they store, what they put in the outbox and what they refuse, in milliseconds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gebieden.config import Settings
from gebieden.db import event_sequence, outbox
from gebieden.focusgebieden.schemas import AlliantieInvoer, FocusgebiedInvoer
from gebieden.focusgebieden.service import FocusgebiedService
from gebieden.gemeenten.schemas import GemeenteInvoer, PrestatieafsprakenInvoer
from gebieden.gemeenten.service import GemeenteService
from gebieden.interventies.schemas import InterventieInvoer
from gebieden.interventies.service import InterventieService
from gebieden.loader import load_reference_data
from gebieden.permissions import LOADER, SCOPE_GEBIED, SCOPE_INTERVENTIES
from nplv_shared.auth import Principal
from nplv_shared.outbox import EventPublisher
from nplv_shared.problems import BadRequest, Conflict, Forbidden, PreconditionRequired

PUBLISHER = EventPublisher(service="gebieden", settings=Settings(), table=outbox,
                           sequences=event_sequence)
BZK = Principal(client_id="bzk-systeem", organisatie="BZK",
                scopes=frozenset({SCOPE_INTERVENTIES}))


async def events(session: AsyncSession) -> list[dict[str, Any]]:
    rows = await session.execute(select(outbox.c.key, outbox.c.payload).order_by(outbox.c.id))
    return [{**r.payload, "key": r.key} for r in rows]


async def area(session: AsyncSession, code: str = "testwijk", gemeente: str = "GM0599") -> str:
    gemeenten = GemeenteService(session, PUBLISHER)
    if not await gemeenten.exists(gemeente):
        await gemeenten.put(gemeente, GemeenteInvoer(naam=f"Gemeente {gemeente}"), LOADER, None)
    await FocusgebiedService(session, PUBLISHER).put(
        code, FocusgebiedInvoer(naam=f"Wijk {code}", gemeente=gemeente), LOADER, None)
    return code


def invoer(focusgebied: str, **overrides: Any) -> InterventieInvoer:
    body = {"focusgebied": focusgebied, "actielijn": 2, "ministerie": "BZK",
            "titel": "Herstructurering portiekflats", "status": "lopend",
            "startdatum": "2025-01-01", "outputEenheid": "woningen", "geplandeOutput": "120.5",
            **overrides}
    return InterventieInvoer.model_validate(body)


class TestInterventie:
    async def test_create_stores_it_and_publishes_exactly_its_public_state(
            self, gebieden_session: AsyncSession) -> None:
        code = await area(gebieden_session)
        created = await InterventieService(gebieden_session, PUBLISHER).create(invoer(code), BZK)

        assert (created.gemeente, created.eigenaar, created.versie) == ("GM0599", "BZK", 1)
        assert created.geplande_output == Decimal("120.50")
        event = (await events(gebieden_session))[-1]
        assert event["type"] == "nl.nplv.gebieden.interventie.aangemaakt.v1"
        assert (event["key"], event["partitionkey"], event["sequence"]) == (code, code, 1)
        assert event["subject"] == f"interventies/{created.id}"
        assert event["data"] == {  # written out by hand: the published contract
            "id": str(created.id), "focusgebied": code, "gemeente": "GM0599", "actielijn": 2,
            "ministerie": "BZK", "eigenaar": "BZK", "titel": "Herstructurering portiekflats",
            "omschrijving": None, "status": "lopend", "startdatum": "2025-01-01",
            "einddatum": None, "outputEenheid": "woningen", "geplandeOutput": "120.50",
            "gerealiseerdeOutput": None, "begrotingsregelId": None, "bronsysteem": None,
            "bronId": None}

    async def test_a_move_to_another_area_is_keyed_by_the_new_area(
            self, gebieden_session: AsyncSession) -> None:
        old, new = await area(gebieden_session, "oud-gebied"), await area(
            gebieden_session, "nieuw-gebied", gemeente="GM0363")
        service = InterventieService(gebieden_session, PUBLISHER)
        created = await service.create(invoer(old), BZK)

        moved = await service.replace(created.id, invoer(new, titel="Verhuisd"), BZK, '"1"')

        assert (moved.focusgebied, moved.gemeente, moved.versie) == (new, "GM0363", 2)
        event = (await events(gebieden_session))[-1]
        assert event["type"] == "nl.nplv.gebieden.interventie.gewijzigd.v1"
        assert (event["key"], event["sequence"]) == (new, 2)
        assert (event["data"]["focusgebied"], event["data"]["gemeente"]) == (new, "GM0363")
        assert event["data"]["titel"] == "Verhuisd"

    async def test_delete_publishes_a_tombstone_one_version_higher(
            self, gebieden_session: AsyncSession) -> None:
        code = await area(gebieden_session)
        service = InterventieService(gebieden_session, PUBLISHER)
        created = await service.create(invoer(code), BZK)
        with pytest.raises(PreconditionRequired):
            await service.delete(created.id, BZK, None)

        await service.delete(created.id, BZK, '"1"')

        event = (await events(gebieden_session))[-1]
        assert event["type"] == "nl.nplv.gebieden.interventie.verwijderd.v1"
        assert event["sequence"] == 2
        assert event["data"] == {"id": str(created.id), "focusgebied": code,
                                 "gemeente": "GM0599"}

    async def test_unknown_area_is_a_400_on_the_field(self, gebieden_session: AsyncSession,
                                                     ) -> None:
        with pytest.raises(BadRequest) as info:
            await InterventieService(gebieden_session, PUBLISHER).create(invoer("nergens"), BZK)
        assert [p.name for p in info.value.invalid_params or []] == ["body.focusgebied"]

    async def test_another_ministrys_interventie_is_refused_in_the_use_case(
            self, gebieden_session: AsyncSession) -> None:
        code = await area(gebieden_session)
        with pytest.raises(Forbidden):
            await InterventieService(gebieden_session, PUBLISHER).create(
                invoer(code, ministerie="SZW"), BZK)


class TestFocusgebied:
    async def test_delete_is_refused_while_interventies_remain_and_the_area_stays(
            self, gebieden_session: AsyncSession) -> None:
        code = await area(gebieden_session)
        await InterventieService(gebieden_session, PUBLISHER).create(invoer(code), BZK)
        service = FocusgebiedService(gebieden_session, PUBLISHER)

        with pytest.raises(Conflict):
            await service.delete(code, LOADER, '"1"')

        assert (await service.get(code)).code == code  # the transaction goes on

    async def test_delete_takes_alliantie_along_and_publishes_the_tombstone(
            self, gebieden_session: AsyncSession) -> None:
        code = await area(gebieden_session)
        service = FocusgebiedService(gebieden_session, PUBLISHER)
        await service.put_alliantie(code, AlliantieInvoer.model_validate(
            {"rijksvertegenwoordiger": {"naam": "A. Ambtenaar"}}), LOADER, None)

        await service.delete(code, LOADER, '"1"')

        assert await service.gemeente_of(code) is None
        assert await service.repo.alliantie(code) is None
        event = (await events(gebieden_session))[-1]
        assert (event["type"], event["sequence"]) == (
            "nl.nplv.gebieden.focusgebied.verwijderd.v1", 2)
        assert event["data"] == {"code": code, "gemeente": "GM0599"}

    async def test_a_repeated_put_writes_nothing_and_publishes_nothing(
            self, gebieden_session: AsyncSession) -> None:
        code = await area(gebieden_session)
        before = len(await events(gebieden_session))
        _, created = await FocusgebiedService(gebieden_session, PUBLISHER).put(
            code, FocusgebiedInvoer(naam=f"Wijk {code}", gemeente="GM0599"), LOADER, '"1"')
        assert created is False
        assert len(await events(gebieden_session)) == before


class TestGemeente:
    async def test_prestatieafspraken_are_stored_and_published_in_point_order(
            self, gebieden_session: AsyncSession) -> None:
        await area(gebieden_session)
        gemeente = Principal(client_id="rotterdam", organisatie="GM0599",
                             scopes=frozenset({SCOPE_GEBIED}))
        afspraken = [{"nummer": n, "status": "open"} for n in (7, 3, 1, 2, 6, 5, 4)]
        saved, created = await GemeenteService(gebieden_session, PUBLISHER).put_prestatieafspraken(
            "GM0599", PrestatieafsprakenInvoer.model_validate({"afspraken": afspraken}),
            gemeente, None)
        assert created
        assert [a["nummer"] for a in saved.afspraken] == [1, 2, 3, 4, 5, 6, 7]
        event = (await events(gebieden_session))[-1]
        assert event["key"] == "GM0599"
        assert [a["nummer"] for a in event["data"]["afspraken"]] == [1, 2, 3, 4, 5, 6, 7]

    async def test_only_beheer_may_put_a_gemeente(self, gebieden_session: AsyncSession) -> None:
        with pytest.raises(Forbidden):
            await GemeenteService(gebieden_session, PUBLISHER).put(
                "GM0599", GemeenteInvoer(naam="Rotterdam"), BZK, None)


async def test_loader_writes_through_the_use_cases_and_a_rerun_changes_nothing(
        gebieden_session: AsyncSession) -> None:
    first = await load_reference_data(gebieden_session, PUBLISHER)
    published = len(await events(gebieden_session))

    again = await load_reference_data(gebieden_session, PUBLISHER)

    assert first == published >= 19 + 20 + 20
    assert again == 0
    assert len(await events(gebieden_session)) == published




async def test_an_area_deleted_and_created_again_continues_its_sequence(
        gebieden_session: AsyncSession) -> None:
    code = await area(gebieden_session, "terug-gebied")
    service = FocusgebiedService(gebieden_session, PUBLISHER)
    await service.put(code, FocusgebiedInvoer(naam="Gewijzigd", gemeente="GM0599"), LOADER, '"1"')
    await service.delete(code, LOADER, '"2"')

    recreated, created = await service.put(
        code, FocusgebiedInvoer(naam="Terug", gemeente="GM0599"), LOADER, None)
    assert created
    assert recreated.versie == 1  # the ETag restarts with the new resource ...
    await service.put(code, FocusgebiedInvoer(naam="Terug 2", gemeente="GM0599"), LOADER, '"1"')

    mine = [(e["type"].split(".")[4], e["sequence"]) for e in await events(gebieden_session)
            if e["subject"] == f"focusgebieden/{code}"]
    # ... but the event sequence never goes backwards over the aggregate's whole life
    assert mine == [("aangemaakt", 1), ("gewijzigd", 2), ("verwijderd", 3),
                    ("aangemaakt", 4), ("gewijzigd", 5)]
