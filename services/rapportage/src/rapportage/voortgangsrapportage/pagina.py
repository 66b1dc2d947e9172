"""The printable report page: HTML rendered server-side with Jinja2 (`templates/rapport.html`),
Dutch, with an SVG chart per indicator drawn in Python (`grafiek`) and print CSS, so a person
prints it to a clean PDF from the browser. No JavaScript."""

import asyncio
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from rapportage.voortgangsrapportage import grafiek
from rapportage.voortgangsrapportage.schemas import (
    RapportGebied,
    RapportIndicator,
    Voortgangsrapport,
)

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")
STATUS = {"op-koers": "Op koers", "risico": "Risico", "achter": "Achter",
          "onvoldoende-gegevens": "Onvoldoende gegevens", "gepland": "Gepland",
          "lopend": "Lopend", "afgerond": "Afgerond", "gestopt": "Gestopt"}
PROGNOSE = {"verwacht": "Verwacht in", "bereikt": "Bereikt", "niet-bij-huidig-tempo":
            "Niet bij huidig tempo", "onvoldoende-gegevens": "Onvoldoende gegevens"}
RICHTING = {"hoger-is-beter": "hoger is beter", "lager-is-beter": "lager is beter",
            "neutraal": "geen voorkeursrichting"}
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MAX_RIJEN = 50  # interventies listed per area × actielijn on paper; all of them are in the CSV


@dataclass(frozen=True)
class Kop:
    """What the page says about the version it shows."""

    soort: str  # concept | gepubliceerd
    inhoud_hash: str
    berekend_op: datetime | None = None
    versie: int | None = None
    gepubliceerd_op: datetime | None = None
    gepubliceerd_door: str | None = None
    vorige_versie: int | None = None
    toelichting: str | None = None


def getal(value: Any, decimalen: int | None = None) -> str:
    """Dutch notation: 1.234,5; a missing value is a dash."""
    if value is None or value == "":
        return "–"
    d = Decimal(str(value))
    if decimalen is not None:
        d = d.quantize(Decimal(1).scaleb(-decimalen), rounding=ROUND_HALF_UP)
    else:
        d = _schoon(str(value))
    teken = "−" if d < 0 else ""
    heel, _, breuk = format(abs(d), "f").partition(".")
    groepen = f"{int(heel):,}".replace(",", ".")
    return teken + groepen + ("," + breuk if breuk else "")


def bedrag(value: Any) -> str:
    return "€ " + getal(value, 2)


def procent(value: Any) -> str:
    return "–" if value is None else getal(Decimal(str(value)) * 100, 0) + "%"


def datum(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        lokaal = value.astimezone(AMSTERDAM)
        return f"{lokaal.day} {MAANDEN[lokaal.month - 1]} {lokaal.year}, {lokaal:%H:%M}"
    return f"{value.day} {MAANDEN[value.month - 1]} {value.year}"


def halfjaar(periode: str) -> str:
    jaar, helft = periode.split("S")
    return f"{'eerste' if helft == '1' else 'tweede'} halfjaar {jaar}"


def _schoon(waarde: str) -> Decimal:
    """Without trailing zeros (PostgreSQL's numeric keeps its scale: 1300.000 is 1300)."""
    d = Decimal(waarde)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _reeks(label: str, punten: list[Any]) -> grafiek.Reeks:
    return grafiek.Reeks(label, [(p.periode, _schoon(p.waarde)) for p in punten])


def _waarde(w: Any) -> tuple[str, Decimal] | None:
    return None if w is None else (w.periode, _schoon(w.waarde))


def grafiek_van(gebied: RapportGebied, i: RapportIndicator) -> Markup:
    labels = {"rest-gemeente": f"Rest van gemeente {gebied.gemeente}",
              "nederland": "Nederland"}
    return Markup(grafiek.svg(grafiek.Grafiekgegevens(  # noqa: S704 - built and escaped by grafiek
        id=f"g-{gebied.focusgebied}-{i.indicator}", titel=f"{i.naam}, {gebied.naam}",
        eenheid=i.eenheid, gebied=_reeks(gebied.naam, i.reeks),
        # an area's count beside a country's says nothing (and flattens the area's line)
        vergelijkingen=[_reeks(labels.get(v.soort, v.regio), v.punten)
                        for v in i.vergelijkingsreeksen] if i.eenheid != "aantal" else [],
        nulmeting=_waarde(i.nulmeting), streefwaarde=_waarde(i.streefwaarde),
        richting=i.richting)))


@cache
def _omgeving() -> Environment:
    env = Environment(loader=PackageLoader("rapportage.voortgangsrapportage", "templates"),
                      autoescape=select_autoescape(default=True), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters.update(getal=getal, bedrag=bedrag, procent=procent, datum=datum,
                       halfjaar=halfjaar)
    env.globals.update(STATUS=STATUS, PROGNOSE=PROGNOSE, RICHTING=RICHTING,
                       MAX_RIJEN=MAX_RIJEN, grafiek=grafiek_van)
    return env


def html(rapport: Voortgangsrapport, kop: Kop) -> str:
    return _omgeving().get_template("rapport.html").render(r=rapport, kop=kop)


_PAGINAS: OrderedDict[tuple[Kop, str | None], str] = OrderedDict()
PAGINAS = 8


_SLOT = threading.Lock()


async def html_bewaard(rapport: Voortgangsrapport, kop: Kop, focusgebied: str | None) -> str:
    """`html`, kept for the last few (version, area) pairs: the header names the content hash
    (and the moment the concept was computed), so the same key is the same page. Rendered in a
    thread, so the process keeps answering meanwhile."""
    sleutel = (kop, focusgebied)
    with _SLOT:
        if (pagina := _PAGINAS.get(sleutel)) is not None:
            _PAGINAS.move_to_end(sleutel)
            return pagina
    pagina = await asyncio.to_thread(html, rapport, kop)
    with _SLOT:
        _PAGINAS[sleutel] = pagina
        while len(_PAGINAS) > PAGINAS:
            _PAGINAS.popitem(last=False)
    return pagina

