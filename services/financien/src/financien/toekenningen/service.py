"""Use cases for toekenningen and realisaties. The money rules are checked under row locks:

- a toekenning locks its begrotingsregel (SELECT … FOR UPDATE) before it sums what is already
  allocated for that year, so two concurrent toekenningen on one line are serialised and cannot
  together exceed the line's amount;
- a realisatie locks its toekenning before it sums what is already realised.
Lock order is always line → toekenning, so the two never deadlock each other."""


import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from financien import events, referentie
from financien.begrotingsregels.service import BegrotingsregelService
from financien.codes import Goedkeuringsstatus
from financien.permissions import ensure_may_realise, ensure_ministerie_of
from financien.toekenningen.models import RealisatieRecord, ToekenningRecord
from financien.toekenningen.repository import NUL, ToekenningRepository
from financien.toekenningen.schemas import (
    Realisatie,
    RealisatieFilter,
    RealisatieInvoer,
    Toekenning,
    ToekenningFilter,
    ToekenningInvoer,
)
from nplv_shared.aggregates import apply_state, state_of
from nplv_shared.auth import Principal
from nplv_shared.concurrency import check_if_match
from nplv_shared.db import SessionDep
from nplv_shared.outbox import EventPublisher, PublisherDep
from nplv_shared.problems import BadRequest, Conflict, InvalidParam, NotFound


