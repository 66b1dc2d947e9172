"""Pydantic bases for API bodies: camelCase on the wire, unknown input fields rejected (400)."""

from decimal import Decimal

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class Uitvoer(BaseModel):
    """A response body, read from an ORM object or a row (`model_validate(obj)`)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True,
                              from_attributes=True)


class Invoer(BaseModel):
    """A request body. Field names are the ORM attribute names they are written to."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid",
                              str_strip_whitespace=True)


def canonical_decimal(decimal_places: int) -> AfterValidator:
    """Put an exact decimal in canonical form: with `Annotated[Decimal, Field(...),
    canonical_decimal(2)]`, `1e5`, `100000` and `100000.0` are all stored, returned and
    published as `100000.00`, and `-0` as `0.00`."""
    quantum = Decimal(1).scaleb(-decimal_places)

    def canonical(value: Decimal) -> Decimal:
        return value.quantize(quantum) + 0  # `+ 0` turns -0.00 into 0.00

    return AfterValidator(canonical)
