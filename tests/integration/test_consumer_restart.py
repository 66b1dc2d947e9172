"""The rapportage consumer survives restarts and redeliveries without double counting."""

import asyncio
import threading
from decimal import Decimal

from aiokafka import AIOKafkaConsumer

from servicelist import by_name
from tests.integration.helpers import (
    INTERVENTIES,
    interventie_body,
    new_focusgebied,
    scalar,
    totals,
    voortgang,
    wait_until,
)

N = 60


def _post_many(stack, code, count, results):
    auth = stack.auth("BZK", *INTERVENTIES)
    with stack.client("gebieden") as c:
        for i in range(count):
            r = c.post("/interventies", json=interventie_body(code, geplandeOutput=f"{i}.25"),
                       headers=auth)
            results.append(r.status_code)


def _planned(view):
    return sum(Decimal(o["gepland"]) for a in view["actielijnen"] for o in a["output"])


class TestConsumerRestart:
    def test_killed_mid_stream_counts_stay_exact(self, stack):
        code = new_focusgebied(stack)
        results: list[int] = []
        writer = threading.Thread(target=_post_many, args=(stack, code, N, results))
        writer.start()
        wait_until(lambda: totals(voortgang(stack, code))[0] >= 5, message="eerste events")
        stack.restart("rapportage-worker", kill=True)  # SIGKILL: no clean offset commit
        wait_until(lambda: len(results) >= N // 2)
        stack.restart("rapportage-worker")
        writer.join(timeout=60)
        assert results == [201] * N

        view = wait_until(lambda: (v := voortgang(stack, code)) and totals(v)[0] == N and v,
                          timeout=30, message=f"{N} interventies in de view")
        assert totals(view) == (N, {"gepland": N})
        assert _planned(view) == sum(Decimal(f"{i}.25") for i in range(N))

    def test_redelivery_of_the_whole_topic_changes_nothing(self, stack):
        code = new_focusgebied(stack)
        results: list[int] = []
        _post_many(stack, code, 10, results)
        before = wait_until(lambda: (v := voortgang(stack, code)) and totals(v)[0] == 10 and v)
        topic = stack.stack.topic("nplv.gebieden.v1")  # the topic the group is rewound on
        inbox_sql = "SELECT count(*) FROM inbox WHERE topic = $1"
        inbox_before = scalar(stack.database_url("rapportage"), inbox_sql, topic)

        stack.stack_stop("rapportage-worker")
        asyncio.run(_rewind_group(stack))
        stack.start("rapportage-worker")

        # The worker re-reads everything; the inbox stops it from applying anything twice.
        marker = new_focusgebied(stack)  # an event after the replayed ones
        wait_until(lambda: voortgang(stack, marker), timeout=30, message="replay voorbij")
        after = voortgang(stack, code)
        assert totals(after) == totals(before)
        assert _planned(after) == _planned(before)
        inbox_after = scalar(stack.database_url("rapportage"), inbox_sql, topic)
        assert inbox_after == inbox_before + 1  # only the marker's event is new
        duplicates = stack.worker_metric("rapportage", "nplv_consumer_events_total",
                                         result="duplicate")
        assert duplicates >= inbox_before  # everything before the marker really came again


async def _rewind_group(stack):
    """Commit offset 0 on every partition for the rapportage consumer group (worker stopped,
    so this consumer is the group's only member and gets every partition)."""
    topic = stack.stack.topic("nplv.gebieden.v1")
    group = stack.stack.consumer_group(by_name("rapportage"))
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=stack.stack.kafka, group_id=group,
                                enable_auto_commit=False)
    await consumer.start()
    try:
        for _ in range(40):
            await consumer.getmany(timeout_ms=250)
            if consumer.assignment():
                break
        assert consumer.assignment(), "geen partities toegewezen"
        await consumer.commit(dict.fromkeys(consumer.assignment(), 0))
    finally:
        await consumer.stop()
