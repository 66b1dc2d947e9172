"""What every write-side aggregate shares: the `Versioned` mixin (optimistic locking, the ETag and
the event `sequence`), writing a validated request body onto its ORM object, and create-or-replace
for resources addressed by a natural key (PUT)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import DateTime, Integer, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from nplv_shared.concurrency import check_put_precondition


class Versioned:
    """Optimistic locking: `versie` is the ETag and the event `sequence`."""

    versie: Mapped[int] = mapped_column(Integer, nullable=False)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                    server_default=func.now())
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                   server_default=func.now(), onupdate=func.now())

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # eager_defaults: timestamps come back via RETURNING (no lazy load in async code)
        return {"version_id_col": cls.__table__.c.versie, "eager_defaults": True}  # type: ignore[attr-defined]


M = TypeVar("M", bound=Versioned)


def state_of(invoer: BaseModel) -> dict[str, Any]:
    """The column values of a request body, by field name (= ORM attribute name).

    Enums become their value; nested models (stored as JSONB) their camelCase JSON form, the same
    shape the API returns and the events carry.
    """
    return {name: _column_value(getattr(invoer, name)) for name in type(invoer).model_fields}


def _column_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, list):
        return [_column_value(item) for item in value]
    return value


def apply_state(obj: object, state: dict[str, Any]) -> None:
    for key, value in state.items():
        setattr(obj, key, value)


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
    apply_state(obj, state)
    await session.flush()
    return Saved(obj, created=current is None, changed=True)
