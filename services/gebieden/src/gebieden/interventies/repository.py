import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from gebieden.interventies.models import InterventieRecord
from gebieden.interventies.schemas import InterventieFilter

# The sync of a departmental system's interventies (a bulk import): one statement per chunk,
# keyed by the owner's own reference (eigenaar, bronsysteem, bronId). A row equal to the stored
# one changes nothing (no new version, no event); the statement returns only what it created or
# changed, with `aangemaakt` telling which.
SYNC_COLUMNS = ("eigenaar", "bronsysteem", "bron_id", "focusgebied_code", "gemeente_code",
                "actielijn", "ministerie", "titel", "omschrijving", "status", "startdatum",
                "einddatum", "output_eenheid", "geplande_output", "gerealiseerde_output",
                "begrotingsregel_id")
_TYPES = {"actielijn": "smallint", "startdatum": "date", "einddatum": "date",
          "geplande_output": "numeric", "gerealiseerde_output": "numeric",
          "begrotingsregel_id": "uuid"}
_COMPARED = [c for c in SYNC_COLUMNS if c not in ("eigenaar", "bronsysteem", "bron_id")]
SYNC = text(f"""
    WITH input AS (
        SELECT * FROM unnest({", ".join(f"CAST(:{c} AS {_TYPES.get(c, 'text')}[])"
                                        for c in SYNC_COLUMNS)})
            WITH ORDINALITY AS t({", ".join(SYNC_COLUMNS)}, n)
    )
    INSERT INTO interventie AS i (id, {", ".join(SYNC_COLUMNS)}, versie)
    SELECT gen_random_uuid(), {", ".join(SYNC_COLUMNS)}, 1 FROM input ORDER BY n
    ON CONFLICT (eigenaar, bronsysteem, bron_id) WHERE bron_id IS NOT NULL DO UPDATE SET
        {", ".join(f"{c} = excluded.{c}" for c in _COMPARED)},
        versie = i.versie + 1, gewijzigd_op = now()
    WHERE ({", ".join(f"i.{c}" for c in _COMPARED)})
          IS DISTINCT FROM ({", ".join(f"excluded.{c}" for c in _COMPARED)})
    RETURNING i.id, i.focusgebied_code AS focusgebied, i.gemeente_code AS gemeente, i.actielijn,
              i.ministerie, i.eigenaar, i.titel, i.omschrijving, i.status, i.startdatum,
              i.einddatum, i.output_eenheid, i.geplande_output, i.gerealiseerde_output,
              i.begrotingsregel_id, i.bronsysteem, i.bron_id, i.versie, i.aangemaakt_op,
              i.gewijzigd_op, (i.xmax = 0) AS aangemaakt
""")  # noqa: S608 - the names are the constants above; every value is a bound parameter


class InterventieRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, interventie_id: uuid.UUID, *,
                  for_update: bool = False) -> InterventieRecord | None:
        query = select(InterventieRecord).where(InterventieRecord.id == interventie_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def list(self, filters: InterventieFilter, *, offset: int,
                   limit: int) -> tuple[list[InterventieRecord], int]:
        query = self._filtered(select(InterventieRecord), filters)
        count = self._filtered(select(func.count()).select_from(InterventieRecord), filters)
        total = (await self.session.execute(count)).scalar_one()
        order = (InterventieRecord.aangemaakt_op, InterventieRecord.id)
        rows = await self.session.execute(query.order_by(*order).offset(offset).limit(limit))
        return list(rows.scalars()), total

    async def add(self, interventie: InterventieRecord) -> None:
        self.session.add(interventie)
        await self.session.flush()

    async def delete(self, interventie: InterventieRecord) -> None:
        await self.session.delete(interventie)
        await self.session.flush()

    async def sync(self, rows: Sequence[dict[str, Any]]) -> Sequence[Row[Any]]:
        """Create or update interventies by their source reference, set-based; returns the
        rows created or changed (unchanged ones are not returned)."""
        if not rows:
            return []
        columns = {column: [row[column] for row in rows] for column in SYNC_COLUMNS}
        return (await self.session.execute(SYNC, columns)).all()

    @staticmethod
    def _filtered(query: Select[Any], f: InterventieFilter) -> Select[Any]:
        i = InterventieRecord
        conditions = [
            (i.focusgebied, f.focusgebied), (i.gemeente, f.gemeente), (i.actielijn, f.actielijn),
            (i.ministerie, f.ministerie), (i.status, f.status),
        ]
        for column, value in conditions:
            if value is not None:
                query = query.where(column == value)
        return query
