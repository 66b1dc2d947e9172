"""Validation of metingen (pure, no I/O, batch-capable): the single write and the bulk import
use the same rules.

    context = Context(indicatoren=await IndicatorService(...).catalogue(),
                      gebieden=await ReferentieService(...).gebieden(), principal=principal)
    for uitkomst in validate(rows, context): ...

A row is a mapping with the API's field names: `indicator`, `regio`, `periode`, `waarde`
(decimal string or JSON number), `status` (`voorlopig` (default) or `definitief`), `bron`
(optional) and `reden` (optional; required for a correction, which needs the stored row and
is checked when writing). Each row gives an `Uitkomst`: the clean `GeldigeMeting` or every
`Fout` (field, code, Dutch reason) found in it. Codes: `missing`, `unknown`, `invalid`,
`out_of_range`, `wrong_period_type`, `retired`, `forbidden`, `extra_forbidden`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from indicatoren import perioden, regios
from indicatoren.codes import Eenheid, MetingStatus
from indicatoren.indicatoren.schemas import Indicator
from indicatoren.permissions import meting_refusal
from indicatoren.referentie.service import Gebieden
from nplv_shared.auth import Principal
from nplv_shared.schemas import CONTROL_CHARACTERS, TEXT

VELDEN = ("indicator", "regio", "periode", "waarde", "status", "bron", "reden")
MAX_ABS = Decimal(10) ** 14
QUANTUM = Decimal("0.0001")
STATUSSEN = frozenset(s.value for s in MetingStatus)
PERIODETYPE_NAMEN = {
    "jaar": "per jaar", "halfjaar": "per halfjaar", "kwartaal": "per kwartaal",
    "maand": "per maand", "schooljaar": "per schooljaar", "tweejaar": "per twee jaar",
}


@dataclass(frozen=True)
class Context:
    indicatoren: Mapping[str, Indicator]  # the whole catalogue, by code
    gebieden: Gebieden                    # known focusgebieden (→ gemeente) and gemeenten
    principal: Principal                  # who writes: checked per row (code `forbidden`)


@dataclass(frozen=True)
class Fout:
    veld: str    # one of VELDEN (or the unknown field's name)
    code: str
    reden: str   # Dutch, precise


@dataclass(frozen=True)
class GeldigeMeting:
    indicator: str
    indicator_versie: int
    regio: str
    regio_soort: str
    focusgebied: str | None
    gemeente: str | None
    periode: str          # canonical id
    periode_type: str
    periode_begin: date
    periode_eind: date
    waarde: Decimal       # 4 decimals, canonical
    status: str
    bron: str | None
    reden: str | None

    @cached_property
    def sleutel(self) -> tuple[str, str, str]:
        return (self.indicator, self.regio, self.periode)


@dataclass(frozen=True)
class Uitkomst:
    rij: int                       # 1-based position in the batch
    meting: GeldigeMeting | None   # set when fouten is empty
    fouten: list[Fout] = field(default_factory=list)


def validate(rows: Sequence[Mapping[str, Any]], context: Context) -> list[Uitkomst]:
    """One Uitkomst per row, in order. Never raises for bad input."""
    return [_row(n, row, context) for n, row in enumerate(rows, start=1)]


def validate_one(row: Mapping[str, Any], context: Context) -> Uitkomst:
    return _row(1, row, context)


def _row(n: int, row: Mapping[str, Any], context: Context) -> Uitkomst:
    fouten: list[Fout] = []
    if not isinstance(row, Mapping):
        return Uitkomst(n, None, [Fout("rij", "invalid", "een rij moet een object zijn")])
    fouten += [Fout(_printable(str(k)), "extra_forbidden", "onbekend veld")
               for k in row if k not in VELDEN]
    indicator = _indicator(row.get("indicator"), context, fouten)
    regio, gemeente, focusgebied = _regio(row.get("regio"), indicator, context, fouten)
    periode = _periode(row.get("periode"), indicator, fouten)
    waarde = _waarde(row.get("waarde"), indicator, fouten)
    status = _status(row.get("status"), fouten)
    bron = _text(row.get("bron"), "bron", 200, fouten)
    reden = _text(row.get("reden"), "reden", 2000, fouten)
    if indicator is not None and regio is not None:
        refusal = meting_refusal(context.principal, regio=regio.code, gemeente=gemeente,
                                 lokaal=indicator.focusgebied is not None)
        if refusal is not None:
            fouten.append(Fout("regio", "forbidden", refusal))
    if fouten:  # reasons echo input: make them safe to encode as JSON
        return Uitkomst(n, None, [Fout(f.veld, f.code, _printable(f.reden, limit=None))
                                  for f in fouten])
    assert indicator is not None
    assert regio is not None
    assert periode is not None
    assert waarde is not None
    assert status is not None
    return Uitkomst(n, GeldigeMeting(
        indicator=indicator.code, indicator_versie=indicator.betekenisversie,
        regio=regio.code, regio_soort=regio.soort.value, focusgebied=focusgebied,
        gemeente=gemeente, periode=periode.id, periode_type=periode.type.value,
        periode_begin=periode.begin, periode_eind=periode.eind, waarde=waarde, status=status,
        bron=bron, reden=reden))


def _printable(text: str, limit: int | None = 64) -> str:
    """Input as it may be echoed in a response: control characters and lone surrogates (which
    JSON cannot encode as UTF-8) escaped, at most `limit` characters of it."""
    return "".join(c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF
                   else f"\\u{ord(c):04x}" for c in text[:limit])


def _indicator(value: Any, context: Context, fouten: list[Fout]) -> Indicator | None:
    if value is None or value == "":
        fouten.append(Fout("indicator", "missing", "verplicht veld ontbreekt"))
        return None
    if not isinstance(value, str):
        fouten.append(Fout("indicator", "invalid", "moet tekst zijn (een indicatorcode)"))
        return None
    indicator = context.indicatoren.get(value)
    if indicator is None:
        fouten.append(Fout("indicator", "unknown", f"onbekende indicator '{value[:64]}'"))
        return None
    if indicator.status == "vervallen":
        fouten.append(Fout("indicator", "retired", f"indicator '{value}' is vervallen; er "
                                                   "komen geen metingen meer bij"))
        return None
    return indicator


def _regio(value: Any, indicator: Indicator | None, context: Context,
           fouten: list[Fout]) -> tuple[regios.Regio | None, str | None, str | None]:
    """(the region, the gemeente it lies in, the focusgebied it is) or Nones with a Fout."""
    if value is None or value == "":
        fouten.append(Fout("regio", "missing", "verplicht veld ontbreekt"))
        return None, None, None
    if not isinstance(value, str):
        fouten.append(Fout("regio", "invalid", "moet tekst zijn (een regiocode)"))
        return None, None, None
    try:
        regio = regios.parse(value)
    except regios.OngeldigeRegio as exc:
        fouten.append(Fout("regio", "invalid", str(exc)))
        return None, None, None
    gebieden = context.gebieden
    focusgebied = None
    if regio.soort is regios.RegioSoort.FOCUSGEBIED:
        gemeente = gebieden.focusgebieden.get(regio.code)
        if gemeente is None:
            fouten.append(Fout("regio", "unknown", f"onbekend focusgebied '{value}'"))
            return None, None, None
        focusgebied = regio.code
    else:
        gemeente = regio.gemeente
        if gemeente is not None and gemeente not in gebieden.gemeenten:
            fouten.append(Fout("regio", "unknown", f"gemeente {gemeente} (van regio '{value}') "
                                                   "hoort niet bij het programma"))
            return None, None, None
    if indicator is not None and indicator.focusgebied is not None and gemeente is not None:
        eigen = gebieden.focusgebieden.get(indicator.focusgebied)
        if gemeente != eigen:
            fouten.append(Fout("regio", "out_of_range", (
                f"lokale indicator '{indicator.code}' van {indicator.focusgebied} wordt alleen "
                f"gemeten in gemeente {eigen} en NL01, niet in '{value}'")))
            return None, None, None
    return regio, gemeente, focusgebied


def _periode(value: Any, indicator: Indicator | None,
             fouten: list[Fout]) -> perioden.Periode | None:
    if value is None or value == "":
        fouten.append(Fout("periode", "missing", "verplicht veld ontbreekt"))
        return None
    try:
        periode = perioden.parse(value)
    except perioden.OngeldigePeriode as exc:
        fouten.append(Fout("periode", "invalid", str(exc)))
        return None
    if indicator is not None and periode.type.value != indicator.periodetype:
        fouten.append(Fout("periode", "wrong_period_type", (
            f"periode {periode.id} is een {periode.type.value}; indicator '{indicator.code}' "
            f"wordt {PERIODETYPE_NAMEN[indicator.periodetype]} gemeten")))
        return None
    return periode


def parse_waarde(value: Any) -> Decimal:
    """A decimal from a string or JSON number; ValueError with the reason otherwise."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError("moet een decimaal getal zijn (bij voorkeur als tekst, bv. \"12.5\")")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else str(value))
    except InvalidOperation:
        raise ValueError(f"'{str(value)[:40]}' is geen decimaal getal") from None
    if not number.is_finite():
        raise ValueError("moet een eindig getal zijn")
    if abs(number) >= MAX_ABS:
        raise ValueError("mag hoogstens 14 cijfers vóór de punt hebben")
    if number.quantize(QUANTUM) != number:
        raise ValueError("mag hoogstens 4 decimalen hebben")
    return number.quantize(QUANTUM) + 0


