"""The rapportage database: read models built from events, the materialised views, the inbox.

Read models keep, per fact, the event that last set it (`event_*` columns: provenance) and the
aggregate's `sequence` (an older or repeated event never overwrites a newer state). Views are
recomputed per consumed batch for the focusgebieden the batch touched, and every view row names
the last event applied to it (`laatste_event_*`: freshness).

Every table here except the audit and processing log is rebuilt by `rapportage.herbouw` and
swapped in (`PROJECTIE_TABELLEN`).
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from nplv_shared.db import make_metadata
from nplv_shared.inbox import dead_letter_table, inbox_table
from nplv_shared.verantwoording import Tables

metadata = make_metadata()
inbox = inbox_table(metadata)
dead_letter = dead_letter_table(metadata)
traceability = Tables.on(metadata)  # audit log and processing log


def herkomst() -> list[Column[object]]:
    """The event that last set a fact: what the provenance endpoint returns."""
    return [Column("event_id", Text, nullable=False), Column("event_type", Text, nullable=False),
            Column("event_source", Text, nullable=False),
            Column("event_tijd", DateTime(timezone=True), nullable=False)]


def actualiteit() -> list[Column[object]]:
    """The last event applied to a view row: its freshness."""
    return [Column("laatste_event_id", Text, nullable=False),
            Column("laatste_event_tijd", DateTime(timezone=True), nullable=False),
            Column("bijgewerkt_op", DateTime(timezone=True), nullable=False,
                   server_default=func.now())]


# --- read models: gebieden ----------------------------------------------------------------------
focusgebied = Table(
    "focusgebied", metadata,
    Column("code", String(64), primary_key=True),
    Column("naam", String(200), nullable=False),
    Column("gemeente", String(6), nullable=False, index=True),
    Column("inwoners", Integer),
    Column("verwijderd", Boolean, nullable=False, server_default="false"),
    Column("sequence", BigInteger, nullable=False),
    *herkomst(),
)

# Interventies (tombstoned on delete so a late, older event cannot resurrect them).
interventie = Table(
    "interventie", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("focusgebied", String(64), nullable=False, index=True),
    Column("actielijn", SmallInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("titel", Text),
    Column("ministerie", String(16)),
    Column("startdatum", Date),
    Column("einddatum", Date),
    Column("output_eenheid", String(64), nullable=False, server_default=""),
    Column("geplande_output", Numeric(18, 2)),
    Column("gerealiseerde_output", Numeric(18, 2)),
    Column("bronsysteem", Text),
    Column("bron_id", Text),
    Column("verwijderd", Boolean, nullable=False, server_default="false"),
    Column("sequence", BigInteger, nullable=False),
    *herkomst(),
)

# Every state an interventie had, one row per event (append-only): the half-yearly report reads
# the state as of the end of its period from it (`voortgangsrapportage`).
interventie_versie = Table(
    "interventie_versie", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("sequence", BigInteger, primary_key=True),
    Column("focusgebied", String(64), nullable=False),
    Column("actielijn", SmallInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("geplande_output", Numeric(18, 2)),
    Column("gerealiseerde_output", Numeric(18, 2)),
    Column("verwijderd", Boolean, nullable=False),
    *herkomst(),
)

# --- read models: indicatoren -------------------------------------------------------------------
indicator = Table(
    "indicator", metadata,
    Column("code", String(64), primary_key=True),
    Column("naam", Text, nullable=False),
    Column("actielijn", SmallInteger, nullable=False),
    Column("kernindicator", SmallInteger),
    Column("focusgebied", String(64)),  # a local indicator's area
    Column("eenheid", Text, nullable=False),
    Column("richting", String(32), nullable=False),
    Column("soort", String(32), nullable=False),
    Column("combinatie", String(32), nullable=False),
    Column("periodetype", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("betekenisversie", Integer, nullable=False),
    Column("sequence", BigInteger, nullable=False),
    *herkomst(),
)

# Metingen of the regions the views compare: focusgebieden, gemeenten, the rest of a gemeente
# and Nederland (wijken and buurten are not compared, and not kept).
meting = Table(
    "meting", metadata,
    Column("indicator", String(64), primary_key=True),
    Column("regio", String(64), primary_key=True),
    Column("periode", String(16), primary_key=True),
    Column("begin", Date, nullable=False),
    Column("eind", Date, nullable=False),
    Column("waarde", Numeric, nullable=False),
    Column("status", String(16), nullable=False),
    Column("ingetrokken", Boolean, nullable=False, server_default="false"),
    Column("focusgebied", String(64)),
    Column("gemeente", String(16)),
    Column("bron", Text),
    Column("import_id", Text),
    Column("subject", Text, nullable=False),
    Column("sequence", BigInteger, nullable=False),
    *herkomst(),
)

nulmeting = Table(
    "nulmeting", metadata,
    Column("focusgebied", String(64), primary_key=True),
    Column("indicator", String(64), primary_key=True),
    Column("waarde", Numeric, nullable=False),
    Column("periode", String(16), nullable=False),
    Column("sequence", BigInteger, nullable=False),
    *herkomst(),
)

streefwaarde = Table(
    "streefwaarde", metadata,
    Column("focusgebied", String(64), primary_key=True),
    Column("indicator", String(64), primary_key=True),
    Column("doelperiode", String(16), primary_key=True),
    Column("waarde", Numeric, nullable=False),
    Column("sequence", BigInteger, nullable=False),
    *herkomst(),
)

# --- read models: financien ---------------------------------------------------------------------
begrotingsregel = Table(
    "begrotingsregel", metadata,
    Column("code", String(64), primary_key=True),
    Column("ministerie", String(16), nullable=False),
    Column("aandelen", JSONB, nullable=False),  # [[actielijn, "percentage"], …]
    Column("sequence", BigInteger, nullable=False),
    *herkomst(),
)

toekenning = Table(
    "toekenning", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("begrotingsregel", String(64), nullable=False, index=True),
    Column("ministerie", String(16), nullable=False),
    Column("focusgebied", String(64), nullable=False, index=True),
    Column("jaar", SmallInteger, nullable=False),
    Column("bedrag", Numeric(18, 2), nullable=False),
    Column("interventie_id", UUID(as_uuid=True)),
    Column("sequence", BigInteger, nullable=False),
    *herkomst(),
)

realisatie = Table(
    "realisatie", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("toekenning", UUID(as_uuid=True), nullable=False),
    Column("begrotingsregel", String(64), nullable=False, index=True),
    Column("focusgebied", String(64), nullable=False, index=True),
    Column("jaar", SmallInteger, nullable=False),
    Column("soort", String(16), nullable=False),
    Column("bedrag", Numeric(18, 2), nullable=False),
    Column("datum", Date, nullable=False),
    Column("referentie", Text),
    Column("sequence", BigInteger, nullable=False),
    *herkomst(),
)

# --- materialised views -------------------------------------------------------------------------
# Interventies per focusgebied × actielijn × status × output-eenheid.
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

# Indicator progress per focusgebied × indicator (rapportage/berekening.py says how).
indicator_voortgang = Table(
    "indicator_voortgang", metadata,
    Column("focusgebied", String(64), primary_key=True),
    Column("indicator", String(64), primary_key=True),
    Column("actielijn", SmallInteger, nullable=False),
    Column("status", String(24), nullable=False),
    Column("gegevens", JSONB, nullable=False),  # the computed figures, as the API shows them
    *actualiteit(),
)

# Money per focusgebied × actielijn × jaar, split by the budget line's actielijn shares.
voortgang_geld = Table(
    "voortgang_geld", metadata,
    Column("focusgebied", String(64), primary_key=True),
    Column("actielijn", SmallInteger, primary_key=True),
    Column("jaar", SmallInteger, primary_key=True),
    Column("toegekend", Numeric, nullable=False),
    Column("verplicht", Numeric, nullable=False),
    Column("betaald", Numeric, nullable=False),
    *actualiteit(),
)

# A new random value with every applied batch: the version of everything projected, so a
# report computed from it may be reused until the next batch (voortgangsrapportage.service).
projectie_versie = Table(
    "projectie_versie", metadata,
    Column("id", SmallInteger, primary_key=True),
    Column("versie", UUID(as_uuid=True), nullable=False),
)

# Freshness per focusgebied: the last event applied to any of its views.
stand = Table(
    "stand", metadata,
    Column("focusgebied", String(64), primary_key=True),
    Column("laatste_event_id", Text, nullable=False),
    Column("laatste_event_tijd", DateTime(timezone=True), nullable=False),
    Column("bijgewerkt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# How far the consumer is: per topic partition its position, the end of the log, and the last
# moment it had applied everything up to that end (written by the worker, read by every view).
consumer_positie = Table(
    "consumer_positie", metadata,
    Column("topic", Text, primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("positie", BigInteger, nullable=False),
    Column("eind", BigInteger, nullable=False),
    Column("bij_tot", DateTime(timezone=True)),
    Column("gemeten_op", DateTime(timezone=True), nullable=False),
)

# Rebuild jobs (one at a time): progress is readable while it runs.
herbouw = Table(
    "herbouw", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("aangevraagd_door", Text, nullable=False),
    Column("aangevraagd_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("gestart_op", DateTime(timezone=True)),
    Column("klaar_op", DateTime(timezone=True)),
    Column("events_verwerkt", BigInteger, nullable=False, server_default="0"),
    Column("events_totaal", BigInteger),
    Column("per_seconde", Numeric(12, 1)),
    Column("resterend_seconden", Numeric(12, 1)),
    Column("fout", Text),
    # one rebuild at a time
    Index("uq_herbouw_actief", text("(true)"), unique=True,
          postgresql_where=text("status IN ('wachtend', 'bezig')")),
)

# Published half-yearly reports (`voortgangsrapportage`): frozen, never changed (a trigger in the
# migration refuses UPDATE and DELETE). Not a projection: the rebuild leaves it alone.
voortgangsrapportage = Table(
    "voortgangsrapportage", metadata,
    Column("periode", String(7), primary_key=True),
    Column("versie", Integer, primary_key=True),
    Column("inhoud", Text, nullable=False),  # the report, canonical JSON (what the hash covers)
    Column("inhoud_hash", String(64), nullable=False),
    Column("feiten", JSONB, nullable=False),  # the facts behind it, for the difference list
    Column("toelichting", Text),
    Column("gepubliceerd_door", Text, nullable=False),
    Column("gepubliceerd_op", DateTime(timezone=True), nullable=False),
    Column("vorige_versie", Integer),
)

# What the rebuild replays into fresh tables and swaps in (not the logs, not the jobs).
PROJECTIE_TABELLEN = (inbox, dead_letter, focusgebied, interventie, interventie_versie,
                      indicator, meting,
                      nulmeting, streefwaarde, begrotingsregel, toekenning, realisatie,
                      voortgang_interventies, indicator_voortgang, voortgang_geld, stand,
                      projectie_versie)
