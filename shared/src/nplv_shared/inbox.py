"""Idempotent consumer: apply a batch and record its event ids in one transaction, then commit
the Kafka offsets. A redelivered event (same `source` + `id`) is skipped.

Events that cannot be parsed, or whose projection raises anything but a database outage, are
parked in the `dead_letter` table (keyed by topic, partition and offset, so a redelivery parks
them once) and, when the service has one, sent as they came to its dead-letter topic with the
reason in headers (`nplv-dlq-reden`, and where they came from): the stream goes on and nothing is
lost; they can be inspected and replayed. A database outage instead retries the whole batch
until the database is back.

With a `positions` table the consumer also records, about once a second, how far it is per
partition (its position, the end of the log, and when it last had everything): what a read
model's API reports as its lag. With a `batch_lock` every batch transaction first takes that
advisory lock in shared mode, so a rebuild can hold it exclusively while it swaps tables.
"""

import asyncio
import logging
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Protocol

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from prometheus_client import Counter, Gauge
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    Table,
    Text,
    case,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nplv_shared.aio import sleep_or_stop
from nplv_shared.db import is_transient
from nplv_shared.events import CloudEvent
from nplv_shared.settings import ConsumerSettings
from nplv_shared.tracing import TraceParent
from nplv_shared.unnest import rows_of
from nplv_shared.verantwoording import EventTrace, Verantwoording
from nplv_shared.verwerkingen import Verwerkingsactiviteit, now_ms

logger = logging.getLogger(__name__)

class Projection(Protocol):
    """What a consumer applies events to: the new (not yet seen) events of one consumed batch,
    in topic order, inside the batch's transaction. Set-based: a projection should write each
    table once per batch, not once per event."""

    async def apply_batch(self, session: AsyncSession, events: list[CloudEvent]) -> None: ...

CONSUMER_LAG = Gauge("nplv_consumer_lag", "Berichten achter op de laatste offset",
                     ["group", "topic", "partition"])
EVENTS_APPLIED = Counter("nplv_consumer_events_total", "Verwerkte events",
                         ["group", "result"])
DEAD_LETTERS = Counter("nplv_consumer_dead_letters_total",
                       "Events die niet te verwerken waren (dead_letter en dead-letter-topic)",
                       ["group", "topic"])
