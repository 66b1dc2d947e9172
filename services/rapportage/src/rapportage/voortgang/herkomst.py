"""Provenance: for a view row, the events that determined it (per fact the event that last set
it: the events carry the whole state, so that event is the fact's current state) and, through
them, the original submission: the import, the meting, the interventie, the toekenning, the CBS
table named as its source."""

from typing import Any

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from rapportage.db import (
    begrotingsregel,
    focusgebied,
    indicator,
    interventie,
    meting,
    nulmeting,
    realisatie,
    streefwaarde,
    toekenning,
)
from rapportage.projectie.leesmodellen import NEDERLAND
from rapportage.voortgang.schemas import Herkomst, HerkomstEvent

GEEN = literal(None).cast(meting.c.bron.type)


def _events(table: Any, onderwerp: Any, *indiening: tuple[str, Any]) -> Select[Any]:
    velden = dict(indiening)
    return select(table.c.event_source, table.c.event_type, table.c.event_id,
                  table.c.event_tijd, onderwerp.label("onderwerp"),
                  *[velden.get(k, GEEN).label(k) for k in INDIENING])


INDIENING = ("importId", "metingId", "bron", "interventieId", "toekenningId", "realisatieId")


class HerkomstService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _lijst(self, weergave: str, queries: list[Select[Any]]) -> Herkomst:
        rows = (await self.session.execute(union_all(*queries))).all()
        events = sorted(
            (HerkomstEvent(source=r.event_source, type=r.event_type, id=r.event_id,
                           tijd=r.event_tijd, onderwerp=r.onderwerp,
                           indiening={k: getattr(r, k) for k in INDIENING
                                      if getattr(r, k) is not None})
             for r in rows if r.event_id), key=lambda e: (e.tijd, e.id))
        return Herkomst(weergave=weergave, events=events)

    async def indicator(self, code: str, indicator_code: str, gemeente: str) -> Herkomst:
        m, n, s, i, f = meting, nulmeting, streefwaarde, indicator, focusgebied
        regios = [code, f"{gemeente}-rest", NEDERLAND]
        return await self._lijst(f"focusgebieden/{code}/indicatoren/{indicator_code}", [
            _events(f, literal("focusgebieden/") + f.c.code).where(f.c.code == code),
            _events(i, literal("indicatoren/") + i.c.code).where(i.c.code == indicator_code),
            _events(n, literal("nulmetingen/") + n.c.focusgebied + "/" + n.c.indicator)
            .where(n.c.focusgebied == code, n.c.indicator == indicator_code),
            _events(s, literal("streefwaarden/") + s.c.focusgebied + "/" + s.c.indicator + "/"
                    + s.c.doelperiode)
            .where(s.c.focusgebied == code, s.c.indicator == indicator_code),
            _events(m, m.c.subject, ("importId", m.c.import_id), ("metingId", m.c.subject),
                    ("bron", m.c.bron))
            .where(m.c.indicator == indicator_code, m.c.regio.in_(regios)),
        ])

    async def actielijn(self, code: str, actielijn: int) -> Herkomst:
        i, t, r, b = interventie, toekenning, realisatie, begrotingsregel
        # lines with a share for this actielijn: aandelen [[actielijn, "pct"], …] @> [[n]]
        op_lijn = select(b.c.code).where(b.c.aandelen.contains([[actielijn]])).scalar_subquery()
        uuid_tekst = func.cast(i.c.id, meting.c.bron.type)
        return await self._lijst(f"focusgebieden/{code}/actielijnen/{actielijn}", [
            _events(i, literal("interventies/") + uuid_tekst,
                    ("interventieId", uuid_tekst))
            .where(i.c.focusgebied == code, i.c.actielijn == actielijn),
            _events(t, literal("toekenningen/") + func.cast(t.c.id, meting.c.bron.type),
                    ("toekenningId", func.cast(t.c.id, meting.c.bron.type)))
            .where(t.c.focusgebied == code, t.c.begrotingsregel.in_(op_lijn)),
            _events(r, literal("realisaties/") + func.cast(r.c.id, meting.c.bron.type),
                    ("realisatieId", func.cast(r.c.id, meting.c.bron.type)),
                    ("toekenningId", func.cast(r.c.toekenning, meting.c.bron.type)),
                    ("bron", r.c.referentie))
            .where(r.c.focusgebied == code, r.c.begrotingsregel.in_(op_lijn)),
            _events(b, literal("begrotingsregels/") + b.c.code)
            .where(b.c.code.in_(select(t.c.begrotingsregel).where(
                t.c.focusgebied == code, t.c.begrotingsregel.in_(op_lijn)))),
        ])
