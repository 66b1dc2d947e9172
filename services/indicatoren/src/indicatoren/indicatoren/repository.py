from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren.indicatoren.models import IndicatorRecord, IndicatorVersieRecord
from indicatoren.indicatoren.schemas import IndicatorFilter


class IndicatorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str, *, for_update: bool = False) -> IndicatorRecord | None:
        return await self.session.get(IndicatorRecord, code, with_for_update=for_update)

    async def all(self) -> dict[str, IndicatorRecord]:
        rows = await self.session.execute(select(IndicatorRecord))
        return {r.code: r for r in rows.scalars()}

    async def by_kernindicator(self, nummer: int) -> IndicatorRecord | None:
        query = select(IndicatorRecord).where(IndicatorRecord.kernindicator == nummer)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def search(self, filters: IndicatorFilter, *, offset: int,
                   limit: int) -> tuple[list[IndicatorRecord], int]:
        query = self._filtered(select(IndicatorRecord), filters)
        count = self._filtered(select(func.count()).select_from(IndicatorRecord), filters)
        total = (await self.session.execute(count)).scalar_one()
        order = (IndicatorRecord.kernindicator.asc().nulls_last(), IndicatorRecord.code)
        rows = await self.session.execute(query.order_by(*order).offset(offset).limit(limit))
        return list(rows.scalars()), total

    async def versies(self, code: str) -> list[IndicatorVersieRecord]:
        query = (select(IndicatorVersieRecord).where(IndicatorVersieRecord.indicator == code)
                 .order_by(IndicatorVersieRecord.betekenisversie))
        return list((await self.session.execute(query)).scalars())

    async def add(self, record: IndicatorRecord) -> None:
        self.session.add(record)
        await self.session.flush()

    async def add_versie(self, record: IndicatorVersieRecord) -> None:
        self.session.add(record)
        await self.session.flush()

    @staticmethod
    def _filtered(query: Select[Any], f: IndicatorFilter) -> Select[Any]:
        i = IndicatorRecord
        for column, value in ((i.actielijn, f.actielijn), (i.focusgebied, f.focusgebied),
                              (i.status, f.status)):
            if value is not None:
                query = query.where(column == value)
        if f.kern is not None:
            query = query.where(i.focusgebied.is_(None) if f.kern else i.focusgebied.is_not(None))
        return query
