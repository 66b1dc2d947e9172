"""Value types of financien: years, ministries, money (exact decimals), codes."""

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field, WithJsonSchema

from nplv_shared.schemas import canonical_decimal, decimal_input_schema

# The years of the chapter-7 table; a year outside them is a 400.
JAREN = (2022, 2023, 2024, 2025, 2026)
Jaar = Annotated[int, Field(ge=2022, le=2026, description="Begrotingsjaar 2022–2026 "
                                                          "(de kolommen van hoofdstuk 7)")]
Actielijn = Annotated[int, Field(ge=1, le=4, description="Actielijn 1–4 (hoofdstuk 4)")]
FocusgebiedCode = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=2,
                                       max_length=64, examples=["rotterdam-zuid"])]
GemeenteCode = Annotated[str, Field(pattern=r"^GM[0-9]{4}$", examples=["GM0599"])]
RegelCode = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=2,
                                 max_length=64, examples=["volkshuisvestingsfonds"])]

# Money: euros with cents, NUMERIC(18,2) in PostgreSQL, Decimal in Python, a decimal string in
# JSON. Input: a decimal string (or a JSON number) ≥ 0 with at most 2 decimals (3 is a 400).
BEDRAG_DIGITS, BEDRAG_PLACES = 18, 2
BedragInvoer = Annotated[
    Decimal, Field(ge=0, max_digits=BEDRAG_DIGITS, decimal_places=BEDRAG_PLACES),
    canonical_decimal(BEDRAG_PLACES),
    decimal_input_schema(max_digits=BEDRAG_DIGITS, decimal_places=BEDRAG_PLACES)]
BEDRAG_PATTERN = r"^-?(0|[1-9][0-9]*)\.[0-9]{2}$"
# Output: always a string with exactly two decimals ("1000000.00"); a sum or a remainder may be
# negative (an overrun), so the pattern allows a minus sign.
Bedrag = Annotated[Decimal, canonical_decimal(BEDRAG_PLACES), WithJsonSchema(
    {"type": "string", "pattern": BEDRAG_PATTERN, "examples": ["500000.00"],
     "description": "Bedrag in euro's als exacte decimale tekst met twee decimalen"},
    mode="serialization")]
# Percentages of an actielijn share: 0.01–100.00, at most 2 decimals.
PercentageInvoer = Annotated[
    Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2), canonical_decimal(2),
    decimal_input_schema(max_digits=5, decimal_places=2)]
PERCENTAGE_PATTERN = r"^(100|[1-9]?[0-9])\.[0-9]{2}$"
Percentage = Annotated[Decimal, canonical_decimal(2), WithJsonSchema(
    {"type": "string", "pattern": PERCENTAGE_PATTERN, "examples": ["50.00"]},
    mode="serialization")]


class Ministerie(StrEnum):
    """Organisation codes of the ministries (the token's `organisatie`). The table's headings
    VRO (the minister voor VRO, at BZK) and BZK both belong to organisation BZK."""

    BZK = "BZK"
    EZK = "EZK"
    VWS = "VWS"
    OCW = "OCW"
    SZW = "SZW"
    JENV = "JenV"


class Goedkeuringsstatus(StrEnum):
    AANGEVRAAGD = "aangevraagd"
    GOEDGEKEURD = "goedgekeurd"
    AFGEWEZEN = "afgewezen"


class Realisatiesoort(StrEnum):
    """IATI transaction types: commitment and disbursement/expenditure."""

    VERPLICHTING = "verplichting"
    BETALING = "betaling"
