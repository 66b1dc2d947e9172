"""Builds the half-yearly report from the facts as of the end of its period (pure, no I/O), and
the list of those facts with the event behind each (what a difference list compares).

"As of the end of the period" (the README, "De halfjaarlijkse voortgangsrapportage"):

- **Indicators**: the metingen of periods that ended by the peildatum (a 2024S2 meting is not in
  2024S1's report), with their current value: a later correction of a 2024S1 value changes the
  concept, and shows as a difference against a published 2024S1 report. The figures are those
  of `rapportage.berekening`, computed on that series.
- **Interventies**: who and what (area, actielijn, title, dates) as known now; the state that
  changes over time (status, planned and realised output) as it was at the peildatum, from the
  event time of each change. An interventie first recorded after the peildatum is in the report
  when its startdatum lies on or before it, with its first recorded state, and marked `nagemeld`.
- **Money**: toekenningen of budget years up to the period's year; commitments and payments
  dated up to the peildatum; split over the actielijnen by the budget line's shares (largest
  remainder, to the cent), as financien and the views split them.
"""

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from nplv_shared import perioden
from nplv_shared.verdeling import verdeel
from rapportage import berekening
from rapportage.berekening import tekst
from rapportage.projectie.leesmodellen import NEDERLAND
from rapportage.voortgang.schemas import JaarGeld, NationaleContext, Output, StatusAantal
from rapportage.voortgang.service import STATUSSEN, combineer
from rapportage.voortgangsrapportage.repository import Gegevens
from rapportage.voortgangsrapportage.schemas import (
    Interventieregel,
    Interventietelling,
    ProgrammaActielijnRapport,
    RapportActielijn,
    RapportGebied,
    RapportGeld,
    RapportIndicator,
    RapportInterventies,
    RapportProgramma,
    Reekspunt,
    Vergelijkingsreeks,
    Voortgangsrapport,
)

ACTIELIJNEN = {
    1: "Integrale aanpak met duidelijke regie en een adequaat juridisch instrumentarium",
    2: "Slechte woningen verbeteren en meer gemengde wijken",
    3: "Meer bewoners kunnen meedoen in de samenleving",
    4: "Preventie van jeugdcriminaliteit en weerbaardere jongeren",
}
INTERVENTIESTATUSSEN = ("gepland", "lopend", "afgerond", "gestopt")
NUL = Decimal("0.00")
GELDSOORTEN = ("toegekend", "verplicht", "betaald", "verplicht_in_periode", "betaald_in_periode")

Feiten = dict[str, dict[str, Any]]


