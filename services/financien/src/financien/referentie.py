"""The programme's 20 focusgebieden and their gemeenten, from this service's own copy of the
programme data (`referentiedata/`, copied from gebieden's: services do not import each other)."""

import json
from functools import cache
from importlib import resources
from typing import Any

from nplv_shared.problems import BadRequest, InvalidParam


def read(name: str) -> Any:
    text = resources.files("financien.referentiedata").joinpath(f"{name}.json").read_text("utf-8")
    return json.loads(text)


@cache
def focusgebieden() -> dict[str, str]:
    """focusgebied code → gemeente code, in the document's order."""
    return {item["code"]: item["gemeente"] for item in read("focusgebieden")}


def gemeente_of(focusgebied: str, field: str = "body.focusgebied") -> str:
    """The gemeente of a programme focusgebied; another code is a 400 naming `field`."""
    gemeente = focusgebieden().get(focusgebied)
    if gemeente is None:
        raise BadRequest(f"Focusgebied '{focusgebied}' is geen focusgebied van het programma.",
                         invalid_params=[InvalidParam(name=field, code="unknown",
                                                      reason="onbekend focusgebied")])
    return gemeente
