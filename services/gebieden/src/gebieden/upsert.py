"""Create-or-replace for resources addressed by a natural key (PUT)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from gebieden.concurrency import check_put_precondition
from gebieden.db import Versioned

M = TypeVar("M", bound=Versioned)


@dataclass(frozen=True)
class Saved(Generic[M]):
    obj: M
    created: bool
    changed: bool  # False when the PUT repeated the current state: no write, no event


async def upsert(session: AsyncSession, current: M | None, make: Callable[[], M],
                 state: dict[str, Any], if_match: str | None) -> Saved[M]:
    """Check If-Match, then create or update `current` with `state` (flushed, not committed)."""
    check_put_precondition(if_match, current.versie if current else None)
    if current is not None and all(getattr(current, k) == v for k, v in state.items()):
        return Saved(current, created=False, changed=False)
    obj = current if current is not None else make()
    if current is None:
        session.add(obj)
    for key, value in state.items():
        setattr(obj, key, value)
    await session.flush()
    return Saved(obj, created=current is None, changed=True)
