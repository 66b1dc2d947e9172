"""metingen can be withdrawn: meting.ingetrokken_op and the meting_intrekking history

Revision ID: d400000000f4
Revises: c300000000f3
Create Date: 2026-12-01 10:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = 'd400000000f4'
down_revision: Union[str, Sequence[str], None] = 'c300000000f3'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('meting', sa.Column('ingetrokken_op', sa.DateTime(timezone=True),
                                      nullable=True))
    op.create_table('meting_intrekking',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('regio', sa.String(length=64), nullable=False),
    sa.Column('periode', sa.String(length=16), nullable=False),
    sa.Column('versie', sa.Integer(), nullable=False),
    sa.Column('waarde', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('bron', sa.String(length=200), nullable=True),
    sa.Column('reden', sa.Text(), nullable=False),
    sa.Column('ingetrokken_door', sa.String(length=200), nullable=False),
    sa.Column('organisatie', sa.String(length=8), nullable=False),
    sa.Column('ingetrokken_op', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['indicator_code', 'regio', 'periode'], ['meting.indicator_code', 'meting.regio', 'meting.periode'], name='fk_meting_intrekking_meting', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meting_intrekking'))
    )
    op.create_index('ix_meting_intrekking_meting', 'meting_intrekking', ['indicator_code', 'regio', 'periode', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_meting_intrekking_meting', table_name='meting_intrekking')
    op.drop_table('meting_intrekking')
    op.drop_column('meting', 'ingetrokken_op')
