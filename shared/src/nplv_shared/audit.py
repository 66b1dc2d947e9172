"""The audit log: who changed what, when, in the same transaction as the change.

Changes are collected from the ORM itself: while a write transaction is audited
(`start_audit`), every flushed insert, update and delete of a mapped record adds a `Wijziging`
with the fields before and after (for an update only the fields that changed). A service need
not remember to audit a write. Writes that bypass the ORM (a bulk import with Core statements)
call `record` themselves, with the import's id and counts instead of every row.

`Verantwoording.record_request` (see `nplv_shared.verantwoording`) turns the collected changes
into rows with the principal, the trace and the processing activity. The table has a trigger
that refuses UPDATE and DELETE (`IMMUTABLE_DDL`, installed by each service's migration): the
API has no way to change it, and neither has a bug in the API.
"""

from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    MetaData,
    Table,
    Text,
    event,
    inspect,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.base import NO_VALUE

AUDIT = "nplv_audit"  # session.info: the changes of an audited transaction (a list)
AANMAKEN, WIJZIGEN, VERWIJDEREN, IMPORTEREN = "aanmaken", "wijzigen", "verwijderen", "importeren"


def audit_table(metadata: MetaData) -> Table:
    return Table(
        "audit_log",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("tijd", DateTime(timezone=True), nullable=False),
        Column("trace_id", Text, nullable=False),
        Column("span_id", Text, nullable=False),
        Column("request_id", Text),
        Column("client_id", Text, nullable=False),
        Column("organisatie", Text, nullable=False),
        Column("oin", Text),
        Column("operatie", Text, nullable=False),
        Column("resource", Text, nullable=False),
        Column("resource_id", Text, nullable=False),
        Column("voor", JSONB),
        Column("na", JSONB),
        Column("details", JSONB),
        Column("verwerkingsactiviteit", Text, nullable=False),
        Column("methode", Text),
        Column("pad", Text),
        Index("ix_audit_log_resource", "resource", "resource_id", "id"),
        Index("ix_audit_log_client_id", "client_id", "id"),
        Index("ix_audit_log_trace_id", "trace_id"),
        Index("ix_audit_log_tijd", "tijd"),
    )


# Run by each service's migration after creating the table (and dropped on downgrade).
IMMUTABLE_DDL = (
    """CREATE FUNCTION audit_log_onveranderlijk() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'het auditlog kan niet worden gewijzigd of verwijderd';
    END $$""",
    """CREATE TRIGGER audit_log_onveranderlijk BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_onveranderlijk()""",
)
IMMUTABLE_DROP = ("DROP TRIGGER IF EXISTS audit_log_onveranderlijk ON audit_log",
                  "DROP FUNCTION IF EXISTS audit_log_onveranderlijk()")


@dataclass(frozen=True)
class Wijziging:
    """One audited change of one resource."""

    operatie: str
    resource: str
    resource_id: str
    voor: dict[str, Any] | None = None
    na: dict[str, Any] | None = None
    details: dict[str, Any] | None = None


def start_audit(session: AsyncSession) -> None:
    """From here on, the session's flushed changes are collected for the audit log."""
    session.info[AUDIT] = []


def record(session: AsyncSession, change: Wijziging) -> None:
    """Audit a change the ORM does not see (e.g. a bulk import with Core statements)."""
    changes = session.info.get(AUDIT)
    if changes is None:
        raise RuntimeError("deze transactie wordt niet geaudit (start_audit ontbreekt)")
    changes.append(change)


def collected(session: AsyncSession) -> list[Wijziging]:
    return list(session.info.get(AUDIT) or [])


@event.listens_for(Session, "after_flush")
def _collect_changes(session: Session, _: UOWTransaction) -> None:
    """After a flush the session still shows what it flushed: new, dirty and deleted objects
    and, per changed attribute, its committed value."""
    changes: list[Wijziging] | None = session.info.get(AUDIT)
    if changes is None:
        return
    for obj in session.new:
        resource, resource_id, columns = _identity(obj)
        state = inspect(obj)
        changes.append(Wijziging(AANMAKEN, resource, resource_id,
                                 na=_values({k: state.dict.get(k) for k in columns
                                             if k in state.dict})))
    for obj in session.dirty:
        resource, resource_id, columns = _identity(obj)
        state = inspect(obj)
        # committed_state holds every attribute that was set, also to the value it had
        changed = [k for k, old in state.committed_state.items()
                   if k in columns and old != state.dict.get(k)]
        before = {k: state.committed_state[k] for k in changed}
        after = {k: state.dict.get(k) for k in changed}
        if changed:
            changes.append(Wijziging(WIJZIGEN, resource, resource_id,
                                     voor=_values(before), na=_values(after)))
    for obj in session.deleted:
        resource, resource_id, columns = _identity(obj)
        state = inspect(obj)
        changes.append(Wijziging(VERWIJDEREN, resource, resource_id,
                                 voor=_values({k: state.dict.get(k) for k in columns
                                               if k in state.dict})))


def _identity(obj: object) -> tuple[str, str, frozenset[str]]:
    mapper = inspect(obj).mapper
    key = mapper.primary_key_from_instance(obj)
    return (mapper.local_table.name, "/".join(str(part) for part in key),
            frozenset(mapper.column_attrs.keys()))


def _values(values: dict[str, Any]) -> dict[str, Any]:
    return {k: None if v is NO_VALUE else to_jsonable_python(v) for k, v in values.items()}
