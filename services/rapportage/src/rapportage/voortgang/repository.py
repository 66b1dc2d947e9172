from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rapportage.db import focusgebied, stand, voortgang_interventies


class VoortgangRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def view(self, code: str) -> list[Any]:
        """The focusgebied, its freshness and its view rows in one query: one row per view row
        (or one row with empty view columns); empty when the area is unknown or deleted."""
        f, s, v = focusgebied, stand, voortgang_interventies
        query = (
            select(f.c.code, f.c.naam, f.c.gemeente, s.c.laatste_event_id,
                   s.c.laatste_event_tijd, s.c.bijgewerkt_op, v.c.actielijn, v.c.status,
                   v.c.output_eenheid, v.c.aantal, v.c.geplande_output,
                   v.c.gerealiseerde_output)
            .select_from(f.outerjoin(s, s.c.focusgebied == f.c.code)
                         .outerjoin(v, v.c.focusgebied == f.c.code))
            .where(f.c.code == code, f.c.verwijderd.is_(False))
            .order_by(v.c.actielijn, v.c.status, v.c.output_eenheid)
        )
        return list((await self.session.execute(query)).all())

    async def summaries(self, *, gemeente: str | None, offset: int,
                        limit: int) -> tuple[list[Any], int]:
        f, v = focusgebied, voortgang_interventies
        aantal = (select(func.coalesce(func.sum(v.c.aantal), 0))
                  .where(v.c.focusgebied == f.c.code).scalar_subquery())
        query = select(f.c.code, f.c.naam, f.c.gemeente, aantal.label("aantal")).where(
            f.c.verwijderd.is_(False))
        count = select(func.count()).select_from(f).where(f.c.verwijderd.is_(False))
        if gemeente:
            query, count = query.where(f.c.gemeente == gemeente), count.where(
                f.c.gemeente == gemeente)
        total = (await self.session.execute(count)).scalar_one()
        rows = await self.session.execute(query.order_by(f.c.code).offset(offset).limit(limit))
        return list(rows.all()), total
