"""Use cases of metingen: write one by its natural key (create, or correct with a reason),
withdraw one (with a reason), read, list, the correction history and the series of a set of
regions. A withdrawn meting stays stored (history) but no read shows it, the plausibility of
later values ignores it, and a PUT of its key records it anew."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren import events, perioden, plausibiliteit
from indicatoren.indicatoren.service import IndicatorService
from indicatoren.metingen.models import MetingCorrectieRecord, MetingIntrekkingRecord, MetingRecord
from indicatoren.metingen.repository import MetingRepository
from indicatoren.metingen.schemas import Meting, MetingCorrectie, MetingFilter, MetingInvoer
from indicatoren.metingen.validatie import Context, Fout, GeldigeMeting, validate_one
from indicatoren.permissions import ensure_may_write_meting, ensure_may_write_metingen
from indicatoren.referentie.service import ReferentieService
from nplv_shared.aggregates import apply_state
from nplv_shared.auth import Principal
from nplv_shared.concurrency import check_if_match, check_put_precondition
from nplv_shared.db import SessionDep
from nplv_shared.events import VERSION_FIELDS
from nplv_shared.outbox import EventPublisher, PublisherDep
from nplv_shared.problems import BadRequest, Forbidden, InvalidParam, NotFound

# Where a field of a single write sits in the request.
PLAATS = {"indicator": "path.indicatorCode", "regio": "path.regioCode",
          "periode": "path.periodeId"}


def plaats(fout: Fout) -> str:
    return PLAATS.get(fout.veld, f"body.{fout.veld}")


def event_key(meting: MetingRecord | Meting) -> str:
    """The focusgebied of a focusgebied's meting; else the gemeente the region lies in; NL01
    for Nederland."""
    return meting.focusgebied or meting.gemeente or meting.regio


def subject(meting: MetingRecord | GeldigeMeting) -> str:
    return f"metingen/{meting.indicator}/{meting.regio}/{meting.periode.replace('/', '-')}"


class MetingService:
    def __init__(self, session: AsyncSession, publisher: EventPublisher) -> None:
        self.session = session
        self.publisher = publisher
        self.repo = MetingRepository(session)
        self.indicatoren = IndicatorService(session, publisher)
        self.referentie = ReferentieService(session)

    async def context(self, principal: Principal) -> Context:
        """What validate() needs, read once (for a batch: once per batch)."""
        return Context(indicatoren=await self.indicatoren.catalogue(),
                       gebieden=await self.referentie.gebieden(), principal=principal)

    async def get(self, indicator: str, regio: str, periode: str, *,
                  for_update: bool = False) -> MetingRecord:
        """The meting of this key; 404 when there is none or it was withdrawn."""
        meting = await self.repo.get(indicator, regio, _canonical(periode),
                                     for_update=for_update)
        if meting is None or meting.ingetrokken_op is not None:
            raise NotFound(f"Er is geen meting van {indicator} in {regio} over {periode}.")
        return meting

    async def search(self, filters: MetingFilter, *, offset: int,
                   limit: int) -> tuple[list[MetingRecord], int]:
        if filters.periode is not None:
            filters = MetingFilter(**{**filters.__dict__,
                                      "periode": _canonical(filters.periode)})
        return await self.repo.search(filters, offset=offset, limit=limit)

    async def correcties(self, indicator: str, regio: str,
                         periode: str) -> list[MetingCorrectie]:
        meting = await self.get(indicator, regio, periode)
        rows = await self.repo.correcties(meting.indicator, meting.regio, meting.periode)
        return [MetingCorrectie.model_validate(r) for r in rows]

    async def series(self, indicator: str, regios: list[str]) -> list[Meting]:
        return [Meting.model_validate(r) for r in await self.repo.series(indicator, regios)]

    async def put(self, indicator: str, regio: str, periode: str, invoer: MetingInvoer,
                  principal: Principal, if_match: str | None) -> tuple[MetingRecord, bool]:
        """Create (201) or correct (200) the meting with this natural key. A correction needs
        If-Match and a reden, keeps the previous value in meting_correctie and publishes old
        and new. The same value again writes nothing."""
        row: dict[str, Any] = {"indicator": indicator, "regio": regio, "periode": periode,
                               "waarde": str(invoer.waarde), "status": invoer.status.value,
                               "bron": invoer.bron, "reden": invoer.reden}
        uitkomst = validate_one(row, await self.context(principal))
        forbidden = [f for f in uitkomst.fouten if f.code == "forbidden"]
        if forbidden:
            raise Forbidden(forbidden[0].reden[0].upper() + forbidden[0].reden[1:] + ".")
        if uitkomst.meting is None:
            raise BadRequest(
                f"De meting bevat {len(uitkomst.fouten)} fout(en); zie invalidParams.",
                invalid_params=[InvalidParam(name=plaats(f), code=f.code, reason=f.reden)
                                for f in uitkomst.fouten])
        nieuw = uitkomst.meting
        stored = await self.repo.get(*nieuw.sleutel, for_update=True)
        # a withdrawn meting counts as absent: the PUT records it anew (201, no If-Match)
        current = stored if stored is not None and stored.ingetrokken_op is None else None
        check_put_precondition(if_match, current.versie if current else None)
        if current is None:
            return await self._create(nieuw, principal, withdrawn=stored), True
        if (current.waarde, current.status, current.bron) == (nieuw.waarde, nieuw.status,
                                                                nieuw.bron):
            return current, False
        if nieuw.reden is None:
            raise BadRequest("Een correctie vraagt een reden.", invalid_params=[InvalidParam(
                name="body.reden", code="missing",
                reason=f"de meting bestaat al (waarde {current.waarde}); een correctie vraagt "
                       "een reden")])
        return await self._correct(current, nieuw, principal), False

    async def _create(self, nieuw: GeldigeMeting, principal: Principal, *,
                      withdrawn: MetingRecord | None) -> MetingRecord:
        """A new meting; for a withdrawn one of the same key its row is reused (versie + 1,
        so the event sequence keeps rising; created again now)."""
        oordeel = await self._plausibility(nieuw)
        state: dict[str, Any] = {
            "indicator_versie": nieuw.indicator_versie, "regio_soort": nieuw.regio_soort,
            "focusgebied": nieuw.focusgebied, "gemeente": nieuw.gemeente,
            "periode_type": nieuw.periode_type, "periode_begin": nieuw.periode_begin,
            "periode_eind": nieuw.periode_eind, "waarde": nieuw.waarde,
            "status": nieuw.status, "bron": nieuw.bron, "plausibel": oordeel.plausibel,
            "zscore": oordeel.zscore, "ingediend_door": principal.client_id,
            "organisatie": principal.organisatie}
        if withdrawn is None:
            record = MetingRecord(indicator=nieuw.indicator, regio=nieuw.regio,
                                  periode=nieuw.periode, **state)
            await self.repo.add(record)
        else:
            record = withdrawn
            apply_state(record, {**state, "ingetrokken_op": None,
                                 "aangemaakt_op": datetime.now(UTC)})
            await self.session.flush()
        await self.publisher.publish(
            self.session, events.MetingVastgelegd.of(Meting.model_validate(record)),
            subject=subject(record), key=event_key(record), sequence=record.versie)
        return record

    async def _correct(self, current: MetingRecord, nieuw: GeldigeMeting,
                       principal: Principal) -> MetingRecord:
        assert nieuw.reden is not None
        vorige_waarde, vorige_status, vorige_bron = current.waarde, current.status, current.bron
        oordeel = await self._plausibility(nieuw)
        current.waarde, current.status, current.bron = nieuw.waarde, nieuw.status, nieuw.bron
        current.plausibel, current.zscore = oordeel.plausibel, oordeel.zscore
        current.ingediend_door, current.organisatie = principal.client_id, principal.organisatie
        await self.session.flush()
        await self.repo.add(MetingCorrectieRecord(
            indicator=current.indicator, regio=current.regio, periode=current.periode,
            versie=current.versie, vorige_waarde=vorige_waarde, nieuwe_waarde=current.waarde,
            vorige_status=vorige_status, nieuwe_status=current.status, vorige_bron=vorige_bron,
            nieuwe_bron=current.bron, reden=nieuw.reden, gecorrigeerd_door=principal.client_id,
            organisatie=principal.organisatie))
        state = Meting.model_validate(current).model_dump(by_alias=True,
                                                          exclude=set(VERSION_FIELDS))
        data = events.MetingGecorrigeerd.model_validate(
            {**state, "vorigeWaarde": vorige_waarde, "vorigeStatus": vorige_status,
             "reden": nieuw.reden})
        await self.publisher.publish(self.session, data, subject=subject(current),
                                     key=event_key(current), sequence=current.versie)
        return current

    async def withdraw(self, indicator: str, regio: str, periode: str, reden: str,
                       principal: Principal, if_match: str | None) -> None:
        """Withdraw a meting: with the same permissions as a correction of it, If-Match and a
        reden. The row stays (versie + 1, `ingetrokken_op`), the withdrawal is kept in
        meting_intrekking, and `meting.ingetrokken` carries its last state and the reden."""
        ensure_may_write_metingen(principal)
        meting = await self.get(indicator, regio, periode, for_update=True)
        found = (await self.indicatoren.catalogue()).get(meting.indicator)
        ensure_may_write_meting(principal, regio=meting.regio, gemeente=meting.gemeente,
                                lokaal=found is not None and found.focusgebied is not None)
        check_if_match(if_match, meting.versie)
        state = Meting.model_validate(meting).model_dump(by_alias=True,
                                                         exclude=set(VERSION_FIELDS))
        meting.ingetrokken_op = datetime.now(UTC)
        await self.session.flush()
        await self.repo.add(MetingIntrekkingRecord(
            indicator=meting.indicator, regio=meting.regio, periode=meting.periode,
            versie=meting.versie, waarde=meting.waarde, status=meting.status, bron=meting.bron,
            reden=reden, ingetrokken_door=principal.client_id,
            organisatie=principal.organisatie))
        await self.publisher.publish(
            self.session, events.MetingIngetrokken.model_validate({**state, "reden": reden}),
            subject=subject(meting), key=event_key(meting), sequence=meting.versie)

    async def _plausibility(self, nieuw: GeldigeMeting) -> plausibiliteit.Oordeel:
        history = await self.repo.history(nieuw.indicator, nieuw.regio, nieuw.periode_begin)
        return plausibiliteit.beoordeel(nieuw.waarde, history)


def _canonical(periode: str) -> str:
    """The canonical id of a period as a client may write it (2024-2025 → 2024/2025); an
    unparseable one is returned as it is (it then matches nothing)."""
    try:
        return perioden.parse(periode).id
    except perioden.OngeldigePeriode:
        return periode


async def meting_service(session: SessionDep, publisher: PublisherDep) -> MetingService:
    """The dependency routers use (async: FastAPI would run a plain constructor in a thread)."""
    return MetingService(session, publisher)
