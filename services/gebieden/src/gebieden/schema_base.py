"""Pydantic bases: camelCase on the wire, unknown input fields rejected (400)."""

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class Uitvoer(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True,
                              from_attributes=True)


class Invoer(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid",
                              str_strip_whitespace=True)
