"""rapportage's projection and idempotent consumer on a real PostgreSQL session, rolled back per
test: sequence guards, moves and out-of-order delivery, tombstones, redelivery, dead letters."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from aiokafka import ConsumerRecord
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared.events import CloudEvent
from nplv_shared.inbox import IdempotentConsumer
from nplv_shared.problems import NotFound
from rapportage.config import Settings
from rapportage.db import dead_letter, focusgebied, inbox, traceability
from rapportage.projectie import Projectie
from rapportage.verwerkingen import VERANTWOORDING, VOORTGANG_BIJWERKEN
from rapportage.voortgang.schemas import FocusgebiedVoortgang
from rapportage.voortgang.service import VoortgangService

T = "nl.nplv.gebieden."
_offsets = itertools.count()


def event(kind: str, sequence: int, key: str, **data: Any) -> CloudEvent:
    return CloudEvent(source="urn:nld:nplv:systeem:gebieden", type=f"{T}{kind}.v1",
                      subject=f"x/{key}", dataschema="urn:x", sequence=sequence,
                      partitionkey=key, data=data, time=datetime.now(UTC))


def gebied(kind: str, sequence: int, code: str, naam: str = "Wijk") -> CloudEvent:
    data = {"code": code, "gemeente": "GM0599"}
    if not kind.endswith("verwijderd"):
        data |= {"naam": naam, "inwoners": None, "gebiedsdelen": []}
    return event(f"focusgebied.{kind}", sequence, code, **data)


def interventie(kind: str, sequence: int, interventie_id: uuid.UUID, area: str,
                status: str = "lopend", gepland: str = "10.00") -> CloudEvent:
    return event(f"interventie.{kind}", sequence, area, id=str(interventie_id),
                 focusgebied=area, gemeente="GM0599", actielijn=2, status=status,
                 outputEenheid="woningen", geplandeOutput=gepland)


async def apply(session: AsyncSession, *events: CloudEvent) -> None:
    """One consumed batch, as the consumer hands it over."""
    await Projectie().apply_batch(session, list(events))


async def view(session: AsyncSession, code: str) -> FocusgebiedVoortgang | None:
    try:
        return await VoortgangService(session).focusgebied(code)
    except NotFound:
        return None


def count(v: FocusgebiedVoortgang | None) -> int:
    return sum(a.aantal_interventies for a in v.actielijnen) if v else 0


class TestSequenceGuards:
    async def test_a_change_reaches_the_view(self, rapportage_session: AsyncSession) -> None:
        await apply(rapportage_session, gebied("aangemaakt", 1, "wijk-a", "Oude naam"))
        await apply(rapportage_session, gebied("gewijzigd", 2, "wijk-a", "Nieuwe naam"))
        v = await view(rapportage_session, "wijk-a")
        assert v is not None
        assert v.naam == "Nieuwe naam"

    async def test_an_older_event_arriving_late_changes_nothing(
            self, rapportage_session: AsyncSession) -> None:
        await apply(rapportage_session, gebied("gewijzigd", 2, "wijk-a", "Nieuwe naam"))
        await apply(rapportage_session, gebied("aangemaakt", 1, "wijk-a", "Oude naam"))
        v = await view(rapportage_session, "wijk-a")
        assert v is not None
        assert v.naam == "Nieuwe naam"

    async def test_a_redelivered_interventie_is_counted_once(
            self, rapportage_session: AsyncSession) -> None:
        i = uuid.uuid4()
        await apply(rapportage_session, gebied("aangemaakt", 1, "wijk-a"),
                    interventie("aangemaakt", 1, i, "wijk-a"))
        await apply(rapportage_session, interventie("aangemaakt", 1, i, "wijk-a", gepland="99"))
        v = await view(rapportage_session, "wijk-a")
        assert count(v) == 1
        assert v is not None
        assert v.actielijnen[1].output[0].gepland == 10

    async def test_a_focusgebied_tombstone_keeps_its_name_and_hides_the_view(
            self, rapportage_session: AsyncSession) -> None:
        await apply(rapportage_session, gebied("aangemaakt", 1, "wijk-a", "Wijk A"),
                    gebied("verwijderd", 2, "wijk-a"))
        row = (await rapportage_session.execute(
            select(focusgebied).where(focusgebied.c.code == "wijk-a"))).one()
        assert (row.naam, row.verwijderd, row.sequence) == ("Wijk A", True, 2)
        assert await view(rapportage_session, "wijk-a") is None


class TestMove:
    @pytest.mark.parametrize("order", ["in-order", "reversed"])
    async def test_a_move_consumed_in_either_order_gives_the_same_view(
            self, rapportage_session: AsyncSession, order: str) -> None:
        """The create is on A's partition, the move on B's: Kafka does not order them."""
        i = uuid.uuid4()
        await apply(rapportage_session, gebied("aangemaakt", 1, "wijk-a"),
                    gebied("aangemaakt", 1, "wijk-b"))
        created = interventie("aangemaakt", 1, i, "wijk-a")
        moved = interventie("gewijzigd", 2, i, "wijk-b", status="afgerond")
        for batch in ([created], [moved]) if order == "in-order" else ([moved], [created]):
            await apply(rapportage_session, *batch)

        a, b = await view(rapportage_session, "wijk-a"), await view(rapportage_session, "wijk-b")
        assert (count(a), count(b)) == (0, 1)
        assert b is not None
        assert [(s.status, s.aantal) for s in b.actielijnen[1].per_status] == [("afgerond", 1)]

    async def test_moving_out_and_back_in_one_batch_counts_it_once(
            self, rapportage_session: AsyncSession) -> None:
        i = uuid.uuid4()
        await apply(rapportage_session, gebied("aangemaakt", 1, "wijk-a"),
                    gebied("aangemaakt", 1, "wijk-b"), interventie("aangemaakt", 1, i, "wijk-a"),
                    interventie("gewijzigd", 2, i, "wijk-b"),
                    interventie("gewijzigd", 3, i, "wijk-a"))
        assert count(await view(rapportage_session, "wijk-a")) == 1
        assert count(await view(rapportage_session, "wijk-b")) == 0


def record(payload: bytes, traceparent: str | None = None) -> ConsumerRecord[Any, Any]:
    headers = [("traceparent", traceparent.encode())] if traceparent else []
    return ConsumerRecord(topic="nplv.gebieden.v1", partition=0, offset=next(_offsets),
                          timestamp=0, timestamp_type=0, key=b"wijk-a", value=payload,
                          checksum=None, serialized_key_size=6,
                          serialized_value_size=len(payload), headers=headers)


@pytest.fixture
def consumer(rapportage_session: AsyncSession) -> IdempotentConsumer:
    @asynccontextmanager
    async def same_session() -> AsyncIterator[AsyncSession]:
        yield rapportage_session  # session.begin() becomes a savepoint of the test's rollback

    sessionmaker: Callable[[], Any] = same_session
    return IdempotentConsumer(service="rapportage", settings=Settings(),
                              sessionmaker=sessionmaker,  # type: ignore[arg-type]
                              inbox=inbox, dead_letter=dead_letter,
                              projection=Projectie(),
                              verantwoording=VERANTWOORDING, activity=VOORTGANG_BIJWERKEN)


class TestIdempotentConsumer:
    async def test_the_same_event_delivered_twice_is_applied_once(
            self, consumer: IdempotentConsumer, rapportage_session: AsyncSession) -> None:
        i = uuid.uuid4()
        created = gebied("aangemaakt", 1, "wijk-a").to_json_bytes()
        added = interventie("aangemaakt", 1, i, "wijk-a").to_json_bytes()
        await consumer.apply([record(created), record(added)])
        await consumer.apply([record(added)])  # redelivered after a crash before the commit
        assert count(await view(rapportage_session, "wijk-a")) == 1
        assert len((await rapportage_session.execute(select(inbox))).all()) == 2

    async def test_an_unreadable_event_is_parked_and_the_rest_of_the_batch_applied(
            self, consumer: IdempotentConsumer, rapportage_session: AsyncSession) -> None:
        good = gebied("aangemaakt", 1, "wijk-a").to_json_bytes()
        await consumer.apply([record(b"{geen json"), record(good)])
        parked = (await rapportage_session.execute(select(dead_letter))).all()
        assert [p.raw for p in parked] == ["{geen json"]
        assert await view(rapportage_session, "wijk-a") is not None


class TestProcessingLog:
    A = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    B = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    async def test_a_batch_writes_one_line_per_trace_as_a_child_of_the_writing_span(
            self, consumer: IdempotentConsumer, rapportage_session: AsyncSession) -> None:
        log = traceability.verwerkingslog
        await consumer.apply([
            record(gebied("aangemaakt", 1, "wijk-a").to_json_bytes(), self.A),
            record(interventie("aangemaakt", 1, uuid.uuid4(), "wijk-a").to_json_bytes(), self.A),
            record(gebied("aangemaakt", 1, "wijk-b").to_json_bytes(), self.B),
            record(gebied("aangemaakt", 1, "wijk-c").to_json_bytes())])
        lines = (await rapportage_session.execute(select(log).order_by(log.c.id))).all()
        by_trace = {line.trace_id: line for line in lines}
        assert len(lines) == 3  # trace A (2 events), trace B, and the events without a trace
        a = by_trace["4bf92f3577b34da6a3ce929d0e0e4736"]
        assert a.parent_span_id == "00f067aa0ba902b7"
        assert a.span_id not in ("00f067aa0ba902b7", "0" * 16)
        assert a.foreign_operation == self.A
        assert a.processing_activity_id == VOORTGANG_BIJWERKEN.uri == \
            a.attributes["dpl.core.processing_activity_id"]
        assert a.attributes["nplv.events"] == 2
        assert (a.status_code, a.start_time <= a.end_time) == (0, True)
        assert by_trace["0af7651916cd43dd8448eb211c80319c"].attributes["nplv.events"] == 1
        orphan = [line for line in lines if line.parent_span_id is None]
        assert len(orphan) == 1
        assert orphan[0].foreign_operation is None

    async def test_an_event_that_cannot_be_processed_is_logged_with_status_2(
            self, consumer: IdempotentConsumer, rapportage_session: AsyncSession) -> None:
        await consumer.apply([record(b"{geen json", self.A)])
        [line] = (await rapportage_session.execute(select(traceability.verwerkingslog))).all()
        assert (line.trace_id, line.status_code) == ("4bf92f3577b34da6a3ce929d0e0e4736", 2)
        assert line.attributes["error.type"] == "ValidationError"

    async def test_a_redelivered_batch_writes_no_line(
            self, consumer: IdempotentConsumer, rapportage_session: AsyncSession) -> None:
        created = record(gebied("aangemaakt", 1, "wijk-a").to_json_bytes(), self.A)
        await consumer.apply([created])
        await consumer.apply([created])
        lines = (await rapportage_session.execute(select(traceability.verwerkingslog))).all()
        assert len(lines) == 1


async def test_an_area_created_again_after_its_tombstone_returns_in_the_view(
        rapportage_session: AsyncSession) -> None:
    await apply(rapportage_session, gebied("aangemaakt", 1, "wijk-a", "Eerst"),
                gebied("verwijderd", 2, "wijk-a"))
    await apply(rapportage_session, gebied("aangemaakt", 3, "wijk-a", "Terug"),
                interventie("aangemaakt", 1, uuid.uuid4(), "wijk-a"))
    v = await view(rapportage_session, "wijk-a")
    assert v is not None
    assert (v.naam, count(v)) == ("Terug", 1)


async def test_101_interventies_at_the_documented_maximum_sum_exactly(
        rapportage_session: AsyncSession) -> None:
    """gebieden accepts output up to 9999999999999999.99 (numeric(18,2)); the view's sums are
    unbounded, so no event the producer accepts can overflow them (it went to dead_letter)."""
    maximum = "9999999999999999.99"
    await apply(rapportage_session, gebied("aangemaakt", 1, "wijk-a"),
                *[interventie("aangemaakt", 1, uuid.uuid4(), "wijk-a", gepland=maximum)
                  for _ in range(101)])
    v = await view(rapportage_session, "wijk-a")
    assert count(v) == 101
    assert v is not None
    assert v.actielijnen[1].output[0].gepland == 101 * Decimal(maximum)


async def test_moving_out_updates_the_freshness_of_the_area_it_left(
        rapportage_session: AsyncSession) -> None:
    i = uuid.uuid4()
    await apply(rapportage_session, gebied("aangemaakt", 1, "wijk-a"),
                gebied("aangemaakt", 1, "wijk-b"), interventie("aangemaakt", 1, i, "wijk-a"))
    moved = interventie("gewijzigd", 2, i, "wijk-b")
    await apply(rapportage_session, moved)
    a = await view(rapportage_session, "wijk-a")
    assert a is not None
    assert count(a) == 0
    assert a.stand.laatste_event_id == moved.id


async def test_sums_keep_two_decimals_even_when_nothing_is_realised(
        rapportage_session: AsyncSession) -> None:
    await apply(rapportage_session, gebied("aangemaakt", 1, "wijk-a"),
                interventie("aangemaakt", 1, uuid.uuid4(), "wijk-a", gepland="10"))
    v = await view(rapportage_session, "wijk-a")
    assert v is not None
    output = v.actielijnen[1].output[0].model_dump(mode="json")
    assert (output["gepland"], output["gerealiseerd"]) == ("10.00", "0.00")
