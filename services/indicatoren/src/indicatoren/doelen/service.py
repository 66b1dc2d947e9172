"""Use cases of nulmetingen and streefwaarden per focusgebied × indicator. Setting one the first
time publishes `...vastgelegd`; a revision needs If-Match, a reden and a besluit, keeps the
original value (`oorspronkelijkeWaarde`) and a `doel_revisie` row, and publishes
`...herzien` with the previous value."""

from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren import events, perioden
from indicatoren.doelen.models import DoelRevisieRecord, NulmetingRecord, StreefwaardeRecord
from indicatoren.doelen.repository import DoelRepository
from indicatoren.doelen.schemas import (
    DoelRevisie,
    Nulmeting,
    NulmetingInvoer,
    Streefwaarde,
    StreefwaardeInvoer,
)
from indicatoren.indicatoren.schemas import Indicator
from indicatoren.indicatoren.service import IndicatorService
from indicatoren.metingen.validatie import range_refusal
from indicatoren.permissions import ensure_may_manage_focusgebied
from indicatoren.referentie.service import ReferentieService
from nplv_shared.auth import Principal
from nplv_shared.concurrency import check_put_precondition
from nplv_shared.db import SessionDep
from nplv_shared.events import VERSION_FIELDS
from nplv_shared.outbox import EventPublisher, PublisherDep
from nplv_shared.problems import BadRequest, InvalidParam, NotFound


