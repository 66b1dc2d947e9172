from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren.referentie.models import FocusgebiedRecord, GemeenteRecord


class ReferentieRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def focusgebied(self, code: str) -> FocusgebiedRecord | None:
        return await self.session.get(FocusgebiedRecord, code)

    async def gemeente(self, code: str) -> GemeenteRecord | None:
        return await self.session.get(GemeenteRecord, code)

    async def focusgebieden(self) -> list[FocusgebiedRecord]:
        rows = await self.session.execute(select(FocusgebiedRecord).order_by(
            FocusgebiedRecord.code))
        return list(rows.scalars())

    async def gemeenten(self) -> list[GemeenteRecord]:
        rows = await self.session.execute(select(GemeenteRecord).order_by(GemeenteRecord.code))
        return list(rows.scalars())

    async def add_missing(self, gemeenten: list[dict[str, str]],
                          focusgebieden: list[dict[str, str]]) -> int:
        """Add (through the ORM, so the write is audited) what is not there yet; returns how
        many rows were added. Existing rows are left as they are."""
        known_g = {g.code for g in await self.gemeenten()}
        known_f = {f.code for f in await self.focusgebieden()}
        new_g = [GemeenteRecord(code=g["code"], naam=g["naam"]) for g in gemeenten
                 if g["code"] not in known_g]
        self.session.add_all(new_g)
        await self.session.flush()
        new_f = [FocusgebiedRecord(code=f["code"], naam=f["naam"], gemeente=f["gemeente"])
                 for f in focusgebieden if f["code"] not in known_f]
        self.session.add_all(new_f)
        await self.session.flush()
        return len(new_g) + len(new_f)
