"""Every table of this service, imported once so Alembic sees the whole metadata."""

from indicatoren.db import Base, event_sequence, idempotency, outbox, traceability
from indicatoren.doelen.models import DoelRevisieRecord, NulmetingRecord, StreefwaardeRecord
from indicatoren.indicatoren.models import IndicatorRecord, IndicatorVersieRecord
from indicatoren.metingen.models import (
    MetingCorrectieRecord,
    MetingIntrekkingRecord,
    MetingRecord,
)
from indicatoren.referentie.models import FocusgebiedRecord, GemeenteRecord

__all__ = ["Base", "DoelRevisieRecord", "FocusgebiedRecord", "GemeenteRecord",
           "IndicatorRecord", "IndicatorVersieRecord", "MetingCorrectieRecord",
           "MetingIntrekkingRecord", "MetingRecord", "NulmetingRecord", "StreefwaardeRecord",
           "event_sequence", "idempotency", "outbox", "traceability"]
