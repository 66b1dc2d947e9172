"""Applies a consumed batch of the three topics to the read models, then recomputes the views of
exactly what the batch touched. Set-based: one statement per read-model table per batch.

Order and disorder. Every topic is keyed by focusgebied, so one area's events arrive in order;
across topics (a meting before its indicator or area is known, a toekenning before its budget
line) they need not. Nothing is lost to that: every fact is stored in its read model whatever
arrives first (the read model is where an early event waits), a view row is computed only when
its references are there, and the arrival of a reference (an area, an indicator, a budget line)
recomputes every view row that depends on it. Each upsert is guarded by the aggregate's
`sequence`, so redeliveries, duplicates, replays and late older events are harmless.
"""

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from prometheus_client import Counter
from sqlalchemy import Table, case, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared.events import CloudEvent
from nplv_shared.inbox import PermanentEventError
from nplv_shared.unnest import rows_of
from rapportage.db import interventie, interventie_versie, projectie_versie
from rapportage.projectie import herberekening
from rapportage.projectie.leesmodellen import HANDLERS, NIET_GEBRUIKT, Geraakt, Handler, markeer

logger = logging.getLogger(__name__)
OVERGESLAGEN = Counter("nplv_rapportage_events_overgeslagen_total",
                       "Events die de rapportage overslaat: onbekend type of onbekende versie",
                       ["reden"])


@dataclass(frozen=True)
class Row:
    """The newest state of one aggregate in this batch, and the event that carried it."""

    values: dict[str, Any]
    event: CloudEvent
    handler: Handler


class Projectie:
    async def apply_batch(self, session: AsyncSession, events: list[CloudEvent]) -> None:
        per_table: dict[str, dict[tuple[Any, ...], Row]] = {}
        versies: list[dict[str, Any]] = []  # every state of every interventie, not only the newest
        geraakt = Geraakt()
        for event in events:
            handler = HANDLERS.get(event.type)
            if handler is None:
                reden = "niet-gebruikt" if event.type.startswith(NIET_GEBRUIKT) else "onbekend"
                OVERGESLAGEN.labels(reden).inc()
                if reden == "onbekend":
                    logger.info("onbekend eventtype overgeslagen: %s", event.type)
                continue
            if event.sequence is None:
                raise PermanentEventError(f"{event.type} zonder sequence")
            try:
                values = handler.values(event.data)
            except (KeyError, ValueError, TypeError, ArithmeticError) as exc:
                raise PermanentEventError(f"{event.type}: data past niet bij het schema: "
                                          f"{exc!r}") from exc
            if values is None:
                continue
            values.update(sequence=event.sequence, event_id=str(event.id), event_type=event.type,
                          event_source=event.source, event_tijd=event.time)
            if "subject" in handler.table.c:
                values["subject"] = event.subject
            if handler.tombstone:
                values["verwijderd"] = True
            elif "verwijderd" in handler.table.c:
                values["verwijderd"] = False
            if handler.table is interventie:
                versies.append({name: values[name] for name in VERSIE_KOLOMMEN})
            _keep_newest(per_table.setdefault(handler.table.name, {}),
                         tuple(values[k] for k in handler.key), Row(values, event, handler))
        if versies:
            await _versies(session, versies)
        for rows in per_table.values():
            if not rows:
                continue
            handler = next(iter(rows.values())).handler
            if handler.table is interventie:
                await _interventies(session, rows, geraakt)
                continue
            written = await _upsert(session, handler.table, rows.values())
            for key in written:
                row = rows[key]
                row.handler.raakt(geraakt, row.values, row.event)
        if geraakt:
            await herberekening.herbereken(session, geraakt)
        if versies or geraakt:
            await _nieuwe_versie(session)


async def _nieuwe_versie(session: AsyncSession) -> None:
    statement = insert(projectie_versie).values(id=1, versie=uuid.uuid4())
    await session.execute(statement.on_conflict_do_update(
        index_elements=[projectie_versie.c.id], set_={"versie": statement.excluded.versie}))


VERSIE_KOLOMMEN = tuple(c.name for c in interventie_versie.columns)


async def _versies(session: AsyncSession, versies: list[dict[str, Any]]) -> None:
    """Append the interventies' states; a redelivered event adds nothing."""
    unique = list({(v["id"], v["sequence"]): v for v in versies}.values())
    statement = insert(interventie_versie).from_select(
        list(VERSIE_KOLOMMEN), rows_of(interventie_versie, list(VERSIE_KOLOMMEN), unique))
    await session.execute(statement.on_conflict_do_nothing())


def _keep_newest(rows: dict[tuple[Any, ...], Row], key: tuple[Any, ...], row: Row) -> None:
    """Keep the batch's newest state per aggregate. A tombstone that follows a state in the same
    batch keeps that state's `keep` values, as it would keep them from the stored row."""
    current = rows.get(key)
    if current is None or row.values["sequence"] > current.values["sequence"]:
        if row.handler.tombstone and current is not None and not current.handler.tombstone:
            row.values.update({name: current.values[name] for name in row.handler.keep})
        rows[key] = row


async def _interventies(session: AsyncSession, rows: dict[tuple[Any, ...], Row],
                        geraakt: Geraakt) -> None:
    """An interventie that moved to another area changes the old area's view too (and its
    freshness names the event that moved it)."""
    ids = [key[0] for key in rows]
    before: dict[uuid.UUID, str] = dict((await session.execute(
        select(interventie.c.id, interventie.c.focusgebied)
        .where(interventie.c.id.in_(ids)))).all())
    for key in await _upsert(session, interventie, rows.values()):
        row = rows[key]
        row.handler.raakt(geraakt, row.values, row.event)
        previous = before.get(key[0])
        if previous is not None and previous != row.values["focusgebied"]:
            markeer(geraakt.interventies, previous, row.event)
            markeer(geraakt.verhuisd, previous, row.event)


async def _upsert(session: AsyncSession, table: Table, rows: Any) -> set[tuple[Any, ...]]:
    """One INSERT … ON CONFLICT per table, guarded by `sequence`; a tombstone keeps the stored
    values of its `keep` columns. Returns the keys whose row was written."""
    rows = list(rows)
    handler: Handler = rows[0].handler
    keep = set().union(*(r.handler.keep for r in rows))
    values = [r.values for r in rows]
    key = [table.c[name] for name in handler.key]
    columns = list(values[0])
    statement = insert(table).from_select(columns, rows_of(table, columns, values))
    excluded = statement.excluded
    changing = {
        name: (case((excluded.verwijderd, table.c[name]), else_=excluded[name])
               if name in keep else excluded[name])
        for name in columns if name not in handler.key}
    written = await session.execute(  # one statement, a typed array per column
        statement.on_conflict_do_update(index_elements=key, set_=changing,
                                        where=table.c.sequence < excluded.sequence)
        .returning(*key))
    return {tuple(r) for r in written.all()}
