"""Use cases of the catalogue. Every change writes its event to the outbox in the caller's
transaction."""

from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren import events
from indicatoren.indicatoren.models import IndicatorRecord, IndicatorVersieRecord
from indicatoren.indicatoren.repository import IndicatorRepository
from indicatoren.indicatoren.schemas import (
    BETEKENIS,
    Indicator,
    IndicatorFilter,
    IndicatorInvoer,
    IndicatorVersie,
)
from indicatoren.permissions import ensure_may_manage_focusgebied, ensure_programmabureau
from indicatoren.referentie.service import ReferentieService
from nplv_shared.aggregates import apply_state, state_of
from nplv_shared.auth import Principal
from nplv_shared.concurrency import check_put_precondition
from nplv_shared.db import SessionDep
from nplv_shared.outbox import EventPublisher, PublisherDep
from nplv_shared.problems import BadRequest, Conflict, InvalidParam, NotFound


def _bad(name: str, code: str, reason: str) -> BadRequest:
    return BadRequest(f"{name}: {reason}.",
                      invalid_params=[InvalidParam(name=name, code=code, reason=reason)])


def event_key(indicator: Indicator | IndicatorRecord) -> str:
    """A local indicator's focusgebied, else the fixed key of the whole programme."""
    return indicator.focusgebied or events.PROGRAMMA_KEY


class IndicatorService:
    def __init__(self, session: AsyncSession, publisher: EventPublisher) -> None:
        self.session = session
        self.publisher = publisher
        self.repo = IndicatorRepository(session)
        self.referentie = ReferentieService(session)

    async def get(self, code: str) -> IndicatorRecord:
        indicator = await self.repo.get(code)
        if indicator is None:
            raise NotFound(f"Indicator {code} bestaat niet.")
        return indicator

    async def find(self, code: str) -> Indicator | None:
        record = await self.repo.get(code)
        return Indicator.model_validate(record) if record else None

    async def catalogue(self) -> dict[str, Indicator]:
        """Every indicator, by code (a few dozen): for validating a batch of metingen."""
        return {code: Indicator.model_validate(r) for code, r in (await self.repo.all()).items()}

    async def exists(self, code: str) -> bool:
        return await self.repo.get(code) is not None

    async def search(self, filters: IndicatorFilter, *, offset: int,
                   limit: int) -> tuple[list[IndicatorRecord], int]:
        return await self.repo.search(filters, offset=offset, limit=limit)

    async def versies(self, code: str) -> list[IndicatorVersie]:
        await self.get(code)
        return [IndicatorVersie.model_validate(v) for v in await self.repo.versies(code)]

    async def put(self, code: str, invoer: IndicatorInvoer, principal: Principal,
                  if_match: str | None) -> tuple[IndicatorRecord, bool]:
        """Create or replace. A change of meaning (BETEKENIS) needs a reden and makes a new
        betekenisversie; setting status vervallen retires it."""
        current = await self.repo.get(code, for_update=True)
        focusgebied = current.focusgebied if current is not None else invoer.focusgebied
        await self._ensure_may_manage(principal, focusgebied)
        check_put_precondition(if_match, current.versie if current else None)
        if current is not None and invoer.focusgebied != current.focusgebied:
            raise _bad("body.focusgebied", "immutable",
                       f"het focusgebied van een indicator kan niet wijzigen (is "
                       f"{current.focusgebied or 'leeg: kernindicator'})")
        await self._ensure_kernindicator_free(code, invoer.kernindicator)
        state = {k: v for k, v in state_of(invoer).items() if k != "reden"}
        if current is None:
            return await self._create(code, state, invoer.reden, principal), True
        if all(getattr(current, k) == v for k, v in state.items()):
            return current, False
        new_meaning = any(getattr(current, k) != state[k] for k in BETEKENIS)
        if new_meaning and invoer.reden is None:
            raise _bad("body.reden", "missing",
                       "een betekeniswijziging (" + ", ".join(
                           k for k in BETEKENIS if getattr(current, k) != state[k])
                       + ") vraagt een reden")
        retired = state["status"] == "vervallen" and current.status != "vervallen"
        apply_state(current, state)
        if new_meaning:
            current.betekenisversie += 1
            await self.repo.add_versie(_versie_of(current, invoer.reden, principal))
        await self.session.flush()
        event: type[events.IndicatorGegevens] = (
            events.IndicatorVervallen if retired else
            events.IndicatorNieuweVersie if new_meaning else events.IndicatorGewijzigd)
        await self._publish(current, event)
        return current, False

    async def _create(self, code: str, state: dict[str, object], reden: str | None,
                      principal: Principal) -> IndicatorRecord:
        record = IndicatorRecord(code=code, eigenaar=principal.organisatie, betekenisversie=1)
        apply_state(record, state)
        await self.repo.add(record)
        await self.repo.add_versie(_versie_of(record, reden, principal))
        await self._publish(record, events.IndicatorAangemaakt)
        return record

    async def _ensure_may_manage(self, principal: Principal, focusgebied: str | None) -> None:
        if focusgebied is None:
            ensure_programmabureau(principal)
            return
        gemeente = await self.referentie.gemeente_of(focusgebied)
        if gemeente is None:
            raise _bad("body.focusgebied", "unknown", f"onbekend focusgebied '{focusgebied}'")
        ensure_may_manage_focusgebied(principal, gemeente, "lokale indicatoren")

    async def _ensure_kernindicator_free(self, code: str, nummer: int | None) -> None:
        if nummer is None:
            return
        other = await self.repo.by_kernindicator(nummer)
        if other is not None and other.code != code:
            raise Conflict(f"Kernindicator {nummer} is al indicator {other.code}.")

    async def _publish(self, record: IndicatorRecord,
                       event: type[events.IndicatorGegevens]) -> None:
        await self.publisher.publish(
            self.session, event.of(Indicator.model_validate(record)),
            subject=f"indicatoren/{record.code}", key=event_key(record),
            sequence=record.versie)


def _versie_of(record: IndicatorRecord, reden: str | None,
               principal: Principal) -> IndicatorVersieRecord:
    return IndicatorVersieRecord(
        indicator=record.code, betekenisversie=record.betekenisversie,
        omschrijving=record.omschrijving, reden=reden, vastgesteld_door=principal.client_id,
        **{k: getattr(record, k) for k in BETEKENIS})


async def indicator_service(session: SessionDep, publisher: PublisherDep) -> IndicatorService:
    """The dependency routers use (async: FastAPI would run a plain constructor in a thread)."""
    return IndicatorService(session, publisher)
