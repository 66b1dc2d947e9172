"""Transactional outbox: events are rows written in the same transaction as the change.

Use cases call `EventPublisher.publish` inside the request's transaction (`add_events` writes
ready-made events, e.g. in tests). `OutboxRelay` (run by the
service's worker) publishes pending rows to Kafka in id order, waits for the acks, and only then
marks them published, in one transaction per batch. Rows are claimed with FOR UPDATE SKIP LOCKED
and the relay holds a PostgreSQL advisory lock, so a second replica waits instead of reordering.
"""

import asyncio
import json
import logging
import time
import uuid
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from fastapi import Depends, Request
from prometheus_client import Counter, Gauge
from pydantic import BaseModel
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    MetaData,
    Table,
    Text,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from nplv_shared import tracing
from nplv_shared.aggregates import Saved
from nplv_shared.aio import sleep_or_stop
from nplv_shared.db import DATABASE_ERRORS
from nplv_shared.events import (
    CLOUDEVENTS_CONTENT_TYPE,
    CloudEvent,
    EventData,
    build_event,
    schema_url,
)
from nplv_shared.settings import ProducerSettings

logger = logging.getLogger(__name__)
OUTBOX_BACKLOG = Gauge("nplv_outbox_backlog", "Events in de outbox die nog niet gepubliceerd zijn",
                       ["service"])
OUTBOX_PUBLISHED = Counter("nplv_outbox_published_total", "Gepubliceerde events", ["service"])
OUTBOX_ERRORS = Counter("nplv_outbox_publish_errors_total", "Mislukte publicatiepogingen",
                        ["service"])


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("topic", Text, nullable=False),
        Column("key", Text, nullable=False),
        Column("type", Text, nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True), nullable=True),
        # W3C trace context of the request that wrote the event; sent as a Kafka header
        Column("traceparent", Text, nullable=True),
        Index("ix_outbox_pending", "id", postgresql_where=text("published_at IS NULL")),
    )


def event_sequence_table(metadata: MetaData) -> Table:
    """The last event `sequence` per aggregate (by CloudEvents `subject`), kept after the
    aggregate is deleted, so its sequence never goes backwards over its whole life."""
    return Table(
        "event_sequence",
        metadata,
        Column("subject", Text, primary_key=True),
        Column("last_sequence", BigInteger, nullable=False),
    )


# One statement that takes the aggregate's next sequence and writes the outbox row with it: the
# sequence is the event's version (`:sequence`), unless the aggregate was deleted and created
# again (versie restarts at 1), then one above its last event. Written once as SQL rather than
# built per write: building and cache-keying the Core construct was a tenth of a write's CPU.
SEQUENCED_OUTBOX_ROW = text("""
    WITH seq AS (
        INSERT INTO event_sequence (subject, last_sequence) VALUES (:subject, :sequence)
        ON CONFLICT (subject) DO UPDATE
            SET last_sequence = greatest(event_sequence.last_sequence + 1,
                                         excluded.last_sequence)
        RETURNING last_sequence
    )
    INSERT INTO outbox (event_id, topic, key, type, payload, traceparent)
    SELECT :event_id, :topic, :key, :type,
           jsonb_set(:payload, '{sequence}', to_jsonb(seq.last_sequence)), :traceparent
    FROM seq
""").bindparams(bindparam("payload", type_=JSONB), bindparam("event_id", type_=UUID(as_uuid=True)),
                bindparam("sequence", type_=BigInteger), bindparam("traceparent", type_=Text))


