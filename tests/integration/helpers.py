"""Helpers for the integration tests: polling, direct database reads, fresh test areas."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import asyncpg

T = TypeVar("T")
BEHEER = ("nplv:gebieden:beheer",)
INTERVENTIES = ("nplv:interventies:schrijven",)


def wait_until(probe: Callable[[], T | None], *, timeout: float = 20.0, interval: float = 0.1,
               message: str = "voorwaarde") -> T:
    """Poll `probe` until it returns something truthy (not a timing assertion: a deadline)."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"{message} niet bereikt binnen {timeout}s (laatste waarde: {last!r})")


def query(database_url: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    async def run() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(database_url)
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    return asyncio.run(run())


def scalar(database_url: str, sql: str, *args: Any) -> Any:
    return query(database_url, sql, *args)[0][0]


def new_focusgebied(stack: Any, gemeente: str = "GM0599") -> str:
    """A focusgebied of this test's own (random code), so counts in the views are exact."""
    code = f"test-{uuid.uuid4().hex[:10]}"
    with stack.client("gebieden") as c:
        r = c.put(f"/focusgebieden/{code}", json={"naam": f"Testgebied {code}",
                                                  "gemeente": gemeente},
                  headers=stack.auth("BZK", *BEHEER))
    assert r.status_code == 201, r.text
    return code


def interventie_body(focusgebied: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "focusgebied": focusgebied, "actielijn": 2, "ministerie": "BZK",
        "titel": "Herstructurering portiekflats", "status": "gepland",
        "startdatum": "2025-01-01", "outputEenheid": "woningen", "geplandeOutput": "10",
    }
    body.update(overrides)
    return body


def voortgang(stack: Any, focusgebied: str) -> dict[str, Any] | None:
    with stack.client("rapportage") as c:
        r = c.get(f"/voortgang/focusgebieden/{focusgebied}")
    return r.json() if r.status_code == 200 else None


def totals(view: dict[str, Any] | None) -> tuple[int, dict[str, int]]:
    """(number of interventies, count per status) over all actielijnen of a voortgang view."""
    if not view:
        return 0, {}
    per_status: dict[str, int] = {}
    for actielijn in view["actielijnen"]:
        for item in actielijn["perStatus"]:
            per_status[item["status"]] = per_status.get(item["status"], 0) + item["aantal"]
    return sum(per_status.values()), per_status
