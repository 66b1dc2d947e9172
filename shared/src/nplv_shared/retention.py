"""Pruning of tables that would otherwise only grow (published outbox rows, inbox ids,
Idempotency-Keys): a worker loop that deletes rows older than a retention in small batches,
each in a short transaction of its own, so it never holds locks the relay or the consumer wait
for (the relay only locks unpublished outbox rows; the consumer only inserts inbox rows).

No index on the time column is needed (none is kept, so inserts stay cheap): rows are appended
in time order, so the oldest are found at the start of the table; an hourly pass that finds
nothing to delete reads the table once."""

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client import Counter
from sqlalchemy import Column, ColumnElement, Table, delete, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nplv_shared.aio import sleep_or_stop

logger = logging.getLogger(__name__)
PRUNED = Counter("nplv_pruned_rows_total", "Rijen verwijderd na hun bewaartermijn", ["table"])


async def prune_once(sessionmaker: async_sessionmaker[AsyncSession], table: Table,
                     column: Column[datetime], retention: timedelta, *, batch: int = 5000,
                     pause_s: float = 0.05, stop: asyncio.Event | None = None) -> int:
    """Delete every row whose `column` is older than `retention`, `batch` rows per transaction.
    Returns how many were deleted."""
    cutoff = datetime.now(UTC) - retention
    ctid: ColumnElement[Any] = literal_column("ctid")
    total = 0
    while stop is None or not stop.is_set():
        oldest = select(ctid).select_from(table).where(column < cutoff).limit(batch)
        async with sessionmaker() as session, session.begin():
            result = await session.execute(delete(table).where(ctid.in_(oldest.scalar_subquery())))
        deleted = int(result.rowcount)  # type: ignore[attr-defined]
        total += deleted
        PRUNED.labels(table.name).inc(deleted)
        if deleted < batch:
            break
        await asyncio.sleep(pause_s)  # let the relay and the consumer have the database
    return total


async def prune_loop(stop: asyncio.Event, sessionmaker: async_sessionmaker[AsyncSession],
                     table: Table, column: Column[datetime], retention: timedelta, *,
                     every_s: float = 3600) -> None:
    """Worker loop: prune `table` now and then every `every_s` seconds until `stop`."""
    while not stop.is_set():
        try:
            deleted = await prune_once(sessionmaker, table, column, retention, stop=stop)
            logger.info("%s opgeruimd: %d rij(en) ouder dan %s", table.name, deleted, retention)
        except Exception as exc:  # noqa: BLE001 - try again next round
            logger.warning("opruimen van %s mislukt: %r", table.name, exc)
        await sleep_or_stop(stop, every_s)