# The set-based form for a batch of events (a bulk import): one statement for any number of
# events, each subject at most once. Rows keep the order given (per-key order on the topic).
SEQUENCED_OUTBOX_ROWS = text("""
    WITH ev AS (
        SELECT * FROM unnest(CAST(:subjects AS text[]), CAST(:sequences AS bigint[]),
                             CAST(:event_ids AS uuid[]), CAST(:keys AS text[]),
                             CAST(:types AS text[]), CAST(:payloads AS text[]))
            WITH ORDINALITY AS e(subject, sequence, event_id, key, type, payload, n)
    ), seq AS (
        INSERT INTO event_sequence (subject, last_sequence)
        SELECT subject, sequence FROM ev
        ON CONFLICT (subject) DO UPDATE
            SET last_sequence = greatest(event_sequence.last_sequence + 1,
                                         excluded.last_sequence)
        RETURNING subject, last_sequence
    )
    INSERT INTO outbox (event_id, topic, key, type, payload, traceparent)
    SELECT ev.event_id, :topic, ev.key, ev.type,
           jsonb_set(ev.payload::jsonb, '{sequence}', to_jsonb(seq.last_sequence)), :traceparent
    FROM ev JOIN seq USING (subject)
    ORDER BY ev.n
""")


def outbox_ctes(events: str) -> str:
    """For a set-based write that builds its events in SQL (a bulk import: no event passes
    through Python): CTEs that publish the rows of the CTE named `events` as `publish` would,
    with the envelope `build_event` makes. `events` has the columns `event_id` (uuid),
    `subject`, `sequence` (the aggregate's version), `key`, `type`, `data` (jsonb) and `n`
    (the order to publish in); each subject at most once. Binds the parameters of
    `EventPublisher.sql_parameters`. Append to a WITH list.

    The published sequence is the version, or one above the subject's last event if that is
    higher (an aggregate deleted and created again), read as the statement began: writers of
    one aggregate are serialised by its row lock, so the version decides. (Joining the
    claimed sequences back to the events, two CTEs without statistics, was planned as a
    nested loop: n² for n events.)"""
    if not events.isidentifier():
        raise ValueError("outbox_ctes: de naam van een CTE")
    return f"""
    claimed AS (
        SELECT e.*, greatest(coalesce(q.last_sequence + 1, e.sequence),
                             e.sequence) AS published_sequence
        FROM {events} e LEFT JOIN event_sequence q USING (subject)
    ),
    sequenced AS (
        INSERT INTO event_sequence AS q (subject, last_sequence)
        SELECT subject, published_sequence FROM claimed
        ON CONFLICT (subject) DO UPDATE
            SET last_sequence = greatest(q.last_sequence, excluded.last_sequence)
    ),
    published AS (
        INSERT INTO outbox (event_id, topic, key, type, payload, traceparent)
        SELECT c.event_id, CAST(:outbox_topic AS text), c.key, c.type,
               jsonb_build_object(
                   'specversion', '1.0', 'id', c.event_id,
                   'source', CAST(:outbox_source AS text),
                   'type', c.type, 'subject', c.subject, 'time', CAST(:outbox_time AS text),
                   'datacontenttype', 'application/json',
                   'dataschema', 'urn:nld:nplv:schema:' || c.type,
                   'sequence', c.published_sequence, 'partitionkey', c.key, 'data', c.data),
               CAST(:outbox_traceparent AS text)
        FROM claimed c
        ORDER BY c.n
    )"""  # noqa: S608 - `events` is the caller's CTE name, a constant; values are bound


@dataclass(frozen=True)
class Uitgaand:
    """One event of a batch for `EventPublisher.publish_many`."""

    data: EventData
    subject: str
    key: str
    sequence: int


def notify_channel(service: str) -> str:
    return f"outbox_{service}"


PUBLISHED = "nplv_outbox_written"  # session.info flag: this transaction wrote outbox rows


async def add_events(session: AsyncSession, table: Table, topic: str, service: str,
                     events: Sequence[CloudEvent]) -> None:
    """Write events in the caller's transaction. The relay is woken after the commit
    (`OutboxWaker`), not by a NOTIFY inside it: a NOTIFY takes a database-wide lock at commit
    and would serialise every writing transaction."""
    if not events:
        return
    traceparent = _current_traceparent()
    rows = [
        {"event_id": e.id, "topic": topic, "key": e.partitionkey, "type": e.type,
         "payload": e.model_dump(mode="json", exclude_none=True), "traceparent": traceparent}
        for e in events
    ]
    await session.execute(insert(table), rows)
    session.info[PUBLISHED] = True


