"""Workload 2, the read path: four public GETs, each at 10 and 50 connections (wrk).

Baseline: the SQL each endpoint runs (read from its repository), run directly with asyncpg at
the same concurrency against the same database: what the endpoint costs PostgreSQL and a
driver, without HTTP, the framework, the session or the serialisation. When a repository's
queries change, change `ENDPOINTS` with it, so the baseline stays the data the endpoint needs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg

from bench.harness import LoopResult, Row, closed_loop, wrk
from bench.system import System, log

AREA = "rotterdam-zuid"
PAGE = 20
CONNECTIONS = {10: 20.0, 50: 100.0}  # connections → p99 target (ms)
MIN_RATIO = 0.50

Query = Callable[[asyncpg.Connection], Awaitable[object]]


async def _voortgang(conn: asyncpg.Connection) -> object:
    # VoortgangRepository.view: the area, its freshness and its view rows in one query
    return await conn.fetch(
        "SELECT f.code, f.naam, f.gemeente, s.laatste_event_id, s.laatste_event_tijd, "
        "s.bijgewerkt_op, v.actielijn, v.status, v.output_eenheid, v.aantal, "
        "v.geplande_output, v.gerealiseerde_output FROM focusgebied f "
        "LEFT JOIN stand s ON s.focusgebied = f.code "
        "LEFT JOIN voortgang_interventies v ON v.focusgebied = f.code "
        "WHERE f.code = $1 AND f.verwijderd IS false "
        "ORDER BY v.actielijn, v.status, v.output_eenheid", AREA)


async def _voortgang_lijst(conn: asyncpg.Connection) -> object:
    # VoortgangRepository.summaries
    await conn.fetchval("SELECT count(*) FROM focusgebied WHERE verwijderd IS false")
    return await conn.fetch(
        "SELECT f.code, f.naam, f.gemeente, (SELECT coalesce(sum(v.aantal), 0) "
        "FROM voortgang_interventies v WHERE v.focusgebied = f.code) AS aantal "
        "FROM focusgebied f WHERE f.verwijderd IS false ORDER BY f.code LIMIT $1 OFFSET $2",
        PAGE, 0)


async def _focusgebieden(conn: asyncpg.Connection) -> object:
    # FocusgebiedRepository.list
    await conn.fetchval("SELECT count(*) FROM focusgebied")
    return await conn.fetch("SELECT * FROM focusgebied ORDER BY code LIMIT $1 OFFSET $2",
                            PAGE, 0)


async def _interventies(conn: asyncpg.Connection) -> object:
    # InterventieRepository.list with a focusgebied filter
    await conn.fetchval("SELECT count(*) FROM interventie WHERE focusgebied_code = $1", AREA)
    return await conn.fetch("SELECT * FROM interventie WHERE focusgebied_code = $1 "
                            "ORDER BY aangemaakt_op, id LIMIT $2 OFFSET $3", AREA, PAGE, 0)


@dataclass(frozen=True)
class Endpoint:
    service: str
    path: str
    query: Query


ENDPOINTS = (
    Endpoint("rapportage", f"/v1/voortgang/focusgebieden/{AREA}", _voortgang),
    Endpoint("rapportage", "/v1/voortgang/focusgebieden", _voortgang_lijst),
    Endpoint("gebieden", f"/v1/focusgebieden?pageSize={PAGE}", _focusgebieden),
    Endpoint("gebieden", f"/v1/interventies?focusgebied={AREA}&pageSize={PAGE}", _interventies),
)


# The framework floor: an endpoint that touches no database, served by the same processes. No
# database endpoint can be faster than this on this machine, so it shows how much of the gap
# to the direct queries is HTTP + the framework (and the CPU that wrk and PostgreSQL share).
FLOOR = "/v1/health/live"


def run(system: System) -> list[Row]:
    rows = _floor(system)
    for endpoint in ENDPOINTS:
        with system.client(endpoint.service) as c:
            r = c.get(endpoint.path.removeprefix("/v1"))
            if r.status_code != 200:
                raise RuntimeError(f"GET {endpoint.path}: {r.status_code} {r.text[:200]}")
        for connections, max_p99 in CONNECTIONS.items():
            name = f"2 read {endpoint.path}, {connections} conn"
            log(f"{name}: wrk {system.mode.read_s}s, direct {system.mode.read_direct_s}s")
            ours = wrk(system.url(endpoint.service), "get_paths.lua", [endpoint.path],
                       connections=connections, seconds=system.mode.read_s)
            direct = asyncio.run(_direct(system, endpoint, connections))
            clean = ours.errors == 0 and ours.ok > 0
            ratio = ours.rate / direct.rate if direct.rate else 0.0
            rows.append(Row(f"{name}: req/s", ours.rate, "/s", direct.rate,
                            f"≥ {MIN_RATIO:.2f}× direct", clean and ratio >= MIN_RATIO,
                            ours.error_note() or _direct_note(direct)))
            rows.append(Row(f"{name}: p99", ours.latency_ms["p99"], "ms", direct.p(99),
                            f"< {max_p99:.0f} ms", clean and ours.latency_ms["p99"] < max_p99,
                            f"p50 {ours.latency_ms['p50']:.1f} ms"))
    return rows


def _floor(system: System) -> list[Row]:
    rows: list[Row] = []
    for connections in CONNECTIONS:
        name = f"2 read {FLOOR} (framework floor, no database), {connections} conn"
        log(f"{name}: wrk {system.mode.read_s}s")
        floor = wrk(system.url("gebieden"), "get_paths.lua", [FLOOR],
                    connections=connections, seconds=system.mode.read_s)
        rows.append(Row(f"{name}: req/s", floor.rate, "/s", None, "—", None,
                        floor.error_note() or f"p99 {floor.latency_ms['p99']:.1f} ms"))
    return rows


async def _direct(system: System, endpoint: Endpoint, connections: int) -> LoopResult:
    async def operation(conn: asyncpg.Connection, worker: int, n: int) -> None:
        await endpoint.query(conn)

    return await closed_loop(system.dsn(endpoint.service), connections,
                             system.mode.read_direct_s, operation)


def _direct_note(result: LoopResult) -> str:
    return f"direct errors: {result.errors}, {result.first_error[:80]}" if result.errors else ""
