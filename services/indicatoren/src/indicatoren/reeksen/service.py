"""The series of an indicator in a focusgebied beside its comparison regions (the rest of its
gemeente, the gemeente, Nederland), with its baseline and targets: what the programme
reports against."""

from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren.doelen.service import DoelService
from indicatoren.metingen.schemas import Meting
from indicatoren.metingen.service import MetingService
from indicatoren.reeksen.schemas import Reeks, Reekspunt, Reeksregio, Reekswaarde
from indicatoren.referentie.service import ReferentieService
from indicatoren.regios import NEDERLAND, rest_van
from nplv_shared.db import SessionDep
from nplv_shared.outbox import EventPublisher, PublisherDep


class ReeksService:
    def __init__(self, session: AsyncSession, publisher: EventPublisher) -> None:
        self.doelen = DoelService(session, publisher)
        self.metingen = MetingService(session, publisher)
        self.referentie = ReferentieService(session)

    async def reeks(self, focusgebied: str, indicator: str) -> Reeks:
        gemeente, found = await self.doelen.pair(focusgebied, indicator)
        namen = (await self.referentie.gebieden()).namen
        rollen = {focusgebied: "focusgebied", rest_van(gemeente): "rest_gemeente",
                  gemeente: "gemeente", NEDERLAND: "nederland"}
        regios = [
            Reeksregio(rol="focusgebied", regio=focusgebied, naam=namen.get(focusgebied, "")),
            Reeksregio(rol="rest-gemeente", regio=rest_van(gemeente),
                       naam=f"{namen.get(gemeente, gemeente)} zonder focusgebied(en)"),
            Reeksregio(rol="gemeente", regio=gemeente, naam=namen.get(gemeente, gemeente)),
            Reeksregio(rol="nederland", regio=NEDERLAND, naam="Nederland"),
        ]
        punten: dict[str, dict[str, object]] = {}
        for meting in await self.metingen.series(indicator, list(rollen)):
            punt = punten.setdefault(meting.periode, {
                "periode": meting.periode, "periode_begin": meting.periode_begin,
                "periode_eind": meting.periode_eind, "focusgebied": None,
                "rest_gemeente": None, "gemeente": None, "nederland": None})
            punt[rollen[meting.regio]] = _waarde(meting)
        ordered = sorted(punten.values(), key=lambda p: (p["periode_begin"], p["periode"]))
        return Reeks(
            focusgebied=focusgebied, gemeente=gemeente, indicator=found, regios=regios,
            punten=[Reekspunt.model_validate(p) for p in ordered],
            nulmeting=await self.doelen.find_nulmeting(focusgebied, indicator),
            streefwaarden=await self.doelen.streefwaarden(focusgebied, indicator))


def _waarde(meting: Meting) -> Reekswaarde:
    return Reekswaarde(waarde=meting.waarde, status=meting.status.value,
                       plausibel=meting.plausibel, indicator_versie=meting.indicator_versie)


async def reeks_service(session: SessionDep, publisher: PublisherDep) -> ReeksService:
    """The dependency routers use (async: FastAPI would run a plain constructor in a thread)."""
    return ReeksService(session, publisher)
