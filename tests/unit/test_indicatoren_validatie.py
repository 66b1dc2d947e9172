"""The batch validation of metingen (indicatoren.metingen.validatie) and region codes: pure,
the same rules for the single write and the bulk import."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicatoren import regios
from indicatoren.indicatoren.schemas import Indicator
from indicatoren.loader import kernindicatoren
from indicatoren.metingen.validatie import Context, validate
from indicatoren.referentie.service import Gebieden
from nplv_shared.auth import Principal

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def indicator(code: str, **fields: Any) -> Indicator:
    base = {"code": code, "naam": code, "omschrijving": None, "actielijn": 2,
            "kernindicator": None, "focusgebied": None, "eigenaar": "BZK", "bron": "CBS",
            "bronToelichting": None, "eenheid": "percentage", "schaalMin": None,
            "schaalMax": None, "richting": "hoger-is-beter", "soort": "stand",
            "combinatie": "gewogen-inwoners", "periodetype": "jaar", "status": "actief",
            "betekenisversie": 1, "versie": 1, "aangemaaktOp": NOW, "gewijzigdOp": NOW}
    return Indicator.model_validate({**base, **fields})


CATALOGUS = {
    "pct": indicator("pct", betekenisversie=3),
    "aantal": indicator("aantal", eenheid="aantal", periodetype="halfjaar"),
    "score": indicator("score", eenheid="score", schaalMin=Decimal(1), schaalMax=Decimal(9),
                       periodetype="tweejaar"),
    "oud": indicator("oud", status="vervallen"),
    "lokaal": indicator("lokaal", focusgebied="rotterdam-zuid"),
    "school": indicator("school", periodetype="schooljaar"),
}
GEBIEDEN = Gebieden(focusgebieden={"rotterdam-zuid": "GM0599", "amsterdam-zuidoost": "GM0363"},
                    gemeenten=frozenset({"GM0599", "GM0363"}), namen={})
BZK = Principal("pb", "BZK", frozenset({"nplv:indicatoren:beheer"}))
ROTTERDAM = Principal("rdam", "GM0599", frozenset({"nplv:indicatoren:schrijven"}))
CBS = Principal("cbs", "EZK", frozenset({"nplv:indicatoren:schrijven"}))


def one(row: dict[str, Any], principal: Principal = BZK):
    return validate([row], Context(CATALOGUS, GEBIEDEN, principal))[0]


def errors(row: dict[str, Any], principal: Principal = BZK) -> dict[str, tuple[str, str]]:
    return {f.veld: (f.code, f.reden) for f in one(row, principal).fouten}


def test_a_good_row_is_cleaned():
    uitkomst = one({"indicator": "pct", "regio": "rotterdam-zuid", "periode": "2024",
                    "waarde": 12.5, "bron": "CBS 85984NED"})
    assert uitkomst.fouten == []
    m = uitkomst.meting
    assert m is not None
    assert (m.waarde, m.status, m.indicator_versie, m.focusgebied, m.gemeente) == (
        Decimal("12.5000"), "voorlopig", 3, "rotterdam-zuid", "GM0599")
    assert (m.periode_type, str(m.periode_begin), str(m.periode_eind)) == (
        "jaar", "2024-01-01", "2024-12-31")


def test_every_error_of_a_row_is_reported_at_once():
    found = errors({"indicator": "pct", "regio": "GM12345", "periode": "2024Q5",
                    "waarde": "abc", "status": "klaar", "extra": 1})
    assert set(found) == {"regio", "periode", "waarde", "status", "extra"}
    assert found["regio"][0] == "invalid"
    assert "GM + 4 cijfers" in found["regio"][1]
    assert found["periode"] == ("invalid", "kwartaal 5 in '2024Q5' bestaat niet (Q1–Q4)")
    assert found["extra"][0] == "extra_forbidden"


def test_missing_fields():
    assert {k: v[0] for k, v in errors({}).items()} == {
        "indicator": "missing", "regio": "missing", "periode": "missing", "waarde": "missing"}


@pytest.mark.parametrize(("row", "field", "code", "reason"), [
    ({"indicator": "nee"}, "indicator", "unknown", "onbekende indicator 'nee'"),
    ({"indicator": "oud"}, "indicator", "retired", "indicator 'oud' is vervallen; er komen "
                                                   "geen metingen meer bij"),
    ({"regio": "nergens-zuid"}, "regio", "unknown", "onbekend focusgebied 'nergens-zuid'"),
    ({"regio": "GM0001"}, "regio", "unknown",
     "gemeente GM0001 (van regio 'GM0001') hoort niet bij het programma"),
    ({"regio": "BU00011234"}, "regio", "unknown",
     "gemeente GM0001 (van regio 'BU00011234') hoort niet bij het programma"),
    ({"periode": "2024S1"}, "periode", "wrong_period_type",
     "periode 2024S1 is een halfjaar; indicator 'pct' wordt per jaar gemeten"),
    ({"waarde": "100.01"}, "waarde", "out_of_range",
     "een percentage ligt tussen 0 en 100, niet 100.01"),
    ({"waarde": -1}, "waarde", "out_of_range", "een percentage ligt tussen 0 en 100, niet -1"),
    ({"waarde": "1.00001"}, "waarde", "invalid", "mag hoogstens 4 decimalen hebben"),
    ({"waarde": "1e15"}, "waarde", "invalid", "mag hoogstens 14 cijfers vóór de punt hebben"),
    ({"waarde": "NaN"}, "waarde", "invalid", "moet een eindig getal zijn"),
    ({"waarde": True}, "waarde", "invalid",
     "moet een decimaal getal zijn (bij voorkeur als tekst, bv. \"12.5\")"),
    ({"bron": " CBS"}, "bron", "invalid", "mag niet met witruimte beginnen of eindigen"),
    ({"bron": "a\x00b"}, "bron", "invalid", "bevat een stuurteken dat in tekst niet is "
                                            "toegestaan"),
])
def test_precise_reasons(row, field, code, reason):
    base = {"indicator": "pct", "regio": "GM0599", "periode": "2024", "waarde": "50"}
    assert errors({**base, **row})[field] == (code, reason)


@pytest.mark.parametrize(("code", "periode", "waarde", "reason"), [
    ("aantal", "2024S1", "-1", "een aantal kan niet negatief zijn (-1)"),
    ("aantal", "2024S1", "2.5", "een aantal is een geheel getal, niet 2.5"),
    ("score", "2022B", "9.5", "de score van 'score' ligt tussen 1 en 9, niet 9.5"),
    ("score", "2022B", "0", "de score van 'score' ligt tussen 1 en 9, niet 0"),
])
def test_unit_and_scale(code, periode, waarde, reason):
    row = {"indicator": code, "regio": "NL01", "periode": periode, "waarde": waarde}
    assert errors(row)["waarde"] == ("out_of_range", reason)


def test_whole_counts_and_scale_bounds_pass():
    for row in ({"indicator": "aantal", "periode": "2024S2", "waarde": "120.0000"},
                {"indicator": "score", "periode": "2022B", "waarde": 9},
                {"indicator": "score", "periode": "2022B", "waarde": "1"},
                {"indicator": "pct", "periode": "2024", "waarde": 0},
                {"indicator": "school", "periode": "2024-2025", "waarde": "100"}):
        assert one({"regio": "NL01", **row}).fouten == []
    assert one({"indicator": "school", "periode": "2024-2025", "waarde": "1",
                "regio": "NL01"}).meting.periode == "2024/2025"


def test_regions_of_every_kind():
    for regio, soort, gemeente in (("rotterdam-zuid", "focusgebied", "GM0599"),
                                   ("GM0599", "gemeente", "GM0599"),
                                   ("GM0599-rest", "rest-gemeente", "GM0599"),
                                   ("WK059912", "wijk", "GM0599"),
                                   ("BU0599AB12", "buurt", "GM0599"),
                                   ("NL01", "land", None)):
        meting = one({"indicator": "pct", "regio": regio, "periode": "2024",
                      "waarde": "1"}).meting
        assert meting is not None
        assert (meting.regio_soort, meting.gemeente) == (soort, gemeente)


def test_a_gemeente_writes_only_its_own_regions():
    row = {"indicator": "pct", "periode": "2024", "waarde": "1"}
    assert one({**row, "regio": "WK059912"}, ROTTERDAM).fouten == []
    assert one({**row, "regio": "rotterdam-zuid"}, ROTTERDAM).fouten == []
    for regio in ("amsterdam-zuidoost", "GM0363-rest", "NL01"):
        assert errors({**row, "regio": regio}, ROTTERDAM)["regio"][0] == "forbidden"


def test_a_data_team_writes_kernindicatoren_everywhere_but_no_local_ones():
    row = {"periode": "2024", "waarde": "1"}
    for regio in ("NL01", "amsterdam-zuidoost", "GM0599-rest"):
        assert one({**row, "indicator": "pct", "regio": regio}, CBS).fouten == []
    assert errors({**row, "indicator": "lokaal", "regio": "rotterdam-zuid"},
                  CBS)["regio"][0] == "forbidden"


def test_a_local_indicator_is_measured_only_in_its_gemeente_and_nederland():
    row = {"indicator": "lokaal", "periode": "2024", "waarde": "1"}
    assert one({**row, "regio": "GM0599-rest"}).fouten == []
    assert one({**row, "regio": "NL01"}).fouten == []
    assert errors({**row, "regio": "amsterdam-zuidoost"})["regio"][0] == "out_of_range"


def test_rows_are_numbered_and_independent():
    rows = [{"indicator": "pct", "regio": "NL01", "periode": "2024", "waarde": "1"},
            {"indicator": "pct", "regio": "NL01", "periode": "2024", "waarde": "101"},
            "geen object"]
    result = validate(rows, Context(CATALOGUS, GEBIEDEN, BZK))  # type: ignore[list-item]
    assert [(u.rij, u.meting is not None, [f.veld for f in u.fouten]) for u in result] == [
        (1, True, []), (2, False, ["waarde"]), (3, False, ["rij"])]


@pytest.mark.parametrize(("code", "soort", "gemeente"), [
    ("rotterdam-zuid", regios.RegioSoort.FOCUSGEBIED, None),
    ("GM0599", regios.RegioSoort.GEMEENTE, "GM0599"),
    ("GM0599-rest", regios.RegioSoort.REST_GEMEENTE, "GM0599"),
    ("WK0599AB", regios.RegioSoort.WIJK, "GM0599"),
    ("BU05990101", regios.RegioSoort.BUURT, "GM0599"),
    ("NL01", regios.RegioSoort.LAND, None),
])
def test_region_codes(code, soort, gemeente):
    assert regios.parse(code) == regios.Regio(code, soort, gemeente)


@pytest.mark.parametrize("code", ["GM599", "WK05991", "BU059901", "gm0599", "NL02",
                                  "Rotterdam", "a", "GM0599-Rest", "-zuid", ""])
def test_bad_region_codes(code):
    with pytest.raises(regios.OngeldigeRegio):
        regios.parse(code)


def test_the_catalogue_has_the_fifteen_kernindicatoren_of_section_6_1():
    items = kernindicatoren()
    assert [i.kernindicator for _, i in items] == list(range(1, 16))
    per_actielijn = {a: sum(1 for _, i in items if i.actielijn == a) for a in (2, 3, 4)}
    assert per_actielijn == {2: 5, 3: 7, 4: 3}
    assert len({code for code, _ in items}) == 15
    bronnen = {i.kernindicator: i.bron for _, i in items}
    assert (bronnen[5], bronnen[6], bronnen[10], bronnen[13], bronnen[14]) == (
        "Leefbaarometer", "CBS", "CBS", "Veiligheidsmonitor", "Zicht op Ondermijning")


def test_unknown_field_names_are_echoed_safely():
    found = errors({"indicator": "pct", "regio": "NL01", "periode": "2024", "waarde": "1",
                    "a\udab0\x00b" + "x" * 100: 1})
    (name,) = [k for k in found if k.startswith("a")]
    assert name.startswith("a\\udab0\\u0000b")
    name.encode("utf-8")  # no lone surrogate left
    assert len(name) <= 64 + 5 * 2


def test_reasons_that_echo_input_are_safe_to_encode():
    found = errors({"indicator": "x\udab0", "regio": "GM\x00", "periode": "20\ud800",
                    "waarde": "1"})
    for _, reason in found.values():
        reason.encode("utf-8")
    assert found["indicator"][1] == "onbekende indicator 'x\\udab0'"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=6)


@given(st.dictionaries(st.sampled_from(["indicator", "regio", "periode", "waarde", "status",
                                        "bron", "reden"]) | st.text(max_size=8),
                       json_values, max_size=8))
def test_any_json_row_is_validated_without_raising(row):
    (uitkomst,) = validate([row], Context(CATALOGUS, GEBIEDEN, BZK))
    assert (uitkomst.meting is None) == bool(uitkomst.fouten)
    for fout in uitkomst.fouten:
        fout.veld.encode("utf-8")
        fout.reden.encode("utf-8")
