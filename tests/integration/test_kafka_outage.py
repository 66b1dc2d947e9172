"""Writes are accepted while Kafka is down; every change arrives once when it is back."""

import asyncio
import json
import os
import subprocess

import pytest
from aiokafka import AIOKafkaConsumer

from tests.conftest import ROOT
from tests.integration.helpers import (
    INTERVENTIES,
    interventie_body,
    new_focusgebied,
    scalar,
    totals,
    voortgang,
    wait_until,
)

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("KAFKA_BOOTSTRAP_SERVERS")),
    reason="stopt en start de lokale broker; niet tegen een externe Kafka")
N = 15


def kafka(command):
    subprocess.run(["bash", str(ROOT / "scripts/local/kafka.sh"), command], check=True)


class TestKafkaOutage:
    def test_changes_made_while_kafka_is_down_arrive_exactly_once(self, stack):
        code = new_focusgebied(stack)
        wait_until(lambda: voortgang(stack, code), message="testgebied in rapportage")
        gebieden_db = stack.database_url("gebieden")
        auth = stack.auth("BZK", *INTERVENTIES)
        kafka("stop")
        try:
            with stack.client("gebieden") as c:
                statuses = [c.post("/interventies", json=interventie_body(code),
                                   headers=auth).status_code for _ in range(N)]
            assert statuses == [201] * N
            pending = scalar(gebieden_db, "SELECT count(*) FROM outbox WHERE key = $1 AND "
                                          "published_at IS NULL", code)
            assert pending == N
        finally:
            kafka("start")

        wait_until(lambda: totals(voortgang(stack, code))[0] == N, timeout=90,
                   message=f"{N} interventies na herstart van Kafka")
        assert scalar(gebieden_db, "SELECT count(*) FROM outbox WHERE published_at IS NULL "
                                   "AND key = $1", code) == 0
        ids = asyncio.run(_event_ids_for_key(stack, code))
        outbox_ids = {str(r) for r in (scalar(
            gebieden_db, "SELECT array_agg(event_id) FROM outbox WHERE key = $1", code))}
        assert sorted(ids) == sorted(outbox_ids)  # each event once on the topic, none missing


async def _event_ids_for_key(stack, key):
    topic = stack.stack.topic("nplv.gebieden.v1")
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=stack.stack.kafka, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    ids = []
    try:
        while True:
            batch = await consumer.getmany(timeout_ms=2000)
            if not batch:
                break
            ids += [json.loads(r.value)["id"] for rs in batch.values() for r in rs
                    if r.key == key.encode()]
    finally:
        await consumer.stop()
    return ids
