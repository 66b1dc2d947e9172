"""The queries of the progress views: reads of the materialised tables only."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from rapportage.db import (
    consumer_positie,
    focusgebied,
    indicator,
    indicator_voortgang,
    interventie,
    meting,
    stand,
    voortgang_geld,
    voortgang_interventies,
)
from rapportage.projectie.leesmodellen import NEDERLAND


class VoortgangRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def posities(self) -> list[Any]:
        return list((await self.session.execute(select(
            consumer_positie, func.now().label("nu")))).all())

    async def gebieden(self, codes: list[str] | None = None, *,
                       gemeente: str | None = None) -> list[Any]:
        f, s = focusgebied, stand
        query = (select(f.c.code, f.c.naam, f.c.gemeente, f.c.inwoners, s.c.laatste_event_id,
                        s.c.laatste_event_tijd, s.c.bijgewerkt_op)
                 .select_from(f.outerjoin(s, s.c.focusgebied == f.c.code))
                 .where(f.c.verwijderd.is_(False)).order_by(f.c.code))
        if codes is not None:
            query = query.where(f.c.code.in_(codes))
        if gemeente:
            query = query.where(f.c.gemeente == gemeente)
        return list((await self.session.execute(query)).all())

    async def interventie_stand(self, code: str) -> dict[int, tuple[Any, str]]:
        """Per actielijn the latest event of the area's interventies (deleted ones too)."""
        i = interventie
        rows = await self.session.execute(
            select(i.c.actielijn, i.c.event_tijd, i.c.event_id).where(i.c.focusgebied == code)
            .ext(distinct_on(i.c.actielijn))
            .order_by(i.c.actielijn, i.c.event_tijd.desc(), i.c.event_id.desc()))
        return {r.actielijn: (r.event_tijd, r.event_id) for r in rows if r.event_id}

    async def interventies(self, codes: list[str] | None,
                           actielijn: int | None = None) -> list[Any]:
        v = voortgang_interventies
        query = select(v).order_by(v.c.focusgebied, v.c.actielijn, v.c.status,
                                   v.c.output_eenheid)
        if codes is not None:
            query = query.where(v.c.focusgebied.in_(codes))
        if actielijn is not None:
            query = query.where(v.c.actielijn == actielijn)
        return list((await self.session.execute(query)).all())

    async def indicatoren(self, codes: list[str] | None, actielijn: int | None = None,
                          indicator_code: str | None = None) -> list[Any]:
        v = indicator_voortgang
        query = select(v).order_by(v.c.focusgebied, v.c.actielijn, v.c.indicator)
        if codes is not None:
            query = query.where(v.c.focusgebied.in_(codes))
        if actielijn is not None:
            query = query.where(v.c.actielijn == actielijn)
        if indicator_code is not None:
            query = query.where(v.c.indicator == indicator_code)
        return list((await self.session.execute(query)).all())

    async def geld(self, codes: list[str] | None, actielijn: int | None = None,
                   ) -> list[Any]:
        v = voortgang_geld
        query = select(v).order_by(v.c.focusgebied, v.c.actielijn, v.c.jaar)
        if codes is not None:
            query = query.where(v.c.focusgebied.in_(codes))
        if actielijn is not None:
            query = query.where(v.c.actielijn == actielijn)
        return list((await self.session.execute(query)).all())

    async def nederland(self) -> list[Any]:
        """Per active kernindicator the latest meting of Nederland (NL01), if any."""
        i, m = indicator, meting
        latest = (select(m.c.indicator, m.c.periode, m.c.waarde)
                  .where(m.c.regio == NEDERLAND, m.c.ingetrokken.is_(False))
                  .ext(distinct_on(m.c.indicator)).order_by(m.c.indicator, m.c.eind.desc())
                  .subquery())
        query = (select(i.c.code, i.c.naam, i.c.actielijn, latest.c.periode, latest.c.waarde)
                 .select_from(i.outerjoin(latest, latest.c.indicator == i.c.code))
                 .where(i.c.kernindicator.is_not(None), i.c.status == "actief")
                 .order_by(i.c.actielijn, i.c.kernindicator))
        return list((await self.session.execute(query)).all())

    async def summaries(self, *, gemeente: str | None, offset: int,
                        limit: int) -> tuple[list[Any], int]:
        f, v = focusgebied, voortgang_interventies
        aantal = (select(func.coalesce(func.sum(v.c.aantal), 0))
                  .where(v.c.focusgebied == f.c.code).scalar_subquery())
        query = select(f.c.code, f.c.naam, f.c.gemeente, aantal.label("aantal")).where(
            f.c.verwijderd.is_(False))
        count = select(func.count()).select_from(f).where(f.c.verwijderd.is_(False))
        if gemeente:
            query, count = query.where(f.c.gemeente == gemeente), count.where(
                f.c.gemeente == gemeente)
        total = (await self.session.execute(count)).scalar_one()
        rows = await self.session.execute(query.order_by(f.c.code).offset(offset).limit(limit))
        return list(rows.all()), total
