"""Workloads 8, 9 and 10: the rapportage views under meting events (issue "rapportage views:
backlog, rebuild, event to view").

8. Backlog of meting events. The rapportage worker is stopped; a backlog of meting events is
   produced **straight to the stack's indicatoren topic** with an aiokafka producer (batches per
   partition, the partition of the key as the default partitioner picks it): the bytes are what
   the indicatoren relay publishes (`CloudEvent.to_json_bytes()` of a real outbox row, the same
   key order, no nulls, the CloudEvents content-type header), not written through the outbox,
   because it is the consumer's drain that is measured and the outbox relay has a workload of its
   own (4). The events: the 15 kernindicatoren × the 20 reference focusgebieden, their
   gemeenten, the rest of those gemeenten, NL01, and wijken and buurten of those gemeenten (a
   fifth of the events; rapportage does not store them), each indicator over 13-20 periods of
   its own period type; every meting is `vastgelegd` once and then `gecorrigeerd` again and
   again (higher `sequence` per indicator × regio × periode, `vorigeWaarde`/`vorigeStatus`/
   `reden`), about 50 events per meting of the compared regions: the history of a few years of
   corrections and repeated imports. Key: the focusgebied code, the gemeente code for a
   gemeente, its rest, wijk or buurt, `NL01` for Nederland. Then the worker is started and
   timed until the consumer group's committed offsets reach the end of every partition of the
   topic (polled every 50 ms through the Kafka admin API; the rate runs from the first committed
   progress, the time from the worker's start is in the note); afterwards the view's
   `achterstand.events` must be 0.
   Baseline: a bare aiokafka consumer (no group) reading the whole indicatoren topic from the
   beginning and JSON-decoding every message, in the same run. Ratio = drain ÷ bare.
9. Rebuild of those events: `POST /v1/herbouwopdrachten` (scope `nplv:rapportage:beheer`,
   organisatie BZK), polled every 250 ms until `klaar`; the figure is the time from the POST
   to `klaar` (the worker picks a job up within its 1 s poll), the rate is the job's own
   events ÷ (klaar_op − gestart_op). Every event of the three topics is replayed.
10. Event to view through the APIs: an open-loop generator (a fixed schedule of `rate` writes/s,
   each write sent at its own time whatever the earlier ones do, so slow responses cannot hide
   latency) of new metingen (`PUT /v1/metingen/{indicator}/{area}/{periode}`, nine in ten) and
   interventies (`POST /v1/interventies`, one in ten), into focusgebieden of its own, and an
   observer per area polling `GET /v1/voortgang/focusgebieden/{code}`: every write adds one to
   the area's `aantalMetingen` summed over its indicators plus its `aantalInterventies`, so the
   k-th 2xx of an area counts as visible at the first poll after it that shows at least k (as
   in workload 3). The writer is Python (httpx) in the same process as the observer, not wrk:
   wrk's pacing waits for a free connection, which is not open-loop.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.partitioner import DefaultPartitioner

import devstack
import servicelist
from bench import backlog, event_to_view
from bench.harness import ROOT, Row, percentile
from bench.system import SCHRIJVEN, SEED, System, log
from nplv_shared.events import CloudEvent
from nplv_shared.outbox import CONTENT_TYPE_HEADER
from nplv_shared.perioden import PeriodeType, of_type

INDICATOREN_BEHEER = "nplv:indicatoren:beheer"
RAPPORTAGE_BEHEER = "nplv:rapportage:beheer"
VASTGELEGD = "nl.nplv.indicatoren.meting.vastgelegd.v1"
GECORRIGEERD = "nl.nplv.indicatoren.meting.gecorrigeerd.v1"
REFERENTIE = ROOT / "services" / "indicatoren" / "src" / "indicatoren" / "referentiedata"
# Events in the backlog, per mode (workload 4's backlog is interventies; this one metingen).
BACKLOG = {"full": 1_000_000, "quick": 100_000, "smoke": 3_000}
MIN_DRAIN_RATE, MIN_DRAIN_RATIO = 10_000.0, 0.25
MAX_REBUILD_S = 120.0
MAX_P99_MS = 500.0
WIJK_SHARE = 0.2  # of the backlog's events: wijken and buurten (not stored by rapportage)
WIJKEN, BUURTEN = 8, 16  # per gemeente
PERIODS = {PeriodeType.JAAR: [str(y) for y in range(2010, 2025)],
           PeriodeType.HALFJAAR: [f"{y}S{h}" for y in range(2015, 2025) for h in (1, 2)],
           PeriodeType.SCHOOLJAAR: [f"{y}/{y + 1}" for y in range(2010, 2025)],
           PeriodeType.TWEEJAAR: [f"{y}B" for y in range(2000, 2025, 2)]}
POLL_S = 0.05
E2V_POLL_S = 0.1  # per area: the full area view (it loads the system it measures)
INTERVENTIE_EVERY = 2  # every other write is an interventie: 100/s to each API
SENDERS = 48  # workload 10's concurrent writers (each ≥ 0.24 s between its sends at 200/s)


# ------------------------------------------------------------------------------ reference data

@dataclass(frozen=True)
class Kernindicator:
    code: str
    eenheid: str
    periodetype: PeriodeType
    schaal: tuple[float, float]

    def waarde(self, rng: random.Random) -> str:
        low, high = self.schaal
        if self.eenheid == "aantal":
            return str(rng.randint(0, 5000))
        return f"{rng.uniform(low, high):.2f}"


def kernindicatoren() -> list[Kernindicator]:
    found = []
    for item in json.loads((REFERENTIE / "kernindicatoren.json").read_text()):
        low = float(item.get("schaalMin") or 0)
        high = float(item.get("schaalMax") or 100)
        found.append(Kernindicator(item["code"], item["eenheid"],
                                   PeriodeType(item["periodetype"]), (low, high)))
    return found


def reference_areas() -> dict[str, str]:
    return {f["code"]: f["gemeente"]
            for f in json.loads((REFERENTIE / "focusgebieden.json").read_text())}


# ------------------------------------------------------------------------------ 8: backlog

@dataclass
class Meting:
    indicator: Kernindicator
    regio: str
    soort: str
    focusgebied: str | None
    gemeente: str | None
    periode: str
    key: bytes
    sequence: int = 0
    waarde: str = ""
    status: str = "voorlopig"


def metingen(areas: dict[str, str], wijk: bool) -> list[Meting]:
    """Every meting of the backlog: of the compared regions, or (wijk) of wijken and buurten."""
    regions: list[tuple[str, str, str | None, str | None, str]] = []  # regio, soort, fg, gm, key
    gemeenten = sorted(set(areas.values()))
    if wijk:
        for gm in gemeenten:
            digits = gm[2:]
            regions += [(f"WK{digits}{w:02d}", "wijk", None, gm, gm) for w in range(WIJKEN)]
            regions += [(f"BU{digits}{b // 4:02d}{b % 4:02d}", "buurt", None, gm, gm)
                        for b in range(BUURTEN)]
    else:
        regions += [(code, "focusgebied", code, gm, code) for code, gm in sorted(areas.items())]
        for gm in gemeenten:
            regions += [(gm, "gemeente", None, gm, gm),
                        (f"{gm}-rest", "rest-gemeente", None, gm, gm)]
        regions.append(("NL01", "land", None, None, "NL01"))
    return [Meting(ind, regio, soort, fg, gm, periode, key.encode())
            for ind in kernindicatoren() for regio, soort, fg, gm, key in regions
            for periode in PERIODS[ind.periodetype]]


@dataclass
class Backlog:
    """Turns the metingen into the backlog's events, in the relay's byte form."""

    template: dict[str, Any]  # a published `vastgelegd` event, decoded
    correction: dict[str, Any]  # a published `gecorrigeerd` event, decoded
    strip_none: bool
    periods: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → begin, eind

    def bounds(self, periode: str, kind: PeriodeType) -> tuple[str, str]:
        if periode not in self.periods:
            year = int(periode[:4])
            number = int(periode[5]) if kind is PeriodeType.HALFJAAR else 1
            p = of_type(kind, year, number)
            self.periods[periode] = (p.begin.isoformat(), p.eind.isoformat())
        return self.periods[periode]

    def event(self, m: Meting, rng: random.Random, when: str) -> bytes:
        m.sequence += 1
        first = m.sequence == 1
        base = self.template if first else self.correction
        data = dict(base["data"])
        begin, eind = self.bounds(m.periode, m.indicator.periodetype)
        vorige, vorige_status = m.waarde, m.status
        m.waarde = m.indicator.waarde(rng)
        m.status = "definitief" if rng.random() < 0.7 else "voorlopig"
        data.update(indicator=m.indicator.code, indicatorVersie=1, regio=m.regio,
                    regioSoort=m.soort, focusgebied=m.focusgebied, gemeente=m.gemeente,
                    periode=m.periode, periodeType=m.indicator.periodetype.value,
                    periodeBegin=begin, periodeEind=eind, waarde=m.waarde, status=m.status,
                    bron="CBS 85146NED", plausibel=True, zscore=None, importId=None)
        if not first:
            data.update(vorigeWaarde=vorige, vorigeStatus=vorige_status,
                        reden="Correctie na nieuwe levering van de bron")
        if self.strip_none:
            data = {k: v for k, v in data.items() if v is not None}
        event = dict(base)
        event.update(id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), time=when,
                     sequence=m.sequence, data=data,
                     subject=f"metingen/{m.indicator.code}/{m.regio}/{m.periode}")
        if "partitionkey" in event:
            event["partitionkey"] = m.key.decode()
        return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()

    def events(self, count: int, seed: str) -> Iterator[tuple[bytes, bytes]]:
        """(key, value) of `count` events: a fifth of wijken and buurten, the rest of the
        compared regions; each meting first `vastgelegd`, then corrected."""
        rng = random.Random(seed)
        areas = reference_areas()
        compared, local = metingen(areas, wijk=False), metingen(areas, wijk=True)
        start = datetime.now(UTC) - timedelta(days=365)
        step = timedelta(days=365) / max(count, 1)
        for n in range(count):
            pool = local if rng.random() < WIJK_SHARE else compared
            m = pool[rng.randrange(len(pool))]
            when = (start + n * step).isoformat().replace("+00:00", "Z")
            yield m.key, self.event(m, rng, when)


def run_backlog(system: System) -> list[Row]:
    count = BACKLOG[system.mode.name]
    name = f"8 backlog of {count:,} meting events".replace(",", " ")
    topic = indicatoren_topic(system)
    backlog = asyncio.run(_templates(system))
    rapportage = servicelist.by_name("rapportage")
    group = system.stack.consumer_group(rapportage)
    worker = "rapportage-worker"
    _wait_lag_zero(system, group, timeout=300)
    devstack.stop_process(system.stack, worker)
    log(f"{name}: rapportage-worker gestopt; events produceren naar {topic}")
    try:
        produced, produce_s = asyncio.run(_produce(system, topic, backlog, count))
    except BaseException:
        devstack.start_process(system.stack, worker)
        raise
    log(f"{name}: {produced} events in {produce_s:.1f}s geproduceerd "
        f"({produced / produce_s:,.0f}/s); worker starten")
    started = time.monotonic()
    devstack.start_process(system.stack, worker)
    samples = asyncio.run(_follow_group(system, topic, group, started,
                                        limit_s=120 + count / 500))
    done_at = samples[-1][0]
    first = next(((t, n) for t, n in samples if n > 0), None)
    if first is not None and done_at > first[0] and count > first[1]:
        drain = (samples[-1][1] - first[1]) / (done_at - first[0])
    else:
        drain = samples[-1][1] / max(done_at - started, 1e-6)
    view_lag = _view_lag(system)
    parked, stored = asyncio.run(_stored(system))
    note = (f"{done_at - started:.1f} s from worker start; view achterstand {view_lag} events; "
            f"{parked} dead letters; {stored:_} metingen stored".replace("_", " "))
    log(f"{name}: {drain:,.0f} events/s ({note}); kale consumer")
    messages, bare = asyncio.run(bare_consumer(system, topic))
    system.figures.update(meting_backlog=float(count))
    holds = (drain >= MIN_DRAIN_RATE and drain >= MIN_DRAIN_RATIO * bare and view_lag == 0
             and parked == 0)
    return [
        Row(f"{name}: produced to the topic events/s", produced / produce_s, "/s", None, "—",
            None, "aiokafka producer, not via the outbox"),
        Row(f"{name}: drain into the views events/s", drain, "/s", bare,
            f"≥ 10 000/s and ≥ {MIN_DRAIN_RATIO:.2f}× bare", holds,
            f"{note}; bare consumer read {messages:_}".replace("_", " ")),
    ]


async def _stored(system: System) -> tuple[int, int]:
    """(rows in the dead-letter table, metingen in the read model) of rapportage."""
    conn = await asyncpg.connect(system.dsn("rapportage"))
    try:
        return (int(await conn.fetchval("SELECT count(*) FROM dead_letter")),
                int(await conn.fetchval("SELECT count(*) FROM meting")))
    finally:
        await conn.close()


def indicatoren_topic(system: System) -> str:
    return str(system.stack.topic(servicelist.by_name("indicatoren").produces or ""))


async def _templates(system: System) -> Backlog:
    """A real `vastgelegd` and `gecorrigeerd` meting event: one meting of a wijk (which the
    views do not store) written and corrected through the API, its outbox rows serialised as the
    relay does."""
    gemeente = sorted(set(reference_areas().values()))[0]
    path = f"/metingen/woningen-nieuwbouw/WK{gemeente[2:]}99/{random.randint(2000, 2100)}"
    headers = {"Authorization": f"Bearer {system.token(INDICATOREN_BEHEER)}"}
    async with httpx.AsyncClient(base_url=f"{system.url('indicatoren')}/v1", headers=headers,
                                 timeout=30) as c:
        r = await c.put(path, json={"waarde": "10", "status": "voorlopig", "bron": "bench"})
        if r.status_code not in (200, 201):
            raise RuntimeError(f"meting voor het sjabloon: {r.status_code} {r.text[:300]}")
        r = await c.put(path, headers={"If-Match": r.headers["etag"]},
                        json={"waarde": "12", "status": "definitief", "bron": "bench",
                              "reden": "sjabloon"})
        if r.status_code != 200:
            raise RuntimeError(f"correctie voor het sjabloon: {r.status_code} {r.text[:300]}")
    conn = await asyncpg.connect(system.dsn("indicatoren"))
    try:
        found = {}
        for kind in (VASTGELEGD, GECORRIGEERD):
            payload = await conn.fetchval(
                "SELECT payload FROM outbox WHERE type = $1 ORDER BY id DESC LIMIT 1", kind)
            if payload is None:
                raise RuntimeError(f"geen {kind} in de outbox van indicatoren")
            raw = CloudEvent.model_validate(json.loads(payload)).to_json_bytes()
            found[kind] = json.loads(raw)
    finally:
        await conn.close()
    data = found[VASTGELEGD]["data"]
    return Backlog(found[VASTGELEGD], found[GECORRIGEERD],
                   strip_none=data.get("importId", 0) is not None)


async def _partitions(kafka: str, topic: str) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    numbers = sorted(p["partition"] for p in described["partitions"])
    if not numbers:
        raise RuntimeError(f"topic {topic} onbekend")
    return [TopicPartition(topic, p) for p in numbers]


async def _produce(system: System, topic: str, backlog: Backlog, count: int,
                   ) -> tuple[int, float]:
    """Produce the backlog in batches per partition (acks=all); (events, seconds)."""
    partitions = await _partitions(system.stack.kafka, topic)
    numbers = [tp.partition for tp in partitions]
    partitioner = DefaultPartitioner()
    producer = AIOKafkaProducer(bootstrap_servers=system.stack.kafka, acks="all",
                                client_id="nplv-bench-backlog", linger_ms=20,
                                max_batch_size=1024 * 1024, max_request_size=4 * 1024 * 1024)
    await producer.start()
    sent = 0
    try:
        started = time.monotonic()
        batches = {p: producer.create_batch() for p in numbers}
        pending: list[asyncio.Future[Any]] = []

        async def flush(p: int) -> None:
            batch = batches[p]
            batches[p] = producer.create_batch()
            pending.append(await producer.send_batch(batch, topic, partition=p))
            if len(pending) > 64:
                await asyncio.gather(*pending)
                pending.clear()

        for key, value in backlog.events(count, f"{SEED}-meting-backlog"):
            p = partitioner(key, numbers, numbers)
            if batches[p].append(key=key, value=value, timestamp=None,
                                 headers=[CONTENT_TYPE_HEADER]) is None:
                await flush(p)
                if batches[p].append(key=key, value=value, timestamp=None,
                                     headers=[CONTENT_TYPE_HEADER]) is None:
                    raise RuntimeError("event past niet in een lege batch")
            sent += 1
        for p in numbers:
            if batches[p].record_count():
                await flush(p)
        await asyncio.gather(*pending)
        return sent, time.monotonic() - started
    finally:
        await producer.stop()


async def _lag(admin: AIOKafkaAdminClient, consumer: AIOKafkaConsumer, group: str,
               partitions: list[TopicPartition]) -> tuple[int, int]:
    """(committed events, events still to go) of `group` on `partitions`."""
    committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
    end = await consumer.end_offsets(partitions)
    begin = await consumer.beginning_offsets(partitions)
    done = sum(max((committed.get(tp).offset if committed.get(tp) else 0) - begin[tp], 0)
               for tp in partitions)
    to_go = sum(max(end[tp] - max(committed[tp].offset if tp in committed else 0, begin[tp]), 0)
                for tp in partitions)
    return done, to_go


async def _follow_group(system: System, topic: str, group: str, started: float,
                        limit_s: float) -> list[tuple[float, int]]:
    """Poll the group's committed offsets until it has caught up: (time, events committed since
    the start) samples."""
    partitions = await _partitions(system.stack.kafka, topic)
    admin = AIOKafkaAdminClient(bootstrap_servers=system.stack.kafka)
    consumer = AIOKafkaConsumer(bootstrap_servers=system.stack.kafka, group_id=None,
                                client_id="nplv-bench-lag")
    await admin.start()
    await consumer.start()
    try:
        base, _ = await _lag(admin, consumer, group, partitions)
        samples: list[tuple[float, int]] = []
        while True:
            done, to_go = await _lag(admin, consumer, group, partitions)
            samples.append((time.monotonic(), done - base))
            if to_go == 0:
                return samples
            if time.monotonic() - started > limit_s:
                raise RuntimeError(f"drain niet klaar na {limit_s:.0f}s ({to_go} te gaan)")
            await asyncio.sleep(POLL_S)
    finally:
        await consumer.stop()
        await admin.close()


def _wait_lag_zero(system: System, group: str, timeout: float) -> None:
    async def wait() -> None:
        partitions = []
        for t in servicelist.by_name("rapportage").consumes:
            partitions += await _partitions(system.stack.kafka, system.stack.topic(t))
        admin = AIOKafkaAdminClient(bootstrap_servers=system.stack.kafka)
        consumer = AIOKafkaConsumer(bootstrap_servers=system.stack.kafka, group_id=None)
        await admin.start()
        await consumer.start()
        try:
            deadline = time.monotonic() + timeout
            while (await _lag(admin, consumer, group, partitions))[1] > 0:
                if time.monotonic() > deadline:
                    raise RuntimeError("rapportage liep niet bij voor de achterstand")
                await asyncio.sleep(0.2)
        finally:
            await consumer.stop()
            await admin.close()
    asyncio.run(wait())


def _view_lag(system: System, timeout: float = 10.0) -> int:
    """The view's `achterstand.events` once the worker's positions have been written (they are
    written about once a second)."""
    code = next(iter(sorted(reference_areas())))
    deadline = time.monotonic() + timeout
    events = -1
    with system.client("rapportage") as c:
        while time.monotonic() < deadline:
            r = c.get(f"/voortgang/focusgebieden/{code}/indicatoren/woningen-nieuwbouw")
            r.raise_for_status()
            events = int(r.json()["achterstand"]["events"])
            if events == 0:
                return 0
            time.sleep(0.25)
    return events


async def bare_consumer(system: System, topic: str) -> tuple[int, float]:
    """Workload 4's bare consumer over this topic, fetching as much per request as the
    rapportage consumer does."""
    return await backlog.bare_consumer(
        system.stack.kafka, await _partitions(system.stack.kafka, topic), patience=300,
        max_poll_records=10_000, fetch_max_bytes=64 * 1024 * 1024,
        max_partition_fetch_bytes=8 * 1024 * 1024)


# ------------------------------------------------------------------------------ 9: rebuild

def run_rebuild(system: System) -> list[Row]:
    name = "9 rebuild by replay"
    if "meting_backlog" not in system.figures:
        raise RuntimeError("workload 8 moet eerst draaien")
    headers = {"Authorization": f"Bearer {system.token(RAPPORTAGE_BEHEER)}"}
    timeout = 120 + system.figures["meting_backlog"] / 1000
    with system.client("rapportage") as c:
        started = time.monotonic()
        r = c.post("/herbouwopdrachten", headers=headers)
        if r.status_code != 202:
            raise RuntimeError(f"herbouw aanvragen: {r.status_code} {r.text[:300]}")
        job_id = r.json()["id"]
        log(f"{name}: opdracht {job_id}")
        job: dict[str, Any] = {}
        last_log = 0.0
        while True:
            r = c.get(f"/herbouwopdrachten/{job_id}", headers=headers)
            r.raise_for_status()
            job = r.json()
            if job["status"] in ("klaar", "mislukt"):
                break
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"herbouw niet klaar na {timeout:.0f}s: {job}")
            if time.monotonic() - last_log > 10:
                last_log = time.monotonic()
                log(f"{name}: {job['eventsVerwerkt']} van {job['eventsTotaal']} events")
            time.sleep(0.25)
        total_s = time.monotonic() - started
    if job["status"] != "klaar":
        raise RuntimeError(f"herbouw mislukt: {job.get('fout')}")
    events = int(job["eventsVerwerkt"])
    own_s = (datetime.fromisoformat(job["klaarOp"].replace("Z", "+00:00"))
             - datetime.fromisoformat(job["gestartOp"].replace("Z", "+00:00"))).total_seconds()
    rate = events / own_s if own_s > 0 else 0.0
    log(f"{name}: {events} events in {total_s:.1f}s ({rate:,.0f}/s in de worker)")
    label = f"{name} of {events:,} events (3 topics)".replace(",", " ")
    return [
        Row(f"{label}: seconds from request to klaar", round(total_s, 1), "s", None,
            f"< {MAX_REBUILD_S:.0f} s", total_s < MAX_REBUILD_S,
            f"job itself {own_s:.1f} s"),
        Row(f"{label}: replay events/s", rate, "/s", None, "—", None,
            "events ÷ (klaarOp − gestartOp)"),
    ]


# ------------------------------------------------------------------------------ 10: event→view

@dataclass
class Write:
    area: str
    kind: str  # meting or interventie
    path: str
    body: dict[str, Any]
    due: float = 0.0  # scheduled send time (monotonic)
    done: float = 0.0  # response time (monotonic)
    status: int = 0
    error: str = ""


def _e2v_plan(system: System, count: int) -> tuple[list[str], list[Write]]:
    """The writes of workload 10, round-robin over as few reference focusgebieden as their new
    metingen need (indicatoren knows only those 20): each indicator's periods 2000-2100 of its
    type that the backlog of workload 8 does not use, once per area."""
    rng = random.Random(f"{SEED}-e2v")
    series: list[tuple[Kernindicator, str]] = []
    for ind in kernindicatoren():
        kind = ind.periodetype
        last = 2100 if kind in (PeriodeType.SCHOOLJAAR, PeriodeType.TWEEJAAR) else 2101
        for year in range(2000, last):
            for number in ((1, 2) if kind is PeriodeType.HALFJAAR else (1,)):
                periode = of_type(kind, year, number)
                if periode.id not in PERIODS[kind]:
                    series.append((ind, periode.path_id))
    metingen_count = count - count // INTERVENTIE_EVERY
    reference = sorted(reference_areas())
    areas = reference[:max(1, math.ceil(metingen_count / len(series)))]
    if len(areas) * len(series) < metingen_count:
        raise RuntimeError(f"{metingen_count} nieuwe metingen passen niet in de gebieden")
    per_area: dict[str, list[tuple[Kernindicator, str]]] = {}
    for area in areas:
        order = series[:]
        rng.shuffle(order)
        per_area[area] = order
    writes = []
    gemeten = 0  # metingen so far: they go round the areas on their own
    for n in range(count):
        if n % INTERVENTIE_EVERY == INTERVENTIE_EVERY - 1:
            area = areas[n % len(areas)]
            item = system.interventie(rng, "Benchmark meting-view", n, area)
            writes.append(Write(area, "interventie", "/interventies", item.body()))
        else:
            area = areas[gemeten % len(areas)]
            gemeten += 1
            ind, periode = per_area[area].pop()
            writes.append(Write(area, "meting", f"/metingen/{ind.code}/{area}/{periode}",
                                {"waarde": ind.waarde(rng), "status": "voorlopig",
                                 "bron": "bench"}))
    return areas, writes


def run_event_to_view(system: System) -> list[Row]:
    mode = system.mode
    rate, seconds = mode.e2v_rate, mode.e2v_s
    name = f"10 meting→view, {rate} writes/s for {seconds}s"
    count = rate * seconds
    areas, writes = _e2v_plan(system, count)
    system.quiesce()
    log(f"{name}: {len(areas)} gebieden, open-loop schrijver en waarnemer per gebied")
    samples, stop_at = asyncio.run(_e2v(system, areas, writes, rate))
    ok = [w for w in writes if 200 <= w.status < 300]
    bad = [w for w in writes if not 200 <= w.status < 300]
    delays: list[float] = []
    lost = 0
    for area in areas:
        stamps = sorted(w.done for w in ok if w.area == area)
        seen = samples[area]
        delays += event_to_view.match(stamps, seen)
        lost += len(stamps) - (seen[-1][1] if seen else 0)
    achieved = len(ok) / stop_at if stop_at else 0.0
    errors = ""
    if bad:
        kinds: dict[str, int] = {}
        for w in bad:
            label = str(w.status) if w.status else w.error
            kinds[label] = kinds.get(label, 0) + 1
        errors = "errors: " + ", ".join(f"{n}× {k}" for k, n in sorted(kinds.items()))
    api = sorted((w.done - w.due) * 1000 for w in ok)
    clean = not bad and bool(ok)
    rows = [Row(f"{name}: achieved writes/s", achieved, "/s", None, f"{rate}/s",
                clean and achieved >= 0.95 * rate,
                errors or (f"API p99 {percentile(api, 99):.0f} ms from the scheduled send "
                           f"({sum(w.kind == 'meting' for w in ok)} PUT meting, "
                           f"{sum(w.kind == 'interventie' for w in ok)} POST interventie)"))]
    if not delays:
        raise RuntimeError("geen enkele write werd zichtbaar in de view")
    rows.append(Row(f"{name}: 2xx→visible p50", percentile(delays, 50), "ms", None, "—", None,
                    f"n={len(delays)}"))
    p99 = percentile(delays, 99)
    rows.append(Row(f"{name}: 2xx→visible p99", p99, "ms", None, f"< {MAX_P99_MS:.0f} ms",
                    clean and lost == 0 and p99 < MAX_P99_MS, f"max {max(delays):.0f} ms"))
    rows.append(Row(f"{name}: lost", float(lost), "events", None, "0", clean and lost == 0,
                    f"{len(ok)} 2xx over {len(areas)} areas"))
    return rows


def visible(body: dict[str, Any]) -> int:
    return sum(int(a["aantalInterventies"]) + sum(int(i["aantalMetingen"])
                                                   for i in a["indicatoren"])
               for a in body["actielijnen"])


async def _e2v(system: System, areas: list[str], writes: list[Write], rate: int,
               ) -> tuple[dict[str, list[tuple[float, int]]], float]:
    """Send `writes` on a fixed schedule while one observer per area polls its view; returns
    the samples per area and the schedule's length in seconds."""
    samples: dict[str, list[tuple[float, int]]] = {a: [] for a in areas}
    tokens = {"meting": system.token(INDICATOREN_BEHEER), "interventie": system.token(SCHRIJVEN)}
    # A fixed set of senders, each with its own connection and its slice of the schedule (the
    # n-th write is due at start + n / rate): no pool to queue in, and a sender that falls
    # behind sends at once, so the offered rate holds as long as the APIs keep up.
    limits = httpx.Limits(max_connections=SENDERS, max_keepalive_connections=SENDERS)
    writers = {"meting": httpx.AsyncClient(base_url=f"{system.url('indicatoren')}/v1",
                                           timeout=30, limits=limits),
               "interventie": httpx.AsyncClient(base_url=f"{system.url('gebieden')}/v1",
                                                timeout=30, limits=limits)}
    reader = httpx.AsyncClient(base_url=f"{system.url('rapportage')}/v1", timeout=30)
    finished = asyncio.Event()

    async def observe(area: str) -> None:
        while True:
            r = await reader.get(f"/voortgang/focusgebieden/{area}")
            if r.status_code == 200:
                samples[area].append((time.monotonic(), visible(r.json())))
            if finished.is_set():
                return
            await asyncio.sleep(E2V_POLL_S)

    async def send(w: Write) -> None:
        client = writers[w.kind]
        headers = {"Authorization": f"Bearer {tokens[w.kind]}"}
        try:
            if w.kind == "meting":
                r = await client.put(w.path, json=w.body, headers=headers)
            else:
                r = await client.post(w.path, json=w.body, headers=headers)
            w.status = r.status_code
            if w.status == 400 and not w.error:
                w.error = r.text[:200]
        except httpx.HTTPError as exc:
            w.error = type(exc).__name__
        w.done = time.monotonic()

    observers = [asyncio.create_task(observe(a)) for a in areas]
    try:
        await asyncio.sleep(0.5)  # the observers' first polls: what the areas held before
        if not all(samples.values()):
            raise RuntimeError("de waarnemer kreeg geen weergave")
        base = {a: samples[a][-1][1] for a in areas}
        start = time.monotonic() + 0.05
        for n, w in enumerate(writes):
            w.due = start + n / rate

        async def sender(mine: list[Write]) -> None:
            for w in mine:
                wait = w.due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                await send(w)

        await asyncio.gather(*(sender(writes[i::SENDERS]) for i in range(SENDERS)))
        length = max(w.done for w in writes) - start  # first send to last response
        expected = {a: sum(1 for w in writes if w.area == a and 200 <= w.status < 300)
                    for a in areas}
        for _ in range(600):  # up to a minute for the views to show every 2xx
            if all(samples[a][-1][1] - base[a] >= expected[a] for a in areas):
                break
            await asyncio.sleep(0.1)
    finally:
        finished.set()
        await asyncio.gather(*observers, return_exceptions=True)
        for client in (*writers.values(), reader):
            await client.aclose()
    bad = [w for w in writes if w.status == 400]
    if bad:
        log(f"eerste 400: {bad[0].path} {bad[0].error}")
    return {a: [(t, n - base[a]) for t, n in samples[a] if t >= start]
            for a in areas}, length
