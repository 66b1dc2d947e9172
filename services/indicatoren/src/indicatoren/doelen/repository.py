from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren.doelen.models import DoelRevisieRecord, NulmetingRecord, StreefwaardeRecord


class DoelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def nulmeting(self, focusgebied: str, indicator: str, *,
                        for_update: bool = False) -> NulmetingRecord | None:
        return await self.session.get(NulmetingRecord, (focusgebied, indicator),
                                      with_for_update=for_update)

    async def streefwaarde(self, focusgebied: str, indicator: str, doelperiode: str, *,
                           for_update: bool = False) -> StreefwaardeRecord | None:
        return await self.session.get(StreefwaardeRecord, (focusgebied, indicator, doelperiode),
                                      with_for_update=for_update)

    async def streefwaarden(self, focusgebied: str, indicator: str) -> list[StreefwaardeRecord]:
        s = StreefwaardeRecord
        query = (select(s).where(s.focusgebied == focusgebied, s.indicator == indicator)
                 .order_by(s.doelperiode))
        return list((await self.session.execute(query)).scalars())

    async def revisies(self, focusgebied: str, indicator: str) -> list[DoelRevisieRecord]:
        r = DoelRevisieRecord
        query = (select(r).where(r.focusgebied == focusgebied, r.indicator == indicator)
                 .order_by(r.id))
        return list((await self.session.execute(query)).scalars())

    async def add(self, record: NulmetingRecord | StreefwaardeRecord | DoelRevisieRecord,
                  ) -> None:
        self.session.add(record)
        await self.session.flush()
