"""Period identifiers (pure, no I/O), after DHIS2's period ids, with two additions the programme
needs: the school year and the biennial edition.

| id          | type          | start – end                    |
|-------------|---------------|--------------------------------|
| `2024`      | `jaar`        | 2024-01-01 – 2024-12-31        |
| `2024S1`    | `halfjaar`    | S1 Jan–Jun, S2 Jul–Dec         |
| `2024Q3`    | `kwartaal`    | Q1 Jan–Mar … Q4 Oct–Dec        |
| `202409`    | `maand`       | 2024-09-01 – 2024-09-30        |
| `2024/2025` | `schooljaar`  | 2024-08-01 – 2025-07-31        |
| `2024B`     | `tweejaar`    | 2024-01-01 – 2025-12-31        |

The school year runs from 1 August to 31 July (the Dutch school year as CBS and DUO count it);
its two years must follow each other. In a URL path a `/` cannot be used inside one segment, so
a school year may also be written `2024-2025` there; it is the same period and is returned as
`2024/2025` (the canonical id). A biennial edition (`2024B`, e.g. a Leefbaarometer edition) is
named after its first year and covers that year and the next; DHIS2 uses the `B` suffix for its
bi-monthly periods the same way. Years are accepted from 2000 to 2100: the programme runs from
2022 to 2040 and baselines may go back some twenty years; anything outside is a typing error.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

MIN_JAAR = 2000
MAX_JAAR = 2100


class PeriodeType(StrEnum):
    JAAR = "jaar"
    HALFJAAR = "halfjaar"
    KWARTAAL = "kwartaal"
    MAAND = "maand"
    SCHOOLJAAR = "schooljaar"
    TWEEJAAR = "tweejaar"


# What a client may send (the path form of a school year included); checked per type below.
PERIODE_PATTERN = r"^[0-9]{4}([SQ][0-9]|[0-9]{2}|B|[/-][0-9]{4})?$"
_FORMS: list[tuple[PeriodeType, re.Pattern[str]]] = [
    (PeriodeType.JAAR, re.compile(r"([0-9]{4})")),
    (PeriodeType.HALFJAAR, re.compile(r"([0-9]{4})S([0-9]+)")),
    (PeriodeType.KWARTAAL, re.compile(r"([0-9]{4})Q([0-9]+)")),
    (PeriodeType.MAAND, re.compile(r"([0-9]{4})([0-9]{2})")),
    (PeriodeType.SCHOOLJAAR, re.compile(r"([0-9]{4})[/-]([0-9]{4})")),
    (PeriodeType.TWEEJAAR, re.compile(r"([0-9]{4})B")),
]


class OngeldigePeriode(ValueError):
    """A period id that is malformed or out of range; the message says precisely why."""


@dataclass(frozen=True, order=True)
class Periode:
    begin: date
    eind: date
    type: PeriodeType
    id: str  # canonical

    def __str__(self) -> str:
        return self.id

    @property
    def path_id(self) -> str:
        """The id as one URL path segment (a school year with `-` instead of `/`)."""
        return self.id.replace("/", "-")


def _last_day(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def _check_year(year: int, value: str) -> None:
    if not MIN_JAAR <= year <= MAX_JAAR:
        raise OngeldigePeriode(f"jaar {year} in '{value}' ligt buiten {MIN_JAAR}–{MAX_JAAR}")


def parse(value: str) -> Periode:
    """The period an id names, or OngeldigePeriode with the precise reason."""
    if not isinstance(value, str):
        raise OngeldigePeriode("een periode is tekst, bv. '2024', '2024S1', '2024Q3', "
                               "'2024/2025' of '2024B'")
    return _parse(value)


@lru_cache(maxsize=4096)  # an import names the same few periods tens of thousands of times
def _parse(value: str) -> Periode:
    for kind, pattern in _FORMS:
        match = pattern.fullmatch(value)
        if match is None:
            continue
        year = int(match.group(1))
        _check_year(year, value)
        if kind is PeriodeType.JAAR:
            return Periode(date(year, 1, 1), date(year, 12, 31), kind, value)
        if kind is PeriodeType.HALFJAAR:
            half = int(match.group(2))
            if half not in (1, 2):
                raise OngeldigePeriode(f"halfjaar {half} in '{value}' bestaat niet (S1 of S2)")
            start = 1 if half == 1 else 7
            return Periode(date(year, start, 1), _last_day(year, start + 5), kind, value)
        if kind is PeriodeType.KWARTAAL:
            quarter = int(match.group(2))
            if not 1 <= quarter <= 4:
                raise OngeldigePeriode(f"kwartaal {quarter} in '{value}' bestaat niet (Q1–Q4)")
            start = 3 * quarter - 2
            return Periode(date(year, start, 1), _last_day(year, start + 2), kind, value)
        if kind is PeriodeType.MAAND:
            month = int(match.group(2))
            if not 1 <= month <= 12:
                raise OngeldigePeriode(f"maand {month:02d} in '{value}' bestaat niet (01–12)")
            return Periode(date(year, month, 1), _last_day(year, month), kind, value)
        if kind is PeriodeType.SCHOOLJAAR:
            second = int(match.group(2))
            if second != year + 1:
                raise OngeldigePeriode(f"schooljaar '{value}': het tweede jaar moet {year + 1} "
                                       f"zijn, niet {second}")
            _check_year(second, value)
            return Periode(date(year, 8, 1), date(second, 7, 31), kind, f"{year}/{second}")
        _check_year(year + 1, value)  # tweejaar
        return Periode(date(year, 1, 1), date(year + 1, 12, 31), kind, value)
    raise OngeldigePeriode(
        f"'{value}' is geen periode; gebruik 2024 (jaar), 2024S1 (halfjaar), 2024Q3 (kwartaal), "
        "202409 (maand), 2024/2025 (schooljaar) of 2024B (tweejaarlijks)")


def of_type(kind: PeriodeType, begin_year: int, number: int = 1) -> Periode:
    """The period of `kind` that starts in `begin_year` (number = half, quarter or month)."""
    ids = {
        PeriodeType.JAAR: f"{begin_year}",
        PeriodeType.HALFJAAR: f"{begin_year}S{number}",
        PeriodeType.KWARTAAL: f"{begin_year}Q{number}",
        PeriodeType.MAAND: f"{begin_year}{number:02d}",
        PeriodeType.SCHOOLJAAR: f"{begin_year}/{begin_year + 1}",
        PeriodeType.TWEEJAAR: f"{begin_year}B",
    }
    return parse(ids[kind])


def containing(kind: PeriodeType, day: date) -> Periode:
    """The period of `kind` that contains `day` (a school year starts on 1 August; a biennial
    edition starts in an even year, as the Leefbaarometer's do)."""
    year = day.year
    if kind is PeriodeType.HALFJAAR:
        return of_type(kind, year, 1 if day.month <= 6 else 2)
    if kind is PeriodeType.KWARTAAL:
        return of_type(kind, year, (day.month - 1) // 3 + 1)
    if kind is PeriodeType.MAAND:
        return of_type(kind, year, day.month)
    if kind is PeriodeType.SCHOOLJAAR:
        return of_type(kind, year if day.month >= 8 else year - 1)
    if kind is PeriodeType.TWEEJAAR:
        return of_type(kind, year - year % 2)
    return of_type(kind, year)
