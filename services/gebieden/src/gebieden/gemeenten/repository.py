from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gebieden.gemeenten.models import GemeenteRecord, PrestatieafsprakenRecord


class GemeenteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str, *, for_update: bool = False) -> GemeenteRecord | None:
        return await self.session.get(GemeenteRecord, code, with_for_update=for_update)

    async def list(self, *, offset: int, limit: int) -> tuple[list[GemeenteRecord], int]:
        total = (await self.session.execute(
            select(func.count()).select_from(GemeenteRecord))).scalar_one()
        rows = await self.session.execute(
            select(GemeenteRecord).order_by(GemeenteRecord.code).offset(offset).limit(limit))
        return list(rows.scalars()), total

    async def prestatieafspraken(self, code: str, *,
                                 for_update: bool = False) -> PrestatieafsprakenRecord | None:
        return await self.session.get(PrestatieafsprakenRecord, code,
                                      with_for_update=for_update)
