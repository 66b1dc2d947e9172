from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gebieden import events
from gebieden.gemeenten.models import Gemeente, Prestatieafspraken
from gebieden.gemeenten.schemas import GemeenteInvoer, PrestatieafsprakenInvoer
from gebieden.permissions import ensure_may_manage_gemeente
from gebieden.upsert import upsert
from nplv_shared.auth import Principal
from nplv_shared.problems import NotFound


class GemeenteService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, *, offset: int, limit: int) -> tuple[list[Gemeente], int]:
        total = (await self.session.execute(select(func.count()).select_from(Gemeente))
                 ).scalar_one()
        rows = await self.session.execute(
            select(Gemeente).order_by(Gemeente.code).offset(offset).limit(limit))
        return list(rows.scalars()), total

    async def get(self, code: str) -> Gemeente:
        gemeente = await self.session.get(Gemeente, code)
        if gemeente is None:
            raise NotFound(f"Gemeente {code} hoort niet bij het programma.")
        return gemeente

    async def put(self, code: str, invoer: GemeenteInvoer, if_match: str | None) -> tuple[
            Gemeente, bool]:
        """Create or replace; returns (gemeente, created). Unchanged input writes nothing."""
        saved = await upsert(self.session,
                             await self.session.get(Gemeente, code, with_for_update=True),
                             lambda: Gemeente(code=code), {"naam": invoer.naam}, if_match)
        if saved.changed:
            event_class = (events.GemeenteAangemaakt if saved.created
                           else events.GemeenteGewijzigd)
            await events.publish(self.session, event_class(code=code, naam=saved.obj.naam),
                                 subject=f"gemeenten/{code}", key=code,
                                 sequence=saved.obj.versie)
        return saved.obj, saved.created

    async def get_prestatieafspraken(self, code: str) -> Prestatieafspraken:
        afspraken = await self.session.get(Prestatieafspraken, code)
        if afspraken is None:
            raise NotFound(f"Voor gemeente {code} zijn nog geen prestatieafspraken vastgelegd.")
        return afspraken

    async def put_prestatieafspraken(self, code: str, invoer: PrestatieafsprakenInvoer,
                                     principal: Principal, if_match: str | None,
                                     ) -> tuple[Prestatieafspraken, bool]:
        await self.get(code)
        ensure_may_manage_gemeente(principal, code)
        state = {"ondertekend_op": invoer.ondertekend_op,
                 "afspraken": [a.model_dump(mode="json") for a in
                               sorted(invoer.afspraken, key=lambda a: a.nummer)]}
        saved = await upsert(
            self.session, await self.session.get(Prestatieafspraken, code, with_for_update=True),
            lambda: Prestatieafspraken(gemeente_code=code), state, if_match)
        current = saved.obj
        if not saved.changed:
            return current, False
        event_class = (events.PrestatieafsprakenAangemaakt if saved.created
                       else events.PrestatieafsprakenGewijzigd)
        data = event_class(gemeente=code, ondertekendOp=current.ondertekend_op,
                           afspraken=current.afspraken)
        await events.publish(self.session, data, subject=f"gemeenten/{code}/prestatieafspraken",
                             key=code, sequence=current.versie)
        return current, saved.created
