"""The processing log after Logius' draft standard *Logboek Dataverwerkingen* (LDV).

One line per processing, never sampled: every write request that commits and every consumed
batch (one line per originating trace in the batch) writes a row to the service's
`verwerkingslog` table, in the same transaction as the change, so a line exists exactly when
its processing does. Each line names its processing activity by the stable, versioned URI of
an entry in the register (`Verwerkingsactiviteit`, one module per service, published as
`contracts/verwerkingsactiviteiten.json`).

Fields, as LDV names them: `trace_id`, `span_id`, `parent_span_id`, `name`, `status_code`
(0 unset, 2 error), `start_time`/`end_time` (epoch milliseconds), the attribute
`dpl.core.processing_activity_id`, and the W3C context a caller sent as the foreign operation.
Who did it is not part of LDV: that is the audit log (`nplv_shared.audit`), joined by trace id.
"""

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Identity,
    Index,
    MetaData,
    SmallInteger,
    Table,
    Text,
    insert,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared.tracing import TraceParent

URI_PREFIX = "urn:nplv:verwerkingsactiviteit"
STATUS_UNSET, STATUS_ERROR = 0, 2


@dataclass(frozen=True)
class Verwerkingsactiviteit:
    """An entry of the register of processing activities. The URI is stable: a change of
    meaning gets a new `versie` (and so a new URI); the old one stays valid for old lines."""

    slug: str
    versie: int
    naam: str
    omschrijving: str
    grondslag: str = ("Nationaal Programma Leefbaarheid en Veiligheid (2022), hoofdstuk 6: "
                      "monitoring en verantwoording aan de Tweede Kamer")

    @property
    def uri(self) -> str:
        return f"{URI_PREFIX}:{self.slug}:v{self.versie}"

    def document(self) -> dict[str, Any]:
        return {"id": self.uri, "naam": self.naam, "omschrijving": self.omschrijving,
                "grondslag": self.grondslag, "versie": self.versie}


@dataclass(frozen=True)
class Register:
    """A service's processing activities: which activity each write operation (by operationId)
    performs, and what its consumer and its batch jobs perform."""

    operaties: Mapping[str, Verwerkingsactiviteit] = field(default_factory=dict)
    overige: tuple[Verwerkingsactiviteit, ...] = ()

    def activities(self) -> list[Verwerkingsactiviteit]:
        unique = {a.uri: a for a in (*self.operaties.values(), *self.overige)}
        return [unique[uri] for uri in sorted(unique)]


def processing_log_table(metadata: MetaData) -> Table:
    return Table(
        "verwerkingslog",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("trace_id", Text, nullable=False),
        Column("span_id", Text, nullable=False),
        Column("parent_span_id", Text),
        Column("name", Text, nullable=False),
        Column("status_code", SmallInteger, nullable=False),
        Column("start_time", BigInteger, nullable=False),  # epoch ms
        Column("end_time", BigInteger, nullable=False),
        Column("processing_activity_id", Text, nullable=False),
        Column("foreign_operation", Text),  # the caller's traceparent, when it sent one
        Column("attributes", JSONB, nullable=False),
        Index("ix_verwerkingslog_trace_id", "trace_id"),
    )


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class Verwerking:
    """One line of the processing log."""

    context: TraceParent
    parent_span_id: str | None
    name: str
    activity: Verwerkingsactiviteit
    start_ms: int
    end_ms: int
    foreign_operation: TraceParent | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    status_code: int = STATUS_UNSET

    def row(self) -> dict[str, Any]:
        return {
            "trace_id": self.context.trace_id, "span_id": self.context.span_id,
            "parent_span_id": self.parent_span_id, "name": self.name,
            "status_code": self.status_code, "start_time": self.start_ms,
            "end_time": self.end_ms, "processing_activity_id": self.activity.uri,
            "foreign_operation": str(self.foreign_operation) if self.foreign_operation else None,
            "attributes": {"dpl.core.processing_activity_id": self.activity.uri,
                           **self.attributes},
        }


async def write_processing(session: AsyncSession, table: Table,
                           lines: Iterable[Verwerking]) -> None:
    """Write lines in the caller's transaction (one statement)."""
    rows = [line.row() for line in lines]
    if rows:
        await session.execute(insert(table), rows)
