"""The rapportage database: read models built from events, the materialised views, the inbox."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import UUID

from nplv_shared.db import make_metadata
from nplv_shared.inbox import dead_letter_table, inbox_table
from nplv_shared.verantwoording import Tables

metadata = make_metadata()
inbox = inbox_table(metadata)
dead_letter = dead_letter_table(metadata)
traceability = Tables.on(metadata)  # audit log and processing log

# Read model: focusgebieden as gebieden last described them.
focusgebied = Table(
    "focusgebied", metadata,
    Column("code", String(64), primary_key=True),
    Column("naam", String(200), nullable=False),
    Column("gemeente", String(6), nullable=False),
    Column("verwijderd", Boolean, nullable=False, server_default="false"),
    Column("sequence", BigInteger, nullable=False),
)

# Read model: interventies (tombstoned on delete so a late, older event cannot resurrect them).
interventie = Table(
    "interventie", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("focusgebied", String(64), nullable=False, index=True),
    Column("actielijn", SmallInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("output_eenheid", String(64), nullable=False, server_default=""),
    Column("geplande_output", Numeric(18, 2)),
    Column("gerealiseerde_output", Numeric(18, 2)),
    Column("verwijderd", Boolean, nullable=False, server_default="false"),
    Column("sequence", BigInteger, nullable=False),
)

# Materialised view: interventies per focusgebied × actielijn × status × output-eenheid.
voortgang_interventies = Table(
    "voortgang_interventies", metadata,
    Column("focusgebied", String(64), primary_key=True),
    Column("actielijn", SmallInteger, primary_key=True),
    Column("status", String(16), primary_key=True),
    Column("output_eenheid", String(64), primary_key=True),
    Column("aantal", Integer, nullable=False),
    Column("geplande_output", Numeric, nullable=False),  # unbounded: a sum of any size
    Column("gerealiseerde_output", Numeric, nullable=False),
)

# Freshness per focusgebied: the last event applied to its views.
stand = Table(
    "stand", metadata,
    Column("focusgebied", String(64), primary_key=True),
    Column("laatste_event_id", Text, nullable=False),
    Column("laatste_event_tijd", DateTime(timezone=True), nullable=False),
    Column("bijgewerkt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
