"""Line chart (inline SVG, pure Python) of one indicator in one focusgebied, for the printable
half-yearly progress report.

What is drawn: the focusgebied's metingen (solid line, filled circles), the comparison regions
(dotted line with open squares, dash-dot line with triangles), the trajectory as a dashed line
from the nulmeting to the streefwaarde, and the streefwaarde as a diamond with a text label.
The x axis is time: each period sits at its midpoint, the axis spans whole calendar years with
tick marks at 1 January and the year labels centred in their year (at most eight labels). The
y axis has "nice" steps (1, 2, 2,5 or 5 × 10^k) with Dutch number formatting. The legend is text
inside the SVG, so the chart stands on its own on paper.

Accessibility (WCAG 2.1 AA): the `<svg>` has `role="img"` and `aria-labelledby` naming its
`<title>` and `<desc>`; the desc says in words what the chart shows (first and last meting,
streefwaarde, trajectwaarde and the desired direction), so nothing is told only by the drawing.
Series differ in dash pattern and marker shape as well as colour. Every line and marker colour
has a contrast of at least 3:1 with white and every text colour at least 4.5:1 (the tests
compute them); only the grid lines are lighter: they are decoration, the tick labels carry the
values. Output is deterministic and self-contained (no scripts, fonts or links); all text is
XML-escaped; the viewBox is fixed and `width="100%"` lets it scale on screen and in print.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from nplv_shared import perioden


@dataclass(frozen=True)
class Reeks:
    label: str
    punten: list[tuple[str, Decimal]]  # (periode id, waarde)


@dataclass(frozen=True)
class Grafiekgegevens:
    id: str
    titel: str
    eenheid: str
    gebied: Reeks
    vergelijkingen: list[Reeks]
    nulmeting: tuple[str, Decimal] | None
    streefwaarde: tuple[str, Decimal] | None
    richting: str  # "hoger-is-beter" | "lager-is-beter" | "neutraal"


@dataclass(frozen=True)
class Stijl:
    kleur: str
    streep: str | None  # stroke-dasharray; None is a solid line
    marker: str | None  # "cirkel" | "vierkant" | "driehoek" | "ruit"


TEKST = "#535353"  # text, axes and tick marks (7.8:1 on white)
RASTER = "#E6E6E6"  # grid lines: decoration only
GEBIED = Stijl("#154273", None, "cirkel")
VERGELIJKINGEN = (Stijl("#8F4A00", "2 3", "vierkant"), Stijl("#39870C", "8 3 2 3", "driehoek"))
TRAJECT = Stijl("#007BC7", "6 4", None)
STREEFWAARDE = Stijl("#A90061", None, "ruit")

RICHTINGEN = {"hoger-is-beter": "Een hogere waarde is beter.",
              "lager-is-beter": "Een lagere waarde is beter.",
              "neutraal": "Er is geen gewenste richting."}
GEEN_METINGEN = "Geen metingen beschikbaar"
BREEDTE, RECHTS, BOVEN, ONDER = 640, 624, 28, 260
LEGENDA_Y, REGEL = 300, 20
NICE = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


@dataclass(frozen=True)
class _Punt:
    tijd: int  # twice the midpoint's day ordinal, so every midpoint is an integer
    periode: str
    waarde: Decimal


@dataclass(frozen=True)
class _Serie:
    naam: str  # "gebied", "vergelijking-1", …
    label: str
    stijl: Stijl
    punten: list[_Punt]  # in time order


@dataclass(frozen=True)
class _Schaal:
    t0: int
    t1: int
    y0: Decimal
    y1: Decimal
    links: int

    def x(self, tijd: int) -> float:
        return self.links + (RECHTS - self.links) * (tijd - self.t0) / (self.t1 - self.t0)

    def y(self, waarde: Decimal) -> float:
        return ONDER - (ONDER - BOVEN) * float((waarde - self.y0) / (self.y1 - self.y0))


def _punt(periode: str, waarde: Decimal) -> _Punt:
    p = perioden.parse(MAAND.sub(r"\1\2", periode))  # also 2022M03
    return _Punt(p.begin.toordinal() + p.eind.toordinal(), p.id, waarde)


def _series(g: Grafiekgegevens) -> list[_Serie]:
    """The focusgebied first, then the comparisons, each with its style and sorted points."""
    reeksen = [g.gebied, *g.vergelijkingen]
    namen = ["gebied", *(f"vergelijking-{i}" for i in range(1, len(reeksen)))]
    stijlen = [GEBIED, *(VERGELIJKINGEN[i % 2] for i in range(len(g.vergelijkingen)))]
    return [_Serie(naam, r.label, stijl, sorted((_punt(*p) for p in r.punten),
                                                 key=lambda p: (p.tijd, p.periode)))
            for naam, r, stijl in zip(namen, reeksen, stijlen, strict=True)]


def _c(v: float) -> str:
    """A coordinate with at most one decimal ("12", "12.5")."""
    return f"{round(v, 1) + 0.0:.1f}".rstrip("0").rstrip(".")


def _afgerond(waarde: Decimal, decimalen: int) -> Decimal:
    return waarde.quantize(Decimal(1).scaleb(-decimalen), ROUND_HALF_UP) + 0  # no -0


def _nl(waarde: Decimal, decimalen: int) -> str:
    """Dutch notation: decimal comma, a dot between thousands ("1.234,5", "-0,5")."""
    q = _afgerond(waarde, decimalen)
    tekst = f"{abs(q):,.{decimalen}f}".translate(str.maketrans(",.", ".,"))
    return f"-{tekst}" if q < 0 else tekst


def _decimalen(waarde: Decimal) -> int:
    exponent = waarde.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


STUURTEKENS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAAND = re.compile(r"^(\d{4})M(\d{2})$")


def _escape(s: str) -> str:
    return escape(STUURTEKENS.sub("", s), {'"': "&quot;"})


def _el(naam: str, attrs: dict[str, str | float], inhoud: str | None = None) -> str:
    """An element; `inhoud` is markup (escape text with _tekst)."""
    a = "".join(f' {k}="{_c(v) if isinstance(v, float) else _escape(v)}"'
                for k, v in attrs.items())
    return f"<{naam}{a}/>" if inhoud is None else f"<{naam}{a}>{inhoud}</{naam}>"


def _tekst(attrs: dict[str, str | float], tekst: str, naam: str = "text") -> str:
    return _el(naam, attrs, _escape(tekst))


def _svg_id(ruw: str) -> str:
    veilig = re.sub(r"[^A-Za-z0-9_.-]+", "-", ruw).strip("-")
    return veilig if re.match(r"[A-Za-z_]", veilig) else f"g-{veilig}"


def _y_ticks(waarden: list[Decimal]) -> tuple[list[Decimal], int]:
    """Ticks in a nice step from below the lowest to above the highest value (with a margin,
    never below zero for values that are not negative), and the decimals they need."""
    laag, hoog = min(waarden), max(waarden)
    marge = (hoog - laag) / 20 if hoog > laag else (abs(laag) / 10 or Decimal(1))
    onder = Decimal(0) if laag >= 0 > laag - marge else laag - marge
    ruw = (hoog + marge - onder) / 6  # about six intervals
    stap = next(n for n in NICE if n >= ruw.scaleb(-ruw.adjusted())).scaleb(ruw.adjusted())
    eerste = int((onder / stap).to_integral_value(ROUND_FLOOR))
    laatste = int(((hoog + marge) / stap).to_integral_value(ROUND_CEILING))
    return [i * stap for i in range(eerste, laatste + 1)], _decimalen(stap.normalize())


def _x_as(schaal: _Schaal, eerste: int, laatste: int) -> tuple[list[str], list[str]]:
    """Tick marks on 1 January, year labels centred in their year (at most eight)."""
    stap = next(s for s in (1, 2, 5, 10, 20, 50) if (laatste - eerste) // s + 1 <= 8)
    lijnen, teksten = [], []
    for jaar in range(eerste, laatste + 2):
        x = schaal.x(2 * date(jaar, 1, 1).toordinal())
        lijnen.append(_el("line", {"x1": x, "y1": float(ONDER), "x2": x, "y2": ONDER + 5.0}))
        if jaar <= laatste and jaar % stap == 0:
            midden = schaal.x(date(jaar, 1, 1).toordinal() + date(jaar, 12, 31).toordinal())
            teksten.append(_tekst({"x": midden, "y": ONDER + 18.0, "text-anchor": "middle"},
                                  str(jaar)))
    return lijnen, teksten


def _y_as(schaal: _Schaal, ticks: list[Decimal], decimalen: int) -> tuple[list[str], list[str]]:
    """Grid lines (the zero line darker), tick marks and labels."""
    lijnen, teksten = [], []
    for tick in ticks:
        y, links = schaal.y(tick), float(schaal.links)
        lijnen.append(_el("line", {"x1": links, "y1": y, "x2": float(RECHTS), "y2": y,
                                   "stroke": TEKST if tick == 0 else RASTER}))
        lijnen.append(_el("line", {"x1": links - 5, "y1": y, "x2": links, "y2": y}))
        teksten.append(_tekst({"x": links - 8, "y": y + 4, "text-anchor": "end"},
                              _nl(tick, decimalen)))
    return lijnen, teksten


def _marker(stijl: Stijl, x: float, y: float, klasse: str, periode: str = "") -> str:
    """The style's marker shape centred on (x, y); fill and stroke come from its group."""
    attrs: dict[str, str | float] = {"class": klasse, "transform": f"translate({_c(x)} {_c(y)})"}
    if periode:
        attrs["data-periode"] = periode
    if stijl.marker == "cirkel":
        return _el("circle", attrs | {"r": "4"})
    if stijl.marker == "vierkant":
        return _el("rect", attrs | {"x": "-4", "y": "-4", "width": "8", "height": "8",
                                    "fill": "#FFFFFF", "stroke-width": "1.5"})
    vorm = "M0-5 5 4H-5Z" if stijl.marker == "driehoek" else "M0-6 6 0 0 6-6 0Z"
    return _el("path", attrs | {"d": vorm})


