"""the version of the projection: a new random value with every applied batch, so the half-yearly
report computed from it can be reused until the next batch

Revision ID: d2a4c6e8f0b1
Revises: c7e1f3a5b9d2
Create Date: 2026-11-30 18:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = 'd2a4c6e8f0b1'
down_revision: Union[str, Sequence[str], None] = 'c7e1f3a5b9d2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "projectie_versie",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("versie", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projectie_versie")))


def downgrade() -> None:
    op.drop_table("projectie_versie")
