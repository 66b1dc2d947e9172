"""Incremental recomputation: the view rows of the focusgebieden (and indicators) a batch
touched, never the world. A batch of one area's metingen recomputes that area's rows; a meting
of the rest of a gemeente, its areas' rows of that indicator; one of Nederland, every area's row
of that indicator; a new or changed indicator, its rows; a changed budget line, the money of the
areas with toekenningen on it."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, literal, select, tuple_, union_all
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared.events import CloudEvent
from nplv_shared.verdeling import verdeel
from rapportage import berekening
from rapportage.db import (
    begrotingsregel,
    focusgebied,
    indicator,
    indicator_voortgang,
    interventie,
    meting,
    nulmeting,
    realisatie,
    stand,
    streefwaarde,
    toekenning,
    voortgang_geld,
    voortgang_interventies,
)
from rapportage.projectie.leesmodellen import NEDERLAND, Geraakt, markeer

ZERO = literal(Decimal("0.00"))  # keeps two decimals in the view, as the sums have
NUL = Decimal("0.00")


async def herbereken(session: AsyncSession, g: Geraakt) -> None:
    gebieden = await _gebieden(session)  # code → gemeente, of the areas not deleted
    for code, event in g.gebieden.items():  # an area (re)appeared: all its views
        markeer(g.interventies, code, event)
        markeer(g.geld, code, event)
    if g.regels:
        rows = await session.execute(
            select(toekenning.c.focusgebied, toekenning.c.begrotingsregel)
            .where(toekenning.c.begrotingsregel.in_(list(g.regels))).distinct())
        for area, regel in rows.all():
            markeer(g.geld, area, g.regels[regel])
    paren = await _indicator_paren(session, g, gebieden)
    if g.interventies:
        await _interventies(session, sorted(g.interventies))
    if paren:
        await _indicatoren(session, paren, gebieden)
    if g.geld:
        await _geld(session, g.geld)
    await _stand(session, sorted({*g.interventies, *g.geld, *g.gebieden,
                                  *(area for area, _ in paren)}), g.verhuisd)


async def _gebieden(session: AsyncSession) -> dict[str, str]:
    rows = await session.execute(select(focusgebied.c.code, focusgebied.c.gemeente)
                                 .where(focusgebied.c.verwijderd.is_(False)))
    return dict(rows.all())


async def _indicator_paren(session: AsyncSession, g: Geraakt, gebieden: dict[str, str],
                           ) -> dict[tuple[str, str], CloudEvent]:
    """Every (area, indicator) row to recompute, with the event that made it necessary."""
    paren: dict[tuple[str, str], CloudEvent] = {}
    for pair, event in g.indicator_paren.items():
        markeer(paren, pair, event)
    for (regio, code), event in g.vergelijking.items():
        for area, gemeente in gebieden.items():
            if regio == NEDERLAND or gemeente == regio:
                markeer(paren, (area, code), event)
    if g.indicatoren or g.gebieden:
        alle = (await session.execute(select(indicator.c.code))).scalars().all()
        for code, event in g.indicatoren.items():
            for area in gebieden:
                markeer(paren, (area, code), event)
        for area, event in g.gebieden.items():
            for code in alle:
                markeer(paren, (area, code), event)
    return paren


async def _interventies(session: AsyncSession, codes: list[str]) -> None:
    v, i = voortgang_interventies, interventie
    await session.execute(delete(v).where(v.c.focusgebied.in_(codes)))
    aggregate = (
        select(i.c.focusgebied, i.c.actielijn, i.c.status, i.c.output_eenheid, func.count(),
               func.coalesce(func.sum(i.c.geplande_output), ZERO),
               func.coalesce(func.sum(i.c.gerealiseerde_output), ZERO))
        .where(i.c.focusgebied.in_(codes), i.c.verwijderd.is_(False))
        .group_by(i.c.focusgebied, i.c.actielijn, i.c.status, i.c.output_eenheid)
    )
    await session.execute(v.insert().from_select(
        ["focusgebied", "actielijn", "status", "output_eenheid", "aantal", "geplande_output",
         "gerealiseerde_output"], aggregate))


def _rest(gemeente: str) -> str:
    return f"{gemeente}-rest"


async def _indicatoren(session: AsyncSession, paren: dict[tuple[str, str], CloudEvent],
                       gebieden: dict[str, str]) -> None:
    """Recompute the rows of `paren`: a row exists for an area that is known and not deleted and
    an indicator that is known, active and applies to it (a local indicator to its own area)."""
    codes = sorted({code for _, code in paren})
    indicatoren = {r.code: r for r in (await session.execute(
        select(indicator).where(indicator.c.code.in_(codes)))).all()}
    geldig = {(area, code) for area, code in paren
              if area in gebieden and code in indicatoren
              and indicatoren[code].status == "actief"
              and indicatoren[code].focusgebied in (None, area)}
    v = indicator_voortgang
    weg = [pair for pair in paren if pair not in geldig]
    # freshness of a row: the latest event of the facts it is computed from (so it does not
    # depend on how events were batched: a rebuild gives the same)
    vers: dict[Any, tuple[Any, str]] = {}

    def bron(key: Any, r: Any) -> None:
        if key not in vers or (r.event_tijd, r.event_id) > vers[key]:
            vers[key] = (r.event_tijd, r.event_id)
    if weg:
        await session.execute(delete(v).where(tuple_(v.c.focusgebied, v.c.indicator).in_(weg)))
    if not geldig:
        return
    areas = sorted({area for area, _ in geldig})
    # the series of the areas, of the rest of their gemeenten and of Nederland
    regios = set(areas) | {_rest(gebieden[a]) for a in areas} | {NEDERLAND}
    reeksen: dict[tuple[str, str], list[berekening.Punt]] = defaultdict(list)
    m = meting.c
    gekozen = (m.indicator.in_(codes), m.regio.in_(sorted(regios)))
    punt = berekening.Punt
    for indicator_code, regio, periode, begin, eind, waarde, status in (await session.execute(
            select(m.indicator, m.regio, m.periode, m.begin, m.eind, m.waarde, m.status)
            .where(*gekozen, m.ingetrokken.is_(False)).order_by(m.begin, m.eind))).all():
        reeksen[(regio, indicator_code)].append(punt(periode, begin, eind, waarde, status))
    # the latest event per series (a withdrawal too), computed where the rows are
    for r in (await session.execute(
            select(m.regio, m.indicator, m.event_tijd, m.event_id).where(*gekozen)
            .ext(distinct_on(m.regio, m.indicator))
            .order_by(m.regio, m.indicator, m.event_tijd.desc(), m.event_id.desc()))).all():
        bron((r.regio, r.indicator), r)
    nul: dict[tuple[str, str], tuple[str, Decimal]] = {}
    for r in (await session.execute(select(nulmeting).where(
            nulmeting.c.focusgebied.in_(areas), nulmeting.c.indicator.in_(codes)))).all():
        nul[(r.focusgebied, r.indicator)] = (r.periode, r.waarde)
        bron((r.focusgebied, r.indicator), r)
    doelen: dict[tuple[str, str], list[tuple[str, Decimal]]] = defaultdict(list)
    for r in (await session.execute(
            select(streefwaarde).where(streefwaarde.c.focusgebied.in_(areas),
                                       streefwaarde.c.indicator.in_(codes)))).all():
        doelen[(r.focusgebied, r.indicator)].append((r.doelperiode, r.waarde))
        bron((r.focusgebied, r.indicator), r)
    for gebied in (await session.execute(select(focusgebied.c.code, focusgebied.c.event_tijd,
                                                focusgebied.c.event_id)
                                         .where(focusgebied.c.code.in_(areas)))).all():
        bron(gebied.code, gebied)
    for code in codes:
        bron(code, indicatoren[code])
    rows = []
    for area, code in sorted(geldig):
        ind = indicatoren[code]
        gegevens = berekening.bereken(
            berekening.Indicator(ind.code, ind.naam, ind.actielijn, ind.eenheid, ind.richting,
                                 ind.periodetype, ind.combinatie),
            nul.get((area, code)), doelen.get((area, code), []), reeksen.get((area, code), []),
            [berekening.Vergelijking(_rest(gebieden[area]), "rest-gemeente",
                                     reeksen.get((_rest(gebieden[area]), code), [])),
             berekening.Vergelijking(NEDERLAND, "nederland",
                                     reeksen.get((NEDERLAND, code), []))])
        rest = _rest(gebieden[area])
        tijd, event_id = max(vers[k] for k in (
            (area, code), (rest, code), (NEDERLAND, code), area, code) if k in vers)
        rows.append({"focusgebied": area, "indicator": code, "actielijn": ind.actielijn,
                     "status": gegevens["status"], "gegevens": gegevens,
                     "laatste_event_id": event_id, "laatste_event_tijd": tijd})
    statement = insert(v)
    await session.execute(statement.on_conflict_do_update(
        index_elements=[v.c.focusgebied, v.c.indicator],
        set_={name: statement.excluded[name] for name in
              ("actielijn", "status", "gegevens", "laatste_event_id", "laatste_event_tijd")}
        | {"bijgewerkt_op": func.now()}), rows)


async def _geld(session: AsyncSession, touched: dict[str, CloudEvent]) -> None:
    """Money per area × actielijn × year: each toekenning's amount, commitments and payments
    split by its budget line's actielijn shares (largest remainder, to the cent), as financien
    splits them. Money on a line whose shares are not known yet waits for the line's event."""
    areas = sorted(touched)
    regels = {r.code: r for r in (await session.execute(
        select(begrotingsregel.c.code, begrotingsregel.c.aandelen, begrotingsregel.c.event_tijd,
               begrotingsregel.c.event_id))).all()}
    aandelen = {code: [(int(a), Decimal(p)) for a, p in r.aandelen]
                for code, r in regels.items()}
    vers: dict[str, tuple[Any, str]] = {}  # area → latest event of its money facts

    def bron(area: str, r: Any) -> None:
        if area not in vers or (r.event_tijd, r.event_id) > vers[area]:
            vers[area] = (r.event_tijd, r.event_id)
    # per toekenning: (area, line, year) and its three sums
    sommen: dict[Any, dict[str, Any]] = {}
    for r in (await session.execute(select(toekenning).where(
            toekenning.c.focusgebied.in_(areas)))).all():
        sommen[r.id] = {"area": r.focusgebied, "regel": r.begrotingsregel, "jaar": r.jaar,
                        "toegekend": r.bedrag, "verplicht": NUL, "betaald": NUL}
        bron(r.focusgebied, r)
    for r in (await session.execute(select(realisatie).where(
            realisatie.c.focusgebied.in_(areas)))).all():
        s = sommen.setdefault(r.toekenning, {
            "area": r.focusgebied, "regel": r.begrotingsregel, "jaar": r.jaar,
            "toegekend": NUL, "verplicht": NUL, "betaald": NUL})
        bron(r.focusgebied, r)
        if r.soort in ("verplichting", "betaling"):
            s["verplicht" if r.soort == "verplichting" else "betaald"] += r.bedrag
    cellen: dict[tuple[str, int, int], dict[str, Decimal]] = defaultdict(
        lambda: {"toegekend": NUL, "verplicht": NUL, "betaald": NUL})
    for s in sommen.values():
        verdeling = aandelen.get(s["regel"])
        if not verdeling:
            continue  # the line (and its shares) is not known yet
        bron(s["area"], regels[s["regel"]])
        for soort in ("toegekend", "verplicht", "betaald"):
            for actielijn, deel in verdeel(s[soort], verdeling).items():
                cellen[(s["area"], actielijn, s["jaar"])][soort] += deel
    await session.execute(delete(voortgang_geld).where(voortgang_geld.c.focusgebied.in_(areas)))
    rows = [{"focusgebied": area, "actielijn": actielijn, "jaar": jaar, **bedragen,
             "laatste_event_id": vers[area][1], "laatste_event_tijd": vers[area][0]}
            for (area, actielijn, jaar), bedragen in sorted(cellen.items())]
    if rows:
        await session.execute(insert(voortgang_geld), rows)


