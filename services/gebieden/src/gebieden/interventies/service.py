"""Use cases for interventies. Every change writes its event to the outbox in the same
transaction; the router's session dependency commits."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from gebieden import events
from gebieden.concurrency import check_if_match
from gebieden.focusgebieden.repository import FocusgebiedRepository
from gebieden.interventies.models import Interventie
from gebieden.interventies.repository import InterventieFilter, InterventieRepository
from gebieden.interventies.schemas import InterventieInvoer
from gebieden.permissions import ensure_may_own_interventie
from nplv_shared.auth import Principal
from nplv_shared.problems import BadRequest, InvalidParam, NotFound


class InterventieService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repo = InterventieRepository(session)
        self.focusgebieden = FocusgebiedRepository(session)

    async def get(self, interventie_id: uuid.UUID) -> Interventie:
        interventie = await self.repo.get(interventie_id)
        if interventie is None:
            raise NotFound(f"Interventie {interventie_id} bestaat niet.")
        return interventie

    async def list(self, filters: InterventieFilter, *, offset: int,
                   limit: int) -> tuple[list[Interventie], int]:
        return await self.repo.list(filters, offset=offset, limit=limit)

    async def create(self, invoer: InterventieInvoer, principal: Principal) -> Interventie:
        gemeente = await self._gemeente_of(invoer.focusgebied)
        eigenaar = ensure_may_own_interventie(
            principal, ministerie=_ministerie(invoer), gemeente_code=gemeente)
        interventie = Interventie(id=uuid.uuid4(), eigenaar=eigenaar, gemeente_code=gemeente)
        _apply(interventie, invoer)
        await self.repo.add(interventie)
        await self._publish(interventie, events.InterventieAangemaakt)
        return interventie

    async def replace(self, interventie_id: uuid.UUID, invoer: InterventieInvoer,
                      principal: Principal, if_match: str | None) -> Interventie:
        interventie = await self._get_for_update(interventie_id)
        self._ensure_owner(interventie, principal)
        check_if_match(if_match, interventie.versie)
        gemeente = await self._gemeente_of(invoer.focusgebied)
        ensure_may_own_interventie(principal, ministerie=_ministerie(invoer),
                                   gemeente_code=gemeente)
        interventie.gemeente_code = gemeente
        _apply(interventie, invoer)
        await self.session.flush()
        await self._publish(interventie, events.InterventieGewijzigd)
        return interventie

    async def delete(self, interventie_id: uuid.UUID, principal: Principal,
                     if_match: str | None) -> None:
        interventie = await self._get_for_update(interventie_id)
        self._ensure_owner(interventie, principal)
        check_if_match(if_match, interventie.versie)
        await self.repo.delete(interventie)
        data = events.InterventieVerwijderd(id=interventie.id,
                                            focusgebied=interventie.focusgebied_code,
                                            gemeente=interventie.gemeente_code)
        await events.publish(self.session, data, subject=f"interventies/{interventie.id}",
                             key=interventie.focusgebied_code, sequence=interventie.versie + 1)

    async def _get_for_update(self, interventie_id: uuid.UUID) -> Interventie:
        interventie = await self.repo.get(interventie_id, for_update=True)
        if interventie is None:
            raise NotFound(f"Interventie {interventie_id} bestaat niet.")
        return interventie

    @staticmethod
    def _ensure_owner(interventie: Interventie, principal: Principal) -> None:
        ensure_may_own_interventie(principal, ministerie=interventie.ministerie,
                                   gemeente_code=interventie.gemeente_code)

    async def _gemeente_of(self, focusgebied_code: str) -> str:
        focusgebied = await self.focusgebieden.get(focusgebied_code)
        if focusgebied is None:
            raise BadRequest(
                f"Focusgebied '{focusgebied_code}' bestaat niet.",
                invalid_params=[InvalidParam(name="body.focusgebied", code="unknown",
                                             reason="onbekend focusgebied")])
        return focusgebied.gemeente_code

    async def _publish(self, interventie: Interventie,
                       event_class: type[events.InterventieGegevens]) -> None:
        data = event_class(
            id=interventie.id, focusgebied=interventie.focusgebied_code,
            gemeente=interventie.gemeente_code, actielijn=interventie.actielijn,
            ministerie=interventie.ministerie, eigenaar=interventie.eigenaar,
            titel=interventie.titel, omschrijving=interventie.omschrijving,
            status=interventie.status, startdatum=interventie.startdatum,
            einddatum=interventie.einddatum, outputEenheid=interventie.output_eenheid,
            geplandeOutput=interventie.geplande_output,
            gerealiseerdeOutput=interventie.gerealiseerde_output,
            begrotingsregelId=interventie.begrotingsregel_id,
        )
        await events.publish(self.session, data, subject=f"interventies/{interventie.id}",
                             key=interventie.focusgebied_code, sequence=interventie.versie)


def _ministerie(invoer: InterventieInvoer) -> str | None:
    return invoer.ministerie.value if invoer.ministerie else None


def _apply(interventie: Interventie, invoer: InterventieInvoer) -> None:
    interventie.focusgebied_code = invoer.focusgebied
    interventie.actielijn = invoer.actielijn
    interventie.ministerie = _ministerie(invoer)
    interventie.titel = invoer.titel
    interventie.omschrijving = invoer.omschrijving
    interventie.status = invoer.status.value
    interventie.startdatum = invoer.startdatum
    interventie.einddatum = invoer.einddatum
    interventie.output_eenheid = invoer.output_eenheid
    interventie.geplande_output = invoer.geplande_output
    interventie.gerealiseerde_output = invoer.gerealiseerde_output
    interventie.begrotingsregel_id = invoer.begrotingsregel_id
