"""W3C trace context parsing, the register check at start-up, and the audit read filter."""

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from fastapi import FastAPI

from nplv_shared.audit_api import _filter_errors
from nplv_shared.routing import operation_id
from nplv_shared.tracing import TraceParent
from nplv_shared.verantwoording import Verantwoording
from nplv_shared.verwerkingen import Register, Verwerkingsactiviteit

VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


class TestTraceParent:
    def test_a_valid_header_is_read_and_written_back_unchanged(self) -> None:
        parsed = TraceParent.parse(VALID)
        assert parsed == TraceParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")
        assert str(parsed) == VALID
        assert TraceParent.parse(VALID.encode()) == parsed

    @pytest.mark.parametrize("header", [
        None, "", "nonsense", VALID.upper(), VALID.replace("00-", "01-", 1),
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
    ])
    def test_an_invalid_header_is_ignored(self, header: str | None) -> None:
        assert TraceParent.parse(header) is None

    def test_a_child_keeps_the_trace_and_gets_a_new_span(self) -> None:
        parent = TraceParent.parse(VALID)
        assert parent is not None
        child = parent.child()
        assert (child.trace_id, child.flags) == (parent.trace_id, parent.flags)
        assert child.span_id != parent.span_id
        assert len(child.span_id) == 16


class TestRegisterCheck:
    def test_a_write_operation_without_an_activity_stops_the_service(self) -> None:
        app = FastAPI(generate_unique_id_function=operation_id)

        @app.post("/iets")
        async def create_iets() -> None: ...

        activity = Verwerkingsactiviteit("iets", 1, "Iets", "Iets doen")
        verantwoording = Verantwoording(service="x", register=Register(), tables=None)  # type: ignore[arg-type]
        with pytest.raises(RuntimeError, match="createIets"):
            verantwoording.check_routes(app)
        Verantwoording(service="x", register=Register(operaties={"createIets": activity}),
                       tables=None).check_routes(app)  # type: ignore[arg-type]

    def test_the_uri_carries_the_version(self) -> None:
        assert Verwerkingsactiviteit("iets", 2, "Iets", "").uri == \
            "urn:nplv:verwerkingsactiviteit:iets:v2"


class TestAuditFilter:
    def errors(self, **filters: object) -> list[str]:
        base: dict[str, object] = {"resource": None, "resource_id": None, "client_id": None,
                                   "trace_id": None, "van": None, "tot": None}
        return [e.code for e in _filter_errors(**{**base, **filters})]  # type: ignore[arg-type]

    def test_no_filter_is_refused(self) -> None:
        assert self.errors() == ["filter_required"]

    def test_each_filter_alone_is_enough(self) -> None:
        now = datetime.now(UTC)
        assert self.errors(resource="interventie") == []
        assert self.errors(client_id="bzk-systeem") == []
        assert self.errors(trace_id="4bf92f3577b34da6a3ce929d0e0e4736") == []
        assert self.errors(van=now - timedelta(days=1), tot=now) == []

    def test_one_bound_of_the_time_window_is_enough(self) -> None:
        now = datetime.now(UTC)
        assert self.errors(van=now) == []
        assert self.errors(tot=now) == []

    def test_every_error_at_once(self) -> None:
        now = datetime.now(UTC)
        assert self.errors(van=now, tot=now - timedelta(seconds=1)) == ["before_van"]
        assert self.errors(resource_id="x") == ["filter_required", "requires_resource"]


class TestExport:
    SCRIPT = ("from nplv_shared import tracing\n"
              "from opentelemetry import trace\n"
              "exporting = tracing.configure_tracing('proef')\n"
              "with tracing.tracer().start_as_current_span('proefspan'):\n"
              "    pass\n"
              "trace.get_tracer_provider().shutdown()\n"
              "print(exporting)\n")

    def run(self, **env: str) -> str:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
        result = subprocess.run([sys.executable, "-c", self.SCRIPT], env={**clean, **env},
                                capture_output=True, text=True, timeout=60, check=True)
        return result.stdout.strip()

    def test_spans_go_to_the_otlp_endpoint_when_one_is_set(self) -> None:
        received: list[tuple[str, bytes]] = []

        class Collector(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                received.append((self.path, self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        server = HTTPServer(("127.0.0.1", 0), Collector)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            port = server.server_address[1]
            assert self.run(OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{port}") == "True"
        finally:
            server.shutdown()
        assert [path for path, _ in received] == ["/v1/traces"]
        body = received[0][1]
        assert b"proefspan" in body
        assert b"nplv-proef" in body

    def test_nothing_is_exported_without_an_endpoint(self) -> None:
        assert self.run() == "False"
