from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren.metingen.models import MetingCorrectieRecord, MetingRecord
from indicatoren.metingen.schemas import MetingFilter

HISTORY = 20  # earlier values the plausibility of a new one is judged against


class MetingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, indicator: str, regio: str, periode: str, *,
                  for_update: bool = False) -> MetingRecord | None:
        return await self.session.get(MetingRecord, (indicator, regio, periode),
                                      with_for_update=for_update)

    async def history(self, indicator: str, regio: str, before: date) -> list[Decimal]:
        """The latest HISTORY values of the region for the indicator before `before`."""
        query = (select(MetingRecord.waarde)
                 .where(MetingRecord.indicator == indicator, MetingRecord.regio == regio,
                        MetingRecord.periode_begin < before)
                 .order_by(MetingRecord.periode_begin.desc()).limit(HISTORY))
        return list((await self.session.execute(query)).scalars())

    async def search(self, filters: MetingFilter, *, offset: int,
                   limit: int) -> tuple[list[MetingRecord], int]:
        query = self._filtered(select(MetingRecord), filters)
        count = self._filtered(select(func.count()).select_from(MetingRecord), filters)
        total = (await self.session.execute(count)).scalar_one()
        m = MetingRecord
        order = (m.indicator, m.regio, m.periode_begin, m.periode)
        rows = await self.session.execute(query.order_by(*order).offset(offset).limit(limit))
        return list(rows.scalars()), total

    async def series(self, indicator: str, regios: list[str]) -> list[MetingRecord]:
        query = (select(MetingRecord)
                 .where(MetingRecord.indicator == indicator, MetingRecord.regio.in_(regios))
                 .order_by(MetingRecord.periode_begin, MetingRecord.periode,
                           MetingRecord.regio))
        return list((await self.session.execute(query)).scalars())

    async def correcties(self, indicator: str, regio: str,
                         periode: str) -> list[MetingCorrectieRecord]:
        c = MetingCorrectieRecord
        query = (select(c).where(c.indicator == indicator, c.regio == regio,
                                 c.periode == periode).order_by(c.id))
        return list((await self.session.execute(query)).scalars())

    async def add(self, record: MetingRecord | MetingCorrectieRecord) -> None:
        self.session.add(record)
        await self.session.flush()

    @staticmethod
    def _filtered(query: Select[Any], f: MetingFilter) -> Select[Any]:
        m = MetingRecord
        for column, value in ((m.indicator, f.indicator), (m.regio, f.regio),
                              (m.periode, f.periode), (m.focusgebied, f.focusgebied),
                              (m.gemeente, f.gemeente), (m.status, f.status)):
            if value is not None:
                query = query.where(column == value)
        return query
