"""The system under test: a throw-away copy of the whole stack (`devstack.ephemeral_stack`: its
own databases, topic, consumer group and ports, on the PostgreSQL and Kafka `make up` uses),
with what the workloads need from it: URLs, databases, tokens, the reference focusgebieden,
seed data written with a fixed seed, and waiting until the views have caught up."""

from __future__ import annotations

import asyncio
import copy
import json
import random
import shutil
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

import devstack
import servicelist
from bench.harness import Mode, rss_each_mb
from nplv_shared.outbox import notify_channel
from nplv_shared.tokens import ensure_keys, mint

SEED = 20261201
MINISTERIE = "BZK"  # the token's organisatie: a ministry writes only its own interventies
SCHRIJVEN = "nplv:interventies:schrijven"
BEHEER = "nplv:gebieden:beheer"
INTERVENTIE_AANGEMAAKT = "nl.nplv.gebieden.interventie.aangemaakt.v1"
STATUSES = ("gepland", "lopend", "lopend", "afgerond", "gestopt")
EENHEDEN = ("woningen", "woningen", "leerlingen", "deelnemers", "meters")
# The columns an interventie needs (the rest have defaults); used by the direct baselines.
INSERT_INTERVENTIE = """
    INSERT INTO {table} (id, focusgebied_code, gemeente_code, actielijn, ministerie, eigenaar,
                         titel, status, startdatum, output_eenheid, geplande_output, versie)
    VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, 1)"""
INSERT_OUTBOX = """
    INSERT INTO {table} (event_id, topic, key, type, payload) VALUES ($1, $2, $3, $4, $5)"""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Interventie:
    """One generated interventie: the API body, the database row and the event all come
    from it, so every path writes the same data."""

    id: uuid.UUID
    focusgebied: str
    gemeente: str
    actielijn: int
    titel: str
    status: str
    startdatum: str
    eenheid: str
    output: int

    def body(self) -> dict[str, Any]:
        return {"focusgebied": self.focusgebied, "actielijn": self.actielijn,
                "ministerie": MINISTERIE, "titel": self.titel, "status": self.status,
                "startdatum": self.startdatum, "outputEenheid": self.eenheid,
                "geplandeOutput": str(self.output)}

    def row(self) -> tuple[Any, ...]:
        return (self.id, self.focusgebied, self.gemeente, self.actielijn, MINISTERIE,
                self.titel, self.status, datetime.fromisoformat(self.startdatum).date(),
                self.eenheid, Decimal(self.output))


@dataclass
class System:
    stack: devstack.Stack
    mode: Mode
    private_key: str
    focusgebieden: dict[str, str] = field(default_factory=dict)  # code → gemeente
    template: dict[str, Any] = field(default_factory=dict)  # a real interventie event
    topic: str = ""
    memory: dict[str, dict[str, float]] = field(default_factory=dict)  # moment → process → MB
    figures: dict[str, float] = field(default_factory=dict)  # shared between workloads

    # --- where things are ---------------------------------------------------------------

    def url(self, service: str) -> str:
        return self.stack.api_url(servicelist.by_name(service))

    def dsn(self, service: str) -> str:
        url = self.stack.database_url(servicelist.by_name(service))
        return url.replace("postgresql+asyncpg://", "postgresql://")

    def client(self, service: str) -> httpx.Client:
        return httpx.Client(base_url=f"{self.url(service)}/v1", timeout=30)

    def token(self, *scopes: str) -> str:
        return mint(MINISTERIE, list(scopes), private_key=self.private_key, ttl_s=6 * 3600)

    def processes(self) -> dict[str, int]:
        """Every API and worker process of the stack that is running, by name."""
        found = {}
        for name in devstack.process_commands(self.stack):
            pid = devstack.running_pid(self.stack, name)
            if pid:
                found[name] = pid
        return found

    def rss(self) -> dict[str, float]:
        """Resident memory (MB) of every API and worker process, by name: the largest process
        where uvicorn runs several (`--workers`), which the name then says."""
        found = {}
        for name, pid in self.processes().items():
            each = rss_each_mb(pid)
            if each:
                label = name if len(each) == 1 else f"{name} (largest of {len(each)} processes)"
                found[label] = max(each)
        return found

    def consumer_workers(self) -> list[str]:
        return [f"{s.name}-worker" for s in servicelist.SERVICES if s.consumes]

    @property
    def notify_channel(self) -> str:
        return notify_channel("gebieden")

    # --- generated data -----------------------------------------------------------------

    def interventie(self, rng: random.Random, label: str, n: int,
                    focusgebied: str | None = None) -> Interventie:
        code = focusgebied or rng.choice(list(self.focusgebieden))
        return Interventie(
            id=uuid.UUID(int=rng.getrandbits(128), version=4), focusgebied=code,
            gemeente=self.focusgebieden[code], actielijn=rng.randint(1, 4),
            titel=f"{label} {n}", status=rng.choice(STATUSES),
            startdatum=f"2025-{rng.randint(1, 12):02d}-01", eenheid=rng.choice(EENHEDEN),
            output=rng.randint(1, 500))

    def event(self, interventie: Interventie) -> dict[str, Any]:
        """The `interventie.aangemaakt` event of a generated interventie: a copy of a real
        one the API wrote (so its shape is always the service's current one), with this
        interventie's identity and attributes."""
        event = copy.deepcopy(self.template)
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        event.update(id=str(uuid.uuid4()), subject=f"interventies/{interventie.id}", time=now,
                     sequence=1, partitionkey=interventie.focusgebied)
        event["data"].update(
            id=str(interventie.id), focusgebied=interventie.focusgebied,
            gemeente=interventie.gemeente, actielijn=interventie.actielijn,
            ministerie=MINISTERIE, eigenaar=MINISTERIE, titel=interventie.titel,
            status=interventie.status, startdatum=interventie.startdatum,
            outputEenheid=interventie.eenheid, geplandeOutput=f"{interventie.output}.00",
            versie=1, aangemaaktOp=now, gewijzigdOp=now)
        return event

    def outbox_row(self, interventie: Interventie) -> tuple[Any, ...]:
        event = self.event(interventie)
        return (uuid.UUID(event["id"]), self.topic, interventie.focusgebied,
                INTERVENTIE_AANGEMAAKT, json.dumps(event))

    # --- state of the system ------------------------------------------------------------

    def interventies_total(self) -> int:
        with self.client("gebieden") as c:
            r = c.get("/interventies", params={"pageSize": 1})
            r.raise_for_status()
            return int(r.json()["totaal"])

    def view_total(self, client: httpx.Client | None = None) -> int:
        """Interventies counted by the rapportage views, over every focusgebied."""
        own = client is None
        c = client or self.client("rapportage")
        try:
            total, page = 0, 1
            while True:
                r = c.get("/voortgang/focusgebieden", params={"pageSize": 100, "page": page})
                r.raise_for_status()
                body = r.json()
                total += sum(int(item["aantalInterventies"]) for item in body["resultaten"])
                if page * 100 >= int(body["totaal"]):
                    return total
                page += 1
        finally:
            if own:
                c.close()

    def quiesce(self, timeout: float = 300) -> None:
        """Wait until every interventie gebieden holds is counted by the rapportage views (the
        relay and the consumer have caught up), so a workload starts on a quiet system."""
        deadline = time.monotonic() + timeout
        expected = seen = -1
        with self.client("rapportage") as c:
            while time.monotonic() < deadline:
                expected = self.interventies_total()
                seen = self.view_total(c)
                if seen == expected:
                    return
                time.sleep(0.2)
        raise RuntimeError(f"views liepen niet bij binnen {timeout:.0f}s "
                           f"({seen} van {expected} interventies)")


