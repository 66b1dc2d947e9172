"""gebieden.codes: the CBS code types (gemeente GM, wijk WK, buurt BU)."""

import pytest
from pydantic import TypeAdapter, ValidationError

from gebieden.codes import BuurtCode, GemeenteCode, WijkCode

GEMEENTE = TypeAdapter(GemeenteCode)
WIJK = TypeAdapter(WijkCode)
BUURT = TypeAdapter(BuurtCode)


class TestGemeenteCode:
    @pytest.mark.parametrize("code", ["GM0599", "GM0000", "GM1999"])
    def test_gm_with_four_digits_is_valid(self, code: str) -> None:
        assert GEMEENTE.validate_python(code) == code

    @pytest.mark.parametrize(
        "code", ["GM599", "GM05999", "gm0599", "GM059A", "0599", "WK059912", "GM 0599", ""])
    def test_anything_else_is_invalid(self, code: str) -> None:
        with pytest.raises(ValidationError):
            GEMEENTE.validate_python(code)


class TestWijkCode:
    @pytest.mark.parametrize("code", ["WK059912", "WK0599AB"])
    def test_wk_with_six_characters_is_valid(self, code: str) -> None:
        assert WIJK.validate_python(code) == code

    @pytest.mark.parametrize("code", ["WK05991", "WK0599123", "wk059912", "WK05A912"])
    def test_wrong_length_or_case_is_invalid(self, code: str) -> None:
        with pytest.raises(ValidationError):
            WIJK.validate_python(code)


class TestBuurtCode:
    @pytest.mark.parametrize("code", ["BU05991201", "BU0599AB01"])
    def test_bu_with_eight_characters_is_valid(self, code: str) -> None:
        assert BUURT.validate_python(code) == code

    @pytest.mark.parametrize("code", ["BU0599120", "BU059912011", "bu05991201", "BU059X1201"])
    def test_wrong_length_or_case_is_invalid(self, code: str) -> None:
        with pytest.raises(ValidationError):
            BUURT.validate_python(code)
