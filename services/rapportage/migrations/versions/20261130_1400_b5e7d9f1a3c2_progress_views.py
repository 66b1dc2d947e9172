"""progress views over the three topics: read models of indicatoren and financien, indicator
progress, money per actielijn, consumer position, rebuild jobs, provenance columns

Revision ID: b5e7d9f1a3c2
Revises: 9a4b6c8d2e15
Create Date: 2026-11-30 14:00:00

Existing rows of focusgebied and interventie get an empty provenance (event '' at migration
time). A database that has data asks for a rebuild (a `herbouw` job the worker runs): the replay
of the topics fills in the provenance and the new columns, and the indicatoren and financien
views from their whole history.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'b5e7d9f1a3c2'
down_revision: Union[str, Sequence[str], None] = '9a4b6c8d2e15'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def herkomst() -> list[sa.Column]:
    return [sa.Column("event_id", sa.Text(), nullable=False),
            sa.Column("event_type", sa.Text(), nullable=False),
            sa.Column("event_source", sa.Text(), nullable=False),
            sa.Column("event_tijd", sa.DateTime(timezone=True), nullable=False)]


def actualiteit() -> list[sa.Column]:
    return [sa.Column("laatste_event_id", sa.Text(), nullable=False),
            sa.Column("laatste_event_tijd", sa.DateTime(timezone=True), nullable=False),
            sa.Column("bijgewerkt_op", sa.DateTime(timezone=True), nullable=False,
                      server_default=sa.text("now()"))]


def upgrade() -> None:
    for table in ("focusgebied", "interventie"):
        for name, kind, default in (("event_id", sa.Text(), sa.text("''")),
                                    ("event_type", sa.Text(), sa.text("''")),
                                    ("event_source", sa.Text(), sa.text("''")),
                                    ("event_tijd", sa.DateTime(timezone=True), sa.text("now()"))):
            op.add_column(table, sa.Column(name, kind, nullable=False, server_default=default))
            op.alter_column(table, name, server_default=None)
    op.add_column("focusgebied", sa.Column("inwoners", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_focusgebied_gemeente"), "focusgebied", ["gemeente"])
    for name, kind in (("titel", sa.Text()), ("ministerie", sa.String(16)),
                       ("startdatum", sa.Date()), ("einddatum", sa.Date()),
                       ("bronsysteem", sa.Text()), ("bron_id", sa.Text())):
        op.add_column("interventie", sa.Column(name, kind, nullable=True))

    op.create_table(
        "indicator",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("naam", sa.Text(), nullable=False),
        sa.Column("actielijn", sa.SmallInteger(), nullable=False),
        sa.Column("kernindicator", sa.SmallInteger(), nullable=True),
        sa.Column("focusgebied", sa.String(64), nullable=True),
        sa.Column("eenheid", sa.Text(), nullable=False),
        sa.Column("richting", sa.String(32), nullable=False),
        sa.Column("soort", sa.String(32), nullable=False),
        sa.Column("combinatie", sa.String(32), nullable=False),
        sa.Column("periodetype", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("betekenisversie", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        *herkomst(),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_indicator")))
    op.create_table(
        "meting",
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("regio", sa.String(64), nullable=False),
        sa.Column("periode", sa.String(16), nullable=False),
        sa.Column("begin", sa.Date(), nullable=False),
        sa.Column("eind", sa.Date(), nullable=False),
        sa.Column("waarde", sa.Numeric(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("ingetrokken", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("focusgebied", sa.String(64), nullable=True),
        sa.Column("gemeente", sa.String(16), nullable=True),
        sa.Column("bron", sa.Text(), nullable=True),
        sa.Column("import_id", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        *herkomst(),
        sa.PrimaryKeyConstraint("indicator", "regio", "periode", name=op.f("pk_meting")))
    op.create_table(
        "nulmeting",
        sa.Column("focusgebied", sa.String(64), nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("waarde", sa.Numeric(), nullable=False),
        sa.Column("periode", sa.String(16), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        *herkomst(),
        sa.PrimaryKeyConstraint("focusgebied", "indicator", name=op.f("pk_nulmeting")))
    op.create_table(
        "streefwaarde",
        sa.Column("focusgebied", sa.String(64), nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("doelperiode", sa.String(16), nullable=False),
        sa.Column("waarde", sa.Numeric(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        *herkomst(),
        sa.PrimaryKeyConstraint("focusgebied", "indicator", "doelperiode",
                                name=op.f("pk_streefwaarde")))
    op.create_table(
        "begrotingsregel",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("ministerie", sa.String(16), nullable=False),
        sa.Column("aandelen", postgresql.JSONB(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        *herkomst(),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_begrotingsregel")))
    op.create_table(
        "toekenning",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("begrotingsregel", sa.String(64), nullable=False),
        sa.Column("ministerie", sa.String(16), nullable=False),
        sa.Column("focusgebied", sa.String(64), nullable=False),
        sa.Column("jaar", sa.SmallInteger(), nullable=False),
        sa.Column("bedrag", sa.Numeric(18, 2), nullable=False),
        sa.Column("interventie_id", sa.UUID(), nullable=True),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        *herkomst(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_toekenning")))
    op.create_index(op.f("ix_toekenning_begrotingsregel"), "toekenning", ["begrotingsregel"])
    op.create_index(op.f("ix_toekenning_focusgebied"), "toekenning", ["focusgebied"])
    op.create_table(
        "realisatie",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("toekenning", sa.UUID(), nullable=False),
        sa.Column("begrotingsregel", sa.String(64), nullable=False),
        sa.Column("focusgebied", sa.String(64), nullable=False),
        sa.Column("jaar", sa.SmallInteger(), nullable=False),
        sa.Column("soort", sa.String(16), nullable=False),
        sa.Column("bedrag", sa.Numeric(18, 2), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("referentie", sa.Text(), nullable=True),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        *herkomst(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_realisatie")))
    op.create_index(op.f("ix_realisatie_begrotingsregel"), "realisatie", ["begrotingsregel"])
    op.create_index(op.f("ix_realisatie_focusgebied"), "realisatie", ["focusgebied"])
    op.create_table(
        "indicator_voortgang",
        sa.Column("focusgebied", sa.String(64), nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("actielijn", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("gegevens", postgresql.JSONB(), nullable=False),
        *actualiteit(),
        sa.PrimaryKeyConstraint("focusgebied", "indicator", name=op.f("pk_indicator_voortgang")))
    op.create_table(
        "voortgang_geld",
        sa.Column("focusgebied", sa.String(64), nullable=False),
        sa.Column("actielijn", sa.SmallInteger(), nullable=False),
        sa.Column("jaar", sa.SmallInteger(), nullable=False),
        sa.Column("toegekend", sa.Numeric(), nullable=False),
        sa.Column("verplicht", sa.Numeric(), nullable=False),
        sa.Column("betaald", sa.Numeric(), nullable=False),
        *actualiteit(),
        sa.PrimaryKeyConstraint("focusgebied", "actielijn", "jaar",
                                name=op.f("pk_voortgang_geld")))
    op.create_table(
        "consumer_positie",
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("positie", sa.BigInteger(), nullable=False),
        sa.Column("eind", sa.BigInteger(), nullable=False),
        sa.Column("bij_tot", sa.DateTime(timezone=True), nullable=True),
        sa.Column("gemeten_op", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("topic", "partition", name=op.f("pk_consumer_positie")))
    op.create_table(
        "herbouw",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("aangevraagd_door", sa.Text(), nullable=False),
        sa.Column("aangevraagd_op", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("gestart_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("klaar_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("events_verwerkt", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("events_totaal", sa.BigInteger(), nullable=True),
        sa.Column("per_seconde", sa.Numeric(12, 1), nullable=True),
        sa.Column("resterend_seconden", sa.Numeric(12, 1), nullable=True),
        sa.Column("fout", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_herbouw")))
    # one rebuild at a time
    op.create_index("uq_herbouw_actief", "herbouw", [sa.text("(true)")], unique=True,
                    postgresql_where=sa.text("status IN ('wachtend', 'bezig')"))
    op.execute("INSERT INTO herbouw (id, status, aangevraagd_door) "
               "SELECT gen_random_uuid(), 'wachtend', 'migratie b5e7d9f1a3c2' "
               "WHERE EXISTS (SELECT 1 FROM focusgebied)")


def downgrade() -> None:
    op.drop_index("uq_herbouw_actief", table_name="herbouw")
    for table in ("herbouw", "consumer_positie", "voortgang_geld", "indicator_voortgang",
                  "realisatie", "toekenning", "begrotingsregel", "streefwaarde", "nulmeting",
                  "meting", "indicator"):
        op.drop_table(table)
    for name in ("titel", "ministerie", "startdatum", "einddatum", "bronsysteem", "bron_id"):
        op.drop_column("interventie", name)
    op.drop_index(op.f("ix_focusgebied_gemeente"), table_name="focusgebied")
    op.drop_column("focusgebied", "inwoners")
    for table in ("focusgebied", "interventie"):
        for name in ("event_id", "event_type", "event_source", "event_tijd"):
            op.drop_column(table, name)
