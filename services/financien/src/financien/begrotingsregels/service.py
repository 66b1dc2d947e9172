"""Use cases for begrotingsregels: loading the chapter-7 table, revisions, the approval of money
on the aanvullende post, actielijn shares. Every change writes its event to the outbox in the
same transaction; the caller's session dependency commits."""


from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from financien import events
from financien.begrotingsregels.models import BegrotingsregelRecord, RevisieRecord
from financien.begrotingsregels.repository import BegrotingsregelRepository
from financien.begrotingsregels.schemas import (
    ActielijnverdelingInvoer,
    Begrotingsregel,
    GoedkeuringInvoer,
    RegelFilter,
    RevisieInvoer,
)
from financien.codes import JAREN, Goedkeuringsstatus
from financien.permissions import (
    ensure_financien,
    ensure_loader,
    ensure_ministerie_of,
    ensure_programmabureau,
)
from nplv_shared.auth import Principal
from nplv_shared.concurrency import check_if_match
from nplv_shared.db import SessionDep
from nplv_shared.outbox import EventPublisher, PublisherDep
from nplv_shared.problems import BadRequest, Conflict, InvalidParam, NotFound

BEDRAG_KOLOMMEN = (*(f"bedrag_{jaar}" for jaar in JAREN), "structureel")


