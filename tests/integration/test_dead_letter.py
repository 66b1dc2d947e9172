"""A message the consumer cannot apply is parked in dead_letter; the stream goes on."""

import asyncio

from aiokafka import AIOKafkaProducer

from tests.integration.helpers import (
    INTERVENTIES,
    interventie_body,
    new_focusgebied,
    query,
    totals,
    voortgang,
    wait_until,
)


async def _produce(stack, key, values):
    producer = AIOKafkaProducer(bootstrap_servers=stack.stack.kafka, acks="all")
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(stack.stack.topic("nplv.gebieden.v1"), value=value,
                                         key=key.encode())
    finally:
        await producer.stop()


class TestDeadLetter:
    def test_unreadable_events_are_parked_and_later_events_still_apply(self, stack):
        code = new_focusgebied(stack)
        wait_until(lambda: voortgang(stack, code), message="testgebied in rapportage")
        garbage = b"{dit is geen json"
        not_a_cloudevent = b'{"specversion": "1.0", "type": "geen-reverse-dns"}'
        asyncio.run(_produce(stack, code, [garbage, not_a_cloudevent]))

        with stack.client("gebieden") as c:
            r = c.post("/interventies", json=interventie_body(code),
                       headers=stack.auth("BZK", *INTERVENTIES))
        assert r.status_code == 201
        wait_until(lambda: totals(voortgang(stack, code))[0] == 1,
                   message="interventie na de onleesbare berichten")
        parked = query(stack.database_url("rapportage"),
                       "SELECT raw, error FROM dead_letter ORDER BY \"offset\"")
        raws = [row["raw"].encode() for row in parked]
        assert garbage in raws
        assert not_a_cloudevent in raws
        assert all(row["error"] for row in parked)
