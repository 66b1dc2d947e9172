"""The authorisation matrix rows of rapportage: only the programmabureau (BZK with scope
`nplv:rapportage:beheer`) asks for a rebuild of the views."""

from __future__ import annotations

from typing import Any

from tests.integration.authorisation import Case, Target

BEHEER = "nplv:rapportage:beheer"


def _create_herbouwopdracht(stack: Any) -> Target:
    return Target("POST", "/herbouwopdrachten", probe="/herbouwopdrachten")


MATRIX: dict[tuple[str, str], Case] = {
    ("rapportage", "createHerbouwopdracht"): Case(
        ("BZK", BEHEER), ("OCW", BEHEER), ("BZK", "nplv:indicatoren:beheer"),
        _create_herbouwopdracht),
}
