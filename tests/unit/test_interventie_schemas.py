"""gebieden.interventies.schemas.InterventieInvoer: camelCase input, strict validation."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from gebieden.codes import InterventieStatus, Ministerie
from gebieden.interventies.schemas import InterventieInvoer


def interventie_invoer(**overrides: Any) -> dict[str, Any]:
    """A valid request body as a departmental system sends it (camelCase)."""
    body: dict[str, Any] = {
        "focusgebied": "rotterdam-zuid",
        "actielijn": 2,
        "ministerie": "SZW",
        "titel": "Wijkteams versterken",
        "status": "lopend",
        "startdatum": "2025-01-01",
        "einddatum": "2026-12-31",
        "outputEenheid": "huishoudens",
        "geplandeOutput": "120",
        "gerealiseerdeOutput": "45.50",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


def error_types(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [e["type"] for e in exc.value.errors()]


class TestInterventieInvoer:
    def test_valid_camel_case_body_is_parsed_into_typed_fields(self) -> None:
        regel = uuid.uuid4()
        invoer = InterventieInvoer.model_validate(
            interventie_invoer(begrotingsregelId=str(regel)))
        assert invoer.ministerie is Ministerie.SZW
        assert invoer.status is InterventieStatus.LOPEND
        assert invoer.startdatum == date(2025, 1, 1)
        assert invoer.output_eenheid == "huishoudens"
        assert invoer.geplande_output == Decimal("120")
        assert invoer.gerealiseerde_output == Decimal("45.50")
        assert invoer.begrotingsregel_id == regel

    def test_defaults_status_gepland_and_no_ministerie(self) -> None:
        invoer = InterventieInvoer.model_validate(
            interventie_invoer(status=..., ministerie=...))
        assert invoer.status is InterventieStatus.GEPLAND
        assert invoer.ministerie is None

    def test_unknown_field_is_rejected(self) -> None:
        with pytest.raises(ValidationError) as info:
            InterventieInvoer.model_validate(interventie_invoer(budget=1000))
        assert error_types(info) == ["extra_forbidden"]
        assert info.value.errors()[0]["loc"] == ("budget",)

    def test_einddatum_before_startdatum_is_rejected(self) -> None:
        with pytest.raises(ValidationError) as info:
            InterventieInvoer.model_validate(
                interventie_invoer(startdatum="2025-06-01", einddatum="2025-05-31"))
        assert "einddatum" in str(info.value)

    def test_einddatum_on_startdatum_is_allowed(self) -> None:
        invoer = InterventieInvoer.model_validate(
            interventie_invoer(startdatum="2025-06-01", einddatum="2025-06-01"))
        assert invoer.einddatum == invoer.startdatum

    @pytest.mark.parametrize("field", ["geplandeOutput", "gerealiseerdeOutput"])
    def test_output_without_output_eenheid_is_rejected(self, field: str) -> None:
        body = interventie_invoer(outputEenheid=..., geplandeOutput=...,
                                  gerealiseerdeOutput=...)
        body[field] = "10"
        with pytest.raises(ValidationError) as info:
            InterventieInvoer.model_validate(body)
        assert "outputEenheid" in str(info.value)

    def test_blank_output_eenheid_with_output_is_rejected(self) -> None:
        with pytest.raises(ValidationError):
            InterventieInvoer.model_validate(interventie_invoer(outputEenheid="   "))

    def test_output_eenheid_without_output_is_allowed(self) -> None:
        invoer = InterventieInvoer.model_validate(
            interventie_invoer(geplandeOutput=..., gerealiseerdeOutput=...))
        assert invoer.geplande_output is None
        assert invoer.output_eenheid == "huishoudens"

    @pytest.mark.parametrize("actielijn", [1, 2, 3, 4])
    def test_actielijn_one_to_four_is_accepted(self, actielijn: int) -> None:
        assert InterventieInvoer.model_validate(
            interventie_invoer(actielijn=actielijn)).actielijn == actielijn

    @pytest.mark.parametrize("actielijn", [0, 5, -1])
    def test_actielijn_outside_one_to_four_is_rejected(self, actielijn: int) -> None:
        with pytest.raises(ValidationError) as info:
            InterventieInvoer.model_validate(interventie_invoer(actielijn=actielijn))
        assert info.value.errors()[0]["loc"] == ("actielijn",)

    def test_negative_output_is_rejected(self) -> None:
        with pytest.raises(ValidationError) as info:
            InterventieInvoer.model_validate(interventie_invoer(geplandeOutput="-1"))
        assert error_types(info) == ["greater_than_equal"]

    @pytest.mark.parametrize("value", ["NaN", "Infinity"])
    def test_non_finite_output_is_rejected(self, value: str) -> None:
        with pytest.raises(ValidationError):
            InterventieInvoer.model_validate(interventie_invoer(geplandeOutput=value))

    def test_output_with_more_than_two_decimals_is_rejected(self) -> None:
        with pytest.raises(ValidationError) as info:
            InterventieInvoer.model_validate(interventie_invoer(geplandeOutput="0.125"))
        assert error_types(info) == ["decimal_max_places"]

    def test_output_is_an_exact_decimal(self) -> None:
        invoer = InterventieInvoer.model_validate(
            interventie_invoer(geplandeOutput="0.10", gerealiseerdeOutput="0.20"))
        assert isinstance(invoer.geplande_output, Decimal)
        assert invoer.geplande_output + invoer.gerealiseerde_output == Decimal("0.30")

    def test_json_number_output_keeps_its_decimal_value(self) -> None:
        invoer = InterventieInvoer.model_validate_json(
            '{"focusgebied": "rotterdam-zuid", "actielijn": 1, "titel": "Abc", '
            '"outputEenheid": "woningen", "geplandeOutput": 0.1, "gerealiseerdeOutput": 0.2}')
        assert invoer.geplande_output + invoer.gerealiseerde_output == Decimal("0.3")

    @pytest.mark.parametrize("ministerie", ["bzk", "Defensie", ""])
    def test_unknown_ministerie_is_rejected(self, ministerie: str) -> None:
        with pytest.raises(ValidationError):
            InterventieInvoer.model_validate(interventie_invoer(ministerie=ministerie))

    @pytest.mark.parametrize("code", ["Rotterdam-Zuid", "rotterdam_zuid", "-zuid", "a"])
    def test_invalid_focusgebied_code_is_rejected(self, code: str) -> None:
        with pytest.raises(ValidationError):
            InterventieInvoer.model_validate(interventie_invoer(focusgebied=code))

    def test_titel_with_white_space_around_it_is_refused(self) -> None:
        with pytest.raises(ValidationError) as info:
            InterventieInvoer.model_validate(interventie_invoer(titel="  ab  "))
        assert error_types(info) == ["whitespace_around"]

    def test_all_field_errors_are_reported_together(self) -> None:
        with pytest.raises(ValidationError) as info:
            InterventieInvoer.model_validate(
                interventie_invoer(actielijn=9, titel="x", status="klaar", onbekend=1))
        locs = {e["loc"][0] for e in info.value.errors()}
        assert locs == {"actielijn", "titel", "status", "onbekend"}
