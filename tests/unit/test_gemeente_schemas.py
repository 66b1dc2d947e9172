"""gebieden.gemeenten.schemas.PrestatieafsprakenInvoer: points 1..7, each exactly once."""

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from gebieden.gemeenten.schemas import AfspraakStatus, GemeenteInvoer, PrestatieafsprakenInvoer


def afspraken(nummers: list[int] | range = range(1, 8),
              status: str = "vastgelegd") -> list[dict[str, Any]]:
    return [{"nummer": n, "status": status} for n in nummers]


def prestatieafspraken_invoer(**overrides: Any) -> dict[str, Any]:
    return {"ondertekendOp": "2024-03-01", "afspraken": afspraken(), **overrides}


class TestPrestatieafsprakenInvoer:
    def test_points_one_to_seven_in_any_order_are_valid(self) -> None:
        invoer = PrestatieafsprakenInvoer.model_validate(
            prestatieafspraken_invoer(afspraken=afspraken([7, 3, 1, 2, 6, 5, 4])))
        assert sorted(a.nummer for a in invoer.afspraken) == list(range(1, 8))
        assert invoer.ondertekend_op == date(2024, 3, 1)
        assert invoer.afspraken[0].status is AfspraakStatus.VASTGELEGD

    def test_a_duplicated_point_instead_of_another_is_rejected(self) -> None:
        with pytest.raises(ValidationError, match="precies één keer"):
            PrestatieafsprakenInvoer.model_validate(
                prestatieafspraken_invoer(afspraken=afspraken([1, 2, 3, 4, 5, 6, 6])))

    @pytest.mark.parametrize("nummers", [range(1, 7), range(1, 9)])
    def test_fewer_or_more_than_seven_points_are_rejected(self, nummers: range) -> None:
        with pytest.raises(ValidationError) as info:
            PrestatieafsprakenInvoer.model_validate(
                prestatieafspraken_invoer(afspraken=afspraken(nummers)))
        assert info.value.errors()[0]["loc"][0] == "afspraken"

    @pytest.mark.parametrize("nummer", [0, 8])
    def test_a_point_outside_one_to_seven_is_rejected(self, nummer: int) -> None:
        nummers = [nummer, 2, 3, 4, 5, 6, 7]
        with pytest.raises(ValidationError) as info:
            PrestatieafsprakenInvoer.model_validate(
                prestatieafspraken_invoer(afspraken=afspraken(nummers)))
        assert info.value.errors()[0]["loc"] == ("afspraken", 0, "nummer")

    def test_unknown_afspraak_status_is_rejected(self) -> None:
        with pytest.raises(ValidationError):
            PrestatieafsprakenInvoer.model_validate(
                prestatieafspraken_invoer(afspraken=afspraken(status="klaar")))

    def test_ondertekend_op_is_optional(self) -> None:
        body = prestatieafspraken_invoer()
        del body["ondertekendOp"]
        assert PrestatieafsprakenInvoer.model_validate(body).ondertekend_op is None


class TestGemeenteInvoer:
    def test_naam_with_white_space_around_it_is_refused_as_documented(self) -> None:
        with pytest.raises(ValidationError) as info:
            GemeenteInvoer.model_validate({"naam": "  Rotterdam "})
        assert [e["type"] for e in info.value.errors()] == ["whitespace_around"]

    def test_unknown_field_is_rejected(self) -> None:
        with pytest.raises(ValidationError):
            GemeenteInvoer.model_validate({"naam": "Rotterdam", "code": "GM0599"})
