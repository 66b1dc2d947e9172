"""bulk imports: jobs and their uploads

Revision ID: c300000000f3
Revises: b200000000f2
Create Date: 2026-11-30 12:00:00
"""
from typing import Sequence, Union

from nplv_shared.migrations import create_imports_v1, drop_imports_v1

revision: str = 'c300000000f3'
down_revision: Union[str, Sequence[str], None] = 'b200000000f2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    create_imports_v1()


def downgrade() -> None:
    drop_imports_v1()
