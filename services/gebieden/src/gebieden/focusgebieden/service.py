"""Use cases for focusgebieden and their alliantie and uitvoeringsprogramma. Every change writes
its event to the outbox in the caller's transaction."""

from sqlalchemy.ext.asyncio import AsyncSession

from gebieden import events
from gebieden.focusgebieden.models import (
    AlliantieRecord,
    FocusgebiedRecord,
    UitvoeringsprogrammaRecord,
)
from gebieden.focusgebieden.repository import FocusgebiedRepository, StillReferenced
from gebieden.focusgebieden.schemas import (
    Alliantie,
    AlliantieInvoer,
    Focusgebied,
    FocusgebiedInvoer,
    Uitvoeringsprogramma,
    UitvoeringsprogrammaInvoer,
)
from gebieden.gemeenten.service import GemeenteService
from gebieden.permissions import ensure_may_manage_gemeente, ensure_programmabureau
from nplv_shared.aggregates import state_of, upsert
from nplv_shared.auth import Principal
from nplv_shared.concurrency import check_if_match
from nplv_shared.db import SessionDep
from nplv_shared.outbox import EventPublisher, PublisherDep
from nplv_shared.problems import BadRequest, Conflict, InvalidParam, NotFound


class FocusgebiedService:
    def __init__(self, session: AsyncSession, publisher: EventPublisher) -> None:
        self.session = session
        self.publisher = publisher
        self.repo = FocusgebiedRepository(session)
        self.gemeenten = GemeenteService(session, publisher)

    async def list(self, *, gemeente: str | None, offset: int,
                   limit: int) -> tuple[list[FocusgebiedRecord], int]:
        return await self.repo.list(gemeente=gemeente, offset=offset, limit=limit)

    async def get(self, code: str) -> FocusgebiedRecord:
        focusgebied = await self.repo.get(code)
        if focusgebied is None:
            raise NotFound(f"Focusgebied {code} bestaat niet.")
        return focusgebied

    async def gemeente_of(self, code: str) -> str | None:
        """The gemeente of an existing focusgebied, or None."""
        focusgebied = await self.repo.get(code)
        return focusgebied.gemeente if focusgebied else None

    async def gemeenten_of(self, codes: set[str]) -> dict[str, str]:
        """The gemeente of each existing focusgebied among `codes` (kept from deletion until
        the transaction ends)."""
        return await self.repo.gemeenten_of(codes)

    async def put(self, code: str, invoer: FocusgebiedInvoer, principal: Principal,
                  if_match: str | None) -> tuple[FocusgebiedRecord, bool]:
        ensure_programmabureau(principal)
        if not await self.gemeenten.exists(invoer.gemeente):
            raise BadRequest(f"Gemeente {invoer.gemeente} hoort niet bij het programma.",
                             invalid_params=[InvalidParam(name="body.gemeente", code="unknown",
                                                          reason="onbekende gemeente")])
        saved = await upsert(self.session, await self.repo.get(code, for_update=True),
                             lambda: FocusgebiedRecord(code=code), state_of(invoer), if_match)
        await self.publisher.publish_saved(
            self.session, saved, Focusgebied, events.FocusgebiedAangemaakt,
            events.FocusgebiedGewijzigd, subject=f"focusgebieden/{code}", key=code)
        return saved.obj, saved.created

    async def delete(self, code: str, principal: Principal, if_match: str | None) -> None:
        ensure_programmabureau(principal)
        focusgebied = await self.repo.get(code, for_update=True)
        if focusgebied is None:
            raise NotFound(f"Focusgebied {code} bestaat niet.")
        check_if_match(if_match, focusgebied.versie)
        resource = Focusgebied.model_validate(focusgebied)
        try:
            await self.repo.delete(focusgebied)
        except StillReferenced:
            raise Conflict(f"Focusgebied {code} heeft nog interventies; verwijder die "
                           "eerst.") from None
        await self.publisher.publish(
            self.session, events.FocusgebiedVerwijderd.identity_of(resource),
            subject=f"focusgebieden/{code}", key=code, sequence=resource.versie + 1)

    async def get_alliantie(self, code: str) -> AlliantieRecord:
        await self.get(code)
        alliantie = await self.repo.alliantie(code)
        if alliantie is None:
            raise NotFound(f"Voor focusgebied {code} is nog geen alliantie vastgelegd.")
        return alliantie

    async def put_alliantie(self, code: str, invoer: AlliantieInvoer, principal: Principal,
                            if_match: str | None) -> tuple[AlliantieRecord, bool]:
        focusgebied = await self.get(code)
        ensure_may_manage_gemeente(principal, focusgebied.gemeente)
        saved = await upsert(self.session, await self.repo.alliantie(code, for_update=True),
                             lambda: AlliantieRecord(focusgebied=code), state_of(invoer),
                             if_match)
        await self.publisher.publish_saved(
            self.session, saved, Alliantie, events.AlliantieAangemaakt,
            events.AlliantieGewijzigd, subject=f"focusgebieden/{code}/alliantie", key=code)
        return saved.obj, saved.created

    async def get_uitvoeringsprogramma(self, code: str) -> UitvoeringsprogrammaRecord:
        await self.get(code)
        programma = await self.repo.uitvoeringsprogramma(code)
        if programma is None:
            raise NotFound(f"Voor focusgebied {code} is nog geen uitvoeringsprogramma vastgelegd.")
        return programma

    async def put_uitvoeringsprogramma(self, code: str, invoer: UitvoeringsprogrammaInvoer,
                                       principal: Principal, if_match: str | None,
                                       ) -> tuple[UitvoeringsprogrammaRecord, bool]:
        focusgebied = await self.get(code)
        ensure_may_manage_gemeente(principal, focusgebied.gemeente)
        saved = await upsert(self.session,
                             await self.repo.uitvoeringsprogramma(code, for_update=True),
                             lambda: UitvoeringsprogrammaRecord(focusgebied=code),
                             state_of(invoer), if_match)
        await self.publisher.publish_saved(
            self.session, saved, Uitvoeringsprogramma, events.UitvoeringsprogrammaAangemaakt,
            events.UitvoeringsprogrammaGewijzigd,
            subject=f"focusgebieden/{code}/uitvoeringsprogramma", key=code)
        return saved.obj, saved.created


async def focusgebied_service(session: SessionDep,
                              publisher: PublisherDep) -> FocusgebiedService:
    """The dependency routers use (async: FastAPI would run a plain constructor in a thread)."""
    return FocusgebiedService(session, publisher)
