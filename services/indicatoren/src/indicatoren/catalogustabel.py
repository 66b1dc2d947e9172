"""The catalogue table of the README, rendered from the loader's data (the 15 kernindicatoren of
§6.1), so the README cannot drift from what `make up` loads.

    python -m indicatoren.catalogustabel           # print the table
    python -m indicatoren.catalogustabel --write   # rewrite it in both READMEs

The table stands in services/indicatoren/README.md and in the repository's README;
`tests/unit/test_indicatoren_readme.py` fails when a copy is not current."""

import sys
from decimal import Decimal
from pathlib import Path

from indicatoren.loader import kernindicatoren

README = Path(__file__).resolve().parents[2] / "README.md"
READMES = (README, Path(__file__).resolve().parents[4] / "README.md")
BEGIN = "<!-- catalogus: begin (python -m indicatoren.catalogustabel --write) -->"
END = "<!-- catalogus: einde -->"
EENHEID = {"aantal": "aantal (geheel, ≥ 0)", "percentage": "percentage (0–100)"}


def table() -> str:
    lines = ["| nr | code | naam (§6.1) | actielijn | bron | eenheid en schaal | richting | "
             "soort | combinatie | periode |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for code, item in kernindicatoren():
        if item.eenheid.value == "score":
            eenheid = f"score {_number(item.schaal_min)}–{_number(item.schaal_max)}"
        else:
            eenheid = EENHEID[item.eenheid.value]
        lines.append(f"| {item.kernindicator} | `{code}` | {item.naam} | {item.actielijn} | "
                     f"{item.bron} | {eenheid} | {item.richting.value} | {item.soort.value} | "
                     f"{item.combinatie.value} | {item.periodetype.value} |")
    return "\n".join(lines) + "\n"


def _number(value: Decimal | None) -> str:
    """`100`, not `1E+2`."""
    return "" if value is None else format(value.normalize(), "f")


def section(text: str) -> str:
    """The README's current copy of the table (between the markers)."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip("\n") + "\n"


def write() -> None:
    for readme in READMES:
        text = readme.read_text(encoding="utf-8")
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        readme.write_text(text[:start] + "\n" + table() + text[end:], encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write()
    else:
        print(table(), end="")
