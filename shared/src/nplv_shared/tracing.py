"""OpenTelemetry tracing: W3C trace context from the client's request, through the outbox and
Kafka, to the consumer's batch.

- Every API request runs in a server span (FastAPI's native telemetry, `fastapi_telemetry`):
  a `traceparent` the client sent is continued, otherwise a new trace starts. The response
  names the trace in its own `traceparent` header, and JSON logs carry `traceId`/`spanId`.
- An outbox row stores the `traceparent` of the request that wrote it; the relay sends it as a
  Kafka header with the event; a consumer continues it for the work it does for that event.
- Spans are exported with OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
  `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set; otherwise nothing is exported and no collector
  is needed. Only then are database spans made and consumer spans created (they cost CPU per
  statement and per event and nobody would see them); the trace ids themselves, which the
  audit log and the processing log need, exist either way.

Kafka propagation is done here rather than with the aiokafka instrumentation: that one creates
a span per record in `getmany` (about 17 µs per event here, some 20% of the consumer's budget)
and would inject the relay's context instead of the context of the request that wrote the row.
"""

import os
import random
import re
from dataclasses import dataclass
from typing import Any

from fastapi.telemetry import TelemetryConfig
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

TRACER = "nplv"
EXPORT_ENV = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")

_state: dict[str, Any] = {"configured": False, "exporting": False}


def configure_tracing(service: str) -> bool:
    """Install the process's tracer provider once (with an OTLP exporter when one is
    configured). Returns whether spans are exported."""
    if _state["configured"]:
        return bool(_state["exporting"])
    provider = TracerProvider(resource=Resource.create({"service.name": f"nplv-{service}",
                                                        "service.namespace": "nplv"}))
    exporting = any(os.environ.get(name) for name in EXPORT_ENV)
    if exporting:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    _state.update(configured=True, exporting=exporting)
    return exporting


def exporting() -> bool:
    return bool(_state["exporting"])


def tracer() -> trace.Tracer:
    return trace.get_tracer(TRACER)


UNTRACED_PATHS = ("/v1/health/", "/metrics")


def fastapi_telemetry() -> TelemetryConfig:
    """FastAPI's own OpenTelemetry support (`FastAPI(telemetry=...)`): a server span per request
    that continues the caller's `traceparent`. Operation spans (dependencies, endpoint,
    serialisation) only when spans are exported; FastAPI's metrics and logs stay off (the
    services have Prometheus metrics and JSON logs). Health probes and /metrics get no span.

    Measured with `make bench`: the contrib opentelemetry-instrumentation-fastapi middleware
    cost about 1 ms of CPU per write (some 20% of the write throughput on 2 cores)."""
    return {"tracing": True, "metrics": False, "logs": False,
            "operation_spans": exporting(), "auto_configure": False,
            "exclude": lambda scope: scope.get("path", "").startswith(UNTRACED_PATHS)}


def instrument_engine(engine: Any) -> None:
    """Database spans, only when spans are exported (see the module docstring)."""
    if exporting():
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

        SQLAlchemyInstrumentor().instrument(engine=engine.sync_engine)


@dataclass(frozen=True)
class TraceParent:
    """A W3C trace context (`traceparent`, version 00)."""

    trace_id: str
    span_id: str
    flags: str = "01"

    @classmethod
    def parse(cls, value: str | bytes | None) -> "TraceParent | None":
        """The context in a `traceparent` header, or None when absent or malformed (an
        invalid header is ignored, as the W3C spec asks: a new trace starts)."""
        if isinstance(value, bytes):
            value = value.decode("ascii", errors="replace")
        if not value:
            return None
        match = TRACEPARENT.match(value.strip())
        if match is None or set(match[1]) == {"0"} or set(match[2]) == {"0"}:
            return None
        return cls(match[1], match[2], match[3])

    def __str__(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-{self.flags}"

    def child(self) -> "TraceParent":
        """A new span in the same trace (its id only; see `span_in`)."""
        return TraceParent(self.trace_id, new_span_id(), self.flags)

    def context(self) -> Context:
        """An OpenTelemetry context with this as the remote parent."""
        parent = SpanContext(int(self.trace_id, 16), int(self.span_id, 16), is_remote=True,
                             trace_flags=TraceFlags(int(self.flags, 16)))
        return trace.set_span_in_context(NonRecordingSpan(parent))


def new_span_id() -> str:
    return f"{random.getrandbits(64) or 1:016x}"


def new_trace_id() -> str:
    return f"{random.getrandbits(128) or 1:032x}"


def current() -> TraceParent | None:
    """The context of the current span, or None outside one."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return TraceParent(f"{context.trace_id:032x}", f"{context.span_id:016x}",
                       f"{int(context.trace_flags):02x}")