def _waarde(value: Any, indicator: Indicator | None, fouten: list[Fout]) -> Decimal | None:
    if value is None or value == "":
        fouten.append(Fout("waarde", "missing", "verplicht veld ontbreekt"))
        return None
    try:
        waarde = parse_waarde(value)
    except ValueError as exc:
        fouten.append(Fout("waarde", "invalid", str(exc)))
        return None
    if indicator is None:
        return waarde
    reason = range_refusal(waarde, indicator)
    if reason is not None:
        fouten.append(Fout("waarde", "out_of_range", reason))
        return None
    return waarde


def range_refusal(waarde: Decimal, indicator: Indicator) -> str | None:
    """Why a value does not fit the indicator's unit and scale (None: it fits)."""
    if indicator.eenheid is Eenheid.AANTAL:
        if waarde < 0:
            return f"een aantal kan niet negatief zijn ({waarde.normalize():f})"
        if waarde != waarde.to_integral_value():
            return f"een aantal is een geheel getal, niet {waarde.normalize():f}"
    elif indicator.eenheid is Eenheid.PERCENTAGE:
        if not 0 <= waarde <= 100:
            return f"een percentage ligt tussen 0 en 100, niet {waarde.normalize():f}"
    elif indicator.schaal_min is not None and indicator.schaal_max is not None and not (
            indicator.schaal_min <= waarde <= indicator.schaal_max):
        return (f"de score van '{indicator.code}' ligt tussen {indicator.schaal_min.normalize()} "
                f"en {indicator.schaal_max.normalize()}, niet {waarde.normalize():f}")
    return None


def _status(value: Any, fouten: list[Fout]) -> str | None:
    if value is None:
        return MetingStatus.VOORLOPIG.value
    if not isinstance(value, str) or value not in STATUSSEN:  # a list is not hashable
        fouten.append(Fout("status", "invalid", "moet voorlopig of definitief zijn"))
        return None
    return str(value)


def _text(value: Any, name: str, max_length: int, fouten: list[Fout]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        fouten.append(Fout(name, "invalid", "moet tekst zijn"))
    elif not 1 <= len(value) <= max_length:
        fouten.append(Fout(name, "invalid", f"moet 1 tot {max_length} tekens lang zijn"))
    elif CONTROL_CHARACTERS.search(value):
        fouten.append(Fout(name, "invalid", "bevat een stuurteken dat in tekst niet is "
                                            "toegestaan"))
    elif not TEXT.match(value):
        fouten.append(Fout(name, "invalid", "mag niet met witruimte beginnen of eindigen"))
    else:
        return value
    return None
