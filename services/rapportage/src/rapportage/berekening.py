"""Indicator progress of one focusgebied × indicator: pure arithmetic, no I/O.

The rules (documented in the README, "Hoe de voortgang wordt berekend"):

- **Time.** A period counts at its midpoint, in years (days / 365.25).
- **Target.** Of the area's streefwaarden, the first whose period ends on or after the latest
  meting's period; when all lie before it, the last one.
- **Progress** = (latest − nulmeting) / |streefwaarde − nulmeting|, signed by the indicator's
  direction (`lager-is-beter`: a fall is progress); a `neutraal` indicator has no direction of
  its own, so its target gives it: (latest − nulmeting) / (streefwaarde − nulmeting).
- **Trajectory.** The straight line from the nulmeting to the target; `verwachteVoortgang` is the
  share of that line's time that has passed at the latest meting (0–1), `trajectwaarde` the value
  the line has then.
- **Status** against the trajectory: `op-koers` when progress lags the trajectory by at most
  0.10 (ten percentage points of the way), `risico` up to 0.25, `achter` beyond that;
  `onvoldoende-gegevens` without a nulmeting, a target, or a meting after the nulmeting's period.
  A target equal to its nulmeting (hold the level) is `op-koers` when the latest value is at
  least as good, else `achter`.
- **Forecast.** Least squares over the area's last 6 metingen (at least 3): the period (of the
  indicator's period type) in which the trend line reaches the target; `bereikt` when progress is
  already ≥ 1; `niet-bij-huidig-tempo` when the trend does not move towards the target or reaches
  it only after 2100.
- **Gap to a comparison region** (the rest of the gemeente, Nederland): area − region in the
  latest period both have, and in the earliest; it narrows when its absolute size shrank. Not
  for an indicator in absolute numbers (`eenheid` `aantal`: an area's count beside a country's
  says nothing): the regions' values are shown, the gap is not computed.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from nplv_shared import perioden

EPOCH = date(2000, 1, 1)
JAAR = Decimal("365.25")
OP_KOERS = Decimal("0.10")
RISICO = Decimal("0.25")
TREND_PUNTEN = 6
MIN_TREND_PUNTEN = 3
VIER = Decimal("0.0001")
LAATSTE_JAAR = 2100


class Punt(NamedTuple):  # a tuple: thousands are made per batch
    periode: str
    begin: date
    eind: date
    waarde: Decimal
    status: str = "definitief"

    @property
    def t(self) -> Decimal:
        return _t(self.begin, self.eind)


@dataclass(frozen=True)
class Indicator:
    code: str
    naam: str
    actielijn: int
    eenheid: str
    richting: str
    periodetype: str
    combinatie: str


@dataclass(frozen=True)
class Vergelijking:
    regio: str
    soort: str  # rest-gemeente | nederland
    reeks: list[Punt]


def _t(begin: date, eind: date) -> Decimal:
    midden = begin + (eind - begin) / 2
    return Decimal((midden - EPOCH).days) / JAAR


def _periode_t(periode: str) -> tuple[Decimal, date]:
    p = perioden.parse(periode)
    return _t(p.begin, p.eind), p.eind


def tekst(value: Decimal) -> str:
    """A decimal as plain text, never in exponent form (PostgreSQL's numeric 800000 arrives
    from asyncpg as Decimal('8.0E+5'))."""
    return format(value, "f")


def _vier(value: Decimal) -> Decimal:
    return value.quantize(VIER)


def richting_teken(richting: str) -> int:
    return -1 if richting == "lager-is-beter" else 1


def bereken(ind: Indicator, nulmeting: tuple[str, Decimal] | None,
            streefwaarden: list[tuple[str, Decimal]], reeks: list[Punt],
            vergelijkingen: list[Vergelijking]) -> dict[str, Any]:
    """The figures of one view row (camelCase keys, decimals as text), with its `status`."""
    reeks = sorted(reeks, key=lambda p: (p.begin, p.eind))
    laatste = reeks[-1] if reeks else None
    doel = _doel(streefwaarden, laatste)
    uitkomst: dict[str, Any] = {
        "indicator": ind.code, "naam": ind.naam, "actielijn": ind.actielijn,
        "eenheid": ind.eenheid, "richting": ind.richting, "combinatie": ind.combinatie,
        "nulmeting": None if nulmeting is None else {"periode": nulmeting[0],
                                                     "waarde": tekst(nulmeting[1])},
        "laatsteMeting": None if laatste is None else {
            "periode": laatste.periode, "waarde": tekst(laatste.waarde), "status": laatste.status},
        "streefwaarde": None if doel is None else {"periode": doel[0], "waarde": tekst(doel[1])},
        "streefwaarden": [{"periode": p, "waarde": tekst(w)} for p, w in sorted(streefwaarden)],
        "aantalMetingen": len(reeks),
        "voortgang": None, "verwachteVoortgang": None, "trajectwaarde": None,
        "status": "onvoldoende-gegevens",
        "prognose": _prognose(ind, reeks, doel, None),
        "vergelijking": [_kloof(v, reeks, vergelijkbaar=ind.eenheid != "aantal")
                         for v in vergelijkingen],
    }
    if nulmeting is None or doel is None or laatste is None:
        return uitkomst
    t0, eind0 = _periode_t(nulmeting[0])
    if laatste.eind <= eind0:
        return uitkomst  # nothing measured after the nulmeting yet
    basis, streef = nulmeting[1], doel[1]
    tT, _ = _periode_t(doel[0])
    verwacht = Decimal(1) if tT <= t0 else min(max((laatste.t - t0) / (tT - t0), Decimal(0)),
                                               Decimal(1))
    uitkomst["verwachteVoortgang"] = tekst(_vier(verwacht))
    uitkomst["trajectwaarde"] = tekst(_vier(basis + (streef - basis) * verwacht))
    teken = richting_teken(ind.richting)
    if streef == basis:  # hold the level
        goed = laatste.waarde == streef if ind.richting == "neutraal" else \
            teken * (laatste.waarde - streef) >= 0
        uitkomst["status"] = "op-koers" if goed else "achter"
        return uitkomst
    if ind.richting == "neutraal":
        voortgang = (laatste.waarde - basis) / (streef - basis)
    else:
        voortgang = teken * (laatste.waarde - basis) / abs(streef - basis)
    uitkomst["voortgang"] = tekst(_vier(voortgang))
    achterstand = verwacht - voortgang
    uitkomst["status"] = ("op-koers" if achterstand <= OP_KOERS else
                          "risico" if achterstand <= RISICO else "achter")
    uitkomst["prognose"] = _prognose(ind, reeks, doel, voortgang)
    return uitkomst


def _doel(streefwaarden: list[tuple[str, Decimal]],
          laatste: Punt | None) -> tuple[str, Decimal] | None:
    if not streefwaarden:
        return None
    op_volgorde = sorted(streefwaarden, key=lambda s: perioden.parse(s[0]).eind)
    if laatste is None:
        return op_volgorde[0]
    for periode, waarde in op_volgorde:
        if perioden.parse(periode).eind >= laatste.eind:
            return periode, waarde
    return op_volgorde[-1]


def _prognose(ind: Indicator, reeks: list[Punt], doel: tuple[str, Decimal] | None,
              voortgang: Decimal | None) -> dict[str, Any]:
    punten = reeks[-TREND_PUNTEN:]
    leeg: dict[str, Any] = {"uitkomst": "onvoldoende-gegevens", "periode": None,
                            "trendPerJaar": None, "aantalPunten": len(punten)}
    if doel is None or voortgang is None or len(punten) < MIN_TREND_PUNTEN:
        return leeg
    n = Decimal(len(punten))
    ts = [p.t for p in punten]
    vs = [p.waarde for p in punten]
    gem_t, gem_v = sum(ts) / n, sum(vs) / n
    noemer = sum((t - gem_t) ** 2 for t in ts)
    if noemer == 0:
        return leeg
    helling = sum((t - gem_t) * (v - gem_v) for t, v in zip(ts, vs, strict=True)) / noemer
    snijpunt = gem_v - helling * gem_t
    resultaat = {**leeg, "trendPerJaar": tekst(_vier(helling)), "uitkomst": "verwacht"}
    laatste = punten[-1]
    if voortgang >= 1:
        return {**resultaat, "uitkomst": "bereikt", "periode": laatste.periode}
    streef = doel[1]
    if helling == 0 or (streef - laatste.waarde) * helling <= 0:
        return {**resultaat, "uitkomst": "niet-bij-huidig-tempo"}
    t_doel = (streef - snijpunt) / helling
    dag = EPOCH + timedelta(days=int((t_doel * JAAR).to_integral_value()))
    if t_doel <= laatste.t:  # the line is past the target, the last value not yet: next period
        dag = laatste.eind + timedelta(days=1)
    if dag.year > LAATSTE_JAAR:
        return {**resultaat, "uitkomst": "niet-bij-huidig-tempo"}
    periode = perioden.containing(perioden.PeriodeType(ind.periodetype), dag)
    return {**resultaat, "periode": periode.id}


def _kloof(vergelijking: Vergelijking, reeks: list[Punt], *,
           vergelijkbaar: bool) -> dict[str, Any]:
    eigen = {p.periode: p.waarde for p in reeks}
    gedeeld = sorted((p for p in vergelijking.reeks if p.periode in eigen),
                     key=lambda p: (p.begin, p.eind))
    uitkomst: dict[str, Any] = {"regio": vergelijking.regio, "soort": vergelijking.soort,
                                "periode": None, "waarde": None, "kloof": None,
                                "beginPeriode": None, "kloofBijBegin": None,
                                "wordtKleiner": None, "vergelijkbaar": vergelijkbaar}
    if not gedeeld:
        return uitkomst
    if not vergelijkbaar:
        nu = gedeeld[-1]
        return {**uitkomst, "periode": nu.periode, "waarde": tekst(nu.waarde)}
    nu, begin = gedeeld[-1], gedeeld[0]
    kloof_nu, kloof_begin = eigen[nu.periode] - nu.waarde, eigen[begin.periode] - begin.waarde
    uitkomst.update(periode=nu.periode, waarde=tekst(nu.waarde), kloof=tekst(kloof_nu))
    if len(gedeeld) >= 2:
        uitkomst.update(beginPeriode=begin.periode, kloofBijBegin=tekst(kloof_begin),
                        wordtKleiner=abs(kloof_nu) < abs(kloof_begin))
    return uitkomst
