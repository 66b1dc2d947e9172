"""nplv_shared.retention: old rows go in small batches; what the relay still needs stays."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from gebieden.db import outbox
from nplv_shared.retention import prune_once


def row(published_days_ago: float | None) -> dict[str, Any]:
    published = (None if published_days_ago is None
                 else datetime.now(UTC) - timedelta(days=published_days_ago))
    return {"event_id": uuid.uuid4(), "topic": "t", "key": "k", "type": "x", "payload": {},
            "published_at": published}


async def test_prunes_old_published_outbox_rows_only(gebieden_session: AsyncSession) -> None:
    await gebieden_session.execute(insert(outbox), [
        row(30) for _ in range(25)] + [row(1) for _ in range(3)] + [row(None) for _ in range(2)])

    connection = await gebieden_session.connection()

    @asynccontextmanager
    async def same_session() -> AsyncIterator[AsyncSession]:
        # on the test's connection: each begin() is a savepoint of its rolled-back transaction
        async with AsyncSession(bind=connection,
                                join_transaction_mode="create_savepoint") as session:
            yield session

    deleted = await prune_once(same_session, outbox, outbox.c.published_at,  # type: ignore[arg-type]
                               timedelta(days=7), batch=10, pause_s=0)

    assert deleted == 25  # in three batches of at most ten
    left = (await gebieden_session.execute(
        select(func.count()).select_from(outbox).where(outbox.c.type == "x"))).scalar_one()
    pending = (await gebieden_session.execute(
        select(func.count()).select_from(outbox)
        .where(outbox.c.type == "x", outbox.c.published_at.is_(None)))).scalar_one()
    assert (left, pending) == (5, 2)
