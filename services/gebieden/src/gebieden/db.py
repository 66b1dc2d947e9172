"""The gebieden database: declarative base, outbox table (this service's own)."""

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from nplv_shared.db import make_metadata
from nplv_shared.idempotency import idempotency_table
from nplv_shared.outbox import outbox_table


class Base(DeclarativeBase):
    metadata = make_metadata()


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


outbox = outbox_table(Base.metadata)
idempotency = idempotency_table(Base.metadata)