def _tekst(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return tekst(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


class _Feitenlijst:
    """The facts with their events; only kept when asked for (publication, differences)."""

    def __init__(self, *, bijhouden: bool) -> None:
        self.feiten: Feiten = {}
        self.bijhouden = bijhouden

    def voeg_toe(self, wat: str, sleutel: str, row: Any, **velden: Any) -> None:
        if not self.bijhouden:
            return
        self.feiten[f"{wat} {sleutel}"] = {
            "soort": wat,
            "velden": {naam: _tekst(waarde) for naam, waarde in velden.items()},
            "event": {"id": row.event_id, "type": row.event_type, "source": row.event_source,
                      "tijd": row.event_tijd.isoformat()}}


def bouw(periode: perioden.Periode, g: Gegevens, *,
         met_feiten: bool = True) -> tuple[Voortgangsrapport, Feiten | None]:
    """The report, and (`met_feiten`) the facts behind it with the event of each."""
    feiten = _Feitenlijst(bijhouden=met_feiten)
    gebieden = {r.code: r for r in g.gebieden}
    for r in g.gebieden:
        feiten.voeg_toe("focusgebied", r.code, r, naam=r.naam, gemeente=r.gemeente,
                        inwoners=r.inwoners)
    indicatoren = _indicatoren(g, feiten)
    interventies = _interventies(periode, g, gebieden, feiten)
    geld = _geld(periode, g, gebieden, feiten)
    per_gebied = []
    for code, gebied in gebieden.items():
        actielijnen = []
        for nummer, naam in ACTIELIJNEN.items():
            ind = [i for (area, _), i in indicatoren.items()
                   if area == code and i.actielijn == nummer]
            lijst = interventies.get((code, nummer), [])
            cellen = geld.get((code, nummer), {})
            actielijnen.append(RapportActielijn(
                actielijn=nummer, naam=naam, indicatoren_per_status=_per_status(ind),
                indicatoren=ind,
                interventies=RapportInterventies(**_telling(lijst).model_dump(), lijst=lijst),
                geld=_geldsom(cellen.values()),
                geld_per_jaar=[JaarGeld(jaar=jaar, **_geldsom([cel]).model_dump(
                    include={"toegekend", "verplicht", "betaald", "resterend"}))
                    for jaar, cel in sorted(cellen.items())]))
        per_gebied.append(RapportGebied(focusgebied=code, naam=gebied.naam,
                                        gemeente=gebied.gemeente, actielijnen=actielijnen))
    rapport = Voortgangsrapport(
        periode=periode.id, begin=periode.begin, eind=periode.eind,
        programma=_programma(per_gebied, gebieden, _nederland(g)),
        focusgebieden=per_gebied)
    return rapport, feiten.feiten if met_feiten else None


# --- indicators ---------------------------------------------------------------------------------
def _indicatoren(g: Gegevens, feiten: _Feitenlijst) -> dict[tuple[str, str], RapportIndicator]:
    reeksen: dict[tuple[str, str], list[berekening.Punt]] = defaultdict(list)
    for m in g.metingen:
        feiten.voeg_toe("meting", f"{m.indicator} {m.regio} {m.periode}", m, waarde=m.waarde,
                        status=m.status, ingetrokken=m.ingetrokken)
        if not m.ingetrokken:
            reeksen[(m.regio, m.indicator)].append(
                berekening.Punt(m.periode, m.begin, m.eind, m.waarde, m.status))
    nul = {}
    for r in g.nulmetingen:
        nul[(r.focusgebied, r.indicator)] = (r.periode, r.waarde)
        feiten.voeg_toe("nulmeting", f"{r.indicator} {r.focusgebied}", r, periode=r.periode,
                        waarde=r.waarde)
    doelen: dict[tuple[str, str], list[tuple[str, Decimal]]] = defaultdict(list)
    for r in g.streefwaarden:
        doelen[(r.focusgebied, r.indicator)].append((r.doelperiode, r.waarde))
        feiten.voeg_toe("streefwaarde", f"{r.indicator} {r.focusgebied} {r.doelperiode}", r,
                        waarde=r.waarde)
    uitkomst: dict[tuple[str, str], RapportIndicator] = {}
    gedeeld: dict[tuple[str, str], list[Reekspunt]] = {}  # a region's series, once for all areas

    def punten(regio: str, code: str) -> list[Reekspunt]:
        if (regio, code) not in gedeeld:
            gedeeld[(regio, code)] = _punten(reeksen.get((regio, code), []))
        return gedeeld[(regio, code)]

    for ind in g.indicatoren:
        feiten.voeg_toe("indicator", ind.code, ind, naam=ind.naam, eenheid=ind.eenheid,
                        richting=ind.richting, combinatie=ind.combinatie,
                        betekenisversie=ind.betekenisversie)
        for gebied in g.gebieden:
            if ind.focusgebied not in (None, gebied.code):
                continue
            rest = f"{gebied.gemeente}-rest"
            vergelijkingen = [
                berekening.Vergelijking(rest, "rest-gemeente", reeksen.get((rest, ind.code), [])),
                berekening.Vergelijking(NEDERLAND, "nederland",
                                        reeksen.get((NEDERLAND, ind.code), []))]
            reeks = reeksen.get((gebied.code, ind.code), [])
            cijfers = berekening.bereken(
                berekening.Indicator(ind.code, ind.naam, ind.actielijn, ind.eenheid,
                                     ind.richting, ind.periodetype, ind.combinatie),
                nul.get((gebied.code, ind.code)), doelen.get((gebied.code, ind.code), []),
                reeks, vergelijkingen)
            uitkomst[(gebied.code, ind.code)] = RapportIndicator.model_validate({
                **cijfers, "reeks": _punten(reeks),
                "vergelijkingsreeksen": [Vergelijkingsreeks(regio=v.regio, soort=v.soort,
                                                            punten=punten(v.regio, ind.code))
                                         for v in vergelijkingen]})
    return uitkomst


def _punten(reeks: Iterable[berekening.Punt]) -> list[Reekspunt]:
    return [Reekspunt(periode=p.periode, waarde=tekst(p.waarde), status=p.status)
            for p in sorted(reeks, key=lambda p: (p.begin, p.eind))]


def _per_status(indicatoren: Iterable[RapportIndicator]) -> list[StatusAantal]:
    counts = Counter(i.status for i in indicatoren)
    return [StatusAantal(status=s, aantal=counts.get(s, 0)) for s in STATUSSEN]


def _nederland(g: Gegevens) -> list[NationaleContext]:
    laatste: dict[str, Any] = {}
    for m in g.metingen:  # ordered by period
        if m.regio == NEDERLAND and not m.ingetrokken:
            laatste[m.indicator] = m
    return [NationaleContext(indicator=i.code, naam=i.naam, actielijn=i.actielijn,
                             periode=laatste[i.code].periode if i.code in laatste else None,
                             waarde=tekst(laatste[i.code].waarde) if i.code in laatste else None)
            for i in g.indicatoren if i.kernindicator is not None]


# --- interventies --------------------------------------------------------------------------------
def _interventies(periode: perioden.Periode, g: Gegevens, gebieden: dict[str, Any],
                  feiten: _Feitenlijst) -> dict[tuple[str, int], list[Interventieregel]]:
    uitkomst: dict[tuple[str, int], list[Interventieregel]] = defaultdict(list)
    for r in g.interventies:
        staat = g.staat.get(r.id)
        nagemeld = r.id in g.nagemeld
        if staat is None:  # no history kept (before the migration's rebuild): the current state
            staat, nagemeld = r, r.event_tijd.date() > periode.eind
        if nagemeld and (r.startdatum is None or r.startdatum > periode.eind):
            continue  # recorded after the period, and not begun by its end
        if staat.verwijderd and not nagemeld:
            continue  # already deleted at the peildatum
        regel = Interventieregel(
            id=r.id, titel=r.titel, ministerie=r.ministerie, status=staat.status,
            startdatum=r.startdatum, einddatum=r.einddatum,
            output_eenheid=r.output_eenheid or None, geplande_output=staat.geplande_output,
            gerealiseerde_output=staat.gerealiseerde_output,
            gestart_in_periode=_binnen(r.startdatum, periode),
            beeindigd_in_periode=_binnen(r.einddatum, periode), nagemeld=nagemeld)
        feiten.voeg_toe("interventie", str(r.id), r, focusgebied=r.focusgebied,
                        actielijn=r.actielijn, titel=r.titel, status=regel.status,
                        startdatum=r.startdatum, einddatum=r.einddatum,
                        outputEenheid=regel.output_eenheid, geplandeOutput=regel.geplande_output,
                        gerealiseerdeOutput=regel.gerealiseerde_output, nagemeld=nagemeld,
                        verwijderd=r.verwijderd)
        if not r.verwijderd and r.focusgebied in gebieden:
            uitkomst[(r.focusgebied, r.actielijn)].append(regel)
    for lijst in uitkomst.values():  # by start, then title: as a reader looks them up
        lijst.sort(key=lambda i: (i.startdatum or date.max, i.titel or "", i.id))
    return uitkomst


def _binnen(dag: date | None, periode: perioden.Periode) -> bool:
    return dag is not None and periode.begin <= dag <= periode.eind


def _telling(lijst: Iterable[Interventieregel]) -> Interventietelling:
    lijst = list(lijst)
    statussen = Counter(i.status for i in lijst)
    output: dict[str, list[Decimal]] = defaultdict(lambda: [NUL, NUL])
    for i in lijst:
        if i.output_eenheid:
            output[i.output_eenheid][0] += i.geplande_output or NUL
            output[i.output_eenheid][1] += i.gerealiseerde_output or NUL
    return Interventietelling(
        aantal=len(lijst),
        per_status=[StatusAantal(status=s, aantal=statussen.get(s, 0)) for s in
                    (*INTERVENTIESTATUSSEN, *sorted(set(statussen) - set(INTERVENTIESTATUSSEN)))],
        output=[Output(eenheid=e, gepland=p, gerealiseerd=r)
                for e, (p, r) in sorted(output.items())],
        gestart_in_periode=sum(i.gestart_in_periode for i in lijst),
        beeindigd_in_periode=sum(i.beeindigd_in_periode for i in lijst),
        nagemeld=sum(i.nagemeld for i in lijst))


# --- money ---------------------------------------------------------------------------------------
def _geld(periode: perioden.Periode, g: Gegevens, gebieden: dict[str, Any],
          feiten: _Feitenlijst) -> dict[tuple[str, int], dict[int, dict[str, Decimal]]]:
    """(area, actielijn) → jaar → the five sums."""
    aandelen = {}
    for r in g.regels:
        aandelen[r.code] = [(int(a), Decimal(p)) for a, p in r.aandelen]
        feiten.voeg_toe("begrotingsregel", r.code, r, ministerie=r.ministerie,
                        aandelen=", ".join(f"actielijn {a}: {p}%" for a, p in r.aandelen))
    sommen: dict[uuid.UUID, dict[str, Any]] = {}
    for r in g.toekenningen:
        sommen[r.id] = {"area": r.focusgebied, "regel": r.begrotingsregel, "jaar": r.jaar,
                        **dict.fromkeys(GELDSOORTEN, NUL), "toegekend": r.bedrag}
        feiten.voeg_toe("toekenning", str(r.id), r, focusgebied=r.focusgebied,
                        begrotingsregel=r.begrotingsregel, jaar=r.jaar, bedrag=r.bedrag)
    for r in g.realisaties:
        s = sommen.setdefault(r.toekenning, {
            "area": r.focusgebied, "regel": r.begrotingsregel, "jaar": r.jaar,
            **dict.fromkeys(GELDSOORTEN, NUL)})
        feiten.voeg_toe("realisatie", str(r.id), r, toekenning=r.toekenning, soort=r.soort,
                        bedrag=r.bedrag, datum=r.datum)
        if r.soort not in ("verplichting", "betaling"):
            continue
        soort = "verplicht" if r.soort == "verplichting" else "betaald"
        s[soort] += r.bedrag
        if r.datum >= periode.begin:
            s[f"{soort}_in_periode"] += r.bedrag
    cellen: dict[tuple[str, int], dict[int, dict[str, Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: dict.fromkeys(GELDSOORTEN, NUL)))
    for s in sommen.values():
        verdeling = aandelen.get(s["regel"])
        if not verdeling or s["area"] not in gebieden:
            continue  # the line's shares are not known yet
        for soort in GELDSOORTEN:
            for actielijn, deel in verdeel(s[soort], verdeling).items():
                cellen[(s["area"], actielijn)][s["jaar"]][soort] += deel
    return cellen


def _geldsom(cellen: Iterable[dict[str, Decimal]]) -> RapportGeld:
    som = dict.fromkeys(GELDSOORTEN, NUL)
    for cel in cellen:
        for soort in GELDSOORTEN:
            som[soort] += cel[soort]
    return RapportGeld(**som, resterend=som["toegekend"] - som["betaald"])


# --- the programme -------------------------------------------------------------------------------
def _programma(per_gebied: list[RapportGebied], gebieden: dict[str, Any],
               nederland: list[NationaleContext]) -> RapportProgramma:
    actielijnen = []
    for nummer, naam in ACTIELIJNEN.items():
        delen = [a for g in per_gebied for a in g.actielijnen if a.actielijn == nummer]
        rijen: dict[str, list[Any]] = defaultdict(list)
        for gebied in per_gebied:
            for a in gebied.actielijnen:
                if a.actielijn != nummer:
                    continue
                for i in a.indicatoren:
                    rijen[i.indicator].append(SimpleNamespace(
                        focusgebied=gebied.focusgebied, status=i.status,
                        gegevens=i.model_dump(mode="json", by_alias=True)))
        geld = [d.geld for d in delen]
        actielijnen.append(ProgrammaActielijnRapport(
            actielijn=nummer, naam=naam,
            indicatoren_per_status=_per_status(i for d in delen for i in d.indicatoren),
            indicatoren=[combineer(r, gebieden) for r in rijen.values()],
            interventies=_telling(i for d in delen for i in d.interventies.lijst),
            geld=RapportGeld(**{veld: sum((getattr(x, veld) for x in geld), NUL)
                                for veld in (*GELDSOORTEN, "resterend")})))
    return RapportProgramma(aantal_focusgebieden=len(per_gebied), actielijnen=actielijnen,
                            nederland=nederland)
