"""audit log, processing log (LDV) and the trace context of outbox rows

Revision ID: 7d2e4a9c1f03
Revises: 5e1a7c2b9d40
Create Date: 2026-11-30 09:30:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from nplv_shared.migrations import create_traceability_v1, drop_traceability_v1

revision: str = '7d2e4a9c1f03'
down_revision: Union[str, Sequence[str], None] = '5e1a7c2b9d40'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('outbox', sa.Column('traceparent', sa.Text(), nullable=True))
    create_traceability_v1()


def downgrade() -> None:
    drop_traceability_v1()
    op.drop_column('outbox', 'traceparent')
