"""Bad input gets a clear problem+json error and writes nothing."""

import subprocess

import pytest

from tests.conftest import ROOT
from tests.integration.helpers import INTERVENTIES, interventie_body, new_focusgebied, scalar


@pytest.fixture
def written(stack):
    """(outbox rows, interventies) in the gebieden database: both must stay the same."""
    url = stack.database_url("gebieden")
    return lambda: (scalar(url, "SELECT count(*) FROM outbox"),
                    scalar(url, "SELECT count(*) FROM interventie"))


@pytest.fixture
def post(stack):
    def send(**kwargs):
        headers = {**stack.auth("BZK", *INTERVENTIES), **kwargs.pop("headers", {})}
        with stack.client("gebieden") as c:
            return c.post("/interventies", headers=headers, **kwargs)
    return send


def assert_problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


class TestBadInput:
    def test_malformed_json(self, post, written):
        before = written()
        r = post(content=b'{"focusgebied": "rotterdam-zuid",', headers={
            "Content-Type": "application/json"})
        body = assert_problem(r, 400)
        assert body["invalidParams"][0]["code"] == "json_invalid"
        assert written() == before

    def test_unknown_fields_and_wrong_types_all_reported_at_once(self, post, written):
        before = written()
        r = post(json=interventie_body("rotterdam-zuid", actielijn="twee", startdatum="gisteren",
                                       geplandeOutput=-3, kleur="rood"))
        body = assert_problem(r, 400)
        names = {p["name"] for p in body["invalidParams"]}
        assert {"body.actielijn", "body.startdatum", "body.geplandeOutput", "body.kleur"} <= names
        assert written() == before

    def test_unknown_focusgebied(self, post, written):
        before = written()
        body = assert_problem(post(json=interventie_body("bestaat-niet")), 400)
        assert body["invalidParams"] == [{"name": "body.focusgebied", "code": "unknown",
                                          "reason": "onbekend focusgebied"}]
        assert written() == before

    def test_oversized_body_is_413(self, post, written):
        before = written()
        huge = interventie_body("rotterdam-zuid", omschrijving="x" * 2_000_000)
        assert_problem(post(json=huge), 413)
        assert written() == before

    def test_wrong_content_type(self, post, written):
        before = written()
        r = post(content=b"focusgebied=rotterdam-zuid",
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert_problem(r, 400)
        assert written() == before

    def test_invalid_query_parameters(self, stack):
        with stack.client("gebieden") as c:
            r = c.get("/interventies", params={"pageSize": 0, "actielijn": 9, "gemeente": "XX"})
        body = assert_problem(r, 400)
        assert {p["name"] for p in body["invalidParams"]} == {
            "query.pageSize", "query.actielijn", "query.gemeente"}


class TestOptimisticConcurrency:
    def test_stale_if_match_is_412_and_missing_is_428(self, stack, written):
        code = new_focusgebied(stack)
        auth = stack.auth("BZK", *INTERVENTIES)
        with stack.client("gebieden") as c:
            created = c.post("/interventies", json=interventie_body(code), headers=auth)
            url = f"/interventies/{created.json()['id']}"
            first = c.put(url, json=interventie_body(code, status="lopend"),
                          headers={**auth, "If-Match": created.headers["ETag"]})
            before = written()
            stale = c.put(url, json=interventie_body(code, status="gestopt"),
                          headers={**auth, "If-Match": created.headers["ETag"]})
            missing = c.put(url, json=interventie_body(code, status="gestopt"), headers=auth)
            gone = c.delete(url, headers={**auth, "If-Match": created.headers["ETag"]})
        assert first.status_code == 200
        assert_problem(stale, 412)
        assert_problem(missing, 428)
        assert_problem(gone, 412)
        assert written() == before

    def test_get_returns_etag_of_current_version(self, stack):
        code = new_focusgebied(stack)
        with stack.client("gebieden") as c:
            r = c.get(f"/focusgebieden/{code}")
        assert r.headers["ETag"] == '"1"'


class TestReferenceData:
    def test_loader_is_idempotent(self, stack, written):
        before = written()
        env = stack.stack.env(next(s for s in __import__("devstack").SERVICES
                                   if s.name == "gebieden"))
        subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "gebieden.loader"], env=env,
                       check=True, cwd=ROOT, capture_output=True)
        assert written() == before

    def test_programme_reference_data_is_complete(self, stack):
        with stack.client("gebieden") as c:
            gemeenten = c.get("/gemeenten", params={"pageSize": 100}).json()
            rotterdam = c.get("/focusgebieden/rotterdam-zuid").json()
            alliantie = c.get("/focusgebieden/rotterdam-zuid/alliantie").json()
            actielijnen = c.get("/actielijnen").json()
        assert gemeenten["totaal"] == 19
        assert rotterdam["gemeente"] == "GM0599"
        assert alliantie["rijksvertegenwoordiger"]["ministerie"] == "BZK"
        assert [a["nummer"] for a in actielijnen] == [1, 2, 3, 4]
