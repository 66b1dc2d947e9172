"""nplv_shared.schemas.Invoer: the platform's rules for every request body, shown on the real
gebieden bodies, and Dutch reasons for every validation error a client can meet."""

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from gebieden.focusgebieden.schemas import AlliantieInvoer, FocusgebiedInvoer
from gebieden.gemeenten.schemas import GemeenteInvoer
from gebieden.interventies.schemas import InterventieInvoer
from nplv_shared.problems import validation_params
from nplv_shared.schemas import TEXT_PATTERN

BASE = {"focusgebied": "rotterdam-zuid", "actielijn": 2, "ministerie": "BZK", "titel": "Wijkteams"}


def errors(model: Any, body: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(body)
    return [(".".join(map(str, e["loc"])), e["type"]) for e in info.value.errors()]


class TestControlCharacters:
    @pytest.mark.parametrize("text", ["a\x00b", "a\x07b", "a\x1bb", "a\x7fb", "a\ud800b"])
    def test_are_refused_in_every_text_field(self, text: str) -> None:
        assert errors(InterventieInvoer, {**BASE, "titel": f"tit{text}"})[0][0] == "titel"
        assert errors(GemeenteInvoer, {"naam": text})[0][0] == "naam"
        assert errors(FocusgebiedInvoer, {"naam": text, "gemeente": "GM0599"})[0][0] == "naam"

    def test_are_refused_in_nested_bodies_too(self) -> None:
        found = errors(AlliantieInvoer, {"rijksvertegenwoordiger": {"naam": "A\x00"},
                                         "partners": [{"naam": "ok"}, {"naam": "b\x00"}]})
        assert found == [("rijksvertegenwoordiger.naam", "control_character"),
                         ("partners.1.naam", "control_character")]

    def test_newlines_and_tabs_in_a_description_are_text(self) -> None:
        body = {**BASE, "omschrijving": "Regel 1\r\nRegel 2\tmet tab"}
        assert InterventieInvoer.model_validate(body).omschrijving == "Regel 1\r\nRegel 2\tmet tab"

    @pytest.mark.parametrize("text", [" Wijkteams", "Wijkteams ", "\tWijkteams"])
    def test_white_space_around_a_text_is_refused(self, text: str) -> None:
        assert errors(InterventieInvoer, {**BASE, "titel": text}) == [
            ("titel", "whitespace_around")]

    def test_the_openapi_document_states_the_text_rule(self) -> None:
        schema = InterventieInvoer.model_json_schema()
        assert schema["properties"]["titel"]["pattern"] == TEXT_PATTERN
        assert "pattern" in schema["properties"]["omschrijving"]["anyOf"][0]
        assert schema["properties"]["focusgebied"]["pattern"] != TEXT_PATTERN  # its own


class TestStrictNumbersAndBooleans:
    @pytest.mark.parametrize("value", ["2", True, 2.0, "twee"])
    def test_an_integer_field_takes_only_json_integers(self, value: Any) -> None:
        assert errors(InterventieInvoer, {**BASE, "actielijn": value}) == [
            ("actielijn", "int_type")]

    @pytest.mark.parametrize("value", ["true", 1, "ja"])
    def test_a_boolean_field_takes_only_true_or_false(self, value: Any) -> None:
        body = {"rijksvertegenwoordiger": {}, "programmabureau": {"ingericht": value}}
        assert errors(AlliantieInvoer, body) == [("programmabureau.ingericht", "bool_type")]

    def test_all_errors_come_at_once(self) -> None:
        found = errors(InterventieInvoer, {**BASE, "actielijn": "2", "titel": "a\x00b",
                                           "geplandeOutput": "x"})
        assert {name for name, _ in found} == {"actielijn", "titel", "geplandeOutput"}


class TestCanonicalDecimals:
    @pytest.mark.parametrize(("sent", "canonical"), [
        ("1e5", "100000.00"), (100000, "100000.00"), (1e5, "100000.00"), ("120.5", "120.50"),
        ("-0", "0.00"), ("0.10", "0.10")])
    def test_every_form_of_a_value_becomes_one_canonical_form(self, sent: Any,
                                                              canonical: str) -> None:
        body = {**BASE, "outputEenheid": "woningen", "geplandeOutput": sent}
        value = InterventieInvoer.model_validate(body).geplande_output
        assert str(value) == canonical

    @pytest.mark.parametrize("too_big", ["1e16", 1e16, "10000000000000000", 10**16])
    def test_a_number_and_a_string_are_bound_by_the_same_limits(self, too_big: Any) -> None:
        body = {**BASE, "outputEenheid": "woningen", "geplandeOutput": too_big}
        assert errors(InterventieInvoer, body)[0][0] == "geplandeOutput"

    def test_the_documented_maximum_is_accepted(self) -> None:
        body = {**BASE, "outputEenheid": "woningen", "geplandeOutput": "9999999999999999.99"}
        assert InterventieInvoer.model_validate(body).geplande_output == Decimal(
            "9999999999999999.99")


@pytest.mark.parametrize("body", [
    {**BASE, "geplandeOutput": "1" * 20, "outputEenheid": "x"},
    {**BASE, "geplandeOutput": "inf", "outputEenheid": "x"},
    {**BASE, "geplandeOutput": "1.234", "outputEenheid": "x"},
    {**BASE, "actielijn": 1.5}, {**BASE, "titel": "a\x00bc"}, {**BASE, "startdatum": "gisteren"},
    {**BASE, "ministerie": "XYZ"}, {**BASE, "begrotingsregelId": "geen-uuid"},
])
def test_every_reason_a_client_can_see_is_dutch(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        InterventieInvoer.model_validate(body)
    reasons = [p.reason for p in validation_params(list(info.value.errors()))]
    english = ("should", "input", "must", "value is not", "invalid")
    assert reasons
    assert not [r for r in reasons if any(word in r.lower() for word in english)], reasons
