"""Pydantic bases for API bodies: camelCase on the wire, unknown input fields rejected (400),
strict numbers and booleans, no control characters in text, canonical decimals."""

import re
import types
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

# C0 controls but tab, newline and carriage return; DEL; lone surrogates (not encodable).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# What the OpenAPI documents for every free text in a request: no control characters (tab,
# newline and carriage return inside the text are fine) and no white space at either end. The
# classes are spelled out (no `\s`), so every regex engine reads the pattern the same way.
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_EDGE = (r"\x00-\x20\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
         r"\ufeff")
TEXT_PATTERN = rf"^(?:[^{_EDGE}](?:[^{_CONTROL}]*[^{_EDGE}])?)?$"
TEXT = re.compile(TEXT_PATTERN)  # checked exactly as documented


def _document_text_rules(schema: dict[str, Any]) -> None:
    """json_schema_extra of Invoer: give every free-text property the TEXT_PATTERN."""
    for prop in schema.get("properties", {}).values():
        for branch in [prop, *prop.get("anyOf", [])]:
            free_text = branch.get("type") == "string" and not (
                {"pattern", "format", "enum", "const"} & set(branch))
            if free_text:
                branch["pattern"] = TEXT_PATTERN


class Uitvoer(BaseModel):
    """A response body, read from an ORM object or a row (`model_validate(obj)`)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True,
                              from_attributes=True)


class Invoer(BaseModel):
    """A request body. Field names are the ORM attribute names they are written to.

    Platform rules for every field of every request body (and nested body): an `int` field takes
    only JSON integers (not `"2"`, `true` or `1.0`), a `bool` field only `true`/`false`, and no
    text may contain control characters such as NUL (PostgreSQL cannot store `\\x00`) or begin
    or end with white space. The OpenAPI document states the text rule as a `pattern`.
    """

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid",
                              json_schema_extra=_document_text_rules)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_numbers_and_booleans(cls, value: Any, info: ValidationInfo) -> Any:
        kinds = _scalar_kinds(cls, info.field_name or "")
        if value is None or not kinds or isinstance(value, list | dict):
            return value
        if bool in kinds and isinstance(value, bool):
            return value
        if date in kinds and not isinstance(value, str):  # not 0 → 1970-01-01
            raise PydanticCustomError("date_type", "moet een datum zijn (JJJJ-MM-DD)")
        if int in kinds and isinstance(value, int) and not isinstance(value, bool):
            return value
        if bool in kinds and int not in kinds:
            raise PydanticCustomError("bool_type", "moet true of false zijn")
        if int in kinds and not (Decimal in kinds or float in kinds or str in kinds):
            raise PydanticCustomError("int_type", "moet een geheel getal zijn")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _clean_text(cls, value: Any) -> Any:
        texts = [t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)]
        if any(CONTROL_CHARACTERS.search(t) for t in texts):
            raise PydanticCustomError("control_character",
                                      "bevat een stuurteken dat in tekst niet is toegestaan")
        if not all(TEXT.match(t) for t in texts):
            raise PydanticCustomError("whitespace_around",
                                      "mag niet met witruimte beginnen of eindigen")
        return value


def scalar_kinds(model: type[BaseModel], field: str) -> frozenset[type]:
    """The scalar types a field of `model` accepts (see `_scalar_kinds`)."""
    return _scalar_kinds(model, field)


@cache
def _scalar_kinds(model: type[BaseModel], field: str) -> frozenset[type]:
    """The scalar types a field accepts (int, bool, float, Decimal, str, date, datetime),
    Optional unwrapped (datetime counts as date too)."""
    info = model.model_fields.get(field)
    if info is None:
        return frozenset()
    found: set[type] = set()
    pending = [info.annotation]
    while pending:
        annotation = pending.pop()
        origin = get_origin(annotation)
        if origin in (Union, types.UnionType):
            pending.extend(get_args(annotation))
        elif isinstance(annotation, type) and issubclass(annotation, bool):
            found.add(bool)
        elif isinstance(annotation, type) and issubclass(annotation, int) and not issubclass(
                annotation, Enum):
            found.add(int)
        elif annotation in (float, Decimal, str, date, datetime):
            found.add(date if annotation is datetime else annotation)
        elif isinstance(annotation, type) and issubclass(annotation, str):
            found.add(str)
    return frozenset(found)


def decimal_input_schema(*, max_digits: int, decimal_places: int) -> WithJsonSchema:
    """The documented form of a non-negative exact decimal in a request: a decimal string
    (preferred) or a JSON number, both within the same bounds."""
    whole = max_digits - decimal_places
    return WithJsonSchema({
        "anyOf": [
            {"type": "string", "pattern": f"^(0|[1-9][0-9]{{0,{whole - 1}}})"
                                          f"(\\.[0-9]{{1,{decimal_places}}})?$",
             "examples": ["120.50"]},
            {"type": "number", "minimum": 0, "exclusiveMaximum": 10**whole,
             "multipleOf": float(Decimal(1).scaleb(-decimal_places))},
        ],
        "description": f"Exact decimaal getal ≥ 0, hoogstens {whole} cijfers vóór en "
                       f"{decimal_places} na de punt; bij voorkeur als tekst. Antwoorden en "
                       f"events geven het altijd als tekst met {decimal_places} decimalen.",
    }, mode="validation")


def canonical_decimal(decimal_places: int) -> AfterValidator:
    """Put an exact decimal in canonical form: with `Annotated[Decimal, Field(...),
    canonical_decimal(2)]`, `1e5`, `100000` and `100000.0` are all stored, returned and
    published as `100000.00`, and `-0` as `0.00`."""
    quantum = Decimal(1).scaleb(-decimal_places)

    def canonical(value: Decimal) -> Decimal:
        return value.quantize(quantum) + 0  # `+ 0` turns -0.00 into 0.00

    return AfterValidator(canonical)
