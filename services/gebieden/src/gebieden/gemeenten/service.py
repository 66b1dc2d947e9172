"""Use cases for gemeenten and their prestatieafspraken. Every change writes its event to the
outbox in the caller's transaction."""

from sqlalchemy.ext.asyncio import AsyncSession

from gebieden import events
from gebieden.gemeenten.models import GemeenteRecord, PrestatieafsprakenRecord
from gebieden.gemeenten.repository import GemeenteRepository
from gebieden.gemeenten.schemas import (
    Gemeente,
    GemeenteInvoer,
    Prestatieafspraken,
    PrestatieafsprakenInvoer,
)
from gebieden.permissions import ensure_may_manage_gemeente, ensure_programmabureau
from nplv_shared.aggregates import state_of, upsert
from nplv_shared.auth import Principal
from nplv_shared.db import SessionDep
from nplv_shared.outbox import EventPublisher, PublisherDep
from nplv_shared.problems import NotFound


class GemeenteService:
    def __init__(self, session: AsyncSession, publisher: EventPublisher) -> None:
        self.repo = GemeenteRepository(session)
        self.session = session
        self.publisher = publisher

    async def list(self, *, offset: int, limit: int) -> tuple[list[GemeenteRecord], int]:
        return await self.repo.list(offset=offset, limit=limit)

    async def get(self, code: str) -> GemeenteRecord:
        gemeente = await self.repo.get(code)
        if gemeente is None:
            raise NotFound(f"Gemeente {code} hoort niet bij het programma.")
        return gemeente

    async def exists(self, code: str) -> bool:
        return await self.repo.get(code) is not None

    async def put(self, code: str, invoer: GemeenteInvoer, principal: Principal,
                  if_match: str | None) -> tuple[GemeenteRecord, bool]:
        """Create or replace; returns (gemeente, created). Unchanged input writes nothing."""
        ensure_programmabureau(principal)
        saved = await upsert(self.session, await self.repo.get(code, for_update=True),
                             lambda: GemeenteRecord(code=code), state_of(invoer), if_match)
        await self.publisher.publish_saved(
            self.session, saved, Gemeente, events.GemeenteAangemaakt, events.GemeenteGewijzigd,
            subject=f"gemeenten/{code}", key=code)
        return saved.obj, saved.created

    async def get_prestatieafspraken(self, code: str) -> PrestatieafsprakenRecord:
        afspraken = await self.repo.prestatieafspraken(code)
        if afspraken is None:
            raise NotFound(f"Voor gemeente {code} zijn nog geen prestatieafspraken vastgelegd.")
        return afspraken

    async def put_prestatieafspraken(self, code: str, invoer: PrestatieafsprakenInvoer,
                                     principal: Principal, if_match: str | None,
                                     ) -> tuple[PrestatieafsprakenRecord, bool]:
        await self.get(code)
        ensure_may_manage_gemeente(principal, code)
        saved = await upsert(self.session,
                             await self.repo.prestatieafspraken(code, for_update=True),
                             lambda: PrestatieafsprakenRecord(gemeente=code), state_of(invoer),
                             if_match)
        await self.publisher.publish_saved(
            self.session, saved, Prestatieafspraken, events.PrestatieafsprakenAangemaakt,
            events.PrestatieafsprakenGewijzigd, subject=f"gemeenten/{code}/prestatieafspraken",
            key=code)
        return saved.obj, saved.created


async def gemeente_service(session: SessionDep,
                           publisher: PublisherDep) -> GemeenteService:
    """The dependency routers use (async: FastAPI would run a plain constructor in a thread)."""
    return GemeenteService(session, publisher)
