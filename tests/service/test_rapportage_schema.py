"""The rebuild creates its fresh tables from the SQLAlchemy metadata (`metadata.create_all`)
while the live ones come from the migrations: the two must be the same tables, or a rebuild
would swap in a different schema."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncSession

from rapportage.db import PROJECTIE_TABELLEN, metadata


def _table(difference: Any) -> str | None:
    """The table a difference is about (alembic nests column and type changes in lists)."""
    while isinstance(difference, list):
        difference = difference[0]
    for item in difference[1:]:
        name = getattr(item, "name", None) if not isinstance(item, str) else None
        table = getattr(item, "table", None)
        if table is not None:
            return str(table.name)
        if name is not None and hasattr(item, "c"):
            return str(name)
    return str(difference[2]) if len(difference) > 2 and isinstance(difference[2], str) \
        else None


async def test_the_migrations_build_what_the_rebuild_builds(
        rapportage_session: AsyncSession) -> None:
    names = {t.name for t in PROJECTIE_TABELLEN}

    def differences(sync: Any) -> list[Any]:
        context = MigrationContext.configure(sync, opts={
            "compare_type": True, "compare_server_default": True,
            "include_name": lambda name, kind, parent: kind != "table" or name in names})
        return [d for d in compare_metadata(context, metadata) if _table(d) in names]

    connection = await rapportage_session.connection()
    assert await connection.run_sync(differences) == []
