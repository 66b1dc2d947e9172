"""Rebuild by replay: every topic from its first offset into fresh tables, then swapped in.

1. The read models, views, inbox and dead-letter table are created empty in schema `herbouw`.
2. A consumer without a group reads every partition of the three topics from the beginning
   and applies the events with the live code path (`IdempotentConsumer.apply`, the same
   projection) into those tables, up to the end offsets as they were at the start.
3. Hand-over: it takes the advisory lock every live batch takes in shared mode (so no live
   batch runs), reads up to where the live consumer has applied (the highest offset per
   partition in the live inbox and dead letters), replays at least that far, and in the same
   transaction moves the live tables to `herbouw_oud` and the rebuilt ones to `public`. Reads go
   on throughout: they wait only for the moment of the swap. Events the rebuild applied beyond
   the live consumer are in the swapped inbox, so the live consumer skips them.

The audit and processing log, the consumer positions and the rebuild jobs are not rebuilt. A job
is one processing-log line (`record_job`); its progress is in table `herbouw`, readable at
`GET /v1/herbouwopdrachten/{id}` and printed by `python -m rapportage.herbouw`.

One rebuild at a time: a unique index allows one job `wachtend`/`bezig`, and whoever runs it
holds a session advisory lock (`JOB_LOCK`) on its own connection, so a job whose worker died is
picked up again by the next worker (from the beginning: the fresh tables are recreated).
"""

import argparse
import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from nplv_shared.aio import sleep_or_stop
from nplv_shared.auth import Principal
from nplv_shared.db import make_engine, make_sessionmaker
from nplv_shared.inbox import IdempotentConsumer
from nplv_shared.verwerkingen import now_ms
from rapportage.config import SERVICE, Settings, get_settings
from rapportage.db import PROJECTIE_TABELLEN, dead_letter, herbouw, inbox, metadata, traceability
from rapportage.projectie import Projectie
from rapportage.verwerkingen import HERBOUWEN, VERANTWOORDING, VOORTGANG_BIJWERKEN

logger = logging.getLogger(__name__)
SCHEMA, OUD = "herbouw", "herbouw_oud"
BATCH_LOCK = 7_3512_0001  # advisory lock: live batches shared, the swap exclusive
JOB_LOCK = 7_3512_0002  # advisory lock: the one process running a rebuild
POLL_S = 1.0
HANDOVER_S = 60.0  # the longest the live consumer may wait for the hand-over
PROGRESS_S = 1.0
SYSTEEM = Principal(client_id="rapportage-herbouw", organisatie="BZK", scopes=frozenset())

Voortgang = Callable[[dict[str, Any]], Awaitable[None] | None]


@dataclass
class Stand:
    verwerkt: int = 0
    totaal: int = 0
    gestart: float = 0.0

    def als_dict(self) -> dict[str, Any]:
        duur = max(time.monotonic() - self.gestart, 1e-6)
        rate = self.verwerkt / duur
        rest = max(self.totaal - self.verwerkt, 0)
        return {"events_verwerkt": self.verwerkt, "events_totaal": self.totaal,
                "per_seconde": round(rate, 1),
                "resterend_seconden": round(rest / rate, 1) if rate > 0 else None}


async def vraag_aan(engine: AsyncEngine, door: str, *, status: str = "wachtend") -> uuid.UUID:
    """Record a rebuild request; raises IntegrityError when one is already waiting or running."""
    job_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(insert(herbouw).values(id=job_id, status=status,
                                                  aangevraagd_door=door))
    return job_id


async def herbouw_loop(stop: asyncio.Event, *, settings: Settings, engine: AsyncEngine) -> None:
    """The worker's loop: runs a requested (or orphaned) rebuild when it gets the job lock."""
    while not stop.is_set():
        try:
            await _run_pending(settings, engine, stop)
        except Exception:
            logger.exception("herbouw mislukt")
        await sleep_or_stop(stop, POLL_S)


