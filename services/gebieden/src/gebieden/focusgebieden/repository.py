from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gebieden.focusgebieden.models import Alliantie, Focusgebied, Uitvoeringsprogramma


class FocusgebiedRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str, *, for_update: bool = False) -> Focusgebied | None:
        query = select(Focusgebied).where(Focusgebied.code == code)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def list(self, *, gemeente: str | None, offset: int,
                   limit: int) -> tuple[list[Focusgebied], int]:
        query = select(Focusgebied)
        count = select(func.count()).select_from(Focusgebied)
        if gemeente is not None:
            query = query.where(Focusgebied.gemeente_code == gemeente)
            count = count.where(Focusgebied.gemeente_code == gemeente)
        total = (await self.session.execute(count)).scalar_one()
        rows = await self.session.execute(query.order_by(Focusgebied.code).offset(offset)
                                          .limit(limit))
        return list(rows.scalars()), total

    async def alliantie(self, code: str) -> Alliantie | None:
        return await self.session.get(Alliantie, code, with_for_update=True)

    async def uitvoeringsprogramma(self, code: str) -> Uitvoeringsprogramma | None:
        return await self.session.get(Uitvoeringsprogramma, code, with_for_update=True)

    async def add(self, obj: Focusgebied | Alliantie | Uitvoeringsprogramma) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def delete(self, focusgebied: Focusgebied) -> None:
        await self.session.delete(focusgebied)
        await self.session.flush()
