"""Workload 1, the write path: POST /v1/interventies at saturation (wrk, 16 and 64 connections),
with the relay and the consumer running.

Baseline: the same write done directly with asyncpg at the same concurrency against the same
gebieden database: per write one transaction with the interventie row, its outbox row (a real
event's JSON) and `SELECT pg_notify(...)` on the relay's channel (which wakes the relay, as a
write through the API does). The rows go into copies of the two tables (`LIKE ... INCLUDING
ALL` plus the foreign key to focusgebied: same columns, indexes and constraints), so the relay
and the consumer do not have to process the baseline's events afterwards.
"""

from __future__ import annotations

import asyncio
import random

import asyncpg

from bench.harness import LoopResult, Row, closed_loop, wrk
from bench.system import (
    INSERT_INTERVENTIE,
    INSERT_OUTBOX,
    INTERVENTIE_AANGEMAAKT,
    SCHRIJVEN,
    SEED,
    System,
    log,
)

CONNECTIONS = (16, 64)
MIN_RATE = 600.0
MIN_RATIO = 0.30
MAX_P99_MS = 100.0  # at 16 connections
COPIES = ("bench_interventie", "bench_outbox")


def run(system: System) -> list[Row]:
    rows: list[Row] = []
    token = system.token(SCHRIJVEN)
    codes = ",".join(system.focusgebieden)
    for connections in CONNECTIONS:
        name = f"1 write POST /v1/interventies, {connections} conn"
        log(f"{name}: wrk {system.mode.write_s}s")
        ours = wrk(system.url("gebieden"), "post_interventie.lua",
                   [f"token={token}", f"focusgebieden={codes}", f"seed={SEED}",
                    "label=Benchmark schrijven"],
                   connections=connections, seconds=system.mode.write_s)
        system.quiesce()
        log(f"{name}: direct asyncpg {system.mode.write_direct_s}s")
        direct = asyncio.run(direct_writes(system, connections, system.mode.write_direct_s))
        ratio = ours.rate / direct.rate if direct.rate else 0.0
        clean = ours.errors == 0 and ours.ok > 0
        rows.append(Row(f"{name}: writes/s", ours.rate, "/s", direct.rate,
                        f"≥ {MIN_RATE:.0f}/s and ≥ {MIN_RATIO:.2f}× direct",
                        clean and ours.rate >= MIN_RATE and ratio >= MIN_RATIO,
                        ours.error_note() or direct_note(direct)))
        p99_target = connections == CONNECTIONS[0]
        rows.append(Row(f"{name}: p99", ours.latency_ms["p99"], "ms", direct.p(99),
                        f"< {MAX_P99_MS:.0f} ms" if p99_target else "—",
                        (clean and ours.latency_ms["p99"] < MAX_P99_MS) if p99_target else None,
                        f"p50 {ours.latency_ms['p50']:.1f} ms"))
    return rows


def direct_note(result: LoopResult) -> str:
    return f"direct errors: {result.errors}, {result.first_error[:80]}" if result.errors else ""


async def direct_writes(system: System, concurrency: int, seconds: float) -> LoopResult:
    dsn = system.dsn("gebieden")
    setup = await asyncpg.connect(dsn)
    try:
        await setup.execute(f"DROP TABLE IF EXISTS {', '.join(COPIES)}")
        await setup.execute("CREATE TABLE bench_interventie (LIKE interventie INCLUDING ALL)")
        await setup.execute("ALTER TABLE bench_interventie ADD FOREIGN KEY (focusgebied_code) "
                            "REFERENCES focusgebied (code)")
        await setup.execute("CREATE TABLE bench_outbox (LIKE outbox INCLUDING ALL)")
        insert_interventie = INSERT_INTERVENTIE.format(table="bench_interventie")
        insert_outbox = INSERT_OUTBOX.format(table="bench_outbox")
        channel = system.notify_channel
        rngs = [random.Random(SEED * 1000 + w) for w in range(concurrency)]

        async def write(conn: asyncpg.Connection, worker: int, n: int) -> None:
            item = system.interventie(rngs[worker], f"Benchmark direct {worker}", n)
            event_id, topic, key, _, payload = system.outbox_row(item)
            async with conn.transaction():
                await conn.execute(insert_interventie, *item.row())
                await conn.execute(insert_outbox, event_id, topic, key, INTERVENTIE_AANGEMAAKT,
                                   payload)
                await conn.execute("SELECT pg_notify($1, '')", channel)

        return await closed_loop(dsn, concurrency, seconds, write)
    finally:
        await setup.execute(f"DROP TABLE IF EXISTS {', '.join(COPIES)}")
        await setup.close()