def _current_traceparent() -> str | None:
    context = tracing.current()
    return str(context) if context else None


class OutboxWaker:
    """Wakes the service's outbox relay after commits that wrote events: one NOTIFY for all the
    commits of the next few milliseconds, in a transaction of its own that does not wait for
    the disk (a lost wake-up costs at most the relay's poll interval, never an event)."""

    def __init__(self, service: str, *, coalesce_s: float = 0.002) -> None:
        self.channel = notify_channel(service)
        self.coalesce_s = coalesce_s
        self._pending: asyncio.Task[None] | None = None

    def wake(self, engine: AsyncEngine) -> None:
        if self._pending is None or self._pending.done():
            self._pending = asyncio.get_running_loop().create_task(self._notify(engine))

    async def _notify(self, engine: AsyncEngine) -> None:
        await asyncio.sleep(self.coalesce_s)
        self._pending = None  # commits from here on schedule the next NOTIFY
        try:  # one statement in autocommit: no BEGIN/COMMIT round trips for a hint
            async with engine.connect() as connection:
                autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.execute(
                    select(func.set_config("synchronous_commit", "off", True),
                           func.pg_notify(self.channel, "")))
        except Exception as exc:  # noqa: BLE001 - only a hint; the relay polls as well
            logger.debug("outbox-wekker: NOTIFY mislukt: %r", exc)


