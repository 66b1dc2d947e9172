"""an interventie's own reference in its departmental system (the sync key), and bulk imports

Revision ID: c3f1a2b4d5e6
Revises: 7d2e4a9c1f03
Create Date: 2026-11-30 12:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from nplv_shared.migrations import create_imports_v1, drop_imports_v1

revision: str = 'c3f1a2b4d5e6'
down_revision: Union[str, Sequence[str], None] = '7d2e4a9c1f03'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('interventie', sa.Column('bronsysteem', sa.String(length=64), nullable=True))
    op.add_column('interventie', sa.Column('bron_id', sa.String(length=128), nullable=True))
    op.create_index('uq_interventie_bron', 'interventie', ['eigenaar', 'bronsysteem', 'bron_id'],
                    unique=True, postgresql_where=sa.text('bron_id IS NOT NULL'))
    create_imports_v1()


def downgrade() -> None:
    drop_imports_v1()
    op.drop_index('uq_interventie_bron', table_name='interventie',
                  postgresql_where=sa.text('bron_id IS NOT NULL'))
    op.drop_column('interventie', 'bron_id')
    op.drop_column('interventie', 'bronsysteem')