async def _run_pending(settings: Settings, engine: AsyncEngine, stop: asyncio.Event) -> None:
    async with engine.connect() as conn:
        job = (await conn.execute(select(herbouw.c.id).where(
            herbouw.c.status.in_(("wachtend", "bezig"))))).scalar_one_or_none()
        await conn.commit()
        if job is None:
            return
        if not (await conn.execute(select(func.pg_try_advisory_lock(JOB_LOCK)))).scalar_one():
            await conn.commit()
            return  # another process runs it
        await conn.commit()
        try:
            await voer_uit(settings, engine, job, stop=stop)
        finally:
            await conn.execute(select(func.pg_advisory_unlock(JOB_LOCK)))
            await conn.commit()


async def voer_uit(settings: Settings, engine: AsyncEngine, job_id: uuid.UUID, *,
                   stop: asyncio.Event | None = None, voortgang: Voortgang | None = None,
                   ) -> None:
    """Run job `job_id` to the end (the caller holds JOB_LOCK)."""
    stand = Stand(gestart=time.monotonic())
    started = now_ms()
    await _job(engine, job_id, status="bezig", gestart_op=func.now(), fout=None,
               events_verwerkt=0)
    try:
        await _herbouw(settings, engine, job_id, stand, stop, voortgang)
    except Exception as exc:
        await _job(engine, job_id, status="mislukt", klaar_op=func.now(), fout=repr(exc)[:2000])
        raise
    await _job(engine, job_id, status="klaar", klaar_op=func.now(), **stand.als_dict())
    async with make_sessionmaker(engine)() as session, session.begin():
        await VERANTWOORDING.record_job(session, HERBOUWEN, SYSTEEM, name=HERBOUWEN.naam,
                                        started_ms=started)


async def _job(engine: AsyncEngine, job_id: uuid.UUID, **values: Any) -> None:
    async with engine.begin() as conn:
        await conn.execute(update(herbouw).where(herbouw.c.id == job_id).values(**values))


async def _herbouw(settings: Settings, engine: AsyncEngine, job_id: uuid.UUID, stand: Stand,
                   stop: asyncio.Event | None, voortgang: Voortgang | None) -> None:
    await _maak_schema(engine)
    fresh = engine.execution_options(schema_translate_map={None: SCHEMA})
    replay = IdempotentConsumer(
        service=SERVICE, settings=settings.model_copy(update={"dead_letter_topic": None}),
        sessionmaker=make_sessionmaker(fresh), inbox=inbox, dead_letter=dead_letter,
        projection=Projectie(), verantwoording=VERANTWOORDING, activity=VOORTGANG_BIJWERKEN)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers, group_id=None,
        client_id=f"{settings.kafka_client_id}-{SERVICE}-herbouw", enable_auto_commit=False,
        auto_offset_reset="earliest", max_poll_records=settings.consumer_batch_size,
        fetch_max_bytes=64 * 1024 * 1024,
        max_partition_fetch_bytes=settings.consumer_partition_fetch_bytes)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for topic in settings.topics
                      for p in sorted(await _partitions(consumer, topic))]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        begin = await consumer.beginning_offsets(partitions)
        eind = await consumer.end_offsets(partitions)
        stand.totaal = sum(eind[tp] - begin[tp] for tp in partitions)
        positie = dict(begin)
        laatst = 0.0

        async def meld() -> None:
            nonlocal laatst
            if time.monotonic() - laatst < PROGRESS_S:
                return
            laatst = time.monotonic()
            await _job(engine, job_id, **stand.als_dict())
            if voortgang is not None:
                result = voortgang(stand.als_dict())
                if result is not None:
                    await result

        async def tot(doel: dict[TopicPartition, int]) -> None:
            while any(positie[tp] < doel[tp] for tp in doel):
                if stop is not None and stop.is_set():
                    raise asyncio.CancelledError("worker stopt")
                batches = await consumer.getmany(timeout_ms=500,
                                                 max_records=settings.consumer_batch_size)
                records: list[ConsumerRecord[Any, Any]] = []
                for rs in batches.values():
                    records.extend(rs)
                for tp in doel:  # the fetch position also steps over gaps in the offsets
                    positie[tp] = await consumer.position(tp)
                if records:
                    await replay.apply(records)
                    stand.verwerkt += len(records)
                    await meld()

        await tot(eind)  # 2: the history as it was at the start
        async with engine.connect() as conn:  # 3: hand-over under the batch lock
            await conn.execute(select(func.pg_advisory_xact_lock(BATCH_LOCK)))
            live = await _live_posities(conn)
            nu = await consumer.end_offsets(partitions)
            # as far as the live consumer got, but never past the end of the log (an inbox row
            # that names a later offset would otherwise be waited for forever)
            doel = {tp: min(max(live.get((tp.topic, tp.partition), 0), positie[tp]), nu[tp])
                    for tp in partitions}
            stand.totaal = max(stand.totaal, stand.verwerkt + sum(
                doel[tp] - positie[tp] for tp in partitions))
            # live batches wait meanwhile: give up (and let them go on) rather than hold them
            await asyncio.wait_for(tot(doel), HANDOVER_S)
            await _wissel(conn)
            await conn.commit()
        laatst = 0.0
        await meld()
    finally:
        await consumer.stop()
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP SCHEMA IF EXISTS {OUD} CASCADE"))
        await conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    for _ in range(50):
        found: set[int] | None = consumer.partitions_for_topic(topic)
        if found:
            return found
        await consumer._client.force_metadata_update()
        await asyncio.sleep(0.1)
    raise RuntimeError(f"topic {topic} onbekend bij Kafka")


