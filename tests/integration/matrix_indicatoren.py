"""The authorisation matrix rows of indicatoren: operationId → who may, who may not."""

from __future__ import annotations

from tests.integration.authorisation import Case

MATRIX: dict[tuple[str, str], Case] = {}
