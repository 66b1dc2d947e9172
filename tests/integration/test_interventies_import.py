"""The interventies sync (bulk import, `POST /v1/interventies/imports`) on the real stack: a
ministry's file keyed by its own `bronsysteem` + `bronId`; sent again, nothing changes; the
formats, modes, dry run, Idempotency-Key, scope rules and the job path with its progress
resource."""

from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any

from tests.integration.helpers import INTERVENTIES, new_focusgebied, scalar, wait_until


def _rows(code: str, count: int, *, titel: str = "Herstructurering",
          ministerie: str = "BZK") -> list[dict[str, Any]]:
    bron = f"register-{code}"  # the sync key is per owner: one source system per test area
    return [{"bronsysteem": bron, "bronId": f"P-{i}", "focusgebied": code, "actielijn": 2,
             "ministerie": ministerie, "titel": f"{titel} {i}", "status": "gepland",
             "outputEenheid": "woningen", "geplandeOutput": "120.50"} for i in range(count)]


def _post(stack: Any, body: bytes | str, content_type: str, *, org: str = "BZK",
          scopes: tuple[str, ...] = INTERVENTIES, headers: dict[str, str] | None = None,
          **params: str) -> Any:
    with stack.client("gebieden") as c:
        return c.post("/interventies/imports", content=body, params=params, timeout=120,
                      headers={"Content-Type": content_type, **stack.auth(org, *scopes),
                               **(headers or {})})


def _events(stack: Any, code: str) -> int:
    return scalar(stack.database_url("gebieden"),
                  "SELECT count(*) FROM outbox WHERE key = $1 AND type LIKE '%interventie%'",
                  code)


def _count(stack: Any, code: str) -> int:
    return scalar(stack.database_url("gebieden"),
                  "SELECT count(*) FROM interventie WHERE focusgebied_code = $1", code)


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


class TestSync:
    def test_a_file_creates_then_the_same_file_changes_nothing(self, stack):
        code = new_focusgebied(stack)
        body = json.dumps(_rows(code, 300))
        r = _post(stack, body, "application/json")
        assert r.status_code == 200, r.text
        summary = r.json()["samenvatting"]
        assert (summary["aangemaakt"], summary["bijgewerkt"], summary["ongewijzigd"],
                summary["geweigerd"]) == (300, 0, 0, 0)
        assert _count(stack, code) == 300
        assert _events(stack, code) == 300
        again = _post(stack, body, "application/json")
        assert again.json()["samenvatting"]["ongewijzigd"] == 300
        assert _events(stack, code) == 300  # no new events
        # the import can be read afterwards, by the organisation that made it only
        location = r.headers["content-location"]
        with stack.client("gebieden") as c:
            mine = c.get(location.removeprefix("/v1"), headers=stack.auth("BZK", *INTERVENTIES))
            other = c.get(location.removeprefix("/v1"), headers=stack.auth("OCW", *INTERVENTIES))
            anonymous = c.get(location.removeprefix("/v1"))
        assert mine.status_code == 200
        assert mine.json()["status"] == "voltooid"
        assert mine.json()["samenvatting"]["aangemaakt"] == 300
        assert other.status_code == 404
        assert anonymous.status_code == 401

    def test_a_changed_row_is_updated_with_a_new_version_and_one_event(self, stack):
        code = new_focusgebied(stack)
        rows = _rows(code, 5)
        assert _post(stack, json.dumps(rows), "application/json").status_code == 200
        rows[2]["titel"] = "Nieuwe titel"
        r = _post(stack, "\n".join(json.dumps(x) for x in rows), "application/x-ndjson")
        assert r.status_code == 200, r.text
        summary = r.json()["samenvatting"]
        assert (summary["aangemaakt"], summary["bijgewerkt"], summary["ongewijzigd"]) == (0, 1, 4)
        versie = scalar(stack.database_url("gebieden"),
                        "SELECT versie FROM interventie WHERE bron_id = 'P-2' "
                        "AND focusgebied_code = $1", code)
        assert versie == 2
        assert _events(stack, code) == 6

    def test_csv(self, stack):
        code = new_focusgebied(stack)
        r = _post(stack, _csv(_rows(code, 20)), "text/csv")
        assert r.status_code == 200, r.text
        assert r.json()["samenvatting"]["aangemaakt"] == 20
        assert _count(stack, code) == 20


