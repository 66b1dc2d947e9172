"""Every table of this service, imported once so Alembic sees the whole metadata."""

from indicatoren.db import Base, event_sequence, idempotency, outbox, traceability

__all__ = ["Base", "event_sequence", "idempotency", "outbox", "traceability"]