POSITION_INTERVAL_S = 1.0
DLQ_REASON_HEADER = "nplv-dlq-reden"


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        Column("source", Text, primary_key=True),
        Column("event_id", Text, primary_key=True),
        Column("type", Text, nullable=False),
        Column("topic", Text, nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def dead_letter_table(metadata: MetaData) -> Table:
    return Table(
        "dead_letter",
        metadata,
        Column("topic", Text, primary_key=True),
        Column("partition", Integer, primary_key=True),
        Column("offset", BigInteger, primary_key=True),
        Column("raw", Text, nullable=False),
        Column("error", Text, nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def _traceparent(record: ConsumerRecord[Any, Any]) -> TraceParent | None:
    """The W3C trace context the relay sent with the event (header `traceparent`)."""
    for key, value in record.headers or ():
        if key == "traceparent":
            return _parse_traceparent(value)
    return None


@lru_cache(maxsize=4096)  # the events of one request (an import: thousands) share one
def _parse_traceparent(value: bytes | str) -> TraceParent | None:
    return TraceParent.parse(value)


class PermanentEventError(Exception):
    """A handler's verdict that this event can never be applied (it goes to dead_letter)."""


class IdempotentConsumer:
    def __init__(self, *, service: str, settings: ConsumerSettings,
                 sessionmaker: async_sessionmaker[AsyncSession], inbox: Table, dead_letter: Table,
                 projection: Projection, verantwoording: Verantwoording,
                 activity: Verwerkingsactiviteit, positions: Table | None = None,
                 batch_lock: int | None = None) -> None:
        self.settings = settings
        self.positions = positions
        self.batch_lock = batch_lock
        self.dead_letter_topic = settings.dead_letter_topic
        self.producer: AIOKafkaProducer | None = None
        self._positions_at = 0.0
        self.sessionmaker = sessionmaker
        self.inbox = inbox
        self.dead_letter = dead_letter
        self.topics = settings.topics
        self.group_id = settings.consumer_group
        self.client_id = f"{settings.kafka_client_id}-{service}-consumer"
        self.projection = projection
        self.verantwoording = verantwoording  # a processing-log line per batch and trace
        self.activity = activity

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            consumer = AIOKafkaConsumer(
                *self.topics,
                bootstrap_servers=self.settings.kafka_bootstrap_servers,
                client_id=self.client_id,
                group_id=self.group_id,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                max_poll_records=self.settings.consumer_batch_size,
                # The broker holds a fetch until 64 KiB or `consumer_linger_ms`: under a steady
                # stream the consumer applies fewer, larger batches (a backlog fills them at once).
                fetch_min_bytes=65536,
                fetch_max_wait_ms=self.settings.consumer_linger_ms,
                max_partition_fetch_bytes=self.settings.consumer_partition_fetch_bytes,
            )
            if self.dead_letter_topic:
                self.producer = AIOKafkaProducer(
                    bootstrap_servers=self.settings.kafka_bootstrap_servers,
                    client_id=f"{self.client_id}-dlq", acks="all", enable_idempotence=True)
            try:
                if self.producer is not None:
                    await self.producer.start()
                await consumer.start()
                await self._consume(consumer, stop)
            except Exception as exc:  # noqa: BLE001 - restart from the last committed offsets
                logger.warning("consumer %s herstart na fout: %r", self.group_id, exc)
                await sleep_or_stop(stop, 2.0)
            finally:
                await consumer.stop()
                if self.producer is not None:
                    await self.producer.stop()
                    self.producer = None

    async def _consume(self, consumer: AIOKafkaConsumer, stop: asyncio.Event) -> None:
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=500,
                                             max_records=self.settings.consumer_batch_size)
            await self._record_positions(consumer)
            if not batches:
                continue
            records = [r for partition_records in batches.values() for r in partition_records]
            await self._apply_with_retry(records, stop)
            await consumer.commit({tp: rs[-1].offset + 1 for tp, rs in batches.items()})
            self._record_lag(consumer, batches)

    async def _apply_with_retry(self, records: list[ConsumerRecord[Any, Any]],
                                stop: asyncio.Event) -> None:
        delay = 0.5
        while True:
            try:
                await self.apply(records)
                return
            except Exception as exc:
                if stop.is_set() or not is_transient(exc):
                    raise
                logger.warning("consumer %s: database niet bereikbaar, opnieuw: %r",
                               self.group_id, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def apply(self, records: list[ConsumerRecord[Any, Any]]) -> None:
        """Apply a batch in one transaction: unreadable records are parked first; if the rest
        fails for anything but a database outage, retry it in halves (in order) until the bad
        event is alone: a few extra transactions, not one per event."""
        parsed: list[tuple[ConsumerRecord[Any, Any], CloudEvent]] = []
        for record in records:
            try:
                parsed.append((record, CloudEvent.model_validate_json(record.value)))
            except (ValueError, TypeError) as exc:  # not JSON, or not a CloudEvent
                await self._park(record, exc)
        if parsed:
            await self._apply_parsed(parsed)

    async def _apply_parsed(self, batch: list[tuple[ConsumerRecord[Any, Any], CloudEvent]],
                            ) -> None:
        started = now_ms()
        try:
            async with self.sessionmaker() as session, session.begin():
                await self._lock(session)
                fresh = await self._claim(session, batch)
                await self.projection.apply_batch(session, [event for _, event in fresh])
                await self.verantwoording.record_batch(
                    session, [EventTrace(_traceparent(record), record.topic)
                              for record, _ in fresh],
                    self.activity, started_ms=started, name=self.activity.naam)
        except Exception as exc:
            if is_transient(exc):
                raise  # the database is away: retry the whole batch later
            if len(batch) == 1:
                await self._park(batch[0][0], exc)
                return
            middle = len(batch) // 2
            await self._apply_parsed(batch[:middle])
            await self._apply_parsed(batch[middle:])
            return
        EVENTS_APPLIED.labels(self.group_id, "applied").inc(len(fresh))
        EVENTS_APPLIED.labels(self.group_id, "duplicate").inc(len(batch) - len(fresh))

    async def _claim(self, session: AsyncSession,
                     batch: list[tuple[ConsumerRecord[Any, Any], CloudEvent]],
                     ) -> list[tuple[ConsumerRecord[Any, Any], CloudEvent]]:
        """Record the batch's event ids in the inbox with one statement; returns the events not
        seen before, in topic order (a redelivered or repeated event is left out)."""
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        keys = [(event.source, str(event.id)) for _, event in batch]
        for (record, event), key in zip(batch, keys, strict=True):
            rows.setdefault(key, {
                "source": key[0], "event_id": key[1], "type": event.type,
                "topic": record.topic, "partition": record.partition, "offset": record.offset})
        columns = ["source", "event_id", "type", "topic", "partition", "offset"]
        inserted = await session.execute(  # one statement, a typed array per column
            insert(self.inbox).from_select(columns, rows_of(self.inbox, columns,
                                                            list(rows.values())))
            .on_conflict_do_nothing().returning(self.inbox.c.source, self.inbox.c.event_id))
        new = {(source, event_id) for source, event_id in inserted.all()}
        fresh = []
        for (record, event), key in zip(batch, keys, strict=True):
            if key in new:
                new.discard(key)  # a repeat inside the batch counts once
                fresh.append((record, event))
        return fresh

    async def _park(self, record: ConsumerRecord[Any, Any], exc: Exception) -> None:
        logger.error("event naar dead_letter (%s/%s@%s): %r", record.topic, record.partition,
                     record.offset, exc)
        raw = record.value.decode(errors="replace") if record.value else ""
        started = now_ms()
        async with self.sessionmaker() as session, session.begin():
            await self._lock(session)
            await session.execute(
                insert(self.dead_letter)
                .values(topic=record.topic, partition=record.partition, offset=record.offset,
                        raw=raw, error=repr(exc)[:2000])
                .on_conflict_do_nothing()
            )
            # a processing that failed is logged too, with status 2 (error)
            await self.verantwoording.record_batch(
                session, [EventTrace(_traceparent(record), record.topic)], self.activity,
                started_ms=started, name=self.activity.naam, error=type(exc).__name__)
        EVENTS_APPLIED.labels(self.group_id, "dead_letter").inc()
        DEAD_LETTERS.labels(self.group_id, record.topic).inc()
        if self.producer is not None and self.dead_letter_topic:
            # after the table: a failed send restarts the consumer, which parks it again (once
            # in the table) and sends it again (the topic is at-least-once)
            await self.producer.send_and_wait(
                self.dead_letter_topic, value=record.value, key=record.key,
                headers=[(DLQ_REASON_HEADER, repr(exc)[:1000].encode()),
                         ("nplv-dlq-topic", record.topic.encode()),
                         ("nplv-dlq-partition", str(record.partition).encode()),
                         ("nplv-dlq-offset", str(record.offset).encode()),
                         ("nplv-dlq-groep", self.group_id.encode())])

    async def _lock(self, session: AsyncSession) -> None:
        if self.batch_lock is not None:
            await session.execute(select(func.pg_advisory_xact_lock_shared(self.batch_lock)))

    async def _record_positions(self, consumer: AIOKafkaConsumer) -> None:
        """Per assigned partition: the position, the end of the log as the last fetch saw it,
        and (when the position has reached it) now as the moment it had everything."""
        if self.positions is None:
            return
        now = asyncio.get_running_loop().time()
        if now - self._positions_at < POSITION_INTERVAL_S:
            return
        self._positions_at = now
        rows = []
        for tp in consumer.assignment():
            end = consumer.highwater(tp)
            if end is None:
                continue
            rows.append({"topic": tp.topic, "partition": tp.partition,
                         "positie": await consumer.position(tp), "eind": end})
        if not rows:
            return
        table = self.positions
        measured = datetime.now(UTC)
        statement = insert(table)
        excluded = statement.excluded
        caught_up = excluded.positie >= excluded.eind
        async with self.sessionmaker() as session, session.begin():
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=[table.c.topic, table.c.partition],
                    set_={"positie": excluded.positie, "eind": excluded.eind,
                          "gemeten_op": excluded.gemeten_op,
                          "bij_tot": case((caught_up, excluded.gemeten_op),
                                          else_=table.c.bij_tot)}),
                [{**row, "gemeten_op": measured,
                  "bij_tot": measured if row["positie"] >= row["eind"] else None}
                 for row in rows])

    def _record_lag(self, consumer: AIOKafkaConsumer,
                    batches: dict[TopicPartition, list[ConsumerRecord[Any, Any]]]) -> None:
        for tp, rs in batches.items():
            highwater = consumer.highwater(tp)
            if highwater is not None:
                lag = max(highwater - (rs[-1].offset + 1), 0)
                CONSUMER_LAG.labels(self.group_id, tp.topic, str(tp.partition)).set(lag)

