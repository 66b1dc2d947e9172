from nplv_shared.auth import Principal
from nplv_shared.problems import NotFound
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gebieden import events
from gebieden.concurrency import check_put_precondition
from gebieden.gemeenten.models import Gemeente, Prestatieafspraken
from gebieden.gemeenten.schemas import GemeenteInvoer, PrestatieafsprakenInvoer
from gebieden.permissions import ensure_may_manage_gemeente


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
        gemeente = await self.session.get(Gemeente, code, with_for_update=True)
        check_put_precondition(if_match, gemeente.versie if gemeente else None)
        created = gemeente is None
        if gemeente is None:
            gemeente = Gemeente(code=code, naam=invoer.naam)
            self.session.add(gemeente)
        elif gemeente.naam == invoer.naam:
            return gemeente, False
        gemeente.naam = invoer.naam
        await self.session.flush()
        event_class = events.GemeenteAangemaakt if created else events.GemeenteGewijzigd
        await events.publish(self.session, event_class(code=code, naam=gemeente.naam),
                             subject=f"gemeenten/{code}", key=code, sequence=gemeente.versie)
        return gemeente, created

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
        current = await self.session.get(Prestatieafspraken, code, with_for_update=True)
        check_put_precondition(if_match, current.versie if current else None)
        created = current is None
        if current is None:
            current = Prestatieafspraken(gemeente_code=code)
            self.session.add(current)
        current.ondertekend_op = invoer.ondertekend_op
        current.afspraken = [a.model_dump(mode="json") for a in
                             sorted(invoer.afspraken, key=lambda a: a.nummer)]
        await self.session.flush()
        event_class = (events.PrestatieafsprakenAangemaakt if created
                       else events.PrestatieafsprakenGewijzigd)
        data = event_class(gemeente=code, ondertekendOp=current.ondertekend_op,
                           afspraken=current.afspraken)
        await events.publish(self.session, data, subject=f"gemeenten/{code}/prestatieafspraken",
                             key=code, sequence=current.versie)
        return current, created
