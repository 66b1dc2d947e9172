"""Platform behaviour against the real PostgreSQL and Kafka: outbox atomicity and order,
migrations, health and metrics."""

import asyncio
import json
import subprocess

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy.ext.asyncio import create_async_engine

import devstack
from gebieden.db import outbox
from nplv_shared.db import make_sessionmaker
from nplv_shared.events import EventData, build_event
from nplv_shared.outbox import add_events
from tests.conftest import ROOT
from tests.integration.helpers import (
    INTERVENTIES,
    interventie_body,
    new_focusgebied,
    scalar,
    wait_until,
)


class Proef(EventData):
    event_type = "nl.nplv.gebieden.proef.aangemaakt.v1"
    waarde: int


class UseCaseFailed(Exception):
    pass


async def _write_event_then_fail(database_url: str, key: str) -> None:
    engine = create_async_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            event = build_event(source="urn:nld:nplv:systeem:gebieden",
                                data=Proef(waarde=1), subject="proef", key=key)
            await add_events(session, outbox, "nplv.gebieden.v1", "gebieden", [event])
            raise UseCaseFailed
    except UseCaseFailed:
        pass
    finally:
        await engine.dispose()


class TestOutbox:
    def test_rolled_back_change_leaves_no_event(self, stack):
        url = stack.stack.database_url(devstack.SERVICES[0])
        key = "proef-rollback"
        asyncio.run(_write_event_then_fail(url, key))
        assert scalar(stack.database_url("gebieden"),
                      "SELECT count(*) FROM outbox WHERE key = $1", key) == 0

    def test_events_of_one_aggregate_arrive_in_order(self, stack):
        code = new_focusgebied(stack)
        auth = stack.auth("BZK", *INTERVENTIES)
        with stack.client("gebieden") as c:
            r = c.post("/interventies", json=interventie_body(code), headers=auth)
            for i in range(5):
                r = c.put(f"/interventies/{r.json()['id']}",
                          json=interventie_body(code, titel=f"Versie {i + 2}"),
                          headers={**auth, "If-Match": r.headers["ETag"]})
                assert r.status_code == 200
        subject = f"interventies/{r.json()['id']}"
        db = stack.database_url("gebieden")
        wait_until(lambda: scalar(db, "SELECT count(*) FROM outbox WHERE key = $1 AND "
                                      "published_at IS NULL", code) == 0)
        events = asyncio.run(_events_for_key(stack, code))
        sequences = [e["sequence"] for e in events if e["subject"] == subject]
        assert sequences == [1, 2, 3, 4, 5, 6]
        assert events[0]["type"] == "nl.nplv.gebieden.focusgebied.aangemaakt.v1"


async def _events_for_key(stack, key):
    consumer = AIOKafkaConsumer(stack.stack.topic("nplv.gebieden.v1"),
                                bootstrap_servers=stack.stack.kafka, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    events = []
    try:
        while batch := await consumer.getmany(timeout_ms=2000):
            for records in batch.values():
                events += [json.loads(r.value) for r in records if r.key == key.encode()]
                headers = dict(records[0].headers)
                assert headers["content-type"] == b"application/cloudevents+json"
    finally:
        await consumer.stop()
    return events


class TestMigrations:
    @pytest.mark.parametrize("service", ["gebieden", "rapportage"])
    def test_models_match_migrations(self, stack, service):
        svc = next(s for s in devstack.SERVICES if s.name == service)
        result = subprocess.run(
            [str(ROOT / ".venv/bin/alembic"), "-c", str(ROOT / f"services/{service}/alembic.ini"),
             "check"], env=stack.stack.env(svc), capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


class TestHealthAndMetrics:
    @pytest.mark.parametrize("service", ["gebieden", "rapportage"])
    def test_ready_checks_database_and_kafka(self, stack, service):
        with stack.client(service) as c:
            live, ready = c.get("/health/live"), c.get("/health/ready")
        assert live.status_code == 200
        assert ready.status_code == 200
        checks = {k["naam"]: k["status"] for k in ready.json()["controles"]}
        assert checks == {"database": "ok", "kafka": "ok"}

    def test_metrics_expose_latency_backlog_and_lag(self, stack):
        def counted() -> list[str]:
            # an API runs several processes, each with its own metrics: ask until the process
            # that answers /metrics is one that served a request
            with stack.client("gebieden") as c:
                c.get("/focusgebieden")
            api = httpx.get(f"{stack.url('gebieden')}/metrics").text
            return [line for line in api.splitlines()
                    if line.startswith("nplv_http_request_duration_seconds_count{")
                    and 'route="/focusgebieden"' in line and 'status="200"' in line]

        counts = wait_until(counted, message="latentie van /focusgebieden in /metrics")
        assert float(counts[0].rsplit(" ", 1)[1]) >= 1
        wait_until(lambda: stack.worker_metric("gebieden", "nplv_outbox_published_total") > 0)
        assert "nplv_outbox_backlog{service=\"gebieden\"}" in httpx.get(
            f"http://127.0.0.1:{9101 + stack.stack.port_offset}/metrics").text
        consumer = httpx.get(f"http://127.0.0.1:{9104 + stack.stack.port_offset}/metrics").text
        assert "nplv_consumer_lag" in consumer
