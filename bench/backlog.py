"""Workload 4, event throughput into the views, and workload 6, the same with millions of old
rows in the tables that only grow.

With the consumer stopped, a backlog of interventies is written straight into the gebieden
database (the interventie rows and their outbox rows, each a copy of a real event with its own
identity, in one transaction, then the NOTIFY), the relay publishes it (its rate is reported,
timed until the topic's end offsets have grown by the backlog), then the consumer is started
and the drain timed until the rapportage API counts every interventie of the backlog (polled
every 20 ms; the rate runs from the first poll that shows progress, so the start of the worker
process and its joining the group are left out; the time including them is in the note).
The backlog goes to 20 focusgebieden of its own per run (in the reference gemeenten), so
workload 6 does the same work as workload 4 apart from the old rows.

Baseline of 4: a bare aiokafka consumer (no group) that reads the whole topic from the
beginning and JSON-decodes every message, in the same run.

Workload 6 first adds old rows: published outbox rows and inbox ids, half of them 400 days old
(past any retention, so a pruner deletes them during the measurement), half a day old (kept),
restarts the workers and runs the backlog again; its baseline is workload 4's figure. The old
rows' payloads are `{}`: the indexes and row counts are those of a year of events, the heap is
smaller.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

import devstack
from bench.harness import Row
from bench.system import BEHEER, INSERT_INTERVENTIE, INSERT_OUTBOX, SEED, System, log

AREAS = 20
MIN_DRAIN_RATE = 10_000.0
MIN_RATIO_OLD_ROWS = 0.90
POLL_S = 0.02
OLD_KEY, OLD_TYPE, OLD_SOURCE = "bench-oud", "nl.nplv.bench.oud.v1", "urn:nld:nplv:bench:oud"


def run(system: System) -> list[Row]:
    count = system.mode.backlog
    name = f"4 backlog of {count} events"
    relay, drain, note = measure(system, "vier", count)
    system.figures.update(relay=relay, drain=drain)
    log(f"{name}: kale aiokafka-consumer over het hele topic")
    messages, bare = asyncio.run(_bare(system))
    return [
        Row(f"{name}: relay publishes events/s", relay, "/s", None, "—", None),
        Row(f"{name}: drain into the views events/s", drain, "/s", bare,
            f"≥ {MIN_DRAIN_RATE:,.0f}/s".replace(",", " "), drain >= MIN_DRAIN_RATE,
            f"{note}; bare consumer read {messages}"),
    ]


def run_old_rows(system: System) -> list[Row]:
    old = system.mode.old_rows
    count = system.mode.backlog
    name = f"6 backlog of {count} with {old:,} old outbox + inbox rows".replace(",", " ")
    if "relay" not in system.figures:
        raise RuntimeError("workload 4 moet eerst draaien")
    log(f"6: {old} oude rijen in outbox en inbox")
    started = time.monotonic()
    asyncio.run(add_old_rows(system, old))
    log(f"6: oude rijen geschreven in {time.monotonic() - started:.0f}s")
    # Restart the workers, so a pruning pass that runs when a worker starts runs during the
    # measurement (the consumer is restarted by `measure` anyway).
    for worker in system.processes():
        if worker.endswith("-worker") and worker not in system.consumer_workers():
            devstack.stop_process(system.stack, worker)
            devstack.start_process(system.stack, worker)
    before = asyncio.run(count_old_rows(system))
    relay, drain, note = measure(system, "zes", count)
    after = asyncio.run(count_old_rows(system))
    left = ", ".join(f"{table} {before[table]:,} → {after[table]:,}".replace(",", " ")
                     for table in before)
    target = f"≥ {MIN_RATIO_OLD_ROWS:.2f}× without"
    base_relay, base_drain = system.figures["relay"], system.figures["drain"]
    return [
        Row(f"{name}: relay events/s", relay, "/s", base_relay, target,
            relay >= MIN_RATIO_OLD_ROWS * base_relay, f"old rows during it: {left}"),
        Row(f"{name}: drain events/s", drain, "/s", base_drain, target,
            drain >= MIN_RATIO_OLD_ROWS * base_drain, note),
    ]


def measure(system: System, label: str, count: int) -> tuple[float, float, str]:
    """Backlog of `count` events while the consumer is stopped: (relay rate, drain rate,
    note)."""
    areas = _create_areas(system, label)
    system.quiesce()
    for worker in system.consumer_workers():
        devstack.stop_process(system.stack, worker)
    base = system.view_total()
    log(f"backlog {label}: {count} events schrijven, consumer gestopt")
    published_s = asyncio.run(_write_backlog(system, label, areas, count))
    relay = count / published_s
    log(f"backlog {label}: relay publiceerde in {published_s:.1f}s; consumer starten")
    started = time.monotonic()
    for worker in system.consumer_workers():
        devstack.start_process(system.stack, worker)
    samples: list[tuple[float, int]] = []
    deadline = started + 60 + count / 100
    with system.client("rapportage") as c:
        while not samples or samples[-1][1] < count:
            if time.monotonic() > deadline:
                seen = samples[-1][1] if samples else 0
                raise RuntimeError(f"drain niet klaar na {deadline - started:.0f}s "
                                   f"({seen} van {count})")
            try:
                total = system.view_total(c) - base
            except httpx.HTTPError:
                total = samples[-1][1] if samples else 0
            samples.append((time.monotonic(), total))
            time.sleep(POLL_S)
    done_at = samples[-1][0]
    first_at, first_count = next((t, n) for t, n in samples if n > 0)
    if done_at > first_at and count > first_count:
        drain = (count - first_count) / (done_at - first_at)
    else:  # all of it became visible at once (a small backlog)
        drain = count / (done_at - started)
    note = f"{done_at - started:.1f} s from worker start"
    log(f"backlog {label}: {drain:.0f} events/s ({note})")
    return relay, drain, note


def _create_areas(system: System, label: str) -> dict[str, str]:
    """20 empty focusgebieden for this backlog, in the gemeenten of the reference ones."""
    headers = {"Authorization": f"Bearer {system.token(BEHEER)}"}
    gemeenten = sorted(set(system.focusgebieden.values()))
    areas = {f"bench-{label}-{i:02d}": gemeenten[i % len(gemeenten)] for i in range(AREAS)}
    with system.client("gebieden") as c:
        for code, gemeente in areas.items():
            r = c.put(f"/focusgebieden/{code}", headers=headers,
                      json={"naam": f"Benchmark {code}", "gemeente": gemeente})
            if r.status_code not in (200, 201):
                raise RuntimeError(f"focusgebied {code}: {r.status_code} {r.text[:200]}")
    system.focusgebieden.update(areas)
    return areas


async def _write_backlog(system: System, label: str, areas: dict[str, str],
                         count: int) -> float:
    """Write the backlog in one transaction; returns the seconds from its commit until the
    relay has published all of it."""
    rng = random.Random(f"{SEED}-{label}")
    codes = list(areas)
    items = [system.interventie(rng, f"Benchmark achterstand {label}", n, rng.choice(codes))
             for n in range(count)]
    outbox = [system.outbox_row(item) for item in items]
    partitions = await _partitions(system)
    consumer = AIOKafkaConsumer(bootstrap_servers=system.stack.kafka, group_id=None,
                                enable_auto_commit=False, client_id="nplv-bench-offsets")
    await consumer.start()
    conn = await asyncpg.connect(system.dsn("gebieden"))
    try:
        before = sum((await consumer.end_offsets(partitions)).values())
        async with conn.transaction():
            await conn.executemany(INSERT_INTERVENTIE.format(table="interventie"),
                                   [item.row() for item in items])
            await conn.executemany(INSERT_OUTBOX.format(table="outbox"), outbox)
            await conn.execute("SELECT pg_notify($1, '')", system.notify_channel)
        committed = time.monotonic()
        deadline = committed + 60 + count / 100
        while sum((await consumer.end_offsets(partitions)).values()) < before + count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"relay publiceerde de achterstand niet binnen "
                                   f"{deadline - committed:.0f}s")
            await asyncio.sleep(POLL_S)
        return time.monotonic() - committed
    finally:
        await conn.close()
        await consumer.stop()


async def _partitions(system: System) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=system.stack.kafka)
    await admin.start()
    try:
        (topic,) = await admin.describe_topics([system.topic])
    finally:
        await admin.close()
    numbers = sorted(p["partition"] for p in topic["partitions"])
    if not numbers:
        raise RuntimeError(f"topic {system.topic} onbekend")
    return [TopicPartition(system.topic, p) for p in numbers]


async def bare_consumer(kafka: str, partitions: list[TopicPartition], *, patience: float = 120,
                        **fetch: Any) -> tuple[int, float]:
    """Read `partitions` from the beginning and JSON-decode every message: (messages,
    messages/s). `fetch`: aiokafka fetch settings, to match the consumer it is compared to."""
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, group_id=None,
                                enable_auto_commit=False, auto_offset_reset="earliest",
                                client_id="nplv-bench-bare", **fetch)
    await consumer.start()
    try:
        consumer.assign(partitions)
        begin = await consumer.beginning_offsets(partitions)
        end = await consumer.end_offsets(partitions)
        await consumer.seek_to_beginning(*partitions)
        total = sum(end.values()) - sum(begin.values())
        count = 0
        started = time.perf_counter()
        while count < total:
            batches = await consumer.getmany(timeout_ms=1000, max_records=10_000)
            if not batches and time.perf_counter() - started > patience:
                raise RuntimeError(f"kale consumer las {count} van {total}")
            for records in batches.values():
                for record in records:
                    json.loads(record.value)
                    count += 1
        return count, count / (time.perf_counter() - started)
    finally:
        await consumer.stop()


async def _bare(system: System) -> tuple[int, float]:
    return await bare_consumer(system.stack.kafka, await _partitions(system))


async def add_old_rows(system: System, count: int) -> None:
    """`count` published outbox rows and `count` inbox ids, in both databases at once: half of
    them 400 days old (past any retention: a pruner removes them while the backlog is
    measured), half a day old (kept: large tables). Then VACUUM (ANALYZE) and a CHECKPOINT, as
    a table a year old would have had, so neither autovacuum nor the checkpoint after the bulk
    insert runs during the measurement."""
    ages = {400: count // 2, 1: count - count // 2}  # days → rows

    async def gebieden() -> None:
        conn = await asyncpg.connect(system.dsn("gebieden"))
        try:
            for age, n in ages.items():
                await conn.execute(
                    "INSERT INTO outbox (event_id, topic, key, type, payload, created_at, "
                    "published_at) SELECT gen_random_uuid(), $1, $3, $4, '{}'::jsonb, t, t "
                    "FROM generate_series(1, $2), "
                    "(SELECT now() - make_interval(days => $5) AS t) AS oud",
                    system.topic, n, OLD_KEY, OLD_TYPE, age)
            await _settle(conn, "outbox")
        finally:
            await conn.close()

    async def rapportage() -> None:
        conn = await asyncpg.connect(system.dsn("rapportage"))
        try:
            for age, n in ages.items():
                await conn.execute(
                    'INSERT INTO inbox (source, event_id, type, topic, partition, "offset", '
                    "received_at) SELECT $3, gen_random_uuid()::text, $4, $1, 0, g, "
                    "now() - make_interval(days => $5) FROM generate_series(1, $2) AS g",
                    system.topic, n, OLD_SOURCE, OLD_TYPE, age)
            await _settle(conn, "inbox")
        finally:
            await conn.close()

    await asyncio.gather(gebieden(), rapportage())


async def _settle(conn: asyncpg.Connection, table: str) -> None:
    await conn.execute(f"VACUUM (ANALYZE) {table}")
    with contextlib.suppress(asyncpg.InsufficientPrivilegeError):  # then it comes later
        await conn.execute("CHECKPOINT")


async def count_old_rows(system: System) -> dict[str, int]:
    queries = {"outbox": ("gebieden", "SELECT count(*) FROM outbox WHERE key = $1", OLD_KEY),
               "inbox": ("rapportage", "SELECT count(*) FROM inbox WHERE source = $1",
                         OLD_SOURCE)}
    counts = {}
    for table, (service, sql, value) in queries.items():
        conn = await asyncpg.connect(system.dsn(service))
        try:
            counts[table] = int(await conn.fetchval(sql, value))
        finally:
            await conn.close()
    return counts