class EventPublisher:
    """Publishes a service's events through its outbox, as the source and on the topic its
    settings name. Use cases call `publish` inside the request's (or batch's) transaction."""

    def __init__(self, *, service: str, settings: ProducerSettings, table: Table,
                 sequences: Table) -> None:
        self.service = service
        self.source = settings.event_source
        CloudEvent.check_source(self.source)
        self.topic = settings.topic
        # SEQUENCED_OUTBOX_ROW names the platform's tables; a service's must be those
        if (table.name, sequences.name) != ("outbox", "event_sequence"):
            raise ValueError("EventPublisher schrijft in de tabellen outbox en event_sequence")
        self.table = table
        self.waker = OutboxWaker(service)

    async def publish_saved(self, session: AsyncSession, saved: Saved[Any],
                            schema: type[BaseModel], created: type[EventData],
                            changed: type[EventData], *, subject: str, key: str) -> None:
        """After a create-or-replace (`aggregates.upsert`): publish `created` or `changed` with
        the record's state as `schema` shows it; nothing when the PUT changed nothing."""
        if not saved.changed:
            return
        event = created if saved.created else changed
        await self.publish(session, event.of(schema.model_validate(saved.obj)), subject=subject,
                           key=key, sequence=saved.obj.versie)

    def after_commit(self, session: AsyncSession, engine: AsyncEngine) -> None:
        """Call after the transaction committed: wakes the relay if it wrote events."""
        if session.info.pop(PUBLISHED, False):
            self.waker.wake(engine)

    async def publish(self, session: AsyncSession, data: EventData, *, subject: str, key: str,
                      sequence: int) -> None:
        """`sequence` is the aggregate's version (tombstones: version + 1); the published
        sequence is never lower than one above the subject's previous event (one statement
        claims it and writes the outbox row)."""
        event = build_event(source=self.source, data=data, subject=subject, key=key,
                            sequence=sequence)
        await session.execute(SEQUENCED_OUTBOX_ROW, {
            "subject": event.subject, "sequence": event.sequence, "event_id": event.id,
            "topic": self.topic, "key": event.partitionkey, "type": event.type,
            "payload": event.model_dump(mode="json", exclude_none=True),
            "traceparent": _current_traceparent()})
        session.info[PUBLISHED] = True


    async def publish_many(self, session: AsyncSession, events: Sequence[Uitgaand], *,
                           traceparent: str | None = None) -> None:
        """Publish a batch of events with one statement (a bulk import writes tens of
        thousands): the same rows and sequences as `publish` one by one, in the order given.
        Each subject may occur once per call. `traceparent` defaults to the current span's."""
        if not events:
            return
        subjects = [e.subject for e in events]
        if len(set(subjects)) != len(subjects):
            raise ValueError("publish_many: elk subject hoogstens één keer per aanroep")
        # The envelope as `build_event` makes it, written out: validating a CloudEvent model
        # per event was most of a bulk import's CPU. The source was checked when the publisher
        # was made, each type once per batch; all events of a batch share its time.
        time = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        for event_type in {e.data.event_type for e in events}:
            CloudEvent.check_type(event_type)
        ids = [uuid.uuid4() for _ in events]
        payloads = [json.dumps({
            "specversion": "1.0", "id": str(event_id), "source": self.source,
            "type": e.data.event_type, "subject": e.subject, "time": time,
            "datacontenttype": "application/json", "dataschema": schema_url(e.data.event_type),
            "sequence": e.sequence, "partitionkey": e.key,
            "data": e.data.model_dump(mode="json")}, separators=(",", ":"))
            for event_id, e in zip(ids, events, strict=True)]
        await session.execute(SEQUENCED_OUTBOX_ROWS, {
            "subjects": subjects, "sequences": [e.sequence for e in events], "event_ids": ids,
            "keys": [e.key for e in events], "types": [e.data.event_type for e in events],
            "payloads": payloads, "topic": self.topic,
            "traceparent": traceparent or _current_traceparent()})
        session.info[PUBLISHED] = True


    def sql_parameters(self, session: AsyncSession, event_types: Sequence[str], *,
                       traceparent: str | None = None) -> dict[str, Any]:
        """The parameters `outbox_ctes` binds, for a statement of this transaction that
        publishes events of `event_types` (checked here); the relay is woken after commit."""
        for event_type in event_types:
            CloudEvent.check_type(event_type)
            if schema_url(event_type) != f"urn:nld:nplv:schema:{event_type}":
                raise ValueError("outbox_ctes schrijft dataschema zoals schema_url")
        session.info[PUBLISHED] = True
        return {"outbox_topic": self.topic, "outbox_source": self.source,
                "outbox_time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                "outbox_traceparent": traceparent or _current_traceparent()}


async def _request_publisher(request: Request) -> EventPublisher:
    publisher: EventPublisher = request.state.publisher
    return publisher


# The service's publisher, put in the app state by `create_app(state={"publisher": ...})`.
PublisherDep = Annotated[EventPublisher, Depends(_request_publisher)]


CONTENT_TYPE_HEADER = ("content-type", CLOUDEVENTS_CONTENT_TYPE.encode())


def _headers(traceparent: str | None) -> list[tuple[str, bytes]]:
    """Kafka headers of an event: its CloudEvents content type and, when the request that
    wrote it had one, its W3C trace context (the consumer continues that trace)."""
    if traceparent is None:
        return [CONTENT_TYPE_HEADER]
    return [CONTENT_TYPE_HEADER, ("traceparent", traceparent.encode())]


class OutboxRelay:
    def __init__(self, *, service: str, settings: ProducerSettings, table: Table,
                 sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.service = service
        self.settings = settings
        self.table = table
        self.sessionmaker = sessionmaker
        self._wake = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._backlog_measured = 0.0

    async def run(self, stop: asyncio.Event) -> None:
        """Run until `stop` is set; reconnects to PostgreSQL and Kafka as needed."""
        while not stop.is_set():
            try:
                await self._run_as_leader(stop)
            except DATABASE_ERRORS as exc:
                logger.warning("outbox-relay: verbinding met database verloren: %s", exc)
                await sleep_or_stop(stop, 2.0)
        await self._close_producer()

    async def _run_as_leader(self, stop: asyncio.Event) -> None:
        conn = await asyncpg.connect(self.settings.asyncpg_dsn)
        try:
            lock_id = zlib.crc32(f"nplv-outbox-{self.service}".encode())
            await conn.execute("SELECT pg_advisory_lock($1)", lock_id)
            await conn.add_listener(notify_channel(self.service), self._on_notify)
            logger.info("outbox-relay %s actief", self.service)
            while not stop.is_set():
                if conn.is_closed():  # lock and LISTEN are gone: another replica may lead now
                    raise ConnectionError("LISTEN-verbinding met de database verbroken")
                self._wake.clear()  # before publishing: a NOTIFY during the batch is kept
                published = await self._publish_or_back_off(stop)
                if published < self.settings.outbox_batch_size:
                    await self._wait_for_work(stop)
        finally:
            await conn.close()

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def _wait_for_work(self, stop: asyncio.Event) -> None:
        waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
        await asyncio.wait(waiters, timeout=self.settings.outbox_poll_interval_s,
                           return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()
        if self._wake.is_set() and not stop.is_set():
            # Linger a moment so the commits that follow join this batch: under a steady
            # stream of writes this publishes fewer, larger batches (CPU per event, not latency,
            # is what the relay runs out of first).
            await sleep_or_stop(stop, self.settings.outbox_linger_ms / 1000)

    async def _publish_or_back_off(self, stop: asyncio.Event) -> int:
        try:
            return await self.publish_batch()
        except KafkaError as exc:
            OUTBOX_ERRORS.labels(self.service).inc()
            logger.warning("outbox-relay: publiceren mislukt, later opnieuw: %r", exc)
            await self._close_producer()
            await sleep_or_stop(stop, 1.0)
            return 0

    async def publish_batch(self) -> int:
        """Publish one batch of pending events; returns how many were published."""
        producer = await self._ensure_producer()
        t = self.table
        async with self.sessionmaker() as session, session.begin():
            rows = (await session.execute(
                select(t.c.id, t.c.topic, t.c.key, t.c.payload, t.c.traceparent)
                .where(t.c.published_at.is_(None))
                .order_by(t.c.id)
                .limit(self.settings.outbox_batch_size)
                .with_for_update(skip_locked=True)
            )).all()
            if rows:
                futures = [
                    await producer.send(row.topic, value=CloudEvent.model_validate(row.payload)
                                        .to_json_bytes(), key=row.key.encode(),
                                        headers=_headers(row.traceparent))
                    for row in rows
                ]
                await asyncio.gather(*futures)
                await session.execute(
                    update(t).where(t.c.id.in_([r.id for r in rows]))
                    .values(published_at=datetime.now(UTC))
                )
        OUTBOX_PUBLISHED.labels(self.service).inc(len(rows))
        if len(rows) < self.settings.outbox_batch_size:
            OUTBOX_BACKLOG.labels(self.service).set(0)  # drained: no count(*) on the hot path
        else:
            await self._measure_backlog()
        return len(rows)

    async def _measure_backlog(self) -> None:
        """count(*) of the pending rows while the relay is behind, at most every 5 s."""
        now = time.monotonic()
        if now - self._backlog_measured < 5:
            return
        self._backlog_measured = now
        t = self.table
        async with self.sessionmaker() as session:
            backlog = (await session.execute(
                select(func.count()).select_from(t).where(t.c.published_at.is_(None))
            )).scalar_one()
        OUTBOX_BACKLOG.labels(self.service).set(backlog)

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = AIOKafkaProducer(
                bootstrap_servers=self.settings.kafka_bootstrap_servers,
                client_id=f"{self.settings.kafka_client_id}-{self.service}-outbox",
                acks="all",
                enable_idempotence=True,
                linger_ms=5,
                request_timeout_ms=15000,
            )
            try:
                await producer.start()
            except Exception:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _close_producer(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            try:
                await producer.stop()
            except Exception as exc:  # noqa: BLE001 - closing a broken producer may fail too
                logger.debug("producer sluiten mislukt: %r", exc)

