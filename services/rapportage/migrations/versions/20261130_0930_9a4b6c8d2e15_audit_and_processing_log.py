"""audit log and processing log (LDV)

Revision ID: 9a4b6c8d2e15
Revises: 8c3d2f61a7b5
Create Date: 2026-11-30 09:30:00
"""
from typing import Sequence, Union

from nplv_shared.migrations import create_traceability_v1, drop_traceability_v1

revision: str = '9a4b6c8d2e15'
down_revision: Union[str, Sequence[str], None] = '8c3d2f61a7b5'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    create_traceability_v1()


def downgrade() -> None:
    drop_traceability_v1()