def _lijn(punten: list[tuple[float, float]], stijl: Stijl, klasse: str) -> str:
    attrs: dict[str, str | float] = {
        "class": klasse, "d": "M" + "L".join(f"{_c(x)} {_c(y)}" for x, y in punten),
        "fill": "none", "stroke": stijl.kleur, "stroke-width": "2"}
    return _el("path", attrs | ({"stroke-dasharray": stijl.streep} if stijl.streep else {}))


def _groep(naam: str, stijl: Stijl, inhoud: str) -> str:
    return _el("g", {"class": "reeks", "data-reeks": naam, "fill": stijl.kleur,
                     "stroke": stijl.kleur}, inhoud)


def _serie_svg(serie: _Serie, schaal: _Schaal) -> str:
    xy = [(schaal.x(p.tijd), schaal.y(p.waarde)) for p in serie.punten]
    lijn = _lijn(xy, serie.stijl, "lijn") if len(xy) > 1 else ""
    return _groep(serie.naam, serie.stijl, lijn + "".join(
        _marker(serie.stijl, x, y, "punt", p.periode)
        for (x, y), p in zip(xy, serie.punten, strict=True)))


def _streefwaarde(doel: _Punt, nul: _Punt | None, schaal: _Schaal, decimalen: int) -> str:
    x, y = schaal.x(doel.tijd), schaal.y(doel.waarde)
    onder = nul is not None and doel.waarde < nul.waarde  # keep the label off the trajectory
    if onder and y + 20 > ONDER - 4:  # but inside the plot: not over the year labels
        onder = False
    elif not onder and y - 10 < BOVEN + 4:
        onder = True
    label = _tekst({"x": x + 6, "y": y + 20 if onder else y - 10, "text-anchor": "end"},
                   f"Streefwaarde {_nl(doel.waarde, decimalen)}")
    return _groep("streefwaarde", STREEFWAARDE,
                  _marker(STREEFWAARDE, x, y, "punt", doel.periode)) + label


