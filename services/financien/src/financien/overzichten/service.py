"""Totals and the budget overview per focusgebied, computed exactly (Decimal) from the lines'
current amounts and the toekenningen with their realisaties. Amounts split over actielijnen by
a line's shares use `verdeling.verdeel` (largest remainder, to the cent), so every total equals
the sum of its parts."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from financien import referentie
from financien.begrotingsregels.service import BegrotingsregelService
from financien.codes import JAREN
from financien.overzichten.schemas import (
    ActielijnStand,
    ActielijnTotaal,
    Begrotingstotalen,
    Budgetoverzicht,
    FocusgebiedTotaal,
    JaarStand,
    JaarTotaal,
    MinisterieTotaal,
    Stand,
)
from financien.toekenningen.service import ToekenningService
from financien.verdeling import verdeel
from nplv_shared.db import SessionDep
from nplv_shared.outbox import EventPublisher, PublisherDep
from nplv_shared.problems import NotFound

NUL = Decimal("0.00")
ACTIELIJNEN = (1, 2, 3, 4)
SOORTEN = ("toegekend", "verplicht", "betaald")


def _som(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), NUL)


def _per_jaar(bedragen: dict[int, Decimal]) -> list[JaarTotaal]:
    return [JaarTotaal(jaar=j, bedrag=bedragen.get(j, NUL)) for j in JAREN]


class OverzichtService:
    def __init__(self, session: AsyncSession, publisher: EventPublisher) -> None:
        self.regels = BegrotingsregelService(session, publisher)
        self.toekenningen = ToekenningService(session, publisher)

    async def totalen(self) -> Begrotingstotalen:
        regels = await self.regels.all()
        per_kop: dict[str, list[Any]] = {}
        for regel in regels:
            per_kop.setdefault(regel.kop, []).append(regel)
        ministeries = [
            MinisterieTotaal(kop=kop, ministerie=rs[0].ministerie,
                             per_jaar=_per_jaar({j: _som(r.bedrag(j) for r in rs) for j in JAREN}),
                             structureel=_som(r.structureel for r in rs),
                             totaal=_som(r.bedrag(j) for r in rs for j in JAREN))
            for kop, rs in per_kop.items()]
        lijnen: dict[int, dict[Any, Decimal]] = {a: defaultdict(lambda: NUL) for a in ACTIELIJNEN}
        for regel in regels:
            kolommen: list[tuple[int | str, Decimal | None]] = [
                *((j, regel.bedrag(j)) for j in JAREN), ("structureel", regel.structureel)]
            for kolom, bedrag in kolommen:
                if bedrag is None:
                    continue
                for actielijn, deel in verdeel(bedrag, regel.aandelen()).items():
                    lijnen[actielijn][kolom] += deel
        actielijnen = [
            ActielijnTotaal(actielijn=a, per_jaar=_per_jaar({j: lijnen[a][j] for j in JAREN}),
                            structureel=lijnen[a]["structureel"],
                            totaal=_som(lijnen[a][j] for j in JAREN))
            for a in ACTIELIJNEN]
        gebieden: dict[str, dict[int, Decimal]] = {f: {} for f in referentie.focusgebieden()}
        for row in await self.toekenningen.sommen():
            per = gebieden.setdefault(row["focusgebied"], {})
            per[row["jaar"]] = per.get(row["jaar"], NUL) + row["bedrag"]
        focusgebieden = [
            FocusgebiedTotaal(focusgebied=f, gemeente=referentie.focusgebieden().get(f, ""),
                              per_jaar=_per_jaar(per), totaal=_som(per.values()))
            for f, per in gebieden.items()]
        return Begrotingstotalen(
            per_jaar=_per_jaar({j: _som(r.bedrag(j) for r in regels) for j in JAREN}),
            structureel=_som(r.structureel for r in regels),
            totaal=_som(r.bedrag(j) for r in regels for j in JAREN),
            per_ministerie=ministeries, per_actielijn=actielijnen, per_focusgebied=focusgebieden)

    async def budgetoverzicht(self, focusgebied: str) -> Budgetoverzicht:
        gemeente = referentie.focusgebieden().get(focusgebied)
        if gemeente is None:
            raise NotFound(f"Focusgebied {focusgebied} is geen focusgebied van het programma.")
        aandelen = {r.code: r.aandelen() for r in await self.regels.all()}
        # (jaar, actielijn) → soort → bedrag
        cellen: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(
            lambda: dict.fromkeys(SOORTEN, NUL))
        for row in await self.toekenningen.sommen(focusgebied):
            verdeling = aandelen[row["begrotingsregel"]]
            for soort, bedrag in (("toegekend", row["bedrag"]), ("verplicht", row["verplicht"]),
                                  ("betaald", row["betaald"])):
                for actielijn, deel in verdeel(Decimal(bedrag), verdeling).items():
                    cellen[(row["jaar"], actielijn)][soort] += deel

        def stand(keys: list[tuple[int, int]]) -> dict[str, Decimal]:
            sums = {s: _som(cellen[k][s] for k in keys if k in cellen) for s in SOORTEN}
            return {**sums, "resterend": sums["toegekend"] - sums["betaald"]}

        per_jaar = [JaarStand(jaar=j, **stand([(j, a) for a in ACTIELIJNEN]), per_actielijn=[
            ActielijnStand(actielijn=a, **stand([(j, a)])) for a in ACTIELIJNEN])
            for j in JAREN]
        per_actielijn = [ActielijnStand(actielijn=a, **stand([(j, a) for j in JAREN]))
                         for a in ACTIELIJNEN]
        alles = [(j, a) for j in JAREN for a in ACTIELIJNEN]
        return Budgetoverzicht(focusgebied=focusgebied, gemeente=gemeente,
                               totaal=Stand(**stand(alles)), per_jaar=per_jaar,
                               per_actielijn=per_actielijn)


async def overzicht_service(session: SessionDep, publisher: PublisherDep) -> OverzichtService:
    return OverzichtService(session, publisher)
