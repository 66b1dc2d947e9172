"""view sums unbounded

Revision ID: 8c3d2f61a7b5
Revises: 14c2b8032bea
Create Date: 2026-11-30 09:15:00

The sums in voortgang_interventies were numeric(20,2): 101 interventies at gebieden's maximum
output (numeric(18,2)) overflowed it and the event went to dead_letter. Any event the producer's
schema accepts must be applicable, so the sums are unbounded numeric.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '8c3d2f61a7b5'
down_revision: Union[str, Sequence[str], None] = '14c2b8032bea'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    for column in ("geplande_output", "gerealiseerde_output"):
        op.alter_column("voortgang_interventies", column, type_=sa.Numeric(),
                        existing_type=sa.Numeric(20, 2), existing_nullable=False)


def downgrade() -> None:
    for column in ("geplande_output", "gerealiseerde_output"):
        op.alter_column("voortgang_interventies", column, type_=sa.Numeric(20, 2),
                        existing_type=sa.Numeric(), existing_nullable=False)
