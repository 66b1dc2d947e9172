from decimal import Decimal
from typing import Any

from sqlalchemy import Select, column, func, select, table
from sqlalchemy.ext.asyncio import AsyncSession

from financien.begrotingsregels.models import BegrotingsregelRecord, RevisieRecord
from financien.begrotingsregels.schemas import RegelFilter

# The one read of another aggregate's table: what is allocated per year bounds a revision of the
# line (a rule of the line). Named here as a bare Core table, so the begrotingsregels aggregate
# does not depend on the toekenningen aggregate (which depends on this one).
_TOEKENNING = table("toekenning", column("begrotingsregel_code"), column("jaar"),
                    column("bedrag"))


class BegrotingsregelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str, *, for_update: bool = False) -> BegrotingsregelRecord | None:
        """`for_update`: a row lock, held to the end of the transaction, so checks against the
        line's amounts (toekenningen, revisions) are serialised per line."""
        return await self.session.get(BegrotingsregelRecord, code, with_for_update=for_update)

    async def all(self) -> list[BegrotingsregelRecord]:
        rows = await self.session.execute(
            select(BegrotingsregelRecord).order_by(BegrotingsregelRecord.volgorde))
        return list(rows.scalars())

    async def zoek(self, filters: RegelFilter, *, offset: int,
                   limit: int) -> tuple[list[BegrotingsregelRecord], int]:
        query = self._filtered(select(BegrotingsregelRecord), filters)
        count = self._filtered(select(func.count()).select_from(BegrotingsregelRecord), filters)
        total = (await self.session.execute(count)).scalar_one()
        rows = await self.session.execute(
            query.order_by(BegrotingsregelRecord.volgorde, BegrotingsregelRecord.code)
            .offset(offset).limit(limit))
        return list(rows.scalars()), total

    async def add(self, regel: BegrotingsregelRecord, revisie: RevisieRecord) -> None:
        self.session.add(regel)
        await self.session.flush()
        self.session.add(revisie)
        await self.session.flush()

    async def add_revisie(self, revisie: RevisieRecord) -> None:
        self.session.add(revisie)
        await self.session.flush()

    async def revisies(self, code: str, *, offset: int,
                       limit: int) -> tuple[list[RevisieRecord], int]:
        where = RevisieRecord.begrotingsregel == code
        total = (await self.session.execute(
            select(func.count()).select_from(RevisieRecord).where(where))).scalar_one()
        rows = await self.session.execute(
            select(RevisieRecord).where(where).order_by(RevisieRecord.nummer)
            .offset(offset).limit(limit))
        return list(rows.scalars()), total

    async def toegekend_per_jaar(self, code: str) -> dict[int, Decimal]:
        t = _TOEKENNING.c
        rows = await self.session.execute(
            select(t.jaar, func.sum(t.bedrag)).where(t.begrotingsregel_code == code)
            .group_by(t.jaar))
        return {int(jaar): Decimal(total) for jaar, total in rows}

    @staticmethod
    def _filtered(query: Select[Any], f: RegelFilter) -> Select[Any]:
        r = BegrotingsregelRecord
        for kolom, value in ((r.kop, f.kop), (r.ministerie, f.ministerie),
                             (r.specifiek_voor_focusgebieden, f.specifiek_voor_focusgebieden)):
            if value is not None:
                query = query.where(kolom == value)
        if f.actielijn is not None:
            query = query.where(r.actielijnen.contains([{"actielijn": f.actielijn}]))
        return query
