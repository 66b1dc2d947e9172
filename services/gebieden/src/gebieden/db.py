"""The gebieden database: declarative base and the platform tables this service owns."""

from sqlalchemy.orm import DeclarativeBase

from nplv_shared.db import make_metadata
from nplv_shared.idempotency import idempotency_table
from nplv_shared.imports import ImportTables
from nplv_shared.outbox import event_sequence_table, outbox_table
from nplv_shared.verantwoording import Tables


class Base(DeclarativeBase):
    metadata = make_metadata()


outbox = outbox_table(Base.metadata)
idempotency = idempotency_table(Base.metadata)
event_sequence = event_sequence_table(Base.metadata)
traceability = Tables.on(Base.metadata)  # audit log and processing log
imports = ImportTables.on(Base.metadata)  # bulk imports (jobs and their uploads)
