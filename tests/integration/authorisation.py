"""The shape of a row in the authorisation matrix (test_authorisation_matrix.py). Each service
keeps its rows in its own module (`matrix_<service>.py`); the test joins them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Target:
    """One prepared call: the request the owner may make, and how to read what it changes."""

    method: str
    path: str
    body: dict[str, Any] | None = None
    headers: dict[str, str] | None = None
    probe: str | None = None  # a GET whose answer must not change when the call is refused


@dataclass(frozen=True)
class Case:
    owner: tuple[str, str]               # (organisatie, scope) that may do it
    other_organisation: tuple[str, str]  # the same scope, another organisation: 403
    wrong_scope: tuple[str, str]         # the owner's organisation with another scope: 403
    prepare: Callable[[Any], Target]     # a fresh target per call
