"""Use cases of metingen: write one by its natural key (create, or correct with a reason),
read, list, the correction history and the series of a set of regions."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren import events, perioden, plausibiliteit
from indicatoren.indicatoren.service import IndicatorService
from indicatoren.metingen.models import MetingCorrectieRecord, MetingRecord
from indicatoren.metingen.repository import MetingRepository
from indicatoren.metingen.schemas import Meting, MetingCorrectie, MetingFilter, MetingInvoer
from indicatoren.metingen.validatie import Context, Fout, GeldigeMeting, validate_one
from indicatoren.referentie.service import ReferentieService
from nplv_shared.auth import Principal
from nplv_shared.concurrency import check_put_precondition
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

    async def get(self, indicator: str, regio: str, periode: str) -> MetingRecord:
        meting = await self.repo.get(indicator, regio, _canonical(periode))
        if meting is None:
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
        current = await self.repo.get(*nieuw.sleutel, for_update=True)
        check_put_precondition(if_match, current.versie if current else None)
        if current is None:
            return await self._create(nieuw, principal), True
        if (current.waarde, current.status, current.bron) == (nieuw.waarde, nieuw.status,
                                                                nieuw.bron):
            return current, False
        if nieuw.reden is None:
            raise BadRequest("Een correctie vraagt een reden.", invalid_params=[InvalidParam(
                name="body.reden", code="missing",
                reason=f"de meting bestaat al (waarde {current.waarde}); een correctie vraagt "
                       "een reden")])
        return await self._correct(current, nieuw, principal), False

    async def _create(self, nieuw: GeldigeMeting, principal: Principal) -> MetingRecord:
        oordeel = await self._plausibility(nieuw)
        record = MetingRecord(
            indicator=nieuw.indicator, regio=nieuw.regio, periode=nieuw.periode,
            indicator_versie=nieuw.indicator_versie, regio_soort=nieuw.regio_soort,
            focusgebied=nieuw.focusgebied, gemeente=nieuw.gemeente,
            periode_type=nieuw.periode_type, periode_begin=nieuw.periode_begin,
            periode_eind=nieuw.periode_eind, waarde=nieuw.waarde, status=nieuw.status,
            bron=nieuw.bron, plausibel=oordeel.plausibel, zscore=oordeel.zscore,
            ingediend_door=principal.client_id, organisatie=principal.organisatie)
        await self.repo.add(record)
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
