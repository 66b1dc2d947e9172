"""half-yearly voortgangsrapportage: every state of every interventie (for the state as of the end
of a period) and the published reports, frozen by a trigger

Revision ID: c7e1f3a5b9d2
Revises: b5e7d9f1a3c2
Create Date: 2026-11-30 17:00:00

A database that has interventies asks for a rebuild (a `herbouw` job the worker runs): the
replay of the topics fills `interventie_versie` from the whole history.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'c7e1f3a5b9d2'
down_revision: Union[str, Sequence[str], None] = 'b5e7d9f1a3c2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "interventie_versie",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("focusgebied", sa.String(64), nullable=False),
        sa.Column("actielijn", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("geplande_output", sa.Numeric(18, 2), nullable=True),
        sa.Column("gerealiseerde_output", sa.Numeric(18, 2), nullable=True),
        sa.Column("verwijderd", sa.Boolean(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("event_source", sa.Text(), nullable=False),
        sa.Column("event_tijd", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", "sequence", name=op.f("pk_interventie_versie")))
    op.create_table(
        "voortgangsrapportage",
        sa.Column("periode", sa.String(7), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column("inhoud", sa.Text(), nullable=False),
        sa.Column("inhoud_hash", sa.String(64), nullable=False),
        sa.Column("feiten", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("gepubliceerd_door", sa.Text(), nullable=False),
        sa.Column("gepubliceerd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("vorige_versie", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("periode", "versie", name=op.f("pk_voortgangsrapportage")))
    # A published report never changes: UPDATE and DELETE are refused by the database itself.
    op.execute("""
        CREATE FUNCTION voortgangsrapportage_bevroren() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'een gepubliceerde voortgangsrapportage verandert nooit (% %)',
                OLD.periode, OLD.versie USING ERRCODE = 'integrity_constraint_violation';
        END $$""")
    op.execute("CREATE TRIGGER voortgangsrapportage_bevroren BEFORE UPDATE OR DELETE ON "
               "voortgangsrapportage FOR EACH ROW EXECUTE FUNCTION voortgangsrapportage_bevroren()")
    op.execute("INSERT INTO herbouw (id, status, aangevraagd_door) "
               "SELECT gen_random_uuid(), 'wachtend', 'migratie c7e1f3a5b9d2' "
               "WHERE EXISTS (SELECT 1 FROM interventie) AND NOT EXISTS "
               "(SELECT 1 FROM herbouw WHERE status IN ('wachtend', 'bezig'))")


def downgrade() -> None:
    op.execute("DROP TRIGGER voortgangsrapportage_bevroren ON voortgangsrapportage")
    op.execute("DROP FUNCTION voortgangsrapportage_bevroren()")
    op.drop_table("voortgangsrapportage")
    op.drop_table("interventie_versie")