class BegrotingsregelService:
    def __init__(self, session: AsyncSession, publisher: EventPublisher) -> None:
        self.session = session
        self.publisher = publisher
        self.repo = BegrotingsregelRepository(session)

    async def get(self, code: str) -> BegrotingsregelRecord:
        regel = await self.repo.get(code)
        if regel is None:
            raise NotFound(f"Begrotingsregel {code} bestaat niet.")
        return regel

    async def exists(self, code: str) -> bool:
        return await self.repo.get(code) is not None

    async def all(self) -> list[BegrotingsregelRecord]:
        return await self.repo.all()

    async def zoek(self, filters: RegelFilter, *, offset: int,
                   limit: int) -> tuple[list[BegrotingsregelRecord], int]:
        return await self.repo.zoek(filters, offset=offset, limit=limit)

    async def lock_for_body(self, code: str, field: str) -> BegrotingsregelRecord:
        """The line named in a request body, locked (FOR UPDATE) until the transaction ends;
        an unknown line is a 400 naming the field."""
        regel = await self.repo.get(code, for_update=True)
        if regel is None:
            raise BadRequest(f"Begrotingsregel '{code}' bestaat niet.", invalid_params=[
                InvalidParam(name=field, code="unknown", reason="onbekende begrotingsregel")])
        return regel

    async def revisies(self, code: str, *, offset: int,
                       limit: int) -> tuple[list[RevisieRecord], int]:
        await self.get(code)
        return await self.repo.revisies(code, offset=offset, limit=limit)

    async def load(self, item: dict[str, Any], bedragen: dict[str, Decimal | None],
                   principal: Principal, *, volgorde: int, datum: date) -> bool:
        """Create a line from the document with its revision 0 (the original), unless it
        exists. Returns whether it was created."""
        ensure_loader(principal)
        if await self.repo.get(item["code"]) is not None:
            return False
        regel = BegrotingsregelRecord(
            code=item["code"], kop=item["kop"], ministerie=item["ministerie"],
            instrument=item["instrument"], label=item["label"], toelichting=item["toelichting"],
            specifiek_voor_focusgebieden=item["specifiekVoorFocusgebieden"], volgorde=volgorde,
            revisie=0, aanvullende_post=False,
            actielijnen=[{"actielijn": a["actielijn"],
                          "percentage": f"{Decimal(a['percentage']):.2f}"}
                         for a in item["actielijnen"]],
            **bedragen)
        revisie = RevisieRecord(
            begrotingsregel=regel.code, nummer=0, aanvullende_post=False, datum=datum,
            door=principal.organisatie, **bedragen,
            reden="Origineel: tabel 'Uitgaven in miljoen' in hoofdstuk 7 van het programma")
        await self.repo.add(regel, revisie)
        await self._publish(regel, events.BegrotingsregelAangemaakt)
        return True

    async def revise(self, code: str, invoer: RevisieInvoer,
                     principal: Principal) -> tuple[BegrotingsregelRecord, RevisieRecord]:
        """A new revision: the line's current amounts change, the earlier revisions stay.
        An amount below what is already allocated to focusgebieden that year is refused (409):
        the line is locked first, as toekenningen lock it, so the two cannot interleave."""
        regel = await self.repo.get(code, for_update=True)
        if regel is None:
            raise NotFound(f"Begrotingsregel {code} bestaat niet.")
        ensure_ministerie_of(principal, regel.ministerie)
        allocated = await self.repo.toegekend_per_jaar(code)
        state = {k: getattr(regel, k) for k in BEDRAG_KOLOMMEN}
        for item in invoer.bedragen:
            state[f"bedrag_{item.jaar}"] = item.bedrag
        if "structureel" in invoer.model_fields_set:
            state["structureel"] = invoer.structureel
        for jaar, toegekend in sorted(allocated.items()):
            nieuw = state[f"bedrag_{jaar}"] or Decimal("0.00")
            if toegekend > nieuw:
                raise Conflict(
                    f"Voor {jaar} is al {toegekend:.2f} euro toegekend; het nieuwe bedrag "
                    f"{nieuw:.2f} is {toegekend - nieuw:.2f} euro te laag.")
        aanvullende_post = regel.aanvullende_post if invoer.aanvullende_post is None \
            else invoer.aanvullende_post
        if aanvullende_post and not regel.aanvullende_post:
            regel.goedkeuring_status = Goedkeuringsstatus.AANGEVRAAGD.value
            regel.goedkeuring_datum = regel.goedkeuring_referentie = None
        elif not aanvullende_post:
            regel.goedkeuring_status = None
            regel.goedkeuring_datum = regel.goedkeuring_referentie = None
        regel.aanvullende_post = aanvullende_post
        regel.revisie += 1
        for key, value in state.items():
            setattr(regel, key, value)
        revisie = RevisieRecord(begrotingsregel=code, nummer=regel.revisie,
                                aanvullende_post=aanvullende_post, reden=invoer.reden,
                                datum=invoer.datum, door=principal.organisatie, **state)
        await self.session.flush()
        await self.repo.add_revisie(revisie)
        await self._publish(regel, events.BegrotingsregelGewijzigd)
        return regel, revisie

    async def replace_goedkeuring(self, code: str, invoer: GoedkeuringInvoer,
                                  principal: Principal,
                                  if_match: str | None) -> BegrotingsregelRecord:
        ensure_financien(principal)
        regel = await self.repo.get(code, for_update=True)
        if regel is None:
            raise NotFound(f"Begrotingsregel {code} bestaat niet.")
        check_if_match(if_match, regel.versie)
        if not regel.aanvullende_post:
            raise Conflict(f"Begrotingsregel {code} staat niet op de aanvullende post; er is "
                           "niets goed te keuren.")
        state = (invoer.status.value, invoer.datum, invoer.referentie)
        if state == (regel.goedkeuring_status, regel.goedkeuring_datum,
                     regel.goedkeuring_referentie):
            return regel  # unchanged: no write, no event
        regel.goedkeuring_status, regel.goedkeuring_datum, regel.goedkeuring_referentie = state
        await self.session.flush()
        await self._publish(regel, events.BegrotingsregelGewijzigd)
        return regel

    async def replace_actielijnen(self, code: str, invoer: ActielijnverdelingInvoer,
                                  principal: Principal,
                                  if_match: str | None) -> BegrotingsregelRecord:
        ensure_programmabureau(principal)
        regel = await self.repo.get(code, for_update=True)
        if regel is None:
            raise NotFound(f"Begrotingsregel {code} bestaat niet.")
        check_if_match(if_match, regel.versie)
        aandelen = [{"actielijn": a.actielijn, "percentage": str(a.percentage)}
                    for a in sorted(invoer.aandelen, key=lambda a: a.actielijn)]
        if aandelen == regel.actielijnen:
            return regel
        regel.actielijnen = aandelen
        await self.session.flush()
        await self._publish(regel, events.BegrotingsregelGewijzigd)
        return regel

    async def _publish(self, regel: BegrotingsregelRecord,
                       event: type[events.BegrotingsregelGegevens]) -> None:
        await self.publisher.publish(
            self.session, event.of(Begrotingsregel.model_validate(regel)),
            subject=f"begrotingsregels/{regel.code}", key=events.PROGRAMMA,
            sequence=regel.versie)


async def begrotingsregel_service(session: SessionDep,
                                  publisher: PublisherDep) -> BegrotingsregelService:
    """The dependency routers use (async: FastAPI would run a plain constructor in a thread)."""
    return BegrotingsregelService(session, publisher)
