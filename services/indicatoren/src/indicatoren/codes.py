"""Value types shared by the schemas: codes, units, directions, kinds."""

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field, WithJsonSchema

from indicatoren.perioden import PERIODE_PATTERN
from indicatoren.regios import REGIO_PATTERN
from nplv_shared.schemas import TEXT_PATTERN, canonical_decimal

# Codes are given as a pattern and a maximum length only (no minLength beside the pattern, so a
# generator makes valid codes instead of filtering out short ones).
IndicatorCode = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64,
                                     examples=["leefbaarometer-score"],
                                     description="Stabiele code van de indicator")]
FocusgebiedCode = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64,
                                       examples=["rotterdam-zuid"])]
RegioCode = Annotated[str, Field(
    pattern=REGIO_PATTERN, max_length=64, examples=["rotterdam-zuid"],
    description="Focusgebiedcode, GM+4 (gemeente), GM+4-rest (de gemeente zonder haar "
                "focusgebied(en)), WK+6 (wijk), BU+8 (buurt) of NL01 (Nederland)")]
PeriodeId = Annotated[str, Field(
    pattern=PERIODE_PATTERN, examples=["2024S1"],
    description="Periode: 2024 (jaar), 2024S1 (halfjaar), 2024Q3 (kwartaal), 202409 (maand), "
                "2024/2025 (schooljaar, 1 augustus–31 juli; in een pad 2024-2025) of 2024B "
                "(tweejaarlijks: 2024 en 2025). Jaren 2000–2100.")]
Actielijn = Annotated[int, Field(ge=1, le=4, description="Actielijn 1–4 (hoofdstuk 4)")]


class Eenheid(StrEnum):
    AANTAL = "aantal"          # a count: ≥ 0, whole
    PERCENTAGE = "percentage"  # 0–100
    SCORE = "score"            # within the indicator's schaalMin–schaalMax


class Richting(StrEnum):
    HOGER_IS_BETER = "hoger-is-beter"
    LAGER_IS_BETER = "lager-is-beter"
    NEUTRAAL = "neutraal"


class Soort(StrEnum):
    STAND = "stand"            # a stock at the end of the period
    STROOM = "stroom"          # a flow during the period
    CUMULATIEF = "cumulatief"  # a running total since the programme's start


class Combinatie(StrEnum):
    OPTELBAAR = "optelbaar"
    GEWOGEN_INWONERS = "gewogen-inwoners"
    GEWOGEN_HUISHOUDENS = "gewogen-huishoudens"
    GEWOGEN_LEERLINGEN = "gewogen-leerlingen"
    NIET_COMBINEERBAAR = "niet-combineerbaar"


class IndicatorStatus(StrEnum):
    ACTIEF = "actief"
    VERVALLEN = "vervallen"


class MetingStatus(StrEnum):
    VOORLOPIG = "voorlopig"
    DEFINITIEF = "definitief"


def waarde_input_schema() -> WithJsonSchema:
    """The documented form of a (possibly negative) exact value in a request: a decimal string
    (preferred) or a JSON number, at most 14 digits before and 4 after the point."""
    return WithJsonSchema({
        "anyOf": [
            {"type": "string", "pattern": r"^-?(0|[1-9][0-9]{0,13})(\.[0-9]{1,4})?$",
             "examples": ["12.5"]},
            {"type": "number", "exclusiveMinimum": -10**14, "exclusiveMaximum": 10**14},
        ],
        "description": "Exact decimaal getal, hoogstens 14 cijfers vóór en 4 na de punt; bij "
                       "voorkeur als tekst (een JSON-getal met meer dan 4 decimalen is 400). "
                       "Antwoorden en events geven het als tekst met 4 decimalen.",
    }, mode="validation")


Waarde = Annotated[Decimal, Field(max_digits=18, decimal_places=4, gt=-10**14, lt=10**14),
                   canonical_decimal(4), waarde_input_schema()]


# Required free text: the platform's text rule (no control characters, no white space at either
# end) and at least one character, stated as one pattern instead of pattern + minLength: a
# generator (schemathesis) then makes valid text directly instead of filtering out short ones.
NIET_LEEG = "^" + TEXT_PATTERN.removeprefix("^(?:").removesuffix(")?$") + "$"
