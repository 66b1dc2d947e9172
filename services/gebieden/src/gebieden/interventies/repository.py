import uuid
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gebieden.interventies.models import InterventieRecord
from gebieden.interventies.schemas import InterventieFilter


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
