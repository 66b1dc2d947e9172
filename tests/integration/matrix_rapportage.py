"""The authorisation matrix rows of rapportage: only the programmabureau (BZK with scope
`nplv:rapportage:beheer`) asks for a rebuild of the views and publishes a half-yearly report."""

from __future__ import annotations

import uuid
from typing import Any

from tests.integration.authorisation import Case, Target

BEHEER = "nplv:rapportage:beheer"


def _create_herbouwopdracht(stack: Any) -> Target:
    return Target("POST", "/herbouwopdrachten", probe="/herbouwopdrachten")


def _create_publicatie(stack: Any) -> Target:
    # a half-year no other test reports on; a toelichting of its own, so each call is new
    return Target("POST", "/voortgangsrapportages/2019S1/publicaties",
                  body={"toelichting": f"Matrix {uuid.uuid4()}"},
                  probe="/voortgangsrapportages/2019S1/publicaties")


MATRIX: dict[tuple[str, str], Case] = {
    ("rapportage", "createHerbouwopdracht"): Case(
        ("BZK", BEHEER), ("OCW", BEHEER), ("BZK", "nplv:indicatoren:beheer"),
        _create_herbouwopdracht),
    ("rapportage", "createPublicatie"): Case(
        ("BZK", BEHEER), ("OCW", BEHEER), ("BZK", "nplv:indicatoren:beheer"),
        _create_publicatie),
}
