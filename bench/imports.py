"""Workload 7, bulk import: metingen through `POST /v1/metingen/imports` (CSV, synchronous
imports of 25,000 rows per request, two requests at once: one per uvicorn process of the API),
100,000 and 1,000,000 rows, every row a new natural key (buurt codes of programme gemeenten
that no seed data uses, two half-year indicators, 20 half years). Timed from the first request
sent until the last summary returned: by then the rows and their outbox rows are committed.
Every response must be 200 with all its rows `aangemaakt`; anything else is an error and the
figure never holds. The relay runs (it publishes the events while the import goes on). During
the largest import the resident memory of the API's processes is sampled every ~100 ms.

Baseline: the same rows (the same 18 columns the import's upsert fills, with the values the
API stored for one of the imported buurten: indicator version, region kind, period dates,
plausibility) loaded with a plain `COPY` (asyncpg `copy_records_to_table`) into
`meting_copy`, a copy of the `meting` table (`LIKE meting INCLUDING ALL` plus its foreign key
to `indicator`: same columns, defaults, checks and indexes) in the same indicatoren database,
in the same batches of 25,000 rows (each its own transaction) over the same two connections.
Before the baseline the relay has published the import's events (the outbox is drained), so
the COPY has the machine to itself. Ratio = API ÷ COPY.

The HTTP client is httpx, not wrk: a few dozen requests of ~1.8 MB each, whose bodies are
built before the clock starts; sending one costs the client next to nothing beside the
server's second or so of work.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg
import httpx

from bench.harness import Row, process_tree, rss_mb
from bench.system import SEED, System, log

REQUEST_ROWS = 25_000
CONCURRENCY = 2  # requests (and baseline COPYs) at once
MIN_RATE = 20_000.0
MIN_RATIO = 0.30
MAX_RSS_MB = 300.0
RSS_EVERY_S = 0.1
DRAIN_TIMEOUT_S = 900.0

BEHEER = "nplv:indicatoren:beheer"
INDICATOREN = ("incidentie-criminaliteit", "woningen-herstructurering")  # both per half year
PERIODEN = tuple(f"{y}S{h}" for y in range(2015, 2025) for h in (1, 2))
GEMEENTEN = ("GM0599", "GM0363", "GM0518", "GM0772", "GM0344", "GM0014")
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STATUS = "definitief"
BRON = "CBS 85146NED"
HEADER = "indicator,regio,periode,waarde,status,bron\n"
WAARDEN = tuple(Decimal(v) for v in range(100, 121))
# The columns the import's upsert fills (indicatoren.metingen.repository.UPSERT), in order.
COLUMNS = ("indicator_code", "regio", "periode", "indicator_versie", "regio_soort",
           "focusgebied_code", "gemeente_code", "periode_type", "periode_begin",
           "periode_eind", "waarde", "status", "bron", "plausibel", "zscore",
           "ingediend_door", "organisatie", "versie")
COPY_TABLE = "meting_copy"


@dataclass
class Batch:
    """One request's rows: (indicator, regio, periode, index into WAARDEN)."""

    rows: list[tuple[str, str, str, int]]

    def csv(self) -> bytes:
        lines = [f"{i},{r},{p},{WAARDEN[w]},{STATUS},{BRON}\n" for i, r, p, w in self.rows]
        return (HEADER + "".join(lines)).encode()


@dataclass
class ApiResult:
    rows: int  # rows `aangemaakt` in 200 responses
    seconds: float
    requests: int
    errors: list[str] = field(default_factory=list)
    peak_rss: dict[int, float] = field(default_factory=dict)  # pid → MB

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def run(system: System) -> list[Row]:
    rows: list[Row] = []
    first_prefix = 0
    sizes = system.mode.imports
    copy_dsn = system.dsn("indicatoren")
    asyncio.run(_copy_table(copy_dsn, create=True))
    try:
        for number, size in enumerate(sizes):
            regions, first_prefix = _regions(size, first_prefix)
            batches = list(_batches(regions, size, seed=SEED + number))
            name = (f"7 import {_n(size)} metingen ({_n(REQUEST_ROWS)}/request, "
                    f"{CONCURRENCY} at once)")
            bodies = [b.csv() for b in batches]
            measure_rss = number == len(sizes) - 1
            log(f"{name}: {len(bodies)} verzoeken via de API")
            api = _api_import(system, bodies, size, measure_rss=measure_rss)
            log(f"{name}: {api.rate:,.0f} rijen/s in {api.seconds:.1f}s"
                + (f", {len(api.errors)} fouten: {api.errors[0]}" if api.errors else ""))
            del bodies
            drained = _wait_for_outbox(system)
            log(f"{name}: outbox leeg {drained:.1f}s na de laatste samenvatting; COPY")
            sample = asyncio.run(_stored_sample(copy_dsn, regions[0]))
            copy_rows, copy_s = asyncio.run(_copy(copy_dsn, batches, sample))
            copy_rate = copy_rows / copy_s if copy_s else 0.0
            log(f"{name}: COPY {copy_rate:,.0f} rijen/s in {copy_s:.1f}s")
            del batches
            clean = not api.errors and api.rows == size
            ratio = api.rate / copy_rate if copy_rate else 0.0
            note = _error_note(api) or (f"{api.seconds:.1f} s; relay done "
                                        f"{drained:.0f} s after")
            rows.append(Row(f"{name}: rows/s", api.rate, "/s", copy_rate,
                            f"≥ {_n(MIN_RATE)}/s and ≥ {MIN_RATIO:.2f}× COPY",
                            clean and api.rate >= MIN_RATE and ratio >= MIN_RATIO, note))
            if measure_rss:
                rows.append(_rss_row(system, size, api, clean))
    finally:
        asyncio.run(_copy_table(copy_dsn, create=False))
    return rows


