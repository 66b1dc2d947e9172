"""Exact money in financien: the actielijn split never loses or invents a cent (largest
remainder, ties to the lowest actielijn), totals are the sum of their parts, the money types
refuse a third decimal and publish decimal strings."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from financien.begrotingsregels.schemas import AandeelInvoer, ActielijnverdelingInvoer
from financien.codes import PERCENTAGE_INVOER_PATTERN
from financien.events import ToekenningAangemaakt
from financien.loader import cel_in_euro
from financien.toekenningen.schemas import ToekenningInvoer
from financien.verdeling import verdeel

cents = st.integers(min_value=0, max_value=10**16 - 1).map(lambda c: Decimal(c).scaleb(-2))


@st.composite
def aandelen(draw: st.DrawFn) -> list[tuple[int, Decimal]]:
    """1-4 actielijnen with percentages (2 decimals, > 0) summing to exactly 100.00."""
    lijnen = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4, unique=True))
    cuts = sorted(draw(st.lists(st.integers(1, 9999), min_size=len(lijnen) - 1,
                                max_size=len(lijnen) - 1, unique=True)))
    bounds = [0, *cuts, 10000]
    return [(lijn, Decimal(bounds[i + 1] - bounds[i]).scaleb(-2))
            for i, lijn in enumerate(lijnen)]


@given(cents, aandelen())
def test_a_split_adds_up_to_the_cent(bedrag: Decimal, verdeling: list[tuple[int, Decimal]]):
    parts = verdeel(bedrag, verdeling)
    assert sum(parts.values()) == bedrag
    assert set(parts) == {a for a, _ in verdeling}
    for actielijn, percentage in verdeling:
        exact = bedrag * percentage / 100
        assert abs(parts[actielijn] - exact) < Decimal("0.01")  # off by less than one cent
        assert parts[actielijn] == parts[actielijn].quantize(Decimal("0.01"))


@given(st.lists(st.tuples(cents, aandelen()), max_size=30))
def test_totals_per_actielijn_equal_the_sum_of_the_lines(regels):
    per_lijn: dict[int, Decimal] = {}
    for bedrag, verdeling in regels:
        for actielijn, deel in verdeel(bedrag, verdeling).items():
            per_lijn[actielijn] = per_lijn.get(actielijn, Decimal(0)) + deel
    assert sum(per_lijn.values(), Decimal(0)) == sum((b for b, _ in regels), Decimal(0))


@given(cents, aandelen())
def test_a_negative_amount_splits_as_the_mirror_image(bedrag, verdeling):
    assert verdeel(-bedrag, verdeling) == {k: -v for k, v in verdeel(bedrag, verdeling).items()}


def test_remainder_cents_go_to_the_largest_remainder_then_the_lowest_actielijn():
    thirds = [(1, Decimal("33.33")), (2, Decimal("33.33")), (3, Decimal("33.34"))]
    # 1.00 → 0.3333, 0.3333, 0.3334 cents-wise: floors 33, 33, 33 → one cent left → actielijn 3
    assert verdeel(Decimal("1.00"), thirds) == {1: Decimal("0.33"), 2: Decimal("0.33"),
                                                3: Decimal("0.34")}
    halves = [(2, Decimal("50")), (4, Decimal("50"))]
    assert verdeel(Decimal("0.01"), halves) == {2: Decimal("0.01"), 4: Decimal("0.00")}


def test_split_refuses_shares_not_summing_to_100():
    with pytest.raises(ValueError, match="100"):
        verdeel(Decimal("1.00"), [(1, Decimal("99.99"))])


@given(aandelen())
def test_shares_summing_to_100_are_accepted(verdeling):
    invoer = ActielijnverdelingInvoer.model_validate(
        {"aandelen": [{"actielijn": a, "percentage": str(p)} for a, p in verdeling]})
    assert sum(a.percentage for a in invoer.aandelen) == 100


@pytest.mark.parametrize("percentages", [["50", "49.99"], ["50", "50.01"], ["100", "0.01"],
                                         ["33.333", "66.667"]])
def test_shares_not_summing_to_exactly_100_are_refused(percentages):
    with pytest.raises(ValidationError):
        ActielijnverdelingInvoer.model_validate({"aandelen": [
            {"actielijn": i + 1, "percentage": p} for i, p in enumerate(percentages)]})


@given(st.integers(min_value=-100, max_value=10100).map(lambda c: Decimal(c).scaleb(-2)))
def test_a_percentage_is_accepted_exactly_when_the_documented_pattern_allows_it(percentage):
    """The OpenAPI states the bounds of one share (above 0, at most 100, two decimals), so a
    client and the fuzzer know them: the pattern and the validation agree on every value."""
    documented = re.fullmatch(PERCENTAGE_INVOER_PATTERN, str(percentage)) is not None
    try:
        AandeelInvoer.model_validate({"actielijn": 1, "percentage": str(percentage)})
        accepted = True
    except ValidationError:
        accepted = False
    assert documented == accepted == (0 < percentage <= 100)


BODY = {"begrotingsregel": "regiodeals", "focusgebied": "rotterdam-zuid", "jaar": 2023}


@pytest.mark.parametrize("bedrag", ["1.001", 1.005, "-0.01", -1, "1e-3", "NaN", "Infinity",
                                    "abc", True])
def test_money_input_refuses_a_third_decimal_negatives_and_non_numbers(bedrag):
    with pytest.raises(ValidationError):
        ToekenningInvoer.model_validate({**BODY, "bedrag": bedrag})


@pytest.mark.parametrize(("bedrag", "canonical"), [("1", "1.00"), ("1e5", "100000.00"),
                                                   (0.1, "0.10"), ("-0", "0.00"),
                                                   ("12.5", "12.50")])
def test_money_input_is_canonical(bedrag, canonical):
    invoer = ToekenningInvoer.model_validate({**BODY, "bedrag": bedrag})
    assert str(invoer.bedrag) == canonical


@pytest.mark.parametrize("jaar", [2021, 2027, "2023", 2023.0])
def test_an_unknown_or_non_integer_year_is_refused(jaar):
    with pytest.raises(ValidationError):
        ToekenningInvoer.model_validate({**BODY, "bedrag": "1", "jaar": jaar})


def test_events_carry_money_as_decimal_strings():
    event = ToekenningAangemaakt.model_validate({
        "id": "0b7d4c55-9a51-4f7a-8c2f-9d10a2f4c1e8", "begrotingsregel": "regiodeals",
        "ministerie": "BZK", "focusgebied": "rotterdam-zuid", "gemeente": "GM0599",
        "jaar": 2023, "bedrag": Decimal("500000.10")})
    assert event.model_dump(mode="json")["bedrag"] == "500000.10"
    schema = ToekenningAangemaakt.model_json_schema()
    assert schema["properties"]["bedrag"]["type"] == "string"


@pytest.mark.parametrize(("cel", "euro"), [("", None), ("0", Decimal("0.00")),
                                           ("37,5", Decimal("37500000.00")),
                                           ("1.000", Decimal("1000000000.00")),
                                           ("59,7", Decimal("59700000.00"))])
def test_loader_reads_cells_as_printed(cel, euro):
    assert cel_in_euro(cel) == euro


@pytest.mark.parametrize("cel", ["1,000.5", "abc", "-5", "1.00"])
def test_loader_refuses_a_cell_it_cannot_read(cel):
    with pytest.raises(ValueError, match="cel"):
        cel_in_euro(cel)
