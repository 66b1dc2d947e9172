"""gebieden.focusgebieden.schemas: FocusgebiedInvoer (with gebiedsdelen) and
UitvoeringsprogrammaInvoer (exactly the six onderdelen)."""

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from gebieden.codes import UITVOERINGSPROGRAMMA_ONDERDELEN, UitvoeringsprogrammaStatus
from gebieden.focusgebieden.schemas import FocusgebiedInvoer, UitvoeringsprogrammaInvoer


def gebiedsdeel(code: str = "WK059912", **overrides: Any) -> dict[str, Any]:
    return {"code": code, "geldigVanaf": "2024-01-01", **overrides}


def focusgebied_invoer(**overrides: Any) -> dict[str, Any]:
    return {"naam": "Rotterdam-Zuid", "gemeente": "GM0599", "inwoners": 200_000,
            "gebiedsdelen": [gebiedsdeel()], **overrides}


def onderdelen(codes: tuple[str, ...] | list[str] = UITVOERINGSPROGRAMMA_ONDERDELEN,
               ) -> list[dict[str, Any]]:
    return [{"code": code, "aanwezig": True} for code in codes]


def uitvoeringsprogramma_invoer(**overrides: Any) -> dict[str, Any]:
    return {"status": "vastgesteld", "vastgesteldOp": "2024-09-01",
            "onderdelen": onderdelen(), **overrides}


class TestFocusgebiedInvoer:
    @pytest.mark.parametrize("code", ["WK059912", "WK0599AB", "BU05991201", "BU0599AB12"])
    def test_cbs_wijk_and_buurt_codes_are_valid_gebiedsdelen(self, code: str) -> None:
        invoer = FocusgebiedInvoer.model_validate(
            focusgebied_invoer(gebiedsdelen=[gebiedsdeel(code)]))
        assert invoer.gebiedsdelen[0].code == code
        assert invoer.gebiedsdelen[0].geldig_vanaf == date(2024, 1, 1)

    @pytest.mark.parametrize("code", [
        "WK05991",       # WK + 5
        "WK0599123",     # WK + 7
        "BU0599120",     # BU + 7
        "BU059912011",   # BU + 9
        "wk059912",      # lower case
        "GM0599",        # a gemeente is not a gebiedsdeel
        "XX059912",
    ])
    def test_other_codes_are_invalid_gebiedsdelen(self, code: str) -> None:
        with pytest.raises(ValidationError) as info:
            FocusgebiedInvoer.model_validate(focusgebied_invoer(gebiedsdelen=[gebiedsdeel(code)]))
        assert all(e["loc"][:3] == ("gebiedsdelen", 0, "code")
                   for e in info.value.errors())

    def test_geldig_tot_after_geldig_vanaf_is_valid(self) -> None:
        invoer = FocusgebiedInvoer.model_validate(focusgebied_invoer(
            gebiedsdelen=[gebiedsdeel(geldigTot="2024-12-31")]))
        assert invoer.gebiedsdelen[0].geldig_tot == date(2024, 12, 31)

    @pytest.mark.parametrize("geldig_tot", ["2024-01-01", "2023-12-31"])
    def test_geldig_tot_on_or_before_geldig_vanaf_is_rejected(self, geldig_tot: str) -> None:
        with pytest.raises(ValidationError, match="geldigTot"):
            FocusgebiedInvoer.model_validate(focusgebied_invoer(
                gebiedsdelen=[gebiedsdeel(geldigTot=geldig_tot)]))

    @pytest.mark.parametrize("gemeente", ["GM599", "gm0599", "GM05990", "0599"])
    def test_gemeente_must_be_gm_with_four_digits(self, gemeente: str) -> None:
        with pytest.raises(ValidationError) as info:
            FocusgebiedInvoer.model_validate(focusgebied_invoer(gemeente=gemeente))
        assert info.value.errors()[0]["loc"] == ("gemeente",)

    def test_no_gebiedsdelen_defaults_to_empty_list(self) -> None:
        body = focusgebied_invoer()
        del body["gebiedsdelen"]
        assert FocusgebiedInvoer.model_validate(body).gebiedsdelen == []

    def test_unknown_field_in_gebiedsdeel_is_rejected(self) -> None:
        with pytest.raises(ValidationError) as info:
            FocusgebiedInvoer.model_validate(
                focusgebied_invoer(gebiedsdelen=[gebiedsdeel(soort="wijk")]))
        assert info.value.errors()[0]["type"] == "extra_forbidden"

    @pytest.mark.parametrize("inwoners", [-1, 2_000_001])
    def test_inwoners_out_of_range_is_rejected(self, inwoners: int) -> None:
        with pytest.raises(ValidationError):
            FocusgebiedInvoer.model_validate(focusgebied_invoer(inwoners=inwoners))


class TestUitvoeringsprogrammaInvoer:
    def test_the_six_onderdelen_in_any_order_are_valid(self) -> None:
        invoer = UitvoeringsprogrammaInvoer.model_validate(uitvoeringsprogramma_invoer(
            onderdelen=onderdelen(tuple(reversed(UITVOERINGSPROGRAMMA_ONDERDELEN)))))
        assert invoer.status is UitvoeringsprogrammaStatus.VASTGESTELD
        assert invoer.vastgesteld_op == date(2024, 9, 1)
        assert {o.code for o in invoer.onderdelen} == set(UITVOERINGSPROGRAMMA_ONDERDELEN)

    def test_a_missing_onderdeel_is_rejected(self) -> None:
        with pytest.raises(ValidationError, match=r"zes onderdelen|too_short|too_long"):
            UitvoeringsprogrammaInvoer.model_validate(uitvoeringsprogramma_invoer(
                onderdelen=onderdelen(UITVOERINGSPROGRAMMA_ONDERDELEN[:5])))

    def test_a_duplicated_onderdeel_instead_of_another_is_rejected(self) -> None:
        codes = [*UITVOERINGSPROGRAMMA_ONDERDELEN[:5], UITVOERINGSPROGRAMMA_ONDERDELEN[0]]
        with pytest.raises(ValidationError, match=r"zes onderdelen|too_short|too_long"):
            UitvoeringsprogrammaInvoer.model_validate(
                uitvoeringsprogramma_invoer(onderdelen=onderdelen(codes)))

    def test_a_seventh_onderdeel_is_rejected(self) -> None:
        codes = [*UITVOERINGSPROGRAMMA_ONDERDELEN, "extra"]
        with pytest.raises(ValidationError, match=r"zes onderdelen|too_short|too_long"):
            UitvoeringsprogrammaInvoer.model_validate(
                uitvoeringsprogramma_invoer(onderdelen=onderdelen(codes)))

    def test_an_unknown_onderdeel_code_is_rejected(self) -> None:
        codes = [*UITVOERINGSPROGRAMMA_ONDERDELEN[:5], "begroting"]
        with pytest.raises(ValidationError, match=r"zes onderdelen|too_short|too_long"):
            UitvoeringsprogrammaInvoer.model_validate(
                uitvoeringsprogramma_invoer(onderdelen=onderdelen(codes)))

    def test_unknown_status_is_rejected(self) -> None:
        with pytest.raises(ValidationError) as info:
            UitvoeringsprogrammaInvoer.model_validate(
                uitvoeringsprogramma_invoer(status="klaar"))
        assert info.value.errors()[0]["loc"] == ("status",)
