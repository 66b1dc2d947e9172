"""After a PostgreSQL restart the APIs, the outbox relay and the consumer carry on by
themselves (pool pre-ping, reconnecting loops): no manual restart, no lost change."""

import os
import subprocess

import pytest

from tests.conftest import ROOT
from tests.integration.helpers import (
    INTERVENTIES,
    interventie_body,
    new_focusgebied,
    totals,
    voortgang,
    wait_until,
)

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="herstart de lokale PostgreSQL; niet tegen een externe database")


def _ready(stack, service):
    with stack.client(service) as c:
        return c.get("/health/ready").status_code == 200


class TestDatabaseRestart:
    def test_services_recover_and_changes_flow_again(self, stack):
        code = new_focusgebied(stack)
        wait_until(lambda: voortgang(stack, code), message="testgebied in rapportage")
        postgres = ["bash", str(ROOT / "scripts/local/postgres.sh")]
        subprocess.run([*postgres, "stop"], check=True, capture_output=True)
        try:
            with stack.client("gebieden") as c:
                down = [c.post("/interventies", json=interventie_body(code),
                               headers=stack.auth("BZK", *INTERVENTIES)),
                        c.get("/interventies"), c.get(f"/focusgebieden/{code}")]
        finally:
            subprocess.run([*postgres, "start"], check=True, capture_output=True)
        for r in down:  # "try again shortly", not "the server has a bug"
            assert r.status_code == 503, r.text
            assert r.headers["content-type"] == "application/problem+json"
            assert int(r.headers["retry-after"]) > 0

        for service in ("gebieden", "rapportage"):
            wait_until(lambda s=service: _ready(stack, s), timeout=30, message=f"{service} ready")
        with stack.client("gebieden") as c:
            r = c.post("/interventies", json=interventie_body(code),
                       headers=stack.auth("BZK", *INTERVENTIES))
        assert r.status_code == 201, r.text
        wait_until(lambda: totals(voortgang(stack, code))[0] == 1, timeout=60,
                   message="interventie na herstart van PostgreSQL in de view")
