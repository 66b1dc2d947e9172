"""The catalogue table in services/indicatoren/README.md is the one rendered from the loader's
data (`python -m indicatoren.catalogustabel --write` refreshes it)."""

from indicatoren import catalogustabel


def test_the_readmes_carry_the_current_catalogue_table():
    for readme in catalogustabel.READMES:
        text = readme.read_text(encoding="utf-8")
        assert catalogustabel.section(text) == catalogustabel.table(), (
            f"{readme} is verouderd: draai `python -m indicatoren.catalogustabel --write`")


def test_the_table_has_a_row_per_kernindicator():
    rows = [line for line in catalogustabel.table().splitlines()[2:] if line.startswith("| ")]
    assert len(rows) == 15
    assert rows[4].startswith("| 5 | `leefbaarometer-score` |")
    assert "score 1–9" in rows[4]
    assert "score 0–100" in rows[13]