# ------------------------------------------------------------------------------ the rows

def _regions(size: int, first_prefix: int) -> tuple[list[str], int]:
    """Buurt codes for `size` rows (one per indicator and period each): BU + gemeente digits +
    a two-character prefix of this import + two characters; returns the next free prefix."""
    needed = -(-size // (len(INDICATOREN) * len(PERIODEN)))
    codes: list[str] = []
    prefix = first_prefix
    while len(codes) < needed:
        mark = f"X{ALPHABET[10 + prefix]}"  # XA, XB, …: letters nothing else uses
        codes += [f"BU{g[2:]}{mark}{a}{b}" for g in GEMEENTEN for a in ALPHABET
                  for b in ALPHABET]
        prefix += 1
    return codes[:needed], prefix


def _batches(regions: list[str], size: int, *, seed: int) -> Iterator[Batch]:
    """Per region its whole series (each indicator, each half year), `REQUEST_ROWS` a batch."""
    rng = random.Random(seed)
    current: list[tuple[str, str, str, int]] = []
    total = 0
    for regio in regions:
        for indicator in INDICATOREN:
            for periode in PERIODEN:
                if total == size:
                    break
                current.append((indicator, regio, periode, rng.randrange(len(WAARDEN))))
                total += 1
                if len(current) == REQUEST_ROWS:
                    yield Batch(current)
                    current = []
    if current:
        yield Batch(current)


# ------------------------------------------------------------------------------ the API

def _api_import(system: System, bodies: list[bytes], size: int, *, measure_rss: bool
                ) -> ApiResult:
    headers = {"Authorization": f"Bearer {system.token(BEHEER)}", "Content-Type": "text/csv"}
    sampler = _RssSampler(system.processes()["indicatoren-api"]) if measure_rss else None

    async def send() -> ApiResult:
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        for body in bodies:
            queue.put_nowait(body)
        result = ApiResult(0, 0.0, len(bodies))
        limits = httpx.Limits(max_connections=CONCURRENCY)
        async with httpx.AsyncClient(base_url=f"{system.url('indicatoren')}/v1",
                                     headers=headers, timeout=600, limits=limits) as client:
            async def worker() -> None:
                while not queue.empty():
                    body = queue.get_nowait()
                    expected = body.count(b"\n") - 1
                    try:
                        r = await client.post("/metingen/imports", content=body)
                    except httpx.HTTPError as exc:
                        result.errors.append(f"{type(exc).__name__}: {exc}")
                        continue
                    if r.status_code != 200:
                        result.errors.append(f"{r.status_code} {r.text[:200]}")
                        continue
                    summary = r.json()["samenvatting"]
                    result.rows += int(summary["aangemaakt"])
                    if summary["aangemaakt"] != expected:
                        result.errors.append(f"200 but {summary}")

            start = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
            result.seconds = time.perf_counter() - start
        return result

    if sampler is None:
        result = asyncio.run(send())
    else:
        sampler.start()
        try:
            result = asyncio.run(send())
        finally:
            peak = sampler.stop()
        result.peak_rss = peak
    if result.rows != size and not result.errors:
        result.errors.append(f"{result.rows} of {size} rows aangemaakt")
    return result


class _RssSampler:
    """VmRSS of a process and its children (uvicorn's workers) every RSS_EVERY_S, in a thread;
    the peak per process."""

    def __init__(self, pid: int) -> None:
        self.pids = process_tree(pid)
        self.peak: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> dict[int, float]:
        self._stop.set()
        self._thread.join()
        return self.peak

    def _sample(self) -> None:
        while True:
            for pid in self.pids:
                mb = rss_mb(pid)
                if mb is not None and mb > self.peak.get(pid, 0.0):
                    self.peak[pid] = mb
            if self._stop.wait(RSS_EVERY_S):
                return


def _rss_row(system: System, size: int, api: ApiResult, clean: bool) -> Row:
    name = f"7 import {_n(size)} metingen: peak RSS indicatoren-api"
    if not api.peak_rss:
        return Row(name, None, "MB", holds=False, note="error: niet gemeten")
    peak = max(api.peak_rss.values())
    idle = system.memory.get("idle", {})
    before = next((mb for label, mb in idle.items()
                   if label.startswith("indicatoren-api")), None)
    note = f"largest of {len(api.peak_rss)} processes"
    if before is not None:
        note += f"; idle {before:.0f} MB"
    return Row(name, peak, "MB", None, f"< {MAX_RSS_MB:.0f} MB",
               clean and peak < MAX_RSS_MB, note)


def _n(number: float) -> str:
    return f"{number:,.0f}".replace(",", " ")


def _error_note(api: ApiResult) -> str:
    if not api.errors:
        return ""
    return f"errors: {len(api.errors)} of {api.requests} requests, {api.errors[0][:80]}"


def _wait_for_outbox(system: System) -> float:
    """Seconds until the relay has published every outbox row of the indicatoren service."""
    async def wait() -> float:
        conn = await asyncpg.connect(system.dsn("indicatoren"))
        start = time.monotonic()
        try:
            while time.monotonic() - start < DRAIN_TIMEOUT_S:
                pending = await conn.fetchval(
                    "SELECT count(*) FROM outbox WHERE published_at IS NULL")
                if not pending:
                    return time.monotonic() - start
                await asyncio.sleep(0.5)
        finally:
            await conn.close()
        raise RuntimeError(f"outbox van indicatoren niet leeg na {DRAIN_TIMEOUT_S:.0f}s")

    return asyncio.run(wait())


# ------------------------------------------------------------------------------ the baseline

async def _copy_table(dsn: str, *, create: bool) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
        if create:
            await conn.execute(f"CREATE TABLE {COPY_TABLE} (LIKE meting INCLUDING ALL)")
            await conn.execute(f"ALTER TABLE {COPY_TABLE} ADD FOREIGN KEY (indicator_code) "
                               "REFERENCES indicator (code)")
    finally:
        await conn.close()


@dataclass
class Sample:
    """What the API stored for one imported buurt: per indicator the columns that do not
    depend on the row, per indicator and period the period's dates and plausibility."""

    per_indicator: dict[str, tuple[Any, ...]]  # indicator_versie, regio_soort, focusgebied,
    # periode_type, ingediend_door, organisatie
    per_periode: dict[tuple[str, str], tuple[date, date, bool | None, Decimal | None]]


async def _stored_sample(dsn: str, regio: str) -> Sample:
    conn = await asyncpg.connect(dsn)
    try:
        stored = await conn.fetch(
            "SELECT indicator_code, periode, indicator_versie, regio_soort, focusgebied_code, "
            "periode_type, periode_begin, periode_eind, plausibel, zscore, ingediend_door, "
            "organisatie FROM meting WHERE regio = $1", regio)
    finally:
        await conn.close()
    if len(stored) != len(INDICATOREN) * len(PERIODEN):
        raise RuntimeError(f"{len(stored)} metingen van {regio} opgeslagen, verwacht "
                           f"{len(INDICATOREN) * len(PERIODEN)}")
    return Sample(
        per_indicator={r["indicator_code"]: (r["indicator_versie"], r["regio_soort"],
                                             r["focusgebied_code"], r["periode_type"],
                                             r["ingediend_door"], r["organisatie"])
                       for r in stored},
        per_periode={(r["indicator_code"], r["periode"]): (r["periode_begin"],
                                                           r["periode_eind"], r["plausibel"],
                                                           r["zscore"])
                     for r in stored})


def _records(batch: Batch, sample: Sample) -> list[tuple[Any, ...]]:
    records = []
    for indicator, regio, periode, w in batch.rows:
        versie, soort, focusgebied, periode_type, door, organisatie = (
            sample.per_indicator[indicator])
        begin, eind, plausibel, zscore = sample.per_periode[(indicator, periode)]
        records.append((indicator, regio, periode, versie, soort, focusgebied, "GM" + regio[2:6],
                        periode_type, begin, eind, WAARDEN[w], STATUS, BRON, plausibel, zscore,
                        door, organisatie, 1))
    return records


async def _copy(dsn: str, batches: list[Batch], sample: Sample) -> tuple[int, float]:
    """COPY every batch (its own transaction), `CONCURRENCY` at once; the records are built
    before the clock starts. Returns rows copied and seconds."""
    prepared = [_records(b, sample) for b in batches]
    conns = await asyncio.gather(*(asyncpg.connect(dsn) for _ in range(CONCURRENCY)))
    queue: asyncio.Queue[list[tuple[Any, ...]]] = asyncio.Queue()
    for records in prepared:
        queue.put_nowait(records)
    copied = 0

    async def worker(conn: asyncpg.Connection) -> None:
        nonlocal copied
        while not queue.empty():
            records = queue.get_nowait()
            await conn.copy_records_to_table(COPY_TABLE, records=records, columns=COLUMNS)
            copied += len(records)

    try:
        start = time.perf_counter()
        await asyncio.gather(*(worker(c) for c in conns))
        return copied, time.perf_counter() - start
    finally:
        await asyncio.gather(*(c.close() for c in conns))
