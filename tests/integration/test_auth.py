"""401 without a valid token, 403 with the wrong scope or organisation; nothing written."""

import time

import jwt
import pytest

from tests.integration.helpers import (
    BEHEER,
    INTERVENTIES,
    interventie_body,
    new_focusgebied,
    scalar,
)

ONDERDELEN = ["analyse", "opgaven", "doelstellingen-en-ambities", "streefwaarden",
              "monitoringsysteem", "bewonersbetrokkenheid"]


def programma():
    return {"status": "in-voorbereiding",
            "onderdelen": [{"code": c, "aanwezig": c == "analyse"} for c in ONDERDELEN]}


@pytest.fixture
def outbox_count(stack):
    return lambda: scalar(stack.database_url("gebieden"), "SELECT count(*) FROM outbox")


class TestAuthentication:
    @pytest.mark.parametrize("header", [None, "Bearer nonsense", "Basic dXNlcjpwdw=="])
    def test_missing_or_invalid_token_is_401(self, stack, outbox_count, header):
        before = outbox_count()
        headers = {"Authorization": header} if header else {}
        with stack.client("gebieden") as c:
            r = c.post("/interventies", json=interventie_body("rotterdam-zuid"), headers=headers)
        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert outbox_count() == before

    def test_expired_token_is_401(self, stack):
        now = int(time.time())
        token = jwt.encode({"iss": "urn:nld:nplv:dev-token-issuer", "aud": "nplv", "sub": "x",
                            "iat": now - 7200, "exp": now - 3600, "organisatie": "BZK",
                            "scope": "nplv:interventies:schrijven"},
                           stack.private_key, algorithm="RS256")
        with stack.client("gebieden") as c:
            r = c.post("/interventies", json=interventie_body("rotterdam-zuid"),
                       headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401
        assert "verlopen" in r.json()["detail"].lower()

    def test_reads_need_no_token(self, stack):
        with stack.client("gebieden") as c:
            assert c.get("/interventies").status_code == 200
            assert c.get("/focusgebieden/rotterdam-zuid/alliantie").status_code == 200


class TestAuthorisation:
    def test_wrong_scope_is_403(self, stack, outbox_count):
        before = outbox_count()
        with stack.client("gebieden") as c:
            r = c.post("/interventies", json=interventie_body("rotterdam-zuid"),
                       headers=stack.auth("BZK", "nplv:gebieden:schrijven"))
        assert r.status_code == 403
        assert outbox_count() == before

    def test_ministry_cannot_write_another_ministrys_interventie(self, stack, outbox_count):
        before = outbox_count()
        with stack.client("gebieden") as c:
            r = c.post("/interventies", json=interventie_body("rotterdam-zuid", ministerie="BZK"),
                       headers=stack.auth("SZW", *INTERVENTIES))
        assert r.status_code == 403
        assert "SZW" in r.json()["detail"]
        assert outbox_count() == before

    def test_ministry_cannot_change_or_delete_another_ministrys_interventie(self, stack):
        code = new_focusgebied(stack)
        with stack.client("gebieden") as c:
            created = c.post("/interventies", json=interventie_body(code),
                             headers=stack.auth("BZK", *INTERVENTIES))
            url = f"/interventies/{created.json()['id']}"
            szw = {**stack.auth("SZW", *INTERVENTIES), "If-Match": created.headers["ETag"]}
            put = c.put(url, json=interventie_body(code, ministerie="SZW"), headers=szw)
            delete = c.delete(url, headers=szw)
            still = c.get(url)
        assert (put.status_code, delete.status_code) == (403, 403)
        assert still.json()["ministerie"] == "BZK"
        assert still.json()["versie"] == 1

    def test_gemeente_writes_only_in_its_own_focusgebieden(self, stack):
        with stack.client("gebieden") as c:
            own = c.post("/interventies", json=interventie_body("rotterdam-zuid", ministerie=None),
                         headers=stack.auth("GM0599", *INTERVENTIES))
            other = c.post("/interventies",
                           json=interventie_body("utrecht-overvecht", ministerie=None),
                           headers=stack.auth("GM0599", *INTERVENTIES))
        assert own.status_code == 201
        assert own.json()["eigenaar"] == "GM0599"
        assert other.status_code == 403

    def test_gemeente_manages_only_its_own_uitvoeringsprogramma(self, stack):
        with stack.client("gebieden") as c:
            own = c.put("/focusgebieden/utrecht-overvecht/uitvoeringsprogramma", json=programma(),
                        headers={**stack.auth("GM0344", "nplv:gebieden:schrijven"),
                                 "If-Match": "*"})  # whether or not it exists yet
            other = c.put("/focusgebieden/rotterdam-zuid/uitvoeringsprogramma", json=programma(),
                          headers=stack.auth("GM0344", "nplv:gebieden:schrijven"))
        assert own.status_code in (200, 201), own.text
        assert other.status_code == 403

    def test_only_beheer_creates_focusgebieden(self, stack):
        with stack.client("gebieden") as c:
            r = c.put("/focusgebieden/test-geen-recht", json={"naam": "X y", "gemeente": "GM0599"},
                      headers=stack.auth("GM0599", "nplv:gebieden:schrijven"))
            missing = c.get("/focusgebieden/test-geen-recht")
        assert r.status_code == 403
        assert missing.status_code == 404
        assert BEHEER  # the scope that would have been needed
