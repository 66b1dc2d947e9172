"""platform tables: outbox, event sequence, Idempotency-Keys, audit and processing log

Revision ID: a100000000f1
Revises:
Create Date: 2026-11-30 11:00:00
"""
from typing import Sequence, Union

from nplv_shared.migrations import create_producer_platform_v1, drop_producer_platform_v1

revision: str = 'a100000000f1'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    create_producer_platform_v1()


def downgrade() -> None:
    drop_producer_platform_v1()