def _legenda(items: list[tuple[str, Stijl]]) -> str:
    """Two columns: a sample of the line and marker, then the label."""
    delen = []
    for i, (label, stijl) in enumerate(items):
        x, y = 16.0 + (i % 2) * 304, LEGENDA_Y + (i // 2) * REGEL + 0.0
        if stijl is not STREEFWAARDE:
            delen.append(_lijn([(x, y), (x + 28, y)], stijl, "legenda-lijn"))
        if stijl.marker:
            delen.append(_el("g", {"fill": stijl.kleur, "stroke": stijl.kleur},
                             _marker(stijl, x + 14, y, "legenda-punt")))
        delen.append(_tekst({"x": x + 36, "y": y + 4}, label))
    return _el("g", {"class": "legenda"}, "".join(delen))


def _verloop(label: str, punten: list[_Punt], decimalen: int) -> str:
    if not punten:
        return f"{label}: geen metingen"
    eerste, laatste = punten[0], punten[-1]
    if len(punten) == 1:
        return f"{label}: {_nl(eerste.waarde, decimalen)} ({eerste.periode})"
    return (f"{label} van {_nl(eerste.waarde, decimalen)} ({eerste.periode}) naar "
            f"{_nl(laatste.waarde, decimalen)} ({laatste.periode}) in {len(punten)} metingen")


def _trajectwaarde(nul: _Punt, doel: _Punt, laatste: _Punt, richting: str,
                   decimalen: int) -> str | None:
    """The trajectory's value at the last meting, and whether the area is ahead of it."""
    if laatste.tijd < nul.tijd or doel.tijd <= nul.tijd:
        return None
    fractie = min(Decimal(1), Decimal(laatste.tijd - nul.tijd) / Decimal(doel.tijd - nul.tijd))
    traject = nul.waarde + (doel.waarde - nul.waarde) * fractie
    tekst = f"trajectwaarde {_nl(traject, decimalen)} in {laatste.periode}"
    verschil = _afgerond(laatste.waarde, decimalen) - _afgerond(traject, decimalen)
    if richting == "neutraal":
        return tekst
    if verschil == 0:
        return f"{tekst}, dus op het traject"
    voor = verschil > 0 if richting == "hoger-is-beter" else verschil < 0
    return f"{tekst}, dus {'voor' if voor else 'achter'} op het traject"


def _beschrijving(g: Grafiekgegevens, series: list[_Serie], nul: _Punt | None,
                  doel: _Punt | None, decimalen: int) -> str:
    zinnen = [f"Lijngrafiek: {g.titel}. Eenheid: {g.eenheid}."]
    metingen = any(s.punten for s in series)
    gebied = series[0]
    delen = [_verloop(gebied.label, gebied.punten, decimalen) if metingen else GEEN_METINGEN]
    if nul:
        delen.append(f"nulmeting {_nl(nul.waarde, decimalen)} ({nul.periode})")
    if doel:
        delen.append(f"streefwaarde {_nl(doel.waarde, decimalen)} in {doel.periode}")
    if nul and doel and gebied.punten:
        delen.append(_trajectwaarde(nul, doel, gebied.punten[-1], g.richting, decimalen) or "")
    zinnen.append("; ".join(d for d in delen if d) + ".")
    if metingen:
        zinnen += [_verloop(s.label, s.punten, decimalen) + "." for s in series[1:]]
    return " ".join([*zinnen, RICHTINGEN[g.richting]])


def _plot(getekend: list[_Serie], nul: _Punt | None, doel: _Punt | None,
          decimalen: int) -> tuple[int, list[str]]:
    """The axes and everything drawn against them; and the plot's left edge."""
    alle = [p for serie in getekend for p in serie.punten]
    alle += [p for p in (nul, doel) if p and doel]  # the nulmeting only with its trajectory
    if not alle:
        return 56, []
    ticks, tick_decimalen = _y_ticks([p.waarde for p in alle])
    links = max(48, 16 + 7 * max(len(_nl(t, tick_decimalen)) for t in ticks))
    eerste, laatste = (date.fromordinal(f(p.tijd for p in alle) // 2).year for f in (min, max))
    schaal = _Schaal(2 * date(eerste, 1, 1).toordinal(), 2 * date(laatste + 1, 1, 1).toordinal(),
                     ticks[0], ticks[-1], links)
    y_lijnen, y_teksten = _y_as(schaal, ticks, tick_decimalen)
    x_lijnen, x_teksten = _x_as(schaal, eerste, laatste)
    delen = [_el("g", {"class": "as", "stroke": TEKST}, "".join(y_lijnen + x_lijnen)),
             _el("g", {"class": "as-labels"}, "".join(y_teksten + x_teksten))]
    if nul and doel:
        xy = [(schaal.x(p.tijd), schaal.y(p.waarde)) for p in (nul, doel)]
        delen.append(_lijn(xy, TRAJECT, "traject"))
    delen += [_serie_svg(serie, schaal) for serie in getekend]
    if doel:
        delen.append(_streefwaarde(doel, nul, schaal, decimalen))
    return links, delen


def svg(g: Grafiekgegevens) -> str:
    """The chart as `<svg>…</svg>` markup (insert it with Jinja2's `|safe`)."""
    if g.richting not in RICHTINGEN:
        raise ValueError(f"onbekende richting {g.richting!r}")
    series = _series(g)
    getekend = [serie for serie in series if serie.punten]
    nul = _punt(*g.nulmeting) if g.nulmeting else None
    doel = _punt(*g.streefwaarde) if g.streefwaarde else None
    waarden = [p.waarde for s in getekend for p in s.punten] + [p.waarde for p in (nul, doel) if p]
    decimalen = min(3, max(map(_decimalen, waarden), default=0))
    legenda = [(serie.label, serie.stijl) for serie in getekend]
    legenda += [("Traject naar streefwaarde", TRAJECT)] if nul and doel else []
    legenda += [("Streefwaarde", STREEFWAARDE)] if doel else []
    links, plot = _plot(getekend, nul, doel, decimalen)
    gid = _svg_id(g.id)
    delen = [_tekst({"id": f"{gid}-titel"}, g.titel, "title"),
             _tekst({"id": f"{gid}-desc"}, _beschrijving(g, series, nul, doel, decimalen),
                    "desc"),
             _tekst({"x": 8.0, "y": 16.0}, g.eenheid), *plot,
             _el("path", {"class": "kader", "d": f"M{links} {BOVEN}V{ONDER}H{RECHTS}",
                          "fill": "none", "stroke": TEKST})]
    if not getekend:
        delen.append(_tekst({"class": "geen-metingen", "x": (links + RECHTS) / 2,
                             "y": (BOVEN + ONDER) / 2.0, "text-anchor": "middle"},
                            GEEN_METINGEN))
    delen.append(_legenda(legenda))
    hoogte = LEGENDA_Y + max(3, (len(legenda) + 1) // 2) * REGEL
    return _el("svg", {"xmlns": "http://www.w3.org/2000/svg", "width": "100%",
                       "viewBox": f"0 0 {BREEDTE} {hoogte}", "role": "img",
                       "aria-labelledby": f"{gid}-titel {gid}-desc", "font-family": "sans-serif",
                       "font-size": "12", "fill": TEKST}, "\n" + "\n".join(delen) + "\n")
