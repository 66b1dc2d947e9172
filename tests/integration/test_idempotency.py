"""Idempotency-Key on POST /interventies: a retried create returns the original response."""

import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.integration.helpers import INTERVENTIES, interventie_body, new_focusgebied, scalar


def _post(stack, body, key, organisatie="BZK"):
    with stack.client("gebieden") as c:
        return c.post("/interventies", json=body, headers={
            **stack.auth(organisatie, *INTERVENTIES), "Idempotency-Key": key})


class TestIdempotencyKey:
    def test_retry_with_the_same_key_replays_without_creating_again(self, stack):
        code = new_focusgebied(stack)
        key = str(uuid.uuid4())
        first = _post(stack, interventie_body(code), key)
        again = _post(stack, interventie_body(code), key)
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["Location"] == first.headers["Location"]
        assert again.headers["Idempotent-Replayed"] == "true"
        db = stack.database_url("gebieden")
        assert scalar(db, "SELECT count(*) FROM interventie WHERE focusgebied_code = $1",
                      code) == 1
        assert scalar(db, "SELECT count(*) FROM outbox WHERE key = $1 AND type LIKE "
                          "'%interventie.aangemaakt%'", code) == 1

    def test_same_key_with_another_body_is_422(self, stack):
        code = new_focusgebied(stack)
        key = str(uuid.uuid4())
        assert _post(stack, interventie_body(code), key).status_code == 201
        r = _post(stack, interventie_body(code, titel="Iets anders"), key)
        assert r.status_code == 422
        assert r.headers["content-type"] == "application/problem+json"

    def test_concurrent_retries_create_one_interventie(self, stack):
        code = new_focusgebied(stack)
        key = str(uuid.uuid4())
        with ThreadPoolExecutor(max_workers=6) as pool:
            responses = list(pool.map(lambda _: _post(stack, interventie_body(code), key),
                                      range(6)))
        assert {r.status_code for r in responses} == {201}
        assert len({r.json()["id"] for r in responses}) == 1
        assert scalar(stack.database_url("gebieden"),
                      "SELECT count(*) FROM interventie WHERE focusgebied_code = $1", code) == 1

    def test_keys_are_per_client(self, stack):
        code = new_focusgebied(stack)
        key = str(uuid.uuid4())
        bzk = _post(stack, interventie_body(code), key)
        gemeente = _post(stack, interventie_body(code, ministerie=None), key, "GM0599")
        assert bzk.status_code == gemeente.status_code == 201
        assert bzk.json()["id"] != gemeente.json()["id"]
