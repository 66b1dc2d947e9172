"""Use cases for interventies. Every change writes its event to the outbox in the same
transaction; the caller's session dependency commits."""

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from gebieden import events
from gebieden.focusgebieden.service import FocusgebiedService
from gebieden.interventies.models import InterventieRecord
from gebieden.interventies.repository import InterventieRepository
from gebieden.interventies.schemas import (
    Interventie,
    InterventieFilter,
    InterventieImportRij,
    InterventieInvoer,
)
from gebieden.permissions import ensure_may_own_interventie
from nplv_shared.aggregates import apply_state, state_of
from nplv_shared.auth import Principal
from nplv_shared.concurrency import check_if_match
from nplv_shared.db import SessionDep
from nplv_shared.importformats import RowError
from nplv_shared.imports import Telling, coerce_text_row, row_errors, session_traceparent
from nplv_shared.outbox import EventPublisher, PublisherDep, Uitgaand
from nplv_shared.problems import BadRequest, Forbidden, InvalidParam, NotFound


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


class InterventieImporter:
    """The sync of a ministry's (or gemeente's) interventies from its own system: rows keyed
    by `bronsysteem` + `bronId`, unique per owner, so sending the same file again changes
    nothing. Each row obeys the rules of a single write (schema, known focusgebied, who may
    own it); a row that breaks one is refused with its reason."""

    soort = "interventies"

    def __init__(self, publisher: EventPublisher) -> None:
        self.publisher = publisher

    async def import_chunk(self, session: AsyncSession, rows: list[tuple[int, dict[str, Any]]],
                           principal: Principal, *, write: bool) -> tuple[Telling, list[RowError]]:
        errors: list[RowError] = []
        valid: list[tuple[int, InterventieImportRij]] = []
        for number, fields in rows:
            try:
                valid.append((number, InterventieImportRij.model_validate(
                    coerce_text_row(InterventieImportRij, fields))))
            except ValidationError as exc:
                errors.extend(row_errors(number, exc))
        gemeenten = await FocusgebiedService(session, self.publisher).gemeenten_of(
            {rij.focusgebied for _, rij in valid})
        prepared: list[dict[str, Any]] = []
        seen: dict[tuple[str, str, str], int] = {}
        for number, rij in valid:
            gemeente = gemeenten.get(rij.focusgebied)
            if gemeente is None:
                errors.append(RowError(number, "focusgebied",
                                       f"focusgebied '{rij.focusgebied}' bestaat niet"))
                continue
            try:
                eigenaar = ensure_may_own_interventie(principal, ministerie=_ministerie(rij),
                                                      gemeente_code=gemeente)
            except Forbidden as exc:
                errors.append(RowError(number, "ministerie", exc.detail, code="forbidden"))
                continue
            key = (eigenaar, rij.bronsysteem, rij.bron_id)
            if key in seen:
                errors.append(RowError(number, "bronId", f"bronId '{rij.bron_id}' staat al in "
                                                         f"rij {seen[key]} van dit bestand"))
                continue
            seen[key] = number
            state = state_of(rij)
            prepared.append({**state, "eigenaar": eigenaar, "gemeente_code": gemeente,
                             "focusgebied_code": rij.focusgebied})
        if not write or not prepared:
            return Telling(), errors
        changed = await InterventieRepository(session).sync(prepared)
        await self.publisher.publish_many(session, [
            Uitgaand(data=(events.InterventieAangemaakt if row.aangemaakt
                           else events.InterventieGewijzigd).of(Interventie.model_validate(row)),
                     subject=f"interventies/{row.id}", key=row.focusgebied, sequence=row.versie)
            for row in changed], traceparent=session_traceparent(session))
        created = sum(1 for row in changed if row.aangemaakt)
        return Telling(aangemaakt=created, bijgewerkt=len(changed) - created,
                       ongewijzigd=len(prepared) - len(changed)), errors


def _ministerie(invoer: InterventieInvoer) -> str | None:
    return invoer.ministerie.value if invoer.ministerie else None


async def interventie_service(session: SessionDep,
                              publisher: PublisherDep) -> InterventieService:
    """The dependency routers use (async: FastAPI would run a plain constructor in a thread)."""
    return InterventieService(session, publisher)