class DoelService:
    def __init__(self, session: AsyncSession, publisher: EventPublisher) -> None:
        self.session = session
        self.publisher = publisher
        self.repo = DoelRepository(session)
        self.indicatoren = IndicatorService(session, publisher)
        self.referentie = ReferentieService(session)

    async def pair(self, focusgebied: str, indicator: str) -> tuple[str, Indicator]:
        """(the focusgebied's gemeente, the indicator), or 404; 400 when the indicator is a
        local indicator of another focusgebied."""
        gemeente = await self.referentie.gemeente_of(focusgebied)
        if gemeente is None:
            raise NotFound(f"Focusgebied {focusgebied} bestaat niet.")
        found = await self.indicatoren.find(indicator)
        if found is None:
            raise NotFound(f"Indicator {indicator} bestaat niet.")
        if found.focusgebied is not None and found.focusgebied != focusgebied:
            raise BadRequest(f"Indicator {indicator} is een lokale indicator van "
                             f"{found.focusgebied}.", invalid_params=[InvalidParam(
                                 name="path.indicatorCode", code="out_of_range",
                                 reason=f"lokale indicator van {found.focusgebied}")])
        return gemeente, found

    async def get_nulmeting(self, focusgebied: str, indicator: str) -> NulmetingRecord:
        await self.pair(focusgebied, indicator)
        record = await self.repo.nulmeting(focusgebied, indicator)
        if record is None:
            raise NotFound(f"Voor {indicator} in {focusgebied} is nog geen nulmeting "
                           "vastgelegd.")
        return record

    async def find_nulmeting(self, focusgebied: str, indicator: str) -> Nulmeting | None:
        record = await self.repo.nulmeting(focusgebied, indicator)
        return Nulmeting.model_validate(record) if record else None

    async def get_streefwaarde(self, focusgebied: str, indicator: str,
                               doelperiode: str) -> StreefwaardeRecord:
        await self.pair(focusgebied, indicator)
        record = await self.repo.streefwaarde(focusgebied, indicator, _canonical(doelperiode))
        if record is None:
            raise NotFound(f"Voor {indicator} in {focusgebied} is geen streefwaarde voor "
                           f"{doelperiode} vastgelegd.")
        return record

    async def streefwaarden(self, focusgebied: str, indicator: str) -> list[Streefwaarde]:
        return [Streefwaarde.model_validate(r)
                for r in await self.repo.streefwaarden(focusgebied, indicator)]

    async def revisies(self, focusgebied: str, indicator: str) -> list[DoelRevisie]:
        await self.pair(focusgebied, indicator)
        return [DoelRevisie.model_validate(r)
                for r in await self.repo.revisies(focusgebied, indicator)]

    async def put_nulmeting(self, focusgebied: str, indicator_code: str,
                            invoer: NulmetingInvoer, principal: Principal,
                            if_match: str | None) -> tuple[NulmetingRecord, bool]:
        gemeente, indicator = await self.pair(focusgebied, indicator_code)
        ensure_may_manage_focusgebied(principal, gemeente, "nulmetingen")
        errors = _value_errors(invoer.waarde, indicator)
        periode = _period(invoer.periode, "body.periode", errors)
        if periode is not None and periode.type.value != indicator.periodetype:
            errors.append(InvalidParam(
                name="body.periode", code="wrong_period_type",
                reason=f"periode {periode.id} is een {periode.type.value}; indicator "
                       f"'{indicator.code}' wordt gemeten per {indicator.periodetype}"))
        current = await self.repo.nulmeting(focusgebied, indicator_code, for_update=True)
        _refuse(errors, current is None and indicator.status == "vervallen", indicator)
        check_put_precondition(if_match, current.versie if current else None)
        assert periode is not None
        if current is None:
            record = NulmetingRecord(
                focusgebied=focusgebied, indicator=indicator_code, waarde=invoer.waarde,
                periode=periode.id, indicator_versie=indicator.betekenisversie,
                besluit=invoer.besluit, toelichting=invoer.toelichting,
                oorspronkelijke_waarde=invoer.waarde, oorspronkelijke_periode=periode.id)
            await self.repo.add(record)
            await self._publish(record, Nulmeting, events.NulmetingVastgelegd, {})
            return record, True
        if (current.waarde, current.periode, current.besluit, current.toelichting) == (
                invoer.waarde, periode.id, invoer.besluit, invoer.toelichting):
            return current, False
        reden, besluit = _revision_reasons(invoer.reden, invoer.besluit)
        vorige_waarde, vorige_periode = current.waarde, current.periode
        current.waarde, current.periode = invoer.waarde, periode.id
        current.besluit, current.toelichting = besluit, invoer.toelichting
        await self.session.flush()
        await self.repo.add(DoelRevisieRecord(
            soort="nulmeting", focusgebied=focusgebied, indicator=indicator_code,
            doelperiode=None, versie=current.versie, vorige_waarde=vorige_waarde,
            nieuwe_waarde=current.waarde, vorige_periode=vorige_periode,
            nieuwe_periode=current.periode, reden=reden, besluit=besluit,
            herzien_door=principal.client_id, organisatie=principal.organisatie))
        await self._publish(current, Nulmeting, events.NulmetingHerzien, {
            "vorigeWaarde": vorige_waarde, "vorigePeriode": vorige_periode, "reden": reden})
        return current, False

    async def put_streefwaarde(self, focusgebied: str, indicator_code: str,
                               doelperiode: str, invoer: StreefwaardeInvoer,
                               principal: Principal,
                               if_match: str | None) -> tuple[StreefwaardeRecord, bool]:
        gemeente, indicator = await self.pair(focusgebied, indicator_code)
        ensure_may_manage_focusgebied(principal, gemeente, "streefwaarden")
        errors = _value_errors(invoer.waarde, indicator)
        periode = _period(doelperiode, "path.doelperiode", errors)
        key = periode.id if periode else doelperiode
        current = await self.repo.streefwaarde(focusgebied, indicator_code, key,
                                               for_update=True)
        _refuse(errors, current is None and indicator.status == "vervallen", indicator)
        check_put_precondition(if_match, current.versie if current else None)
        if current is None:
            record = StreefwaardeRecord(
                focusgebied=focusgebied, indicator=indicator_code, doelperiode=key,
                waarde=invoer.waarde, indicator_versie=indicator.betekenisversie,
                besluit=invoer.besluit, toelichting=invoer.toelichting,
                oorspronkelijke_waarde=invoer.waarde)
            await self.repo.add(record)
            await self._publish(record, Streefwaarde, events.StreefwaardeVastgelegd, {})
            return record, True
        if (current.waarde, current.besluit, current.toelichting) == (
                invoer.waarde, invoer.besluit, invoer.toelichting):
            return current, False
        reden, besluit = _revision_reasons(invoer.reden, invoer.besluit)
        vorige_waarde = current.waarde
        current.waarde, current.besluit, current.toelichting = (invoer.waarde, besluit,
                                                                invoer.toelichting)
        await self.session.flush()
        await self.repo.add(DoelRevisieRecord(
            soort="streefwaarde", focusgebied=focusgebied, indicator=indicator_code,
            doelperiode=key, versie=current.versie, vorige_waarde=vorige_waarde,
            nieuwe_waarde=current.waarde, vorige_periode=None, nieuwe_periode=None,
            reden=reden, besluit=besluit, herzien_door=principal.client_id,
            organisatie=principal.organisatie))
        await self._publish(current, Streefwaarde, events.StreefwaardeHerzien, {
            "vorigeWaarde": vorige_waarde, "reden": reden})
        return current, False

    async def _publish(self, record: NulmetingRecord | StreefwaardeRecord,
                       schema: type[Nulmeting] | type[Streefwaarde],
                       event: type[events.NulmetingGegevens] | type[events.StreefwaardeGegevens],
                       extra: dict[str, Any]) -> None:
        state = schema.model_validate(record).model_dump(by_alias=True,
                                                         exclude=set(VERSION_FIELDS))
        if isinstance(record, NulmetingRecord):
            subject = f"focusgebieden/{record.focusgebied}/indicatoren/{record.indicator}/nulmeting"
        else:
            subject = (f"focusgebieden/{record.focusgebied}/indicatoren/{record.indicator}/"
                       f"streefwaarden/{record.doelperiode.replace('/', '-')}")
        await self.publisher.publish(self.session, event.model_validate({**state, **extra}),
                                     subject=subject, key=record.focusgebied,
                                     sequence=record.versie)