class ToekenningService:
    def __init__(self, session: AsyncSession, publisher: EventPublisher) -> None:
        self.session = session
        self.publisher = publisher
        self.repo = ToekenningRepository(session)
        self.regels = BegrotingsregelService(session, publisher)

    async def get(self, toekenning_id: uuid.UUID) -> ToekenningRecord:
        toekenning = await self.repo.get(toekenning_id)
        if toekenning is None:
            raise NotFound(f"Toekenning {toekenning_id} bestaat niet.")
        return toekenning

    async def zoek(self, filters: ToekenningFilter, *, offset: int,
                   limit: int) -> tuple[list[ToekenningRecord], int]:
        return await self.repo.zoek(filters, offset=offset, limit=limit)

    async def create(self, invoer: ToekenningInvoer, principal: Principal, *,
                     toekenning_id: uuid.UUID | None = None) -> ToekenningRecord:
        regel = await self.regels.lock_for_body(invoer.begrotingsregel, "body.begrotingsregel")
        ensure_ministerie_of(principal, regel.ministerie)
        gemeente = referentie.gemeente_of(invoer.focusgebied)
        await self._check_within_line(invoer, behalve=None)
        toekenning = ToekenningRecord(id=toekenning_id or uuid.uuid4(), gemeente=gemeente,
                                      ministerie=regel.ministerie)
        apply_state(toekenning, state_of(invoer))
        await self.repo.add(toekenning)
        await self._publish(toekenning, events.ToekenningAangemaakt)
        return toekenning

    async def replace(self, toekenning_id: uuid.UUID, invoer: ToekenningInvoer,
                      principal: Principal, if_match: str | None) -> ToekenningRecord:
        current = await self.get(toekenning_id)
        regel = await self.regels.lock_for_body(current.begrotingsregel, "path.toekenningId")
        toekenning = await self.repo.get(toekenning_id, for_update=True)
        if toekenning is None:
            raise NotFound(f"Toekenning {toekenning_id} bestaat niet.")
        ensure_ministerie_of(principal, regel.ministerie)
        check_if_match(if_match, toekenning.versie)
        referentie.gemeente_of(invoer.focusgebied)
        same = (invoer.begrotingsregel, invoer.focusgebied, invoer.jaar) == (
            toekenning.begrotingsregel, toekenning.focusgebied, toekenning.jaar)
        if not same:
            raise Conflict("Begrotingsregel, focusgebied en jaar van een toekenning liggen vast; "
                           "maak een nieuwe toekenning.")
        if all(getattr(toekenning, k) == v for k, v in state_of(invoer).items()):
            return toekenning  # unchanged: no write, no event
        gerealiseerd = await self.repo.gerealiseerd(toekenning.id)
        hoogste = max(gerealiseerd.values(), default=NUL)
        if invoer.bedrag < hoogste:
            raise Conflict(f"Op deze toekenning is al {hoogste:.2f} euro gerealiseerd; het "
                           f"nieuwe bedrag is {hoogste - invoer.bedrag:.2f} euro te laag.")
        await self._check_within_line(invoer, behalve=toekenning.id)
        apply_state(toekenning, state_of(invoer))
        await self.session.flush()
        await self._publish(toekenning, events.ToekenningGewijzigd)
        return toekenning

    async def _check_within_line(self, invoer: ToekenningInvoer, *,
                                 behalve: uuid.UUID | None) -> None:
        """Called with the line locked."""
        regel = await self.regels.get(invoer.begrotingsregel)
        beschikbaar = regel.bedrag(invoer.jaar)
        toegekend = await self.repo.toegekend(invoer.begrotingsregel, invoer.jaar,
                                              behalve=behalve)
        if beschikbaar is None:
            raise Conflict(
                f"Begrotingsregel {regel.code} heeft voor {invoer.jaar} geen bedrag (lege cel "
                f"in de tabel); de toekenning overschrijdt dat met {invoer.bedrag:.2f} euro.")
        over = toegekend + invoer.bedrag - beschikbaar
        if over > 0:
            raise Conflict(
                f"De toekenning overschrijdt het bedrag van begrotingsregel {regel.code} voor "
                f"{invoer.jaar} met {over:.2f} euro (regel {beschikbaar:.2f}, al toegekend "
                f"{toegekend:.2f}, nog beschikbaar {beschikbaar - toegekend:.2f}, gevraagd "
                f"{invoer.bedrag:.2f}).")

    # --- realisaties -------------------------------------------------------------------------
    async def get_realisatie(self, realisatie_id: uuid.UUID) -> RealisatieRecord:
        realisatie = await self.repo.get_realisatie(realisatie_id)
        if realisatie is None:
            raise NotFound(f"Realisatie {realisatie_id} bestaat niet.")
        return realisatie

    async def list_realisaties(self, filters: RealisatieFilter, *, offset: int,
                               limit: int) -> tuple[list[RealisatieRecord], int]:
        return await self.repo.list_realisaties(filters, offset=offset, limit=limit)

    async def create_realisatie(self, invoer: RealisatieInvoer,
                                principal: Principal) -> RealisatieRecord:
        toekenning = await self.repo.get(invoer.toekenning, for_update=True)
        if toekenning is None:
            raise BadRequest(f"Toekenning {invoer.toekenning} bestaat niet.", invalid_params=[
                InvalidParam(name="body.toekenning", code="unknown",
                             reason="onbekende toekenning")])
        ensure_may_realise(principal, ministerie=toekenning.ministerie,
                           gemeente=toekenning.gemeente)
        regel = await self.regels.get(toekenning.begrotingsregel)
        if regel.aanvullende_post and regel.goedkeuring_status != Goedkeuringsstatus.GOEDGEKEURD:
            raise Conflict(f"Het geld van begrotingsregel {regel.code} staat op de aanvullende "
                           "post en is nog niet door Financiën goedgekeurd "
                           f"(status: {regel.goedkeuring_status}).")
        al = (await self.repo.gerealiseerd(toekenning.id)).get(invoer.soort.value, NUL)
        over = al + invoer.bedrag - toekenning.bedrag
        if over > 0 and not invoer.overschrijding:
            raise Conflict(
                f"Deze {invoer.soort.value} overschrijdt de toekenning met {over:.2f} euro "
                f"(toekenning {toekenning.bedrag:.2f}, al {al:.2f}, gevraagd "
                f"{invoer.bedrag:.2f}); markeer haar als overschrijding met een reden.")
        realisatie = RealisatieRecord(
            id=uuid.uuid4(), begrotingsregel=toekenning.begrotingsregel,
            focusgebied=toekenning.focusgebied, gemeente=toekenning.gemeente,
            jaar=toekenning.jaar, vastgelegd_door=principal.organisatie)
        apply_state(realisatie, state_of(invoer))
        await self.repo.add(realisatie)
        await self.publisher.publish(
            self.session, events.RealisatieAangemaakt.of(Realisatie.model_validate(realisatie)),
            subject=f"realisaties/{realisatie.id}", key=realisatie.focusgebied,
            sequence=realisatie.versie)
        return realisatie

    async def sommen(self, focusgebied: str | None = None) -> list[dict[str, Any]]:
        return await self.repo.sommen(focusgebied)

    async def _publish(self, toekenning: ToekenningRecord,
                       event: type[events.ToekenningGegevens]) -> None:
        await self.publisher.publish(
            self.session, event.of(Toekenning.model_validate(toekenning)),
            subject=f"toekenningen/{toekenning.id}", key=toekenning.focusgebied,
            sequence=toekenning.versie)


async def toekenning_service(session: SessionDep, publisher: PublisherDep) -> ToekenningService:
    """The dependency routers use (async: FastAPI would run a plain constructor in a thread)."""
    return ToekenningService(session, publisher)
