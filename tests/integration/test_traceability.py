"""One change followed by its trace id through the running system: the response, the outbox
row, the Kafka header, the audit row, and the processing-log lines of both services. A refused
write leaves none of them; the audit log is for auditors only and only with a filter."""

from __future__ import annotations

import asyncio
import json
import secrets

import pytest
from aiokafka import AIOKafkaConsumer

from tests.integration.helpers import (
    INTERVENTIES,
    interventie_body,
    new_focusgebied,
    query,
    totals,
    voortgang,
    wait_until,
)

AUDITOR = ("nplv:audit:lezen",)


def traceparent() -> tuple[str, str, str]:
    trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
    return trace_id, span_id, f"00-{trace_id}-{span_id}-01"


async def _kafka_headers(stack, event_id: str) -> dict[str, bytes]:
    consumer = AIOKafkaConsumer(stack.stack.topic("nplv.gebieden.v1"),
                                bootstrap_servers=stack.stack.kafka, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    try:
        while batch := await consumer.getmany(timeout_ms=2000):
            for record in (r for rs in batch.values() for r in rs):
                if event_id.encode() in record.value:  # the topic also holds test garbage
                    assert json.loads(record.value)["id"] == event_id
                    return dict(record.headers)
    finally:
        await consumer.stop()
    raise AssertionError(f"event {event_id} niet op het topic gevonden")


def processing_lines(stack, service: str, trace_id: str):
    return query(stack.database_url(service),
                 "SELECT * FROM verwerkingslog WHERE trace_id = $1 ORDER BY id", trace_id)


class TestOneChangeByItsTraceId:
    def test_a_post_is_traceable_from_the_request_to_the_view(self, stack):
        code = new_focusgebied(stack)
        trace_id, caller_span, header = traceparent()
        with stack.client("gebieden") as c:
            r = c.post("/interventies", json=interventie_body(code),
                       headers={**stack.auth("BZK", *INTERVENTIES), "traceparent": header})
        assert r.status_code == 201, r.text
        interventie_id = r.json()["id"]
        # the response names the trace (continued from the caller) and this request's span
        version, returned_trace, server_span, _ = r.headers["traceparent"].split("-")
        assert (version, returned_trace) == ("00", trace_id)
        assert server_span != caller_span

        outbox = query(stack.database_url("gebieden"),
                       "SELECT event_id, traceparent FROM outbox WHERE traceparent LIKE $1",
                       f"00-{trace_id}-%")
        assert len(outbox) == 1
        assert outbox[0]["traceparent"] == r.headers["traceparent"]
        headers = asyncio.run(_kafka_headers(stack, str(outbox[0]["event_id"])))
        assert headers["traceparent"].decode() == r.headers["traceparent"]

        with stack.client("gebieden") as c:
            audit = c.get("/audit", params={"traceId": trace_id},
                          headers=stack.auth("BZK", *AUDITOR))
        assert audit.status_code == 200, audit.text
        rows = audit.json()["resultaten"]
        assert [(a["operatie"], a["resource"], a["resourceId"]) for a in rows] == [
            ("aanmaken", "interventie", interventie_id)]
        assert rows[0]["clientId"] == "dev-bzk"
        assert rows[0]["organisatie"] == "BZK"
        assert rows[0]["na"]["titel"] == interventie_body(code)["titel"]
        assert rows[0]["verwerkingsactiviteit"].endswith(":interventies-registreren:v1")

        [line] = processing_lines(stack, "gebieden", trace_id)
        assert line["span_id"] == server_span
        assert line["parent_span_id"] == caller_span
        assert line["foreign_operation"] == header
        assert line["processing_activity_id"] == rows[0]["verwerkingsactiviteit"]
        assert line["start_time"] <= line["end_time"]

        wait_until(lambda: totals(voortgang(stack, code))[0] == 1, message="interventie in view")
        lines = wait_until(lambda: processing_lines(stack, "rapportage", trace_id),
                           message="verwerkingslog van rapportage")
        assert len(lines) == 1
        assert lines[0]["parent_span_id"] == server_span  # continued from the request's span
        assert lines[0]["processing_activity_id"].endswith(":voortgang-bijwerken:v1")

    def test_a_request_without_traceparent_starts_a_new_trace(self, stack):
        code = new_focusgebied(stack)
        with stack.client("gebieden") as c:
            r = c.post("/interventies", json=interventie_body(code),
                       headers=stack.auth("BZK", *INTERVENTIES))
        assert r.status_code == 201
        trace_id = r.headers["traceparent"].split("-")[1]
        [line] = processing_lines(stack, "gebieden", trace_id)
        assert (line["parent_span_id"], line["foreign_operation"]) == (None, None)


class TestRefusedWrites:
    @pytest.mark.parametrize("organisatie", ["SZW", "GM0363"])
    def test_a_refused_write_leaves_no_audit_row_and_no_processing_line(
            self, stack, organisatie):
        code = new_focusgebied(stack)
        trace_id, _, header = traceparent()
        with stack.client("gebieden") as c:
            r = c.post("/interventies", json=interventie_body(code, ministerie="BZK"),
                       headers={**stack.auth(organisatie, *INTERVENTIES),
                                "traceparent": header})
        assert r.status_code == 403
        assert r.headers["traceparent"].split("-")[1] == trace_id
        assert processing_lines(stack, "gebieden", trace_id) == []
        assert query(stack.database_url("gebieden"),
                     "SELECT 1 FROM audit_log WHERE trace_id = $1", trace_id) == []


class TestAuditReadEndpoint:
    @pytest.mark.parametrize("service", ["gebieden", "rapportage"])
    def test_only_auditors_read_it(self, stack, service):
        params = {"resource": "interventie"}
        with stack.client(service) as c:
            assert c.get("/audit", params=params).status_code == 401
            refused = c.get("/audit", params=params, headers=stack.auth("BZK", *INTERVENTIES))
            assert refused.status_code == 403
            assert c.get("/audit", params=params,
                         headers=stack.auth("BZK", *AUDITOR)).status_code == 200

    def test_an_unfiltered_read_is_a_400_that_says_which_filters_exist(self, stack):
        with stack.client("gebieden") as c:
            r = c.get("/audit", headers=stack.auth("BZK", *AUDITOR))
        assert r.status_code == 400
        assert r.headers["content-type"] == "application/problem+json"
        assert [p["code"] for p in r.json()["invalidParams"]] == ["filter_required"]

    def test_it_cannot_be_changed_through_the_api(self, stack):
        with stack.client("gebieden") as c:
            for method in ("POST", "PUT", "PATCH", "DELETE"):
                r = c.request(method, "/audit", headers=stack.auth("BZK", *AUDITOR))
                assert r.status_code == 405, (method, r.status_code)