def _value_errors(waarde: Decimal, indicator: Indicator) -> list[InvalidParam]:
    reason = range_refusal(waarde, indicator)
    return [] if reason is None else [InvalidParam(name="body.waarde", code="out_of_range",
                                                   reason=reason)]


def _period(value: str, name: str, errors: list[InvalidParam]) -> perioden.Periode | None:
    try:
        return perioden.parse(value)
    except perioden.OngeldigePeriode as exc:
        errors.append(InvalidParam(name=name, code="invalid", reason=str(exc)))
        return None


def _refuse(errors: list[InvalidParam], retired: bool, indicator: Indicator) -> None:
    if retired:
        errors.append(InvalidParam(name="path.indicatorCode", code="retired",
                                   reason=f"indicator '{indicator.code}' is vervallen"))
    if errors:
        raise BadRequest(f"Het verzoek bevat {len(errors)} fout(en); zie invalidParams.",
                         invalid_params=errors)


def _revision_reasons(reden: str | None, besluit: str | None) -> tuple[str, str]:
    errors = []
    if reden is None:
        errors.append(InvalidParam(name="body.reden", code="missing",
                                   reason="een herziening vraagt een reden"))
    if besluit is None:
        errors.append(InvalidParam(name="body.besluit", code="missing",
                                   reason="een herziening vraagt een besluitverwijzing"))
    if errors:
        raise BadRequest("Een herziening vraagt een reden en een besluit.",
                         invalid_params=errors)
    assert reden is not None
    assert besluit is not None
    return reden, besluit


def _canonical(periode: str) -> str:
    try:
        return perioden.parse(periode).id
    except perioden.OngeldigePeriode:
        return periode


async def doel_service(session: SessionDep, publisher: PublisherDep) -> DoelService:
    """The dependency routers use (async: FastAPI would run a plain constructor in a thread)."""
    return DoelService(session, publisher)
