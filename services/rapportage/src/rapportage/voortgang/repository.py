from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rapportage.db import focusgebied, stand, voortgang_interventies


class VoortgangRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def focusgebied(self, code: str) -> Any | None:
        query = select(focusgebied).where(focusgebied.c.code == code,
                                          focusgebied.c.verwijderd.is_(False))
        return (await self.session.execute(query)).first()

    async def view_rows(self, code: str) -> list[Any]:
        v = voortgang_interventies
        query = (select(v).where(v.c.focusgebied == code)
                 .order_by(v.c.actielijn, v.c.status, v.c.output_eenheid))
        return list((await self.session.execute(query)).all())

    async def stand(self, code: str) -> Any | None:
        return (await self.session.execute(select(stand).where(stand.c.focusgebied == code))
                ).first()

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
