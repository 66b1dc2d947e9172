"""event sequence per aggregate, kept after a delete

Revision ID: 5e1a7c2b9d40
Revises: 1bc716fdacc9
Create Date: 2026-11-30 09:00:00

An aggregate deleted and created again restarted its `versie` at 1, and so its event `sequence`;
consumers that keep the tombstone's sequence then ignored it for good. The publisher now keeps
the last sequence per subject here. Backfilled from the outbox, which holds every event.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '5e1a7c2b9d40'
down_revision: Union[str, Sequence[str], None] = '1bc716fdacc9'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('event_sequence',
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('last_sequence', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('subject', name=op.f('pk_event_sequence'))
    )
    op.execute("""
        INSERT INTO event_sequence (subject, last_sequence)
        SELECT payload->>'subject', max((payload->>'sequence')::bigint)
        FROM outbox WHERE payload ? 'sequence'
        GROUP BY payload->>'subject'
    """)


def downgrade() -> None:
    op.drop_table('event_sequence')
