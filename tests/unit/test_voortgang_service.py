"""rapportage.voortgang.service: progress per actielijn from the materialised view rows."""

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from rapportage.voortgang.service import _actielijn, _by_actielijn


def view_row(status: str = "lopend", aantal: int = 1, output_eenheid: str = "",
             gepland: str = "0", gerealiseerd: str = "0", actielijn: int = 1) -> Any:
    """One row of voortgang_interventies (grouped per actielijn, status, eenheid)."""
    return SimpleNamespace(focusgebied="rotterdam-zuid", actielijn=actielijn, status=status,
                           output_eenheid=output_eenheid, aantal=aantal,
                           geplande_output=Decimal(gepland),
                           gerealiseerde_output=Decimal(gerealiseerd))


class TestActielijn:
    def test_counts_interventies_per_status(self) -> None:
        voortgang = _actielijn(2, [
            view_row("lopend", 3, "woningen"), view_row("gepland", 2, "woningen"),
            view_row("lopend", 4, "huishoudens"), view_row("afgerond", 1),
        ])
        assert voortgang.actielijn == 2
        assert voortgang.aantal_interventies == 10
        assert [(s.status, s.aantal) for s in voortgang.per_status] == [
            ("afgerond", 1), ("gepland", 2), ("lopend", 7)]

    def test_sums_planned_and_realised_output_per_unit(self) -> None:
        voortgang = _actielijn(1, [
            view_row("lopend", 2, "woningen", "100.50", "40.25"),
            view_row("afgerond", 1, "woningen", "20", "20"),
            view_row("lopend", 1, "huishoudens", "0.10", "0.20"),
        ])
        output = {o.eenheid: (o.gepland, o.gerealiseerd) for o in voortgang.output}
        assert output == {"woningen": (Decimal("120.50"), Decimal("60.25")),
                          "huishoudens": (Decimal("0.10"), Decimal("0.20"))}
        assert [o.eenheid for o in voortgang.output] == ["huishoudens", "woningen"]

    def test_output_sums_are_exact_decimals(self) -> None:
        voortgang = _actielijn(1, [view_row(output_eenheid="uur", gepland="0.10"),
                                   view_row(output_eenheid="uur", gepland="0.20")])
        assert voortgang.output[0].gepland == Decimal("0.30")

    def test_rows_without_unit_count_but_have_no_output(self) -> None:
        voortgang = _actielijn(3, [view_row("gepland", 5, "", "999", "999")])
        assert voortgang.aantal_interventies == 5
        assert voortgang.output == []

    def test_no_rows_give_an_empty_actielijn(self) -> None:
        voortgang = _actielijn(4, [])
        assert (voortgang.aantal_interventies, voortgang.per_status, voortgang.output) == (
            0, [], [])

    def test_serialises_camel_case(self) -> None:
        dumped = _actielijn(1, [view_row("lopend", 1, "woningen", "1", "0")]).model_dump(
            by_alias=True, mode="json")
        assert dumped["aantalInterventies"] == 1
        assert dumped["perStatus"] == [{"status": "lopend", "aantal": 1}]
        assert dumped["output"] == [{"eenheid": "woningen", "gepland": "1",
                                     "gerealiseerd": "0"}]


class TestByActielijn:
    def test_groups_rows_per_actielijn_in_ascending_order(self) -> None:
        rows = [view_row(actielijn=3), view_row(actielijn=1, status="gepland"),
                view_row(actielijn=3, status="afgerond")]
        grouped = _by_actielijn(rows)
        assert list(grouped) == [1, 3]
        assert [r.status for r in grouped[3]] == ["lopend", "afgerond"]
