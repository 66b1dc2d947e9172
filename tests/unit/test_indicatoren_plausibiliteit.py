"""The plausibility flag (modified z-score against the region's own history)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from indicatoren.plausibiliteit import DREMPEL, MIN_HISTORY, beoordeel

D = Decimal


def ds(*values: str | int) -> list[Decimal]:
    return [D(str(v)) for v in values]


def test_too_little_history_gives_no_judgement():
    assert beoordeel(D(1000), ds(10, 11, 12)).plausibel is None
    assert beoordeel(D(1000), ds(10, 11, 12)).zscore is None
    assert beoordeel(D(1000), []).plausibel is None
    assert MIN_HISTORY == 4


def test_a_value_in_line_with_history_is_plausible():
    oordeel = beoordeel(D(12), ds(10, 11, 12, 13, 14))
    # median 12, MAD 1 → M = 0
    assert oordeel.plausibel is True
    assert oordeel.zscore == D("0.00")


def test_a_jump_is_flagged_with_its_score():
    oordeel = beoordeel(D(20), ds(10, 11, 12, 13, 14))
    # median 12, MAD 1 → M = 0.6745 × 8 = 5.396
    assert oordeel.plausibel is False
    assert oordeel.zscore == D("5.40")


def test_the_threshold_is_3_5_either_way():
    history = ds(10, 11, 12, 13, 14)  # median 12, MAD 1: M = 0.6745 × (x − 12)
    assert beoordeel(D("17.18"), history).plausibel is True    # M = 3.494
    assert beoordeel(D("17.20"), history).plausibel is False   # M = 3.507
    assert beoordeel(D("6.82"), history).plausibel is True
    assert beoordeel(D("6.80"), history).plausibel is False
    assert beoordeel(D("6.80"), history).zscore == D("-3.51")


def test_mad_zero_equal_to_the_median_is_plausible():
    oordeel = beoordeel(D(5), ds(5, 5, 5, 7))
    assert oordeel == type(oordeel)(True, D("0.00"))


def test_mad_zero_falls_back_to_the_mean_absolute_deviation():
    # median 5, MAD 0, mean AD = (0 + 0 + 0 + 2) / 4 = 0.5 → M = (9 − 5) / (1.253314 × 0.5)
    oordeel = beoordeel(D(9), ds(5, 5, 5, 7))
    assert oordeel.plausibel is False
    assert oordeel.zscore == D("6.38")
    assert beoordeel(D(6), ds(5, 5, 5, 7)).plausibel is True  # M = 1.60


def test_a_constant_history_flags_any_other_value_without_a_score():
    oordeel = beoordeel(D("5.0001"), ds(5, 5, 5, 5, 5))
    assert oordeel.plausibel is False
    assert oordeel.zscore is None
    assert beoordeel(D(5), ds(5, 5, 5, 5)).plausibel is True


def test_huge_scores_are_capped_to_what_the_column_holds():
    oordeel = beoordeel(D("99999999999999"), ds("0.0001", "0.0002", "0.0003", "0.0004"))
    assert oordeel.plausibel is False
    assert oordeel.zscore == D("9999999999.99")


values = st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False)


@given(st.lists(values, min_size=MIN_HISTORY, max_size=30), values)
def test_the_flag_agrees_with_the_score(history, waarde):
    oordeel = beoordeel(waarde, history)
    assert oordeel.plausibel is not None
    if oordeel.zscore is not None:
        assert oordeel.plausibel == (abs(oordeel.zscore) <= DREMPEL) or abs(
            abs(oordeel.zscore) - DREMPEL) <= D("0.005")  # rounding at the threshold


@given(st.lists(values, min_size=MIN_HISTORY, max_size=30))
def test_the_median_of_the_history_is_always_plausible(history):
    from statistics import median
    assert beoordeel(D(median(history)), history).plausibel is True


@given(st.lists(values, min_size=MIN_HISTORY, max_size=30), values, values)
def test_shifting_everything_changes_nothing(history, waarde, shift):
    moved = beoordeel(waarde + shift, [v + shift for v in history])
    assert moved.plausibel == beoordeel(waarde, history).plausibel


@given(st.lists(values, min_size=0, max_size=MIN_HISTORY - 1), values)
def test_short_histories_never_judge(history, waarde):
    assert beoordeel(waarde, history).plausibel is None
