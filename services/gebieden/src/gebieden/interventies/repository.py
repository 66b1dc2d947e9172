import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gebieden.interventies.models import Interventie


@dataclass(frozen=True)
class InterventieFilter:
    focusgebied: str | None = None
    gemeente: str | None = None
    actielijn: int | None = None
    ministerie: str | None = None
    status: str | None = None


class InterventieRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, interventie_id: uuid.UUID, *,
                  for_update: bool = False) -> Interventie | None:
        query = select(Interventie).where(Interventie.id == interventie_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def list(self, filters: InterventieFilter, *, offset: int,
                   limit: int) -> tuple[list[Interventie], int]:
        query = self._filtered(select(Interventie), filters)
        total = (await self.session.execute(
            self._filtered(select(func.count()).select_from(Interventie), filters))).scalar_one()
        rows = await self.session.execute(
            query.order_by(Interventie.aangemaakt_op, Interventie.id).offset(offset).limit(limit))
        return list(rows.scalars()), total

    async def exists_in_focusgebied(self, focusgebied_code: str) -> bool:
        query = select(Interventie.id).where(Interventie.focusgebied_code == focusgebied_code)
        return (await self.session.execute(query.limit(1))).first() is not None

    async def add(self, interventie: Interventie) -> None:
        self.session.add(interventie)
        await self.session.flush()

    async def delete(self, interventie: Interventie) -> None:
        await self.session.delete(interventie)
        await self.session.flush()

    @staticmethod
    def _filtered(query: Select[Any], f: InterventieFilter) -> Select[Any]:
        conditions = [
            (Interventie.focusgebied_code, f.focusgebied), (Interventie.gemeente_code, f.gemeente),
            (Interventie.actielijn, f.actielijn), (Interventie.ministerie, f.ministerie),
            (Interventie.status, f.status),
        ]
        for column, value in conditions:
            if value is not None:
                query = query.where(column == value)
        return query
