"""rapportage.voortgang.service: progress per actielijn from the materialised view rows."""

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from rapportage.voortgang.schemas import ActielijnVoortgang, Geld, Stand, StatusAantal
from rapportage.voortgang.service import _groepeer, _interventies, _per_status, achterstand


def _actielijn(nummer: int, rows: list[Any]) -> ActielijnVoortgang:
    aantal, per_status, output = _interventies(rows)
    nul = Decimal("0.00")
    return ActielijnVoortgang(actielijn=nummer, aantal_interventies=aantal,
                              per_status=per_status, output=output,
                              indicatoren_per_status=[], indicatoren=[],
                              geld=Geld(toegekend=nul, verplicht=nul, betaald=nul,
                                        resterend=nul), geld_per_jaar=[],
                              stand=Stand(laatste_event_id=None, laatste_event_tijd=None,
                                          bijgewerkt_op=None))


def _by_actielijn(rows: list[Any]) -> dict[int, list[Any]]:
    return dict(sorted(_groepeer(rows, "actielijn").items()))


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


class TestStatusCounts:
    def test_every_status_is_listed_even_at_zero(self) -> None:
        assert _per_status(["risico", "risico", "achter"]) == [
            StatusAantal(status="op-koers", aantal=0), StatusAantal(status="risico", aantal=2),
            StatusAantal(status="achter", aantal=1),
            StatusAantal(status="onvoldoende-gegevens", aantal=0)]


class TestAchterstand:
    def test_lag_in_events_and_seconds_since_everything_was_in(self) -> None:
        from datetime import UTC, datetime, timedelta
        nu = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
        rows = [SimpleNamespace(positie=10, eind=10, bij_tot=nu, gemeten_op=nu, nu=nu),
                SimpleNamespace(positie=5, eind=8, bij_tot=nu - timedelta(seconds=4),
                                gemeten_op=nu, nu=nu)]
        a = achterstand(rows)
        assert (a.events, a.seconden, a.bijgewerkt_tot) == (3, 4.0, nu - timedelta(seconds=4))

    def test_caught_up_is_zero(self) -> None:
        from datetime import UTC, datetime
        nu = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
        a = achterstand([SimpleNamespace(positie=3, eind=3, bij_tot=None, gemeten_op=nu,
                                         nu=nu)])
        assert (a.events, a.seconden) == (0, 0.0)

    def test_never_measured_says_so(self) -> None:
        assert achterstand([]).seconden is None
