"""Use cases for interventies. Every change writes its event to the outbox in the same
transaction; the caller's session dependency commits."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from gebieden import events
from gebieden.focusgebieden.service import FocusgebiedService
from gebieden.interventies.models import InterventieRecord
from gebieden.interventies.repository import InterventieRepository
from gebieden.interventies.schemas import Interventie, InterventieFilter, InterventieInvoer
from gebieden.permissions import ensure_may_own_interventie
from nplv_shared.aggregates import apply_state, state_of
from nplv_shared.auth import Principal
from nplv_shared.concurrency import check_if_match
from nplv_shared.db import SessionDep
from nplv_shared.outbox import EventPublisher, PublisherDep
from nplv_shared.problems import BadRequest, InvalidParam, NotFound


class InterventieService:
    def __init__(self, session: AsyncSession, publisher: EventPublisher) -> None:
        self.session = session
        self.publisher = publisher
        self.repo = InterventieRepository(session)
        self.focusgebieden = FocusgebiedService(session, publisher)

    async def get(self, interventie_id: uuid.UUID) -> InterventieRecord:
        interventie = await self.repo.get(interventie_id)
        if interventie is None:
            raise NotFound(f"Interventie {interventie_id} bestaat niet.")
        return interventie

    async def list(self, filters: InterventieFilter, *, offset: int,
                   limit: int) -> tuple[list[InterventieRecord], int]:
        return await self.repo.list(filters, offset=offset, limit=limit)

    async def create(self, invoer: InterventieInvoer, principal: Principal) -> InterventieRecord:
        gemeente = await self._gemeente_of(invoer.focusgebied)
        eigenaar = ensure_may_own_interventie(
            principal, ministerie=_ministerie(invoer), gemeente_code=gemeente)
        interventie = InterventieRecord(id=uuid.uuid4(), eigenaar=eigenaar, gemeente=gemeente)
        apply_state(interventie, state_of(invoer))
        await self.repo.add(interventie)
        await self._publish(interventie, events.InterventieAangemaakt)
        return interventie

    async def replace(self, interventie_id: uuid.UUID, invoer: InterventieInvoer,
                      principal: Principal, if_match: str | None) -> InterventieRecord:
        interventie = await self._get_for_update(interventie_id)
        self._ensure_owner(interventie, principal)
        check_if_match(if_match, interventie.versie)
        gemeente = await self._gemeente_of(invoer.focusgebied)
        ensure_may_own_interventie(principal, ministerie=_ministerie(invoer),
                                   gemeente_code=gemeente)
        apply_state(interventie, {**state_of(invoer), "gemeente": gemeente})
        await self.session.flush()
        await self._publish(interventie, events.InterventieGewijzigd)
        return interventie

    async def delete(self, interventie_id: uuid.UUID, principal: Principal,
                     if_match: str | None) -> None:
        interventie = await self._get_for_update(interventie_id)
        self._ensure_owner(interventie, principal)
        check_if_match(if_match, interventie.versie)
        resource = Interventie.model_validate(interventie)
        await self.repo.delete(interventie)
        await self.publisher.publish(
            self.session, events.InterventieVerwijderd.identity_of(resource),
            subject=f"interventies/{resource.id}", key=resource.focusgebied,
            sequence=resource.versie + 1)

    async def _get_for_update(self, interventie_id: uuid.UUID) -> InterventieRecord:
        interventie = await self.repo.get(interventie_id, for_update=True)
        if interventie is None:
            raise NotFound(f"Interventie {interventie_id} bestaat niet.")
        return interventie

    @staticmethod
    def _ensure_owner(interventie: InterventieRecord, principal: Principal) -> None:
        ensure_may_own_interventie(principal, ministerie=interventie.ministerie,
                                   gemeente_code=interventie.gemeente)

    async def _gemeente_of(self, focusgebied_code: str) -> str:
        gemeente = await self.focusgebieden.gemeente_of(focusgebied_code)
        if gemeente is None:
            raise BadRequest(
                f"Focusgebied '{focusgebied_code}' bestaat niet.",
                invalid_params=[InvalidParam(name="body.focusgebied", code="unknown",
                                             reason="onbekend focusgebied")])
        return gemeente

    async def _publish(self, interventie: InterventieRecord,
                       event: type[events.InterventieGegevens]) -> None:
        await self.publisher.publish(
            self.session, event.of(Interventie.model_validate(interventie)),
            subject=f"interventies/{interventie.id}", key=interventie.focusgebied,
            sequence=interventie.versie)


def _ministerie(invoer: InterventieInvoer) -> str | None:
    return invoer.ministerie.value if invoer.ministerie else None


async def interventie_service(session: SessionDep,
                              publisher: PublisherDep) -> InterventieService:
    """The dependency routers use (async: FastAPI would run a plain constructor in a thread)."""
    return InterventieService(session, publisher)
