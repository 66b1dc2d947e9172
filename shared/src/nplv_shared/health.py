"""Liveness and readiness: /v1/health/live and /v1/health/ready (DB and Kafka)."""

import asyncio
import time
from typing import Literal

from aiokafka.admin import AIOKafkaAdminClient
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from nplv_shared.problems import problem_response

TAG = {"name": "Gezondheid",
       "description": "Of de dienst leeft en klaar is voor verkeer (voor load balancers en "
                      "Kubernetes-probes). Zonder token."}
router = APIRouter(prefix="/health", tags=[TAG["name"]])


class Controle(BaseModel):
    naam: str
    status: Literal["ok", "fout"]
    detail: str | None = None


class Gezondheid(BaseModel):
    status: Literal["ok", "fout"]
    controles: list[Controle] = []


class KafkaProbe:
    """Cached metadata check against the brokers (at most one check per 5 s)."""

    def __init__(self, bootstrap_servers: str) -> None:
        self.bootstrap_servers = bootstrap_servers
        self._checked_at = 0.0
        self._result: Controle | None = None
        self._lock = asyncio.Lock()

    async def check(self) -> Controle:
        async with self._lock:
            if self._result and time.monotonic() - self._checked_at < 5:
                return self._result
            self._result = await self._check_now()
            self._checked_at = time.monotonic()
            return self._result

    async def _check_now(self) -> Controle:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers,
                                    request_timeout_ms=3000)
        try:
            await asyncio.wait_for(admin.start(), timeout=4)
            cluster = await asyncio.wait_for(admin.describe_cluster(), timeout=4)
            return Controle(naam="kafka", status="ok",
                            detail=f"{len(cluster.get('brokers', []))} broker(s)")
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            return Controle(naam="kafka", status="fout", detail=type(exc).__name__)
        finally:
            await admin.close()


@router.get("/live", summary="Leeft de dienst?", response_model=Gezondheid)
async def get_liveness() -> Gezondheid:
    """Altijd 200 zolang het proces verzoeken beantwoordt; raadpleegt geen afhankelijkheden."""
    return Gezondheid(status="ok")


@router.get("/ready", summary="Is de dienst klaar voor verkeer?", response_model=Gezondheid,
            responses={503: {"description": "Niet klaar"}})
async def get_readiness(request: Request) -> Gezondheid | JSONResponse:
    """200 als de database bereikbaar is, anders 503 met de falende controle. Kafka wordt
    gemeld maar maakt de dienst alleen onklaar als `<DIENST>_READY_REQUIRES_KAFKA=true`: de
    outbox neemt schrijfacties aan zolang Kafka weg is."""
    controles = [await _check_database(request)]
    kafka = await request.state.kafka_probe.check()
    controles.append(kafka)
    required = [c for c in controles
                if c.naam != "kafka" or request.state.settings.ready_requires_kafka]
    failing = [c for c in required if c.status != "ok"]
    if failing:
        detail = "; ".join(f"{c.naam}: {c.detail or c.status}" for c in failing)
        return problem_response(503, "Dienst niet beschikbaar", f"Niet klaar: {detail}.",
                                instance=request.url.path)
    return Gezondheid(status="ok", controles=controles)


async def _check_database(request: Request) -> Controle:
    try:
        async with request.state.sessionmaker() as session:
            await asyncio.wait_for(session.execute(text("SELECT 1")), timeout=3)
        return Controle(naam="database", status="ok")
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return Controle(naam="database", status="fout", detail=type(exc).__name__)
