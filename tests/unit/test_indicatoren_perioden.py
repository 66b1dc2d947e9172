"""Period ids (indicatoren.perioden): examples, refusals with their reasons, and properties."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicatoren.perioden import MAX_JAAR, MIN_JAAR, OngeldigePeriode, PeriodeType, of_type, parse

T = PeriodeType


@pytest.mark.parametrize(("value", "kind", "begin", "eind", "canonical"), [
    ("2024", T.JAAR, date(2024, 1, 1), date(2024, 12, 31), "2024"),
    ("2024S1", T.HALFJAAR, date(2024, 1, 1), date(2024, 6, 30), "2024S1"),
    ("2024S2", T.HALFJAAR, date(2024, 7, 1), date(2024, 12, 31), "2024S2"),
    ("2024Q1", T.KWARTAAL, date(2024, 1, 1), date(2024, 3, 31), "2024Q1"),
    ("2024Q3", T.KWARTAAL, date(2024, 7, 1), date(2024, 9, 30), "2024Q3"),
    ("2024Q4", T.KWARTAAL, date(2024, 10, 1), date(2024, 12, 31), "2024Q4"),
    ("202402", T.MAAND, date(2024, 2, 1), date(2024, 2, 29), "202402"),
    ("202302", T.MAAND, date(2023, 2, 1), date(2023, 2, 28), "202302"),
    ("2024/2025", T.SCHOOLJAAR, date(2024, 8, 1), date(2025, 7, 31), "2024/2025"),
    ("2024-2025", T.SCHOOLJAAR, date(2024, 8, 1), date(2025, 7, 31), "2024/2025"),
    ("2022B", T.TWEEJAAR, date(2022, 1, 1), date(2023, 12, 31), "2022B"),
])
def test_examples(value, kind, begin, eind, canonical):
    periode = parse(value)
    assert (periode.type, periode.begin, periode.eind, periode.id) == (kind, begin, eind,
                                                                       canonical)


def test_path_form_of_a_school_year():
    assert parse("2024/2025").path_id == "2024-2025"
    assert parse("2024Q3").path_id == "2024Q3"


@pytest.mark.parametrize(("value", "reason"), [
    ("2024S3", "halfjaar 3 in '2024S3' bestaat niet (S1 of S2)"),
    ("2024S0", "halfjaar 0 in '2024S0' bestaat niet (S1 of S2)"),
    ("2024Q5", "kwartaal 5 in '2024Q5' bestaat niet (Q1–Q4)"),
    ("2024Q0", "kwartaal 0 in '2024Q0' bestaat niet (Q1–Q4)"),
    ("202413", "maand 13 in '202413' bestaat niet (01–12)"),
    ("202400", "maand 00 in '202400' bestaat niet (01–12)"),
    ("2024/2026", "schooljaar '2024/2026': het tweede jaar moet 2025 zijn, niet 2026"),
    ("2025/2024", "schooljaar '2025/2024': het tweede jaar moet 2026 zijn, niet 2024"),
    ("1999", "jaar 1999 in '1999' ligt buiten 2000–2100"),
    ("2101Q1", "jaar 2101 in '2101Q1' ligt buiten 2000–2100"),
    ("2100B", "jaar 2101 in '2100B' ligt buiten 2000–2100"),
    ("2100/2101", "jaar 2101 in '2100/2101' ligt buiten 2000–2100"),
])
def test_refusals_say_precisely_why(value, reason):
    with pytest.raises(OngeldigePeriode) as error:
        parse(value)
    assert str(error.value) == reason


@pytest.mark.parametrize("value", ["", "24", "2024s1", "2024 ", " 2024", "2024W1", "2024H1",
                                   "20241", "2024B1", "2024/25", "２０２４", "2024Q", "abc"])
def test_malformed_ids_name_the_forms(value):
    with pytest.raises(OngeldigePeriode, match="is geen periode; gebruik 2024"):
        parse(value)


def test_not_a_string():
    with pytest.raises(OngeldigePeriode):
        parse(2024)  # type: ignore[arg-type]


jaren = st.integers(MIN_JAAR, MAX_JAAR - 1)


@st.composite
def perioden(draw: st.DrawFn) -> tuple[PeriodeType, int, int]:
    kind = draw(st.sampled_from(list(PeriodeType)))
    number = {T.HALFJAAR: draw(st.integers(1, 2)), T.KWARTAAL: draw(st.integers(1, 4)),
              T.MAAND: draw(st.integers(1, 12))}.get(kind, 1)
    return kind, draw(jaren), number


@given(perioden())
def test_every_period_round_trips_through_its_id(spec):
    periode = of_type(*spec)
    assert parse(periode.id) == periode
    assert parse(periode.path_id) == periode
    assert periode.begin <= periode.eind
    assert periode.begin.day == 1
    assert (periode.eind + timedelta(days=1)).day == 1  # ends on the last day of a month


@given(jaren, st.sampled_from([T.HALFJAAR, T.KWARTAAL, T.MAAND]))
def test_the_parts_of_a_year_tile_it_without_gaps_or_overlaps(year, kind):
    count = {T.HALFJAAR: 2, T.KWARTAAL: 4, T.MAAND: 12}[kind]
    parts = [of_type(kind, year, n) for n in range(1, count + 1)]
    assert parts[0].begin == date(year, 1, 1)
    assert parts[-1].eind == date(year, 12, 31)
    for before, after in pairwise(parts):
        assert before.eind + timedelta(days=1) == after.begin


@given(jaren)
def test_school_years_follow_each_other(year):
    this, following = of_type(T.SCHOOLJAAR, year), parse(f"{year + 1}/{year + 2}") if (
        year + 2 <= MAX_JAAR) else None
    assert (this.eind - this.begin).days in (364, 365)
    if following is not None:
        assert this.eind + timedelta(days=1) == following.begin


@given(st.text(max_size=12))
def test_any_text_parses_or_is_refused_with_a_reason(text):
    try:
        periode = parse(text)
    except OngeldigePeriode as exc:
        reason = str(exc)
        periode = None
    if periode is None:
        assert reason
    else:
        assert periode.begin <= periode.eind
        assert MIN_JAAR <= periode.begin.year <= MAX_JAAR


@given(st.integers(0, 9999), st.integers(0, 99))
def test_out_of_range_years_are_refused(year, suffix):
    if MIN_JAAR <= year <= MAX_JAAR:
        return
    for value in (f"{year:04d}", f"{year:04d}S1", f"{year:04d}Q2", f"{year:04d}B"):
        with pytest.raises(OngeldigePeriode, match="ligt buiten 2000–2100"):
            parse(value)
