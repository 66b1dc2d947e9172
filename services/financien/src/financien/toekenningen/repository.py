import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from financien.toekenningen.models import RealisatieRecord, ToekenningRecord
from financien.toekenningen.schemas import RealisatieFilter, ToekenningFilter

NUL = Decimal("0.00")


class ToekenningRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, toekenning_id: uuid.UUID, *,
                  for_update: bool = False) -> ToekenningRecord | None:
        return await self.session.get(ToekenningRecord, toekenning_id,
                                      with_for_update=for_update)

    async def add(self, record: ToekenningRecord | RealisatieRecord) -> None:
        self.session.add(record)
        await self.session.flush()

    async def toegekend(self, regel: str, jaar: int, *,
                        behalve: uuid.UUID | None = None) -> Decimal:
        t = ToekenningRecord
        query = select(func.coalesce(func.sum(t.bedrag), NUL)).where(
            t.begrotingsregel == regel, t.jaar == jaar)
        if behalve is not None:
            query = query.where(t.id != behalve)
        return Decimal((await self.session.execute(query)).scalar_one())

    async def gerealiseerd(self, toekenning_id: uuid.UUID) -> dict[str, Decimal]:
        r = RealisatieRecord
        rows = await self.session.execute(
            select(r.soort, func.sum(r.bedrag)).where(r.toekenning == toekenning_id)
            .group_by(r.soort))
        return {soort: Decimal(total) for soort, total in rows}

    async def zoek(self, f: ToekenningFilter, *, offset: int,
                   limit: int) -> tuple[list[ToekenningRecord], int]:
        t = ToekenningRecord
        conditions = [(t.begrotingsregel, f.begrotingsregel), (t.focusgebied, f.focusgebied),
                      (t.gemeente, f.gemeente), (t.ministerie, f.ministerie), (t.jaar, f.jaar),
                      (t.interventie_id, f.interventie_id)]
        return await self._page(t, conditions, (t.aangemaakt_op, t.id), offset, limit)

    async def get_realisatie(self, realisatie_id: uuid.UUID) -> RealisatieRecord | None:
        return await self.session.get(RealisatieRecord, realisatie_id)

    async def list_realisaties(self, f: RealisatieFilter, *, offset: int,
                               limit: int) -> tuple[list[RealisatieRecord], int]:
        r = RealisatieRecord
        conditions = [(r.toekenning, f.toekenning), (r.begrotingsregel, f.begrotingsregel),
                      (r.focusgebied, f.focusgebied), (r.jaar, f.jaar), (r.soort, f.soort)]
        return await self._page(r, conditions, (r.aangemaakt_op, r.id), offset, limit)

    async def sommen(self, focusgebied: str | None = None) -> list[dict[str, Any]]:
        """Per toekenning: its line, area, year, amount and the sums of its verplichtingen and
        betalingen (exact numeric sums in PostgreSQL)."""
        t, r = ToekenningRecord, RealisatieRecord

        def som(soort: str) -> Any:
            return func.coalesce(func.sum(case((r.soort == soort, r.bedrag))), NUL)

        query = (select(t.id, t.begrotingsregel, t.focusgebied, t.gemeente, t.jaar, t.bedrag,
                        som("verplichting").label("verplicht"),
                        som("betaling").label("betaald"))
                 .outerjoin(r, r.toekenning == t.id).group_by(t.id).order_by(t.id))
        if focusgebied is not None:
            query = query.where(t.focusgebied == focusgebied)
        return [dict(row._mapping) for row in await self.session.execute(query)]

    async def _page(self, model: Any, conditions: list[tuple[Any, Any]], order: tuple[Any, ...],
                    offset: int, limit: int) -> tuple[list[Any], int]:
        query: Select[Any] = select(model)
        count: Select[Any] = select(func.count()).select_from(model)
        for column, value in conditions:
            if value is not None:
                query, count = query.where(column == value), count.where(column == value)
        total = (await self.session.execute(count)).scalar_one()
        rows = await self.session.execute(query.order_by(*order).offset(offset).limit(limit))
        return list(rows.scalars()), total
