from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gebieden.focusgebieden.models import (
    AlliantieRecord,
    FocusgebiedRecord,
    UitvoeringsprogrammaRecord,
)


class StillReferenced(Exception):
    """The focusgebied is still referenced (by interventies) and cannot be deleted."""


class FocusgebiedRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str, *, for_update: bool = False) -> FocusgebiedRecord | None:
        return await self.session.get(FocusgebiedRecord, code, with_for_update=for_update)

    async def list(self, *, gemeente: str | None, offset: int,
                   limit: int) -> tuple[list[FocusgebiedRecord], int]:
        query = select(FocusgebiedRecord)
        count = select(func.count()).select_from(FocusgebiedRecord)
        if gemeente is not None:
            query = query.where(FocusgebiedRecord.gemeente == gemeente)
            count = count.where(FocusgebiedRecord.gemeente == gemeente)
        total = (await self.session.execute(count)).scalar_one()
        rows = await self.session.execute(query.order_by(FocusgebiedRecord.code).offset(offset)
                                          .limit(limit))
        return list(rows.scalars()), total

    async def gemeenten_of(self, codes: set[str]) -> dict[str, str]:
        """The gemeente of each existing focusgebied among `codes`, locked against deletion
        until the transaction ends (FOR SHARE)."""
        if not codes:
            return {}
        rows = await self.session.execute(
            select(FocusgebiedRecord.code, FocusgebiedRecord.gemeente)
            .where(FocusgebiedRecord.code.in_(codes)).with_for_update(read=True))
        return dict(rows.tuples().all())

    async def alliantie(self, code: str, *, for_update: bool = False) -> AlliantieRecord | None:
        return await self.session.get(AlliantieRecord, code, with_for_update=for_update)

    async def uitvoeringsprogramma(self, code: str, *, for_update: bool = False,
                                   ) -> UitvoeringsprogrammaRecord | None:
        return await self.session.get(UitvoeringsprogrammaRecord, code,
                                      with_for_update=for_update)

    async def delete(self, focusgebied: FocusgebiedRecord) -> None:
        """Delete it with its alliantie and uitvoeringsprogramma (ON DELETE CASCADE). Rows of
        other aggregates that reference it (interventies) make the database refuse: then
        StillReferenced, and the transaction can go on (savepoint)."""
        try:
            async with self.session.begin_nested():
                await self.session.delete(focusgebied)
        except IntegrityError as exc:
            raise StillReferenced(focusgebied.code) from exc
