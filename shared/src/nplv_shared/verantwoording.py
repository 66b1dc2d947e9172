"""Accountability for every write and every consumed batch: a processing-log line (LDV) and,
for writes, the audit rows, all in the transaction of the change and joined by trace id.

A service builds one `Verantwoording` from its register and its two tables and hands it to
`create_app` (the write session then records every request) and to its consumer or batch jobs.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute
from opentelemetry import trace
from sqlalchemy import (
    BigInteger,
    DateTime,
    MetaData,
    SmallInteger,
    Table,
    TextClause,
    bindparam,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared import tracing
from nplv_shared.audit import Wijziging, audit_table, collected, start_audit
from nplv_shared.auth import Principal
from nplv_shared.logs import request_id_var
from nplv_shared.routing import operation_id
from nplv_shared.tracing import TraceParent
from nplv_shared.verwerkingen import (
    STATUS_ERROR,
    STATUS_UNSET,
    Register,
    Verwerking,
    Verwerkingsactiviteit,
    now_ms,
    processing_log_table,
    write_processing,
)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ANONIEM = Principal(client_id="anoniem", organisatie="onbekend", scopes=frozenset())


@dataclass(frozen=True)
class Tables:
    audit: Table
    verwerkingslog: Table

    @classmethod
    def on(cls, metadata: MetaData) -> "Tables":
        return cls(audit=audit_table(metadata), verwerkingslog=processing_log_table(metadata))


@dataclass(frozen=True)
class EventTrace:
    """What a consumer knows of one event's origin: its trace context (from the Kafka header)
    and where it came from, for the processing-log line of the batch."""

    context: TraceParent | None
    topic: str


class Verantwoording:
    def __init__(self, *, service: str, register: Register, tables: Tables) -> None:
        self.service = service
        self.register = register
        self.tables = tables

    # -- requests ----------------------------------------------------------------------------

    def check_routes(self, app: FastAPI) -> None:
        """Every write operation must name its processing activity: fail at start-up, not in
        production, when a new endpoint has none."""
        missing = [operation_id(route) for route in app.routes if isinstance(route, APIRoute)
                   and (route.methods or set()) & WRITE_METHODS
                   and operation_id(route) not in self.register.operaties]
        if missing:
            raise RuntimeError(f"geen verwerkingsactiviteit in het register voor: {missing}")

    def start(self, session: AsyncSession) -> None:
        """Audit this transaction from here on (a write request's, or a batch job's)."""
        start_audit(session)

    async def record_request(self, session: AsyncSession, request: Request) -> None:
        """At the end of a write request's transaction: its processing-log line, and an audit
        row per change it made (none when it changed nothing)."""
        route = request.scope.get("route")
        operation = operation_id(route)
        activity = self.register.operaties[operation]
        span = trace.get_current_span()
        context = tracing.current() or TraceParent(tracing.new_trace_id(),
                                                    tracing.new_span_id())
        caller = TraceParent.parse(request.headers.get("traceparent"))  # the span's parent
        started = getattr(span, "start_time", None)
        method, path = request.method, getattr(route, "path", request.url.path)
        line = Verwerking(
            context=context, parent_span_id=caller.span_id if caller else None,
            name=operation, activity=activity,
            start_ms=started // 1_000_000 if started else now_ms(), end_ms=now_ms(),
            foreign_operation=caller,
            attributes={"service.name": f"nplv-{self.service}", "http.request.method": method,
                        "http.route": path})
        span.set_attribute("dpl.core.processing_activity_id", activity.uri)
        principal = getattr(request.state, "principal", None) or ANONIEM
        await self.record(session, line, collected(session), principal, method=method,
                           path=request.url.path)

    async def record(self, session: AsyncSession, line: Verwerking,
                      changes: Sequence[Wijziging], principal: Principal, *,
                      method: str | None = None, path: str | None = None) -> None:
        """A processing-log line and the audit rows of its changes, in one statement: one round
        trip on the write path, whatever the number of changes (the benchmark showed each
        extra statement in a write)."""
        await session.execute(self._record_statement, {
            **line.row(), "tijd": datetime.now(UTC), "request_id": request_id_var.get(),
            "client_id": principal.client_id, "organisatie": principal.organisatie,
            "oin": principal.oin, "methode": method, "pad": path,
            "wijzigingen": [{"operatie": c.operatie, "resource": c.resource,
                             "resource_id": c.resource_id, "voor": c.voor, "na": c.na,
                             "details": c.details} for c in changes]})

    @cached_property
    def _record_statement(self) -> TextClause:  # the tables of `Tables.on`
        return text("""
            WITH regel AS (
                INSERT INTO verwerkingslog (trace_id, span_id, parent_span_id, name, status_code,
                                   start_time, end_time, processing_activity_id,
                                   foreign_operation, attributes)
                VALUES (:trace_id, :span_id, :parent_span_id, :name, :status_code, :start_time,
                        :end_time, :processing_activity_id, :foreign_operation, :attributes)
            )
            INSERT INTO audit_log (tijd, trace_id, span_id, request_id, client_id, organisatie,
                                 oin, operatie, resource, resource_id, voor, na, details,
                                 verwerkingsactiviteit, methode, pad)
            SELECT :tijd, :trace_id, :span_id, :request_id, :client_id, :organisatie, :oin,
                   w.operatie, w.resource, w.resource_id, w.voor, w.na, w.details,
                   :processing_activity_id, :methode, :pad
            FROM jsonb_to_recordset(:wijzigingen) AS w(operatie text, resource text,
                 resource_id text, voor jsonb, na jsonb, details jsonb)
        """).bindparams(bindparam("attributes", type_=JSONB),
                        bindparam("wijzigingen", type_=JSONB),
                        bindparam("tijd", type_=DateTime(timezone=True)),
                        bindparam("start_time", type_=BigInteger),
                        bindparam("end_time", type_=BigInteger),
                        bindparam("status_code", type_=SmallInteger))

    # -- consumers ---------------------------------------------------------------------------

    async def record_batch(self, session: AsyncSession, events: Iterable[EventTrace],
                           activity: Verwerkingsactiviteit, *, started_ms: int,
                           name: str, error: str | None = None) -> None:
        """One processing-log line per originating trace in a consumed batch, each a child of
        the span that wrote the event (so the request's trace continues into this service);
        events without a trace context share one line in a new trace. With `error` (the
        events could not be processed) the lines have status 2 (error)."""
        groups: dict[str | None, list[EventTrace]] = defaultdict(list)
        for item in events:
            groups[item.context.trace_id if item.context else None].append(item)
        end = now_ms()
        lines = []
        for trace_id, items in groups.items():
            parent = items[0].context
            context = self._batch_span(name, parent, started_ms, end) if parent else \
                TraceParent(tracing.new_trace_id(), tracing.new_span_id())
            topics = sorted({i.topic for i in items})
            lines.append(Verwerking(
                context=context, parent_span_id=parent.span_id if parent else None,
                name=name, activity=activity, start_ms=started_ms, end_ms=end,
                foreign_operation=parent if trace_id else None,
                attributes={"service.name": f"nplv-{self.service}", "nplv.events": len(items),
                            "messaging.destination.name": ",".join(topics),
                            **({"error.type": error} if error else {})},
                status_code=STATUS_ERROR if error else STATUS_UNSET))
        await write_processing(session, self.tables.verwerkingslog, lines)

    @staticmethod
    def _batch_span(name: str, parent: TraceParent, started_ms: int,
                    end_ms: int) -> TraceParent:
        """The context of this batch's work for one trace: a real span when spans are exported,
        else only its ids (creating unexported span objects per event would cost the
        consumer some 20% of its throughput)."""
        if not tracing.exporting():
            return parent.child()
        span = tracing.tracer().start_span(name, context=parent.context(),
                                           kind=trace.SpanKind.CONSUMER,
                                           start_time=started_ms * 1_000_000)
        span.end(end_time=end_ms * 1_000_000)
        ctx = span.get_span_context()
        return TraceParent(f"{ctx.trace_id:032x}", f"{ctx.span_id:016x}", parent.flags)

    # -- batch jobs (loaders) ----------------------------------------------------------------

    async def record_job(self, session: AsyncSession, activity: Verwerkingsactiviteit,
                         principal: Principal, *, name: str, started_ms: int,
                         context: TraceParent | None = None,
                         parent: TraceParent | None = None) -> None:
        """For a job outside a request (the reference-data loader, an import job), audited
        with `start` before its changes: its line and its audit rows. An import job passes
        its own `context` and the request that stored it as `parent` (the trace goes on)."""
        if context is None:
            with tracing.tracer().start_as_current_span(name):
                context = tracing.current() or TraceParent(tracing.new_trace_id(),
                                                            tracing.new_span_id())
        line = Verwerking(context=context, parent_span_id=parent.span_id if parent else None,
                          foreign_operation=parent, name=name, activity=activity,
                          start_ms=started_ms, end_ms=now_ms(),
                          attributes={"service.name": f"nplv-{self.service}"})
        await self.record(session, line, collected(session), principal)
