"""The indicatoren database: declarative base and the platform tables this service owns."""

from sqlalchemy import Numeric
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

# Values of metingen, nulmetingen and streefwaarden: up to 14 digits before and 4 after the
# point (a count of woningen, a percentage, a Leefbaarometer score such as -0.1234). Exact:
# numeric in the database, Decimal in code, strings in JSON.
WAARDE = Numeric(18, 4)
