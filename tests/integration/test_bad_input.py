"""Bad input gets a clear problem+json error and writes nothing."""

import json
import subprocess
from importlib import resources

import pytest

from nplv_shared.tokens import mint
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
        assert_problem(r, 415)
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
        # the programme's 19 gemeenten (other tests may add gemeenten of their own)
        programme = {g["code"] for g in json.loads(
            (resources.files("gebieden.referentiedata") / "gemeenten.json").read_text())}
        assert len(programme) == 19
        assert programme <= {g["code"] for g in gemeenten["resultaten"]}
        assert rotterdam["gemeente"] == "GM0599"
        assert alliantie["rijksvertegenwoordiger"]["ministerie"] == "BZK"
        assert [a["nummer"] for a in actielijnen] == [1, 2, 3, 4]


class TestProbedDefects:
    """Found by probing the running service from outside (issue: defects found by probing)."""

    @pytest.mark.parametrize("field", ["titel", "omschrijving"])
    def test_nul_in_text_is_400_not_500(self, post, written, field):
        before = written()
        body = assert_problem(post(json=interventie_body("rotterdam-zuid",
                                                         **{field: "a\u0000bcd"})), 400)
        assert [p["name"] for p in body["invalidParams"]] == [f"body.{field}"]
        assert written() == before

    def test_nul_in_a_name_is_400_on_every_resource(self, stack):
        with stack.client("gebieden") as c:
            auth = stack.auth("BZK", "nplv:gebieden:beheer")
            for path, body in [("/gemeenten/GM0599", {"naam": "Rot\u0000terdam"}),
                               ("/focusgebieden/nul-test", {"naam": "a\u0000b",
                                                             "gemeente": "GM0599"})]:
                assert_problem(c.put(path, json=body, headers=auth), 400)

    @pytest.mark.parametrize("actielijn", ["2", True, 2.0])
    def test_loose_integers_are_400(self, post, written, actielijn):
        before = written()
        body = assert_problem(post(json=interventie_body("rotterdam-zuid", actielijn=actielijn)),
                              400)
        assert [p["name"] for p in body["invalidParams"]] == ["body.actielijn"]
        assert written() == before

    @pytest.mark.parametrize("content_type", ["text/plain", "application/xml", None])
    def test_a_body_that_is_not_json_is_415(self, stack, written, content_type):
        before = written()
        headers = {**stack.auth("BZK", *INTERVENTIES)}
        if content_type:
            headers["Content-Type"] = content_type
        with stack.client("gebieden") as c:
            r = c.post("/interventies", content=b'{"titel": "x"}', headers=headers)
        assert_problem(r, 415)
        assert r.headers["accept-post"] == "application/json"
        assert written() == before

    def test_allow_lists_every_method_and_head_works(self, stack):
        with stack.client("gebieden") as c:
            r = c.post("/interventies/00000000-0000-4000-8000-000000000000", json={})
            assert_problem(r, 405)
            assert r.headers["allow"] == "DELETE, GET, HEAD, OPTIONS, PUT"
            options = c.options("/interventies")
            assert options.status_code == 204
            assert options.headers["allow"] == "GET, HEAD, OPTIONS, POST"
            head = c.head("/focusgebieden/rotterdam-zuid")
            assert head.status_code == 200
            assert head.content == b""
            assert head.headers["etag"] == c.get("/focusgebieden/rotterdam-zuid").headers["etag"]

    def test_a_decimal_has_one_form_in_the_answer_the_event_and_later_reads(self, stack,
                                                                              post):
        code = new_focusgebied(stack)
        r = post(json=interventie_body(code, geplandeOutput="1e5", gerealiseerdeOutput="-0"))
        assert r.status_code == 201, r.text
        created = r.json()
        with stack.client("gebieden") as c:
            read = c.get(f"/interventies/{created['id']}").json()
        event = scalar(stack.database_url("gebieden"),
                       "SELECT payload->'data' FROM outbox WHERE payload->>'subject' = $1",
                       f"interventies/{created['id']}")
        event = json.loads(event) if isinstance(event, str) else event
        for seen in (created, read, event):
            assert (seen["geplandeOutput"], seen["gerealiseerdeOutput"]) == ("100000.00", "0.00")

    def test_messages_a_client_sees_are_dutch(self, stack, post):
        expired = mint("BZK", list(INTERVENTIES), private_key=stack.private_key, ttl_s=-300)
        r = post(json=interventie_body("rotterdam-zuid"),
                 headers={"Authorization": f"Bearer {expired}"})
        assert "verlopen" in assert_problem(r, 401)["detail"]
        r = post(json=interventie_body("rotterdam-zuid", geplandeOutput="1" * 20))
        assert "cijfers" in assert_problem(r, 400)["invalidParams"][0]["reason"]