class TestBadRows:
    def _file(self, code: str) -> str:
        rows = _rows(code, 10)
        rows[3]["actielijn"] = 7                 # out of range
        rows[5]["focusgebied"] = "bestaat-niet"  # unknown area
        rows[7]["einddatum"] = "2020-01-01"      # before its start
        rows[7]["startdatum"] = "2021-01-01"
        rows[8]["bronId"] = "P-1"                # twice in the file
        return json.dumps(rows)

    def test_atomic_writes_nothing_and_names_every_bad_row(self, stack):
        code = new_focusgebied(stack)
        r = _post(stack, self._file(code), "application/json")
        assert r.status_code == 400
        assert r.headers["content-type"].startswith("application/problem+json")
        names = {p["name"] for p in r.json()["invalidParams"]}
        assert names == {"rij[4].actielijn", "rij[6].focusgebied", "rij[8]", "rij[9].bronId"}
        assert r.json()["samenvatting"]["geweigerd"] == 4
        assert _count(stack, code) == 0
        assert _events(stack, code) == 0

    def test_best_effort_writes_the_good_rows(self, stack):
        code = new_focusgebied(stack)
        r = _post(stack, self._file(code), "application/json", modus="beste-poging")
        assert r.status_code == 200
        summary = r.json()["samenvatting"]
        assert summary["aangemaakt"] == 6
        assert summary["geweigerd"] == 4
        assert [f["rij"] for f in summary["fouten"]] == [4, 6, 8, 9]
        assert _count(stack, code) == 6

    def test_dry_run_counts_and_writes_nothing(self, stack):
        code = new_focusgebied(stack)
        r = _post(stack, self._file(code), "application/json", modus="beste-poging",
                  dryRun="true")
        assert r.status_code == 200
        assert r.json()["samenvatting"]["aangemaakt"] == 6
        assert _count(stack, code) == 0
        assert _events(stack, code) == 0

    def test_a_body_that_is_not_a_file_of_its_type(self, stack):
        for body, media in (('{"a": 1}', "application/json"), ("[{", "application/json"),
                            ("a,a\n1,2", "text/csv"), (b"\xff\xfe", "text/csv")):
            r = _post(stack, body, media)
            assert r.status_code == 400, (body, r.text)
        assert _post(stack, "x", "text/plain").status_code == 415


class TestAccess:
    def test_scope_and_token(self, stack):
        code = new_focusgebied(stack)
        body = json.dumps(_rows(code, 2))
        with stack.client("gebieden") as c:
            anonymous = c.post("/interventies/imports", content=body,
                               headers={"Content-Type": "application/json"})
        assert anonymous.status_code == 401
        assert _post(stack, body, "application/json",
                     scopes=("nplv:gebieden:beheer",)).status_code == 403
        # another ministry's rows: 403 naming the rows, nothing written
        other = _post(stack, body, "application/json", org="SZW")
        assert other.status_code == 403
        assert {p["code"] for p in other.json()["invalidParams"]} == {"forbidden"}
        assert _count(stack, code) == 0
        # in best-effort mode they are refused rows among the good ones
        mixed = _rows(code, 3)
        mixed[1]["ministerie"] = "SZW"
        r = _post(stack, json.dumps(mixed), "application/json", modus="beste-poging")
        assert r.status_code == 200
        assert r.json()["samenvatting"]["aangemaakt"] == 2
        assert r.json()["samenvatting"]["fouten"][0]["rij"] == 2


class TestIdempotency:
    def test_same_key_same_file_is_one_import(self, stack):
        code = new_focusgebied(stack)
        body = json.dumps(_rows(code, 3))
        key = {"Idempotency-Key": str(uuid.uuid4())}
        first = _post(stack, body, "application/json", headers=key)
        second = _post(stack, body, "application/json", headers=key)
        assert first.status_code == second.status_code == 200
        assert first.json()["id"] == second.json()["id"]
        assert second.headers["idempotent-replayed"] == "true"
        assert second.json()["samenvatting"]["aangemaakt"] == 3
        other = _post(stack, json.dumps(_rows(code, 4)), "application/json", headers=key)
        assert other.status_code == 422


class TestJob:
    def test_async_import_is_run_by_the_worker(self, stack):
        code = new_focusgebied(stack)
        r = _post(stack, _csv(_rows(code, 2000)), "text/csv", **{"async": "true"})
        assert r.status_code == 202, r.text
        location = r.headers["location"].removeprefix("/v1")
        assert r.json()["status"] == "wachtend"

        def done() -> dict[str, Any] | None:
            with stack.client("gebieden") as c:
                job = c.get(location, headers=stack.auth("BZK", *INTERVENTIES)).json()
            return job if job["status"] not in ("wachtend", "bezig") else None

        job = wait_until(done, timeout=60, message="import klaar")
        assert job["status"] == "voltooid", job
        assert job["samenvatting"]["aangemaakt"] == 2000
        assert job["rijenVerwerkt"] == 2000
        assert _count(stack, code) == 2000
        assert scalar(stack.database_url("gebieden"),
                      "SELECT count(*) FROM import_upload WHERE import_id = $1",
                      uuid.UUID(job["id"])) == 0
        # the job is audited and logged in the trace of the request that stored it
        trace = r.headers["traceparent"].split("-")[1]
        assert scalar(stack.database_url("gebieden"),
                      "SELECT count(*) FROM verwerkingslog WHERE trace_id = $1", trace) == 2
        assert scalar(stack.database_url("gebieden"),
                      "SELECT count(*) FROM audit_log WHERE operatie = 'importeren' "
                      "AND resource_id = $1", job["id"]) == 1
