"""Applies events to the read models and refreshes the materialised view per batch.

Handlers are chosen by full event type (`HANDLERS`), whatever topic or service the event came
from; other types are ignored (tolerant reader). Every upsert is guarded by the aggregate's
`sequence`: an event at or below what is stored changes nothing, so redeliveries, relay retries,
replays and events that arrive out of order (an interventie that moved area has its events on two
partitions) are harmless.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, literal, select
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


class VoortgangProjection:
    def __init__(self) -> None:
        self._touched: dict[str, tuple[str, datetime]] = {}
        self._moved_from: set[str] = set()

    def start_batch(self) -> None:
        self._touched = {}
        self._moved_from = set()

    async def apply(self, session: AsyncSession, event: CloudEvent) -> None:
        handler = HANDLERS.get(event.type)
        if handler is None:
            return
        if event.sequence is None:
            raise PermanentEventError(f"{event.type} zonder sequence")
        model, tombstone = handler
        if model == "focusgebied":
            await self._upsert_focusgebied(session, event.data, event.sequence,
                                           verwijderd=tombstone)
        else:
            await self._upsert_interventie(session, event, verwijderd=tombstone)
        self._touched[event.partitionkey] = (str(event.id), event.time)

    async def finish(self, session: AsyncSession) -> None:
        if not self._touched:
            return
        codes = sorted({*self._touched, *self._moved_from})
        await self._refresh_view(session, codes)
        rows = [{"focusgebied": code, "laatste_event_id": event_id, "laatste_event_tijd": time}
                for code, (event_id, time) in self._touched.items()]
        statement = insert(stand).values(rows)
        await session.execute(statement.on_conflict_do_update(
            index_elements=[stand.c.focusgebied],
            set_={"laatste_event_id": statement.excluded.laatste_event_id,
                  "laatste_event_tijd": statement.excluded.laatste_event_tijd,
                  "bijgewerkt_op": func.now()}))

    @staticmethod
    async def _upsert_focusgebied(session: AsyncSession, data: dict[str, Any], sequence: int,
                                  *, verwijderd: bool) -> None:
        # A tombstone carries no name: it keeps the last known one (the code if none is known).
        values = {"code": data["code"], "naam": data.get("naam", data["code"]),
                  "gemeente": data["gemeente"], "verwijderd": verwijderd, "sequence": sequence}
        statement = insert(focusgebied).values(values)
        changing = {k: statement.excluded[k] for k in values if k != "code"}
        if verwijderd:
            changing.pop("naam")
        await session.execute(statement.on_conflict_do_update(
            index_elements=[focusgebied.c.code], set_=changing,
            where=focusgebied.c.sequence < statement.excluded.sequence))

    async def _upsert_interventie(self, session: AsyncSession, event: CloudEvent, *,
                                  verwijderd: bool) -> None:
        data, sequence = event.data, event.sequence
        event_id, event_time = event.id, event.time
        previous = (await session.execute(
            select(interventie.c.focusgebied).where(interventie.c.id == uuid.UUID(data["id"]))
        )).scalar_one_or_none()
        values = {
            "id": uuid.UUID(data["id"]), "focusgebied": data["focusgebied"],
            "actielijn": data.get("actielijn", 0), "status": data.get("status", "onbekend"),
            "output_eenheid": data.get("outputEenheid") or "",
            "geplande_output": _decimal(data.get("geplandeOutput")),
            "gerealiseerde_output": _decimal(data.get("gerealiseerdeOutput")),
            "verwijderd": verwijderd, "sequence": sequence,
        }
        statement = insert(interventie).values(values)
        changing = {k: statement.excluded[k] for k in values if k != "id"}
        if verwijderd:  # a tombstone keeps the last known attributes
            changing = {"verwijderd": statement.excluded.verwijderd,
                        "sequence": statement.excluded.sequence}
        applied = await session.execute(statement.on_conflict_do_update(
            index_elements=[interventie.c.id], set_=changing,
            where=interventie.c.sequence < statement.excluded.sequence,
        ).returning(interventie.c.id))
        if applied.first() is not None and previous not in (None, data["focusgebied"]):
            # It moved out of `previous`: that area's view changes too, by this event.
            self._moved_from.add(previous)
            self._touched[previous] = (str(event_id), event_time)

    @staticmethod
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


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