async def _maak_schema(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        await conn.execute(text(f"DROP SCHEMA IF EXISTS {OUD} CASCADE"))
        await conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        translated = await conn.execution_options(schema_translate_map={None: SCHEMA})
        # the processing log too, only so the replay's batch lines have somewhere to go: the
        # rebuild is one line of its own in the live log, the schema is dropped afterwards
        await translated.run_sync(lambda sync: metadata.create_all(
            sync, tables=[*PROJECTIE_TABELLEN, traceability.verwerkingslog]))


async def _live_posities(conn: AsyncConnection) -> dict[tuple[str, int], int]:
    """Per partition, the offset after the last event the live consumer applied or parked."""
    rows = await conn.execute(text(
        "SELECT topic, partition, max(\"offset\") + 1 FROM ("
        " SELECT topic, partition, \"offset\" FROM public.inbox"
        " UNION ALL SELECT topic, partition, \"offset\" FROM public.dead_letter) t"
        " GROUP BY topic, partition"))
    return {(topic, partition): int(offset) for topic, partition, offset in rows.all()}


async def _wissel(conn: AsyncConnection) -> None:
    await conn.execute(text("SET LOCAL lock_timeout = '30s'"))
    await conn.execute(text(f"CREATE SCHEMA {OUD}"))
    for table in PROJECTIE_TABELLEN:
        await conn.execute(text(f'ALTER TABLE public."{table.name}" SET SCHEMA {OUD}'))
        await conn.execute(text(f'ALTER TABLE {SCHEMA}."{table.name}" SET SCHEMA public'))


async def _cli() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m rapportage.herbouw",
        description="Bouwt de weergaven opnieuw op uit alle events sinds het begin van de "
                    "topics en wisselt ze in één transactie om; lezen gaat door.")
    parser.parse_args()
    settings = get_settings()
    engine = make_engine(settings)
    try:
        async with engine.connect() as conn:
            if not (await conn.execute(select(func.pg_try_advisory_lock(JOB_LOCK)))).scalar_one():
                raise SystemExit("Er loopt al een herbouw (in de worker of een andere CLI).")
            await conn.commit()
            job = await _actieve_of_nieuwe(engine)
            print(f"herbouw {job} gestart", flush=True)

            def toon(s: dict[str, Any]) -> None:
                rest = s["resterend_seconden"]
                print(f"  {s['events_verwerkt']:>10,} van {s['events_totaal']:,} events, "
                      f"{s['per_seconde']:,.0f}/s, nog "
                      f"{'?' if rest is None else f'{rest:,.0f} s'}", flush=True)

            await voer_uit(settings, engine, job, voortgang=toon)
            print(f"herbouw {job} klaar: de weergaven zijn omgewisseld", flush=True)
    finally:
        await engine.dispose()


async def _actieve_of_nieuwe(engine: AsyncEngine) -> uuid.UUID:
    async with engine.connect() as conn:
        job = (await conn.execute(select(herbouw.c.id).where(
            herbouw.c.status.in_(("wachtend", "bezig"))))).scalar_one_or_none()
    return job if job is not None else await vraag_aan(engine, "cli")


if __name__ == "__main__":
    asyncio.run(_cli())
