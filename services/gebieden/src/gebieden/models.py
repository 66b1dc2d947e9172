"""Every table of this service, imported once so Alembic sees the whole metadata."""

from gebieden.db import Base, idempotency, outbox
from gebieden.focusgebieden.models import (
    AlliantieRecord,
    FocusgebiedRecord,
    UitvoeringsprogrammaRecord,
)
from gebieden.gemeenten.models import GemeenteRecord, PrestatieafsprakenRecord
from gebieden.interventies.models import InterventieRecord

__all__ = ["AlliantieRecord", "Base", "FocusgebiedRecord", "GemeenteRecord", "InterventieRecord",
           "PrestatieafsprakenRecord", "UitvoeringsprogrammaRecord", "idempotency", "outbox"]