@contextmanager
def running(mode: Mode, workdir: Path) -> Iterator[System]:
    """Start the whole system on its own databases, topic and ports; stop and drop it after."""
    for old in ("run", "log"):  # of the previous run; the keys are kept
        shutil.rmtree(workdir / old, ignore_errors=True)
    workdir.mkdir(parents=True, exist_ok=True)
    private_path, public_path = ensure_keys(workdir / "keys")
    # No write limit: it would cap the benchmark, not measure it.
    env = {f"{s.prefix}WRITES_PER_MINUTE": "0" for s in servicelist.SERVICES}
    log(f"stack starten (werkmap {workdir})")
    stack = None
    try:
        with devstack.ephemeral_stack(workdir, public_path, **env) as stack:
            system = System(stack=stack, mode=mode, private_key=private_path.read_text())
            gebieden = servicelist.by_name("gebieden")
            system.topic = stack.topic(gebieden.produces or "")
            with system.client("gebieden") as c:
                r = c.get("/focusgebieden", params={"pageSize": 100})
                r.raise_for_status()
                system.focusgebieden = {f["code"]: f["gemeente"]
                                        for f in r.json()["resultaten"]}
            yield system
    finally:
        if stack is not None:
            asyncio.run(_delete_topic(stack))


async def _delete_topic(stack: devstack.Stack) -> None:
    """The run's topic goes with its databases (devstack drops those)."""
    topics = [stack.topic(s.produces) for s in servicelist.SERVICES if s.produces]
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.kafka)
    await admin.start()
    try:
        await admin.delete_topics(topics)
    except KafkaError as exc:
        log(f"topic niet verwijderd: {exc!r}")
    finally:
        await admin.close()


def seed(system: System, count: int) -> None:
    """Write `count` interventies through the gebieden API (random with SEED; a quarter of
    them in rotterdam-zuid, the area the read workloads look at) and wait for the views.
    Data generation, not a measurement."""
    rng = random.Random(SEED)
    items = [system.interventie(rng, "Benchmark basis", n,
                                "rotterdam-zuid" if n % 4 == 0 else None)
             for n in range(count)]
    headers = {"Authorization": f"Bearer {system.token(SCHRIJVEN)}"}

    async def write() -> None:
        queue: asyncio.Queue[Interventie] = asyncio.Queue()
        for item in items:
            queue.put_nowait(item)
        async with httpx.AsyncClient(base_url=f"{system.url('gebieden')}/v1", headers=headers,
                                     timeout=30) as client:
            async def worker() -> None:
                while not queue.empty():
                    item = queue.get_nowait()
                    r = await client.post("/interventies", json=item.body())
                    if r.status_code != 201:
                        raise RuntimeError(f"seed: {r.status_code} {r.text[:300]}")

            await asyncio.gather(*(worker() for _ in range(8)))

    started = time.monotonic()
    asyncio.run(write())
    system.quiesce()
    log(f"{count} interventies geschreven en in de views in {time.monotonic() - started:.1f}s")
    system.template = asyncio.run(_template(system))


async def _template(system: System) -> dict[str, Any]:
    conn = await asyncpg.connect(system.dsn("gebieden"))
    try:
        payload = await conn.fetchval(
            "SELECT payload FROM outbox WHERE type = $1 ORDER BY id LIMIT 1",
            INTERVENTIE_AANGEMAAKT)
    finally:
        await conn.close()
    if payload is None:
        raise RuntimeError("geen interventie-event in de outbox na het vullen")
    event: dict[str, Any] = json.loads(payload)
    return event
