"""Workload 11: how long the programme-wide half-yearly report (`rapportage.voortgangsrapportage`)
takes, for the report of 2025S2, on two data sets.

A. **demo**: a throw-away stack of its own (`devstack.ephemeral_stack`, as `make up`: reference
   data only) filled with the demo data set through the public APIs (`tools/demo.py`, as
   `make demo` does: 6 focusgebieden with all 15 kernindicatoren, their rest-of-gemeente and NL01
   series, nulmetingen, streefwaarden, interventies, toekenningen and realisaties), then waited on
   until the relays have published every outbox row and the rapportage consumer has committed
   every event. Its own stack, not the bench's: the bench's holds the seed interventies and,
   after workloads 4 and 8, tens of thousands of events that are not the demo. The report covers
   every focusgebied the stack knows (the 20 reference areas; 6 with demo data). The smoke run
   loads the demo into the bench's stack instead (this workload runs last), to spare the
   smoke run a second stack's start.
B. **large**: a fresh rapportage database (migrated by alembic) filled directly with
   `Projectie().apply_batch` in batches of `BATCH` events, one transaction each, as the worker
   applies them: 20 reference focusgebieden (19 gemeenten) × the 15 kernindicatoren (all given
   the half-year period type) × 20 half-years `2016S1`…`2025S2`, for the focusgebied, the rest of
   its gemeente and NL01; per area × indicator a nulmeting (2022S1) and two streefwaarden (2026S2,
   2032S2); per area 10 interventies in actielijnen 1–4, each created and changed two or three
   times over 2022–2026 (status, output); the programme's begrotingsregels and per area three
   toekenningen (2023–2025) with a verplichting and one or two betalingen each. Smaller in the
   quick and smoke runs (`LARGE`). A rapportage API is started on it with the command the stack
   uses (uvicorn, `devstack.API_WORKERS` processes).

Measured on each, for 2025S2, `reps` times after one warm-up (median and p95), after a
`VACUUM ANALYZE` of the freshly filled rapportage database:

(a) `RapportService(session).bereken` in this process (queries + build + canonical JSON + hash;
    the queries alone, `RapportRepository.gegevens`, in the note);
(b) `pagina.html` of that report (Jinja2 and the SVG charts), in this process;
(c) over HTTP, sequential requests with httpx (one keep-alive connection, so one of the API's
    processes) against the running API: `GET /v1/voortgangsrapportages/2025S2/afdrukversie`
    (HTML) and `GET …/2025S2` (JSON concept), with response sizes and the number of SVG charts.

The API keeps the last report it computed per process until the projection changes. So (a) and
the "after a change" requests of (c) follow a change each (`Touch`: one meting correction with
the same value applied with `apply_batch`, untimed): they are the cost of computing the report.
The "repeated" requests, with nothing changed in between, are what a reader meets most of the
time. Baseline in the same run, on the same data: `GET /v1/voortgang/programma` (the programme
view) and the per-area view `GET /v1/voortgang/focusgebieden/{code}` of the first area with
data. Ratio = report ÷ programme view.

In the full run, data set B's HTML requests (each after a change) are profiled once with py-spy
(100 Hz, raw format, the API's processes, idle time left out) when py-spy is on the PATH; the
raw profile and its top frames go to the work directory
(`voortgangsrapportage/profile-large.*`) and the log.

No targets: the figures are for deciding whether the report needs optimising.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

import demo
import devstack
import servicelist
from bench.harness import ROOT, Row, percentile
from bench.rapportage import _lag, _partitions
from bench.system import System, _delete_topic, log
from nplv_shared import perioden
from nplv_shared.events import CloudEvent
from rapportage.db import meting
from rapportage.projectie import Projectie
from rapportage.voortgangsrapportage import pagina
from rapportage.voortgangsrapportage.repository import RapportRepository
from rapportage.voortgangsrapportage.service import RapportService

PERIODE = "2025S2"
REPS = {"full": 20, "quick": 5, "smoke": 3}
BATCH = 2_000  # events per apply_batch transaction (the worker's batches are up to 10,000)
SERVICES_DIR = ROOT / "services"
PROFILE_S = {"full": 20.0}  # profiled only in the full run
REQUEST_FRAME = "RequestResponseCycle.run_asgi"  # uvicorn: one request being handled
TOUCH_SEQUENCE = 1_000_000_000  # above any sequence the data sets give a meting


@dataclass(frozen=True)
class Size:
    areas: int
    periods: int  # half-years ending with 2025S2
    interventies: int  # per area
    toekenningen: int = 3  # per area


LARGE = {"full": Size(20, 20, 10), "quick": Size(10, 10, 10), "smoke": Size(2, 4, 2)}


# ------------------------------------------------------------------------------ measurement

@dataclass
class Timing:
    ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    size: int = 0  # bytes of the last response/result

    @property
    def p50(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        return percentile(self.ms, 95)


@dataclass
class Measured:
    label: str
    description: str
    area: str  # of the per-area baseline
    areas: int = 0
    charts: int = 0
    timings: dict[str, Timing] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Timing:
        return self.timings.setdefault(name, Timing())


class Touch:
    """One meting correction applied with `Projectie().apply_batch`, as the worker applies a
    batch: the same value again under a higher sequence (the report's figures stay the same).
    Done before each "after a change" repetition, so whatever a process may keep of an earlier
    computation (a cache keyed on the projection) cannot answer it: those figures are the cost
    of computing the report, the "repeated" ones what a reader sees when nothing changed."""

    def __init__(self, session: AsyncSession) -> None:
        self.session, self.row, self.sequence = session, None, 0

    async def __call__(self) -> None:
        if self.row is None:  # the latest NL01 meting in the report, and where its sequence is
            self.row = (await self.session.execute(
                select(meting).where(meting.c.regio == "NL01",
                                     meting.c.eind <= perioden.parse(PERIODE).eind)
                .order_by(meting.c.eind.desc(), meting.c.indicator).limit(1))).one()
            await self.session.rollback()
            self.sequence = max(self.row.sequence, TOUCH_SEQUENCE)
        m = self.row
        self.sequence += 1
        data = {"indicator": m.indicator, "indicatorVersie": 1, "regio": m.regio,
                "regioSoort": "land", "focusgebied": None, "gemeente": None,
                "periode": m.periode, "periodeBegin": m.begin.isoformat(),
                "periodeEind": m.eind.isoformat(), "waarde": str(m.waarde), "status": m.status,
                "bron": m.bron,
                "vorigeWaarde": str(m.waarde), "vorigeStatus": m.status,
                "reden": "bench: dezelfde waarde opnieuw"}
        kind = "nl.nplv.indicatoren.meting.gecorrigeerd.v1"
        event = CloudEvent(source="urn:nld:nplv:systeem:indicatoren", type=kind,
                           subject=f"metingen/{m.indicator}/{m.regio}/{m.periode}",
                           dataschema=f"urn:nld:nplv:schema:{kind}",
                           sequence=self.sequence, partitionkey="NL01", data=data)
        async with self.session.begin():
            await Projectie().apply_batch(self.session, [event])


async def _timed(timing: Timing, reps: int, call: Any, before: Any = None) -> Any:
    """`call()` reps + 1 times (the first a warm-up), `before()` untimed before each."""
    result = None
    for n in range(reps + 1):
        if before is not None:
            await before()
        t0 = time.perf_counter()
        result = await call()
        if n:
            timing.ms.append((time.perf_counter() - t0) * 1000)
    return result


async def _measure(m: Measured, url: str, api: str, reps: int) -> None:
    engine = create_async_engine(url, pool_size=2)  # pooled, as the API's (warm connections)
    try:
        async with AsyncSession(engine) as session, AsyncSession(engine) as writer, \
                httpx.AsyncClient(base_url=api, timeout=120) as client:
            touch = Touch(writer)

            async def bereken() -> Any:
                try:
                    return await RapportService(session).bereken(PERIODE)
                finally:
                    await session.rollback()

            async def gegevens() -> Any:
                try:
                    return await RapportRepository(session).gegevens(
                        perioden.parse(PERIODE).eind)
                finally:
                    await session.rollback()

            berekend = await _timed(m["bereken"], reps, bereken, touch)
            m["bereken"].size = len(berekend.inhoud.encode())
            await _timed(m["query"], reps, gegevens)
            kop = pagina.Kop(soort="concept", inhoud_hash=berekend.hash,
                             berekend_op=datetime.now(UTC))
            # the page from the report (no I/O; run as the event loop would)

            async def html() -> str:
                return pagina.html(berekend.rapport, kop)

            text = await _timed(m["html"], reps, html)
            m["html"].size = len(text.encode())
            m.areas, m.charts = len(berekend.rapport.focusgebieden), text.count("<svg")
            for name, path, changed in _requests(m.area):
                timing = m[name]

                async def get(path: str = path, timing: Timing = timing) -> None:
                    r = await client.get(path)
                    if r.status_code != 200:
                        timing.errors.append(f"{r.status_code} {path}")
                    timing.size = len(r.content)

                await _timed(timing, reps, get, touch if changed else None)
    finally:
        await engine.dispose()


def _requests(area: str) -> list[tuple[str, str, bool]]:
    """(name, path, after a change?) of the HTTP requests, in the order they are measured."""
    report = f"/v1/voortgangsrapportages/{PERIODE}"
    return [("html changed", f"{report}/afdrukversie", True),
            ("html repeated", f"{report}/afdrukversie", False),
            ("json changed", report, True),
            ("json repeated", report, False),
            ("programma", "/v1/voortgang/programma", False),
            ("focusgebied", f"/v1/voortgang/focusgebieden/{area}", False)]


async def _vacuum(url: str) -> None:
    """`VACUUM ANALYZE` of the freshly filled database, so the measurement meets the plans and
    visibility maps of a system that has been running a while, not autovacuum catching up."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


def measure(label: str, description: str, database_url: str, api: str, area: str,
            reps: int) -> Measured:
    asyncio.run(_vacuum(database_url))
    m = Measured(label, description, area)
    log(f"11 {label}: meten (load average {os.getloadavg()[0]:.1f})")
    asyncio.run(_measure(m, database_url, api, reps))
    log(f"11 {label}: load average {os.getloadavg()[0]:.1f}; " + ", ".join(
        f"{k} p50 {t.p50 if t.ms else float('nan'):.0f} ms ({t.size:_} B)"
        for k, t in m.timings.items()))
    return m


def _kb(n: int) -> str:
    return f"{n / 1024:,.0f} KiB".replace(",", " ") if n >= 10_240 else f"{n} B"


def rows(m: Measured) -> list[Row]:
    """Median as the figure; p95, size and charts in the note. The HTTP report rows have the
    programme view's median as their baseline."""
    name = f"11 report {PERIODE} {m.label}"
    base = m["programma"]
    base_p50 = base.p50 if base.ms and not base.errors else None

    def row(what: str, t: Timing, note: str, baseline: float | None = None) -> Row:
        if t.errors or not t.ms:
            return Row(f"{name}: {what} p50", t.p50 if t.ms else None, "ms", baseline,
                       holds=False, note=f"errors: {', '.join(t.errors[:3])}")
        return Row(f"{name}: {what} p50", t.p50, "ms", baseline, "—", None,
                   f"p95 {t.p95:.1f} ms, n={len(t.ms)}; {note}")

    html, json_ = _kb(m["html changed"].size), _kb(m["json changed"].size)
    return [
        row("bereken after a change (queries + build + JSON + hash)", m["bereken"],
            f"queries alone p50 {m['query'].p50:.1f} ms; canonical JSON "
            f"{_kb(m['bereken'].size)}; {m.description}"),
        row("HTML render (pagina.html)", m["html"],
            f"{_kb(m['html'].size)}, {m.charts} SVG charts, {m.areas} areas"),
        row(f"GET …/{PERIODE}/afdrukversie after a change", m["html changed"],
            f"{html}, {m.charts} SVG charts", base_p50),
        row(f"GET …/{PERIODE}/afdrukversie repeated", m["html repeated"], html, base_p50),
        row(f"GET …/{PERIODE} (JSON) after a change", m["json changed"], json_, base_p50),
        row(f"GET …/{PERIODE} (JSON) repeated", m["json repeated"], json_, base_p50),
        row("baseline GET /v1/voortgang/programma", base, _kb(base.size)),
        row(f"baseline GET /v1/voortgang/focusgebieden/{m.area}", m["focusgebied"],
            _kb(m["focusgebied"].size)),
    ]


# ------------------------------------------------------------------------------ profile

def profile(pid: int, database_url: str, base: str, seconds: float, out: Path) -> list[str]:
    """py-spy on the API's processes while the HTML page is requested again and again, each
    time after a change; the top frames (self and inclusive) as text lines, also written next
    to the raw profile."""
    spy = shutil.which("py-spy")
    if spy is None:
        log("11: py-spy ontbreekt; geen profiel")
        return []
    raw = out.with_suffix(".raw.txt")
    proc = subprocess.Popen([spy, "record", "-r", "100", "--format", "raw", "--subprocesses",
                             "-d", str(round(seconds)), "-o", str(raw), "--pid", str(pid)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    async def load() -> int:
        engine = create_async_engine(database_url, poolclass=NullPool)
        requests = 0
        try:
            async with AsyncSession(engine) as writer, \
                    httpx.AsyncClient(base_url=base, timeout=120) as client:
                touch = Touch(writer)
                await asyncio.sleep(1)
                while proc.poll() is None:
                    await touch()
                    await client.get(f"/v1/voortgangsrapportages/{PERIODE}/afdrukversie")
                    requests += 1
        finally:
            await engine.dispose()
        return requests

    try:
        requests = asyncio.run(load())
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
    if not raw.exists():
        log(f"11: py-spy schreef geen profiel: {err.decode(errors='replace')[-500:]}")
        return []
    lines = top_frames(raw.read_text(), requests)
    out.write_text("\n".join(lines) + "\n")
    for line in lines:
        log(f"11 profiel: {line}")
    return lines


def _short(frame: str, *, line: bool = False) -> str:
    """`function (path)` with the path from the package on; `:line` only when `line`."""
    name, _, path = frame.partition(" (")
    path = path.rstrip(")")
    for marker in ("site-packages/", "/src/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    if not line:
        path = path.rpartition(":")[0] if path.rpartition(":")[2].isdigit() else path
    return f"{name} ({path})" if path else name


def top_frames(raw: str, requests: int, top: int = 15) -> list[str]:
    """The functions with the most samples in request handling (uvicorn's `run_asgi` on the
    stack; the supervisor and the idle loop left out): by own time (per function and per line;
    time in C code counts to the Python frame that called it), and inclusive (below 95 %, so
    the framework's call chain does not fill the list)."""
    own: Counter[str] = Counter()
    own_lines: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = everything = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        everything += n
        raw_frames = [f for f in stack.split(";") if f and not f.startswith("process ")]
        frames = [_short(f) for f in raw_frames]
        if not any(f.startswith(REQUEST_FRAME) for f in frames):
            continue
        total += n
        own[frames[-1]] += n
        own_lines[_short(raw_frames[-1], line=True)] += n
        for frame in set(frames):
            inclusive[frame] += n
    if not total:
        return []
    lines = [f"{total} samples (100 Hz) in request handling, {total / everything:.0%} of the "
             f"API processes' non-idle samples, over {requests} HTML requests each after a "
             "change", "self:"]
    lines += [f"  {n / total:6.1%}  {f}" for f, n in own.most_common(top)]
    lines.append("self, by line:")
    lines += [f"  {n / total:6.1%}  {f}" for f, n in own_lines.most_common(top)]
    lines.append("inclusive (below 95 %):")
    lines += [f"  {n / total:6.1%}  {f}" for f, n in inclusive.most_common()
              if n / total < 0.95][:top * 2]
    return lines


# ------------------------------------------------------------------------------ A: demo

def run(system: System) -> list[Row]:
    reps = REPS[system.mode.name]
    found = [demo_set(system, reps), large_set(system, reps)]
    return [r for m in found for r in rows(m)]


def demo_set(system: System, reps: int) -> Measured:
    """The demo data set on a stack of its own; in the smoke run on the bench's stack (this
    workload runs last, and a second stack would double the smoke run's start-up time)."""
    if system.mode.name == "smoke":
        return _demo(system, system.stack, reps, "make demo on the bench's stack (smoke run)")
    workdir = system.stack.run_dir.parent / "voortgangsrapportage" / "demo"
    shutil.rmtree(workdir, ignore_errors=True)
    log("11 demo: eigen stack starten")
    t0 = time.monotonic()
    stack = None
    try:
        with devstack.ephemeral_stack(workdir, system.stack.key_file,
                                      **system.stack.extra_env) as stack:
            log(f"11 demo: stack gestart in {time.monotonic() - t0:.0f}s")
            return _demo(system, stack, reps, "make demo on its own stack")
    finally:
        if stack is not None:
            asyncio.run(_delete_topic(stack))


def _demo(system: System, stack: devstack.Stack, reps: int, where: str) -> Measured:
    started = time.monotonic()
    urls = demo.Urls(**{s: stack.api_url(servicelist.by_name(s)) for s in demo.SERVICES})
    telling = demo.run_demo(urls, system.private_key, log=lambda _line: None)
    loaded = time.monotonic()
    asyncio.run(_caught_up(stack, limit_s=300))
    log(f"11 demo: geladen in {loaded - started:.0f}s ({telling.aangemaakt()} records), "
        f"rapportage bij na {time.monotonic() - loaded:.1f}s")
    rapportage = servicelist.by_name("rapportage")
    areas = len(demo.DEMO_GEBIEDEN)
    return measure("demo", f"{where}; {areas} areas with demo data",
                   stack.database_url(rapportage), stack.api_url(rapportage),
                   demo.DEMO_GEBIEDEN[0].code, reps)


async def _caught_up(stack: devstack.Stack, limit_s: float) -> None:
    """Every outbox row published and every event of rapportage's topics committed by its
    consumer group (twice in a row, half a second apart)."""
    rapportage = servicelist.by_name("rapportage")
    producers = [s for s in servicelist.SERVICES if s.produces]
    partitions = []
    for topic in rapportage.consumes:
        partitions += await _partitions(stack.kafka, stack.topic(topic))
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.kafka)
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.kafka, group_id=None)
    await admin.start()
    await consumer.start()
    conns = {s.name: await asyncpg.connect(stack.database_url(s).replace(
        "postgresql+asyncpg://", "postgresql://")) for s in producers}
    try:
        deadline = time.monotonic() + limit_s
        quiet = 0
        while quiet < 2:
            pending = [int(await c.fetchval("SELECT count(*) FROM outbox "
                                            "WHERE published_at IS NULL")) for c in conns.values()]
            to_go = (await _lag(admin, consumer, stack.consumer_group(rapportage),
                                partitions))[1]
            quiet = quiet + 1 if not any(pending) and to_go == 0 else 0
            if time.monotonic() > deadline:
                raise RuntimeError(f"rapportage liep niet bij: outbox {pending}, {to_go} "
                                   "events te gaan")
            await asyncio.sleep(0.5)
    finally:
        for c in conns.values():
            await c.close()
        await consumer.stop()
        await admin.close()


# ------------------------------------------------------------------------------ B: large

def _json(path: Path) -> Any:
    return json.loads(path.read_text())


def _when(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(
        minutes=rng.randrange(8 * 60))


class Events:
    """The events of data set B, in the shape the producers publish (the fields the projection
    reads, and the common ones besides)."""

    def __init__(self, size: Size, seed: str = "nplv-bench-voortgangsrapportage") -> None:
        self.size, self.rng = size, random.Random(seed)
        areas = _json(SERVICES_DIR / "indicatoren/src/indicatoren/referentiedata/"
                      "focusgebieden.json")
        self.areas = sorted(areas, key=lambda a: a["code"])[: size.areas]
        self.indicators = _json(SERVICES_DIR / "indicatoren/src/indicatoren/referentiedata/"
                                "kernindicatoren.json")
        self.regels = _json(SERVICES_DIR / "financien/src/financien/referentiedata/"
                            "begrotingsregels.json")
        last = perioden.parse(PERIODE)
        self.periods = []
        year, half = last.begin.year, 2 if last.begin.month > 6 else 1
        for _ in range(size.periods):
            self.periods.insert(0, perioden.parse(f"{year}S{half}"))
            year, half = (year, 1) if half == 2 else (year - 1, 2)
        self.sequence: Counter[str] = Counter()

    def event(self, service: str, kind: str, key: str, aggregate: str, data: dict[str, Any],
              when: datetime) -> CloudEvent:
        self.sequence[aggregate] += 1
        kind_type = f"nl.nplv.{service}.{kind}.v1"
        return CloudEvent(source=f"urn:nld:nplv:systeem:{service}", type=kind_type,
                          subject=aggregate, dataschema=f"urn:nld:nplv:schema:{kind_type}",
                          sequence=self.sequence[aggregate], partitionkey=key, data=data,
                          time=when, id=uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def all(self) -> Iterator[CloudEvent]:
        yield from self.reference()
        yield from self.metingen()
        yield from self.doelen()
        yield from self.interventies()
        yield from self.geld()

    def reference(self) -> Iterator[CloudEvent]:
        start = datetime(2022, 1, 3, 9, tzinfo=UTC)
        for a in self.areas:
            yield self.event("gebieden", "focusgebied.aangemaakt", a["code"],
                             f"focusgebieden/{a['code']}",
                             {"code": a["code"], "naam": a["naam"], "gemeente": a["gemeente"],
                              "inwoners": self.rng.randrange(15_000, 120_000),
                              "gebiedsdelen": []}, start)
        for i in self.indicators:
            yield self.event("indicatoren", "indicator.aangemaakt", "programma",
                             f"indicatoren/{i['code']}",
                             {**{k: i[k] for k in ("code", "naam", "actielijn", "kernindicator",
                                                   "eenheid", "richting", "soort", "combinatie",
                                                   "bron")},
                              "periodetype": "halfjaar", "status": "actief",
                              "betekenisversie": 1, "eigenaar": "BZK"}, start)
        for r in self.regels:
            yield self.event("financien", "begrotingsregel.aangemaakt", r["code"],
                             f"begrotingsregels/{r['code']}",
                             {"code": r["code"], "ministerie": r["ministerie"],
                              "actielijnen": r["actielijnen"]}, start)

    def _scale(self, i: dict[str, Any]) -> tuple[float, float]:
        if i["eenheid"] == "percentage":
            return 0.0, 100.0
        if i["eenheid"] == "score":
            return float(i.get("schaalMin") or 0), float(i.get("schaalMax") or 10)
        return 0.0, 5000.0

    def series(self, i: dict[str, Any], regio: str) -> list[tuple[perioden.Periode, Decimal]]:
        """A random walk with a drift, inside the indicator's scale (cumulative: growing)."""
        rng = random.Random(f"{i['code']}/{regio}")
        low, high = self._scale(i)
        span = high - low
        level = low + span * rng.uniform(0.2, 0.6)
        drift = span * rng.uniform(-0.015, 0.015)
        out = []
        for p in self.periods:
            if i["soort"] == "cumulatief":
                level += span * rng.uniform(0.0, 0.02)
            else:
                level += drift + span * rng.gauss(0, 0.01)
            level = min(high, max(low, level))
            out.append((p, Decimal(f"{level:.1f}")))
        return out

    def metingen(self) -> Iterator[CloudEvent]:
        gemeenten = sorted({a["gemeente"] for a in self.areas})
        regions = [(a["code"], "focusgebied", a["code"], a["gemeente"], a["code"])
                   for a in self.areas]
        regions += [(f"{gm}-rest", "rest-gemeente", None, gm, gm) for gm in gemeenten]
        regions.append(("NL01", "land", None, None, "NL01"))
        for i in self.indicators:
            for regio, soort, fg, gm, key in regions:
                for p, waarde in self.series(i, regio):
                    subject = f"metingen/{i['code']}/{regio}/{p.id}"
                    yield self.event("indicatoren", "meting.vastgelegd", key, subject, {
                        "indicator": i["code"], "indicatorVersie": 1, "regio": regio,
                        "regioSoort": soort, "focusgebied": fg, "gemeente": gm,
                        "periode": p.id, "periodeType": "halfjaar",
                        "periodeBegin": p.begin.isoformat(), "periodeEind": p.eind.isoformat(),
                        "waarde": str(waarde), "status": "definitief", "bron": i["bron"],
                        "plausibel": True, "ingediendDoor": "bench", "organisatie": "BZK"},
                        _when(p.eind + timedelta(days=60), self.rng))

    def doelen(self) -> Iterator[CloudEvent]:
        when = datetime(2023, 3, 1, 9, tzinfo=UTC)
        for a in self.areas:
            for i in self.indicators:
                low, high = self._scale(i)
                rng = random.Random(f"{i['code']}/{a['code']}/doel")
                nul = self.series(i, a["code"])[0][1]
                teken = -1 if i["richting"] == "lager-is-beter" else 1
                key, code = a["code"], i["code"]
                yield self.event("indicatoren", "nulmeting.vastgelegd", key,
                                 f"nulmetingen/{key}/{code}", {
                                     "focusgebied": key, "indicator": code,
                                     "waarde": str(nul), "periode": "2022S1",
                                     "indicatorVersie": 1, "oorspronkelijkeWaarde": str(nul),
                                     "oorspronkelijkePeriode": "2022S1"}, when)
                for n, doel in enumerate(("2026S2", "2032S2"), start=1):
                    waarde = float(nul) + teken * n * (high - low) * rng.uniform(0.03, 0.1)
                    waarde = min(high, max(low, waarde))
                    yield self.event("indicatoren", "streefwaarde.vastgelegd", key,
                                     f"streefwaarden/{key}/{code}/{doel}", {
                                         "focusgebied": key, "indicator": code,
                                         "doelperiode": doel, "waarde": f"{waarde:.1f}",
                                         "indicatorVersie": 1,
                                         "oorspronkelijkeWaarde": f"{waarde:.1f}"}, when)

    def interventies(self) -> Iterator[CloudEvent]:
        rng = self.rng
        for a in self.areas:
            for n in range(self.size.interventies):
                id_ = uuid.UUID(int=rng.getrandbits(128), version=4)
                start = date(2022, 1, 1) + timedelta(days=rng.randrange(4 * 365))
                gepland = rng.randrange(10, 2000)
                data = {"id": str(id_), "focusgebied": a["code"], "gemeente": a["gemeente"],
                        "actielijn": 1 + n % 4, "ministerie": "BZK", "eigenaar": "BZK",
                        "titel": f"Benchmark interventie {a['naam']} {n + 1}",
                        "omschrijving": "Gegenereerd voor workload 11",
                        "startdatum": start.isoformat(), "einddatum": None,
                        "outputEenheid": rng.choice(("woningen", "leerlingen", "deelnemers")),
                        "geplandeOutput": f"{gepland}.00", "gerealiseerdeOutput": None}
                states = [("aangemaakt", "gepland", 0.0), ("gewijzigd", "lopend", 0.3)]
                states.append(("gewijzigd", rng.choice(("lopend", "afgerond", "gestopt")), 0.7))
                if rng.random() < 0.5:
                    states.append(("gewijzigd", "afgerond", 1.0))
                when = start - timedelta(days=rng.randrange(30, 120))
                for kind, status, done in states:
                    data = {**data, "status": status,
                            "gerealiseerdeOutput": f"{round(gepland * done)}.00" if done
                            else None,
                            "einddatum": when.isoformat()
                            if status in ("afgerond", "gestopt") else None}
                    yield self.event("gebieden", f"interventie.{kind}", a["code"],
                                     f"interventies/{id_}", data, _when(when, rng))
                    when += timedelta(days=rng.randrange(90, 300))

    def geld(self) -> Iterator[CloudEvent]:
        rng = self.rng
        regels = [r for r in self.regels if r["actielijnen"]]
        for a in self.areas:
            for n in range(self.size.toekenningen):
                regel = regels[(n * 7 + len(a["code"])) % len(regels)]
                jaar = 2023 + n % 3
                id_ = uuid.UUID(int=rng.getrandbits(128), version=4)
                bedrag = Decimal(rng.randrange(100, 5000)) * 1000
                yield self.event("financien", "toekenning.aangemaakt", a["code"],
                                 f"toekenningen/{id_}", {
                                     "id": str(id_), "begrotingsregel": regel["code"],
                                     "ministerie": regel["ministerie"],
                                     "focusgebied": a["code"], "jaar": jaar,
                                     "bedrag": f"{bedrag:.2f}",
                                     "omschrijving": "Benchmark toekenning"},
                                 _when(date(jaar, 1, 15), rng))
                parts = [("verplichting", Decimal("0.8"), date(jaar, 3, 15))]
                parts += [("betaling", Decimal("0.3"), date(jaar, 6 + 5 * k, 28))
                          for k in range(rng.randint(1, 2))]
                for k, (soort, aandeel, datum) in enumerate(parts):
                    rid = uuid.UUID(int=rng.getrandbits(128), version=4)
                    yield self.event("financien", "realisatie.aangemaakt", a["code"],
                                     f"realisaties/{rid}", {
                                         "id": str(rid), "toekenning": str(id_),
                                         "begrotingsregel": regel["code"],
                                         "focusgebied": a["code"], "jaar": jaar,
                                         "soort": soort, "bedrag": f"{bedrag * aandeel:.2f}",
                                         "datum": datum.isoformat(),
                                         "referentie": f"BENCH-{id_.hex[:8]}-{k}"},
                                     _when(datum, rng))


async def _fill(url: str, events: list[CloudEvent]) -> float:
    engine = create_async_engine(url, poolclass=NullPool)
    started = time.perf_counter()
    try:
        for n in range(0, len(events), BATCH):
            async with AsyncSession(engine) as session, session.begin():
                await Projectie().apply_batch(session, events[n:n + BATCH])
    finally:
        await engine.dispose()
    return time.perf_counter() - started


async def _database(stack: devstack.Stack, service: servicelist.Service, *, drop: bool) -> None:
    conn = await asyncpg.connect(f"{stack.pg_base}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{stack.database(service)}" WITH (FORCE)')
        if not drop:
            await conn.execute(f'CREATE DATABASE "{stack.database(service)}"')
    finally:
        await conn.close()


def _wait_live(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/v1/health/live", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"rapportage-API kwam niet op binnen {timeout:.0f}s")


def large_set(system: System, reps: int) -> Measured:
    mode = system.mode.name
    size = LARGE[mode]
    workdir = system.stack.run_dir.parent / "voortgangsrapportage"
    rapportage = servicelist.by_name("rapportage")
    stack = devstack.Stack(
        pg_base=system.stack.pg_base, kafka=system.stack.kafka,
        db_suffix=f"_bench_report_{uuid.uuid4().hex[:8]}",
        topic_suffix=system.stack.topic_suffix, group_suffix=system.stack.group_suffix,
        port_offset=devstack.free_port_offset(), key_file=system.stack.key_file,
        run_dir=workdir / "large" / "run", log_dir=workdir / "large" / "log",
        extra_env=system.stack.extra_env)
    api = "rapportage-api"
    asyncio.run(_database(stack, rapportage, drop=False))
    try:
        subprocess.run([devstack.PYTHON, "-m", "alembic", "-c",
                        str(rapportage.folder / "alembic.ini"), "upgrade", "head"],
                       check=True, cwd=ROOT, env=stack.env(rapportage),
                       stdout=subprocess.DEVNULL)
        generated = Events(size)
        events = list(generated.all())
        url = stack.database_url(rapportage)
        seconds = asyncio.run(_fill(url, events))
        counts = Counter(e.type.split(".")[3] for e in events)
        log(f"11 large: {len(events)} events in {seconds:.1f}s toegepast ({dict(counts)})")
        pid = devstack.start_process(stack, api)
        try:
            base = stack.api_url(rapportage)
            _wait_live(base)
            label = f"large {size.areas}×15×{size.periods}"
            description = (f"{len(events):_} events applied directly ({size.areas} areas × 15 "
                           f"indicators × {size.periods} half-years; "
                           f"{counts['meting']:_} metingen, "
                           f"{size.areas * size.interventies} interventies)").replace("_", " ")
            found = measure(label, description, url, base, generated.areas[0]["code"], reps)
            if mode in PROFILE_S:
                profile(pid, url, base, PROFILE_S[mode], workdir / "profile-large.txt")
            return found
        finally:
            devstack.stop_process(stack, api)
    finally:
        asyncio.run(_database(stack, rapportage, drop=True))
