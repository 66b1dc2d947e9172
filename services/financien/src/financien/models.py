"""Every table of this service, imported once so Alembic sees the whole metadata."""

from financien.begrotingsregels.models import BegrotingsregelRecord, RevisieRecord
from financien.db import Base, event_sequence, idempotency, outbox, traceability
from financien.toekenningen.models import RealisatieRecord, ToekenningRecord

__all__ = ["Base", "BegrotingsregelRecord", "RealisatieRecord", "RevisieRecord",
           "ToekenningRecord", "event_sequence", "idempotency", "outbox", "traceability"]
