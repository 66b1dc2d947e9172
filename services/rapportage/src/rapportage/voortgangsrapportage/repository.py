"""The queries of the half-yearly report: the facts as of the end of a period, and the published
versions."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from rapportage.db import (
    begrotingsregel,
    consumer_positie,
    focusgebied,
    indicator,
    interventie,
    interventie_versie,
    meting,
    nulmeting,
    projectie_versie,
    realisatie,
    streefwaarde,
    toekenning,
    voortgangsrapportage,
)


@dataclass
class Gegevens:
    """Everything a report for a period is computed from (rows as the tables hold them)."""

    gebieden: list[Row[Any]]
    indicatoren: list[Row[Any]]
    metingen: list[Row[Any]]  # periods ended by the peildatum; withdrawn ones included
    nulmetingen: list[Row[Any]]
    streefwaarden: list[Row[Any]]
    interventies: list[Row[Any]]  # the current state (identity, dates, deletion)
    staat: dict[uuid.UUID, Row[Any]]  # the state at the peildatum (or the first, if later)
    nagemeld: set[uuid.UUID]  # interventies first recorded after the peildatum
    regels: list[Row[Any]]
    toekenningen: list[Row[Any]]
    realisaties: list[Row[Any]]


class RapportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(self, statement: Any) -> list[Row[Any]]:
        return list((await self.session.execute(statement)).all())

    async def gegevens(self, eind: date) -> Gegevens:
        einde = datetime.combine(eind + timedelta(days=1), time(), tzinfo=UTC)  # exclusive
        v = interventie_versie.c
        staat = {r.id: r for r in await self._rows(
            select(interventie_versie).where(v.event_tijd < einde)
            .ext(distinct_on(v.id)).order_by(v.id, v.sequence.desc()))}
        eerste = {r.id: r for r in await self._rows(
            select(interventie_versie).ext(distinct_on(v.id)).order_by(v.id, v.sequence))}
        nagemeld = set(eerste) - set(staat)
        return Gegevens(
            gebieden=await self._rows(select(focusgebied).where(focusgebied.c.verwijderd
                                                                .is_(False))
                                      .order_by(focusgebied.c.code)),
            indicatoren=await self._rows(select(indicator).where(indicator.c.status == "actief")
                                         .order_by(indicator.c.actielijn,
                                                   indicator.c.kernindicator.nulls_last(),
                                                   indicator.c.code)),
            metingen=await self._rows(select(meting).where(meting.c.eind <= eind)
                                      .order_by(meting.c.begin, meting.c.eind)),
            nulmetingen=await self._rows(select(nulmeting)),
            streefwaarden=await self._rows(select(streefwaarde)),
            interventies=await self._rows(select(interventie).order_by(interventie.c.id)),
            staat={**{i: eerste[i] for i in nagemeld}, **staat}, nagemeld=nagemeld,
            regels=await self._rows(select(begrotingsregel)),
            toekenningen=await self._rows(select(toekenning)
                                          .where(toekenning.c.jaar <= eind.year)),
            realisaties=await self._rows(select(realisatie).where(realisatie.c.datum <= eind)),
        )

    async def projectieversie(self) -> uuid.UUID | None:
        """Changes with every applied batch (None before the first)."""
        return (await self.session.execute(select(projectie_versie.c.versie))).scalar()

    async def posities(self) -> list[Row[Any]]:
        return await self._rows(select(consumer_positie, func.now().label("nu")))

    async def publicaties(self, periode: str | None = None) -> list[Row[Any]]:
        r = voortgangsrapportage.c
        statement = select(r.periode, r.versie, r.inhoud_hash, r.gepubliceerd_door,
                           r.gepubliceerd_op, r.vorige_versie, r.toelichting)
        if periode is not None:
            statement = statement.where(r.periode == periode)
        return await self._rows(statement.order_by(r.periode.desc(), r.versie.desc()))

    async def publicatie(self, periode: str, versie: int | None = None) -> Row[Any] | None:
        """One version, or the latest when `versie` is None."""
        r = voortgangsrapportage.c
        statement = select(voortgangsrapportage).where(r.periode == periode)
        statement = (statement.where(r.versie == versie) if versie is not None
                     else statement.order_by(r.versie.desc()).limit(1))
        return (await self.session.execute(statement)).one_or_none()

    async def vergrendel(self, periode: str) -> None:
        """Serialise publications of one period (a transaction-scoped advisory lock)."""
        await self.session.execute(select(func.pg_advisory_xact_lock(
            func.hashtext("voortgangsrapportage:" + periode))))

    async def bewaar(self, values: dict[str, Any]) -> None:
        await self.session.execute(voortgangsrapportage.insert().values(**values))

