"""Region codes of a meting (pure, no I/O). A region is one of:

| code              | soort         | gemeente       |
|-------------------|---------------|----------------|
| `rotterdam-zuid`  | `focusgebied` | its gemeente   |
| `GM0599`          | `gemeente`    | itself         |
| `GM0599-rest`     | `rest-gemeente` | GM0599: the gemeente without its focusgebied(en) |
| `WK059912`        | `wijk`        | GM + digits 3–6 |
| `BU05991201`      | `buurt`       | GM + digits 3–6 |
| `NL01`            | `land`        | none (Nederland, CBS code) |

The wijk and buurt part may hold capitals as well as digits (CBS uses letters in a few large
gemeenten). "Rest of the gemeente" is written `GM`+4 followed by `-rest`: the gemeente's value
for everything outside the programme's focusgebied(en) in it, which is what the programme
compares an area with. Whether a code is *known* (a programme focusgebied, a programme
gemeente) is checked against the reference table, not here.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class RegioSoort(StrEnum):
    FOCUSGEBIED = "focusgebied"
    GEMEENTE = "gemeente"
    REST_GEMEENTE = "rest-gemeente"
    WIJK = "wijk"
    BUURT = "buurt"
    LAND = "land"


NEDERLAND = "NL01"
REGIO_PATTERN = (r"^([a-z0-9]+(-[a-z0-9]+)*|GM[0-9]{4}(-rest)?|WK[0-9]{4}[0-9A-Z]{2}"
                 r"|BU[0-9]{4}[0-9A-Z]{4}|NL01)$")
_FORMS: list[tuple[RegioSoort, re.Pattern[str]]] = [
    (RegioSoort.GEMEENTE, re.compile(r"GM([0-9]{4})")),
    (RegioSoort.REST_GEMEENTE, re.compile(r"GM([0-9]{4})-rest")),
    (RegioSoort.WIJK, re.compile(r"WK([0-9]{4})[0-9A-Z]{2}")),
    (RegioSoort.BUURT, re.compile(r"BU([0-9]{4})[0-9A-Z]{4}")),
    (RegioSoort.FOCUSGEBIED, re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")),
]


_LOWER_CBS = re.compile(r"(gm|wk|bu)[0-9]{4}|nl01$")


class OngeldigeRegio(ValueError):
    """A region code that is not of any known form; the message says why."""


@dataclass(frozen=True)
class Regio:
    code: str
    soort: RegioSoort
    gemeente: str | None  # the GM code it lies in (a focusgebied's is looked up), None for NL01


@lru_cache(maxsize=65536)  # an import names each region once per indicator and period
def parse(code: str) -> Regio:
    if code == NEDERLAND:
        return Regio(code, RegioSoort.LAND, None)
    for soort, pattern in _FORMS:
        match = pattern.fullmatch(code)
        if match is None:
            continue
        if soort is RegioSoort.FOCUSGEBIED:
            if not 2 <= len(code) <= 64:
                break
            if _LOWER_CBS.match(code):
                raise OngeldigeRegio(f"'{code}' lijkt een CBS-code in kleine letters; schrijf "
                                     f"'{code.upper().replace('-REST', '-rest')}'")
            return Regio(code, soort, None)
        return Regio(code, soort, f"GM{match.group(1)}")
    if code[:2] in ("GM", "WK", "BU"):
        expected = {"GM": "GM + 4 cijfers (of GM + 4 cijfers + '-rest')",
                    "WK": "WK + 6 tekens (4 cijfers gemeente, 2 wijk)",
                    "BU": "BU + 8 tekens (4 cijfers gemeente, 2 wijk, 2 buurt)"}[code[:2]]
        raise OngeldigeRegio(f"'{code}' is geen geldige CBS-code: verwacht {expected}")
    raise OngeldigeRegio(
        f"'{code}' is geen regio; gebruik een focusgebiedcode (bv. rotterdam-zuid), GM0599, "
        "GM0599-rest, WK059912, BU05991201 of NL01")


def rest_van(gemeente: str) -> str:
    return f"{gemeente}-rest"