async def _stand(session: AsyncSession, areas: list[str],
                 verhuisd: dict[str, CloudEvent]) -> None:
    """An area's freshness: the latest event of the facts its views are computed from (the
    area, its interventies, the freshness of its indicator and money rows), so it does not
    depend on the order in which topics were read: a rebuild gives the same. An interventie
    that moved out changed the area it left too: that event counts there as well. Freshness
    never goes back."""
    if not areas:
        return
    f, i, iv, vg = focusgebied, interventie, indicator_voortgang, voortgang_geld
    bronnen = union_all(
        select(f.c.code.label("gebied"), f.c.event_id.label("id"), f.c.event_tijd.label("tijd"))
        .where(f.c.code.in_(areas)),
        select(i.c.focusgebied, i.c.event_id, i.c.event_tijd).where(i.c.focusgebied.in_(areas)),
        select(iv.c.focusgebied, iv.c.laatste_event_id, iv.c.laatste_event_tijd)
        .where(iv.c.focusgebied.in_(areas)),
        select(vg.c.focusgebied, vg.c.laatste_event_id, vg.c.laatste_event_tijd)
        .where(vg.c.focusgebied.in_(areas)),
    ).subquery()
    laatste = (select(bronnen.c.gebied, bronnen.c.id, bronnen.c.tijd)
               .ext(distinct_on(bronnen.c.gebied))
               .order_by(bronnen.c.gebied, bronnen.c.tijd.desc(), bronnen.c.id.desc()))
    statement = insert(stand).from_select(
        ["focusgebied", "laatste_event_id", "laatste_event_tijd"], laatste)
    await session.execute(_later(statement))
    if verhuisd:
        statement = insert(stand)
        await session.execute(_later(statement), [
            {"focusgebied": area, "laatste_event_id": str(event.id),
             "laatste_event_tijd": event.time} for area, event in verhuisd.items()])


def _later(statement: Any) -> Any:
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[stand.c.focusgebied],
        set_={"laatste_event_id": excluded.laatste_event_id,
              "laatste_event_tijd": excluded.laatste_event_tijd, "bijgewerkt_op": func.now()},
        where=tuple_(stand.c.laatste_event_tijd, stand.c.laatste_event_id)
        <= tuple_(excluded.laatste_event_tijd, excluded.laatste_event_id))
