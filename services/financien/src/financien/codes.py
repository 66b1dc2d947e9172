"""Value types of financien: years, ministries, money (exact decimals), codes."""

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field, WithJsonSchema

from nplv_shared.schemas import TEXT_PATTERN, canonical_decimal, decimal_input_schema

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
# Percentages of an actielijn share: 0.01–100.00, at most 2 decimals. The documented form
# states the bounds itself (the generic decimal schema would allow 0 and up to 999.99): as text
# 0.01–0.99, 1–99.99 or 100 (with at most two zero decimals); as a JSON number above 0, at most
# 100, in cents.
PERCENTAGE_INVOER_PATTERN = r"^(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]?(\.[0-9]{1,2})?|100(\.00?)?)$"
PercentageInvoer = Annotated[
    Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2), canonical_decimal(2),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "pattern": PERCENTAGE_INVOER_PATTERN, "examples": ["50.00"]},
            {"type": "number", "exclusiveMinimum": 0, "maximum": 100, "multipleOf": 0.01},
        ],
        "description": "Percentage groter dan 0 en hoogstens 100, met hoogstens 2 decimalen; "
                       "bij voorkeur als tekst. Antwoorden en events geven het altijd als "
                       "tekst met 2 decimalen.",
    }, mode="validation")]
PERCENTAGE_PATTERN = r"^(100|[1-9]?[0-9])\.[0-9]{2}$"
Percentage = Annotated[Decimal, canonical_decimal(2), WithJsonSchema(
    {"type": "string", "pattern": PERCENTAGE_PATTERN, "examples": ["50.00"]},
    mode="serialization")]


class Ministerie(StrEnum):
    """Organisatiecode van een ministerie (de `organisatie` in het token). De koppen VRO (de
    minister voor VRO, bij BZK) en BZK in de tabel horen allebei bij organisatie BZK."""

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
    """Soort realisatie: een verplichting (IATI commitment) of een betaling (IATI
    disbursement/expenditure)."""

    VERPLICHTING = "verplichting"
    BETALING = "betaling"


# Required free text: the platform's text rule (no control characters, no white space at either
# end) and at least one character, stated as one pattern instead of pattern + minLength: a
# generator (schemathesis) then makes valid text directly instead of filtering out short ones.
NIET_LEEG = "^" + TEXT_PATTERN.removeprefix("^(?:").removesuffix(")?$") + "$"
# The same with at least three characters: a first and a last character that are not white
# space and at least one character between them.
MINSTENS_DRIE = NIET_LEEG.replace("*", "+").replace("(?:", "").replace(")?$", "$")
