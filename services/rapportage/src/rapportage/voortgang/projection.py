"""Applies events to the read models and refreshes the materialised view, set-based: one
statement per table per consumed batch, whatever the batch size.

Handlers are chosen by full event type (`HANDLERS`), whatever topic or service the event came
from; other types are ignored (tolerant reader). Events carry the aggregate's whole state, so of
several events for one aggregate in a batch only the one with the highest `sequence` matters;
every upsert is guarded by the stored `sequence`, so redeliveries, relay retries, replays and
events that arrive out of order (an interventie that moved area has its events on two
partitions) are harmless.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, case, delete, func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared.events import CloudEvent
from nplv_shared.inbox import PermanentEventError
from rapportage.db import focusgebied, interventie, stand, voortgang_interventies

ZERO = literal(Decimal("0.00"))  # keeps two decimals in the view, as the sums have
FOCUSGEBIED = "nl.nplv.gebieden.focusgebied"
INTERVENTIE = "nl.nplv.gebieden.interventie"
# event type → (read model, is it a tombstone?)
HANDLERS = {
    f"{FOCUSGEBIED}.aangemaakt.v1": ("focusgebied", False),
    f"{FOCUSGEBIED}.gewijzigd.v1": ("focusgebied", False),
    f"{FOCUSGEBIED}.verwijderd.v1": ("focusgebied", True),
    f"{INTERVENTIE}.aangemaakt.v1": ("interventie", False),
    f"{INTERVENTIE}.gewijzigd.v1": ("interventie", False),
    f"{INTERVENTIE}.verwijderd.v1": ("interventie", True),
}

# What a tombstone leaves as it was: the last known attributes of the deleted aggregate.
KEEP_FOCUSGEBIED = frozenset({"naam"})
KEEP_INTERVENTIE = frozenset({"focusgebied", "actielijn", "status", "output_eenheid",
                              "geplande_output", "gerealiseerde_output"})


@dataclass(frozen=True)
class Row:
    """The newest state of one aggregate in this batch, and the event that carried it."""

    values: dict[str, Any]
    event: CloudEvent
    tombstone: bool


class VoortgangProjection:
    async def apply_batch(self, session: AsyncSession, events: list[CloudEvent]) -> None:
        focusgebieden: dict[str, Row] = {}
        interventies: dict[uuid.UUID, Row] = {}
        touched: dict[str, CloudEvent] = {}  # area → last event of the batch that changed it
        for event in events:
            handler = HANDLERS.get(event.type)
            if handler is None:
                continue
            if event.sequence is None:
                raise PermanentEventError(f"{event.type} zonder sequence")
            model, tombstone = handler
            if model == "focusgebied":
                values = _focusgebied(event.data, event.sequence, tombstone)
                _keep_newest(focusgebieden, values["code"], Row(values, event, tombstone),
                             KEEP_FOCUSGEBIED)
            else:
                values = _interventie(event.data, event.sequence, tombstone)
                _keep_newest(interventies, values["id"], Row(values, event, tombstone),
                             KEEP_INTERVENTIE)
            touched[event.partitionkey] = event
        if not touched:
            return
        await _upsert(session, focusgebied, focusgebied.c.code, focusgebieden.values(),
                      keep_on_tombstone=KEEP_FOCUSGEBIED)
        moved_from = await self._upsert_interventies(session, interventies)
        for area, event in moved_from.items():
            if area not in touched or _later(event, touched[area]):
                touched[area] = event
        await _refresh_view(session, sorted(touched))
        await _record_stand(session, touched)

    @staticmethod
    async def _upsert_interventies(session: AsyncSession, rows: dict[uuid.UUID, Row],
                                   ) -> dict[str, CloudEvent]:
        """Upsert the interventies; returns, per area an applied event moved one out of, that
        event (the old area's view changes too, and its freshness names this event)."""
        if not rows:
            return {}
        before = dict((await session.execute(
            select(interventie.c.id, interventie.c.focusgebied)
            .where(interventie.c.id.in_(list(rows))))).all())
        applied = await _upsert(session, interventie, interventie.c.id, rows.values(),
                                keep_on_tombstone=KEEP_INTERVENTIE)
        moved_from: dict[str, CloudEvent] = {}
        for interventie_id in applied:
            previous, row = before.get(interventie_id), rows[interventie_id]
            if previous is not None and previous != row.values["focusgebied"]:
                moved_from[previous] = row.event
        return moved_from


def _focusgebied(data: dict[str, Any], sequence: int, tombstone: bool) -> dict[str, Any]:
    # A tombstone carries no name: it keeps the last known one (the code if none is known).
    return {"code": data["code"], "naam": data.get("naam", data["code"]),
            "gemeente": data["gemeente"], "verwijderd": tombstone, "sequence": sequence}


def _interventie(data: dict[str, Any], sequence: int, tombstone: bool) -> dict[str, Any]:
    return {
        "id": uuid.UUID(data["id"]), "focusgebied": data["focusgebied"],
        "actielijn": data.get("actielijn", 0), "status": data.get("status", "onbekend"),
        "output_eenheid": data.get("outputEenheid") or "",
        "geplande_output": _decimal(data.get("geplandeOutput")),
        "gerealiseerde_output": _decimal(data.get("gerealiseerdeOutput")),
        "verwijderd": tombstone, "sequence": sequence,
    }


def _keep_newest(rows: dict[Any, Row], key: Any, row: Row, keep: frozenset[str]) -> None:
    """Keep the batch's newest state per aggregate. A tombstone that follows a state in the same
    batch keeps that state's `keep` values, as it would keep them from the stored row."""
    current = rows.get(key)
    if current is None or row.values["sequence"] > current.values["sequence"]:
        if row.tombstone and current is not None and not current.tombstone:
            row.values.update({name: current.values[name] for name in keep})
        rows[key] = row


def _later(a: CloudEvent, b: CloudEvent) -> bool:
    return (a.time, str(a.id)) > (b.time, str(b.id))


async def _upsert(session: AsyncSession, table: Table, key: Any, rows: Any, *,
                  keep_on_tombstone: frozenset[str]) -> set[Any]:
    """One INSERT … ON CONFLICT per table, guarded by `sequence`; a tombstone keeps the stored
    values of `keep_on_tombstone`. Returns the keys whose row was written."""
    values = [row.values for row in rows]
    if not values:
        return set()
    statement = insert(table)
    excluded = statement.excluded
    changing = {
        # a tombstone leaves the stored value of `keep_on_tombstone` columns alone
        name: (case((excluded.verwijderd, table.c[name]), else_=excluded[name])
               if name in keep_on_tombstone else excluded[name])
        for name in values[0] if name != key.name}
    written = await session.execute(  # executemany: one compiled statement, batched
        statement.on_conflict_do_update(index_elements=[key], set_=changing,
                                        where=table.c.sequence < excluded.sequence)
        .returning(key), values)
    return set(written.scalars())


async def _refresh_view(session: AsyncSession, codes: list[str]) -> None:
    v, i = voortgang_interventies, interventie
    await session.execute(delete(v).where(v.c.focusgebied.in_(codes)))
    aggregate = (
        select(i.c.focusgebied, i.c.actielijn, i.c.status, i.c.output_eenheid, func.count(),
               func.coalesce(func.sum(i.c.geplande_output), ZERO),
               func.coalesce(func.sum(i.c.gerealiseerde_output), ZERO))
        .where(i.c.focusgebied.in_(codes), i.c.verwijderd.is_(False))
        .group_by(i.c.focusgebied, i.c.actielijn, i.c.status, i.c.output_eenheid)
    )
    await session.execute(v.insert().from_select(
        ["focusgebied", "actielijn", "status", "output_eenheid", "aantal", "geplande_output",
         "gerealiseerde_output"], aggregate))


async def _record_stand(session: AsyncSession, touched: dict[str, CloudEvent]) -> None:
    rows = [{"focusgebied": code, "laatste_event_id": str(event.id),
             "laatste_event_tijd": event.time} for code, event in sorted(touched.items())]
    statement = insert(stand).values(rows)
    await session.execute(statement.on_conflict_do_update(
        index_elements=[stand.c.focusgebied],
        set_={"laatste_event_id": statement.excluded.laatste_event_id,
              "laatste_event_tijd": statement.excluded.laatste_event_tijd,
              "bijgewerkt_op": func.now()}))


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
