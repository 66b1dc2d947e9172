"""The authorisation matrix: every write operation of every service's OpenAPI document, with
no token, an expired token, a token signed with another key, a token for another audience (401
each), the right scope of another organisation (403), the wrong scope (403), and the owner
(2xx). A refused call writes nothing: the target is unchanged and no outbox event, audit row
or processing-log line appears. An operation without a row in `MATRIX` fails the test, so a
new endpoint cannot ship without its authorisation cases."""

from __future__ import annotations

import importlib
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import servicelist
from nplv_shared.tokens import AUDIENCE, ISSUER
from tests.integration import matrix_financien, matrix_indicatoren, matrix_rapportage
from tests.integration.authorisation import Case, Target
from tests.integration.helpers import interventie_body, new_focusgebied, scalar

BEHEER = "nplv:gebieden:beheer"
GEBIED = "nplv:gebieden:schrijven"
INTERVENTIES = "nplv:interventies:schrijven"
WRITE_METHODS = ("post", "put", "patch", "delete")
AFSPRAKEN = {"afspraken": [{"nummer": n, "status": "open"} for n in range(1, 8)]}
ONDERDELEN = ["analyse", "opgaven", "doelstellingen-en-ambities", "streefwaarden",
              "monitoringsysteem", "bewonersbetrokkenheid"]
PROGRAMMA = {"status": "in-voorbereiding",
             "onderdelen": [{"code": c, "aanwezig": False} for c in ONDERDELEN]}


def new_interventie(stack: Any) -> tuple[str, str]:
    code = new_focusgebied(stack)
    with stack.client("gebieden") as c:
        r = c.post("/interventies", json=interventie_body(code),
                   headers=stack.auth("BZK", INTERVENTIES))
    assert r.status_code == 201, r.text
    return r.json()["id"], code


def _put_gemeente(stack: Any) -> Target:
    code = f"GM8{uuid.uuid4().int % 1000:03d}"
    return Target("PUT", f"/gemeenten/{code}", {"naam": "Nieuwe gemeente"},
                  probe=f"/gemeenten/{code}")


def _put_prestatieafspraken(stack: Any) -> Target:
    path = "/gemeenten/GM0599/prestatieafspraken"
    etag = _etag(stack, path)  # none yet: the PUT creates them
    return Target("PUT", path, AFSPRAKEN, headers={"If-Match": etag} if etag else None,
                  probe=path)


def _put_focusgebied(stack: Any) -> Target:
    code = f"test-{uuid.uuid4().hex[:10]}"
    return Target("PUT", f"/focusgebieden/{code}", {"naam": "Nieuw", "gemeente": "GM0599"},
                  probe=f"/focusgebieden/{code}")


def _delete_focusgebied(stack: Any) -> Target:
    code = new_focusgebied(stack)
    return Target("DELETE", f"/focusgebieden/{code}",
                  headers={"If-Match": _etag(stack, f"/focusgebieden/{code}") or ""},
                  probe=f"/focusgebieden/{code}")


def _put_alliantie(stack: Any) -> Target:
    code = new_focusgebied(stack)
    return Target("PUT", f"/focusgebieden/{code}/alliantie",
                  {"rijksvertegenwoordiger": {"ministerie": "BZK"}},
                  probe=f"/focusgebieden/{code}/alliantie")


def _put_uitvoeringsprogramma(stack: Any) -> Target:
    code = new_focusgebied(stack)
    return Target("PUT", f"/focusgebieden/{code}/uitvoeringsprogramma", PROGRAMMA,
                  probe=f"/focusgebieden/{code}/uitvoeringsprogramma")


def _create_interventie(stack: Any) -> Target:
    code = new_focusgebied(stack)
    return Target("POST", "/interventies", interventie_body(code),
                  probe=f"/interventies?focusgebied={code}")


def _replace_interventie(stack: Any) -> Target:
    interventie, code = new_interventie(stack)
    return Target("PUT", f"/interventies/{interventie}",
                  interventie_body(code, titel="Gewijzigd"), headers={"If-Match": '"1"'},
                  probe=f"/interventies/{interventie}")


def _delete_interventie(stack: Any) -> Target:
    interventie, _ = new_interventie(stack)
    return Target("DELETE", f"/interventies/{interventie}", headers={"If-Match": '"1"'},
                  probe=f"/interventies/{interventie}")


def _import_interventies(stack: Any) -> Target:
    code = new_focusgebied(stack)
    row = {**interventie_body(code), "bronsysteem": "matrix", "bronId": uuid.uuid4().hex}
    return Target("POST", "/interventies/imports", [row],  # type: ignore[arg-type]
                  probe=f"/interventies?focusgebied={code}")


def _etag(stack: Any, path: str) -> str | None:
    with stack.client("gebieden") as c:
        r = c.get(path)
    return r.headers["etag"] if r.status_code == 200 else None


# operationId → who may, who may not. Beheer belongs to the programmabureau (BZK); a gemeente
# writes its own records; a ministry its own interventies.
MATRIX: dict[tuple[str, str], Case] = {
    ("gebieden", "putGemeente"): Case(("BZK", BEHEER), ("GM0599", BEHEER), ("BZK", GEBIED),
                                      _put_gemeente),
    ("gebieden", "putPrestatieafspraken"): Case(("GM0599", GEBIED), ("GM0363", GEBIED),
                                                ("GM0599", INTERVENTIES),
                                                _put_prestatieafspraken),
    ("gebieden", "putFocusgebied"): Case(("BZK", BEHEER), ("SZW", BEHEER), ("BZK", GEBIED),
                                         _put_focusgebied),
    ("gebieden", "deleteFocusgebied"): Case(("BZK", BEHEER), ("GM0599", BEHEER),
                                            ("BZK", INTERVENTIES), _delete_focusgebied),
    ("gebieden", "putAlliantie"): Case(("GM0599", GEBIED), ("GM0363", GEBIED),
                                       ("GM0599", INTERVENTIES), _put_alliantie),
    ("gebieden", "putUitvoeringsprogramma"): Case(("GM0599", GEBIED), ("GM0363", GEBIED),
                                                  ("GM0599", INTERVENTIES),
                                                  _put_uitvoeringsprogramma),
    ("gebieden", "createInterventie"): Case(("BZK", INTERVENTIES), ("SZW", INTERVENTIES),
                                            ("BZK", GEBIED), _create_interventie),
    ("gebieden", "replaceInterventie"): Case(("BZK", INTERVENTIES), ("OCW", INTERVENTIES),
                                             ("BZK", BEHEER), _replace_interventie),
    ("gebieden", "deleteInterventie"): Case(("BZK", INTERVENTIES), ("GM0599", INTERVENTIES),
                                            ("BZK", GEBIED), _delete_interventie),
    ("gebieden", "importInterventies"): Case(("BZK", INTERVENTIES), ("SZW", INTERVENTIES),
                                             ("BZK", GEBIED), _import_interventies),
    **matrix_indicatoren.MATRIX,
    **matrix_financien.MATRIX,
    **matrix_rapportage.MATRIX,
}


def write_operations(stack: Any) -> set[tuple[str, str]]:
    found = set()
    for service in (s.name for s in servicelist.SERVICES):
        document = httpx.get(f"{stack.url(service)}/v1/openapi.json", timeout=10).json()
        for operations in document["paths"].values():
            for method, operation in operations.items():
                if method in WRITE_METHODS:
                    found.add((service, operation["operationId"]))
    return found


def test_every_write_operation_has_a_row_in_the_matrix(stack):
    assert write_operations(stack) == set(MATRIX)


def token(stack: Any, organisatie: str, scope: str, **overrides: Any) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": f"matrix-{organisatie.lower()}",
              "iat": now, "exp": now + 600, "organisatie": organisatie, "scope": scope}
    key = overrides.pop("key", stack.private_key)
    return jwt.encode({**claims, **overrides}, key, algorithm="RS256")


def other_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


REFUSALS: dict[str, tuple[int, Callable[[Any, Case], str | None]]] = {
    "geen token": (401, lambda stack, case: None),
    "verlopen token": (401, lambda stack, case: token(
        stack, *case.owner, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)),
    "andere sleutel": (401, lambda stack, case: token(stack, *case.owner, key=other_key())),
    "ander publiek (aud)": (401, lambda stack, case: token(stack, *case.owner,
                                                           aud="iets-anders")),
    "andere organisatie": (403, lambda stack, case: token(stack, *case.other_organisation)),
    "verkeerde scope": (403, lambda stack, case: token(stack, *case.wrong_scope)),
}


def footprint(stack: Any, service: str) -> tuple[int, int, int]:
    """(outbox events, audit rows, processing-log lines of requests): a worker's own lines
    (consumed batches, jobs: the register's `overige`) come and go with other tests."""
    url = stack.database_url(service)
    produces = servicelist.by_name(service).produces is not None
    worker = [a.uri for a in importlib.import_module(f"{service}.verwerkingen").REGISTER.overige]
    return (scalar(url, "SELECT count(*) FROM outbox") if produces else 0,
            scalar(url, "SELECT count(*) FROM audit_log"),
            scalar(url, "SELECT count(*) FROM verwerkingslog "
                        "WHERE processing_activity_id <> ALL($1::text[])", worker))


def call(stack: Any, service: str, target: Target, bearer: str | None) -> httpx.Response:
    headers = dict(target.headers or {})
    if bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    with stack.client(service) as c:
        return c.request(target.method, target.path, json=target.body, headers=headers)


def probe(stack: Any, service: str, target: Target) -> tuple[int, Any]:
    with stack.client(service) as c:
        r = c.get(target.probe or target.path)
    return r.status_code, r.json() if r.status_code == 200 else None


@pytest.mark.parametrize("refusal", list(REFUSALS))
@pytest.mark.parametrize("operation", list(MATRIX), ids=lambda o: f"{o[0]}.{o[1]}")
def test_a_refused_call_is_refused_and_writes_nothing(stack, operation, refusal):
    service, _ = operation
    case = MATRIX[operation]
    status, make_token = REFUSALS[refusal]
    target = case.prepare(stack)
    before, state = footprint(stack, service), probe(stack, service, target)
    r = call(stack, service, target, make_token(stack, case))
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert footprint(stack, service) == before
    assert probe(stack, service, target) == state


@pytest.mark.parametrize("operation", list(MATRIX), ids=lambda o: f"{o[0]}.{o[1]}")
def test_the_owner_may(stack, operation):
    service, _ = operation
    case = MATRIX[operation]
    target = case.prepare(stack)
    outbox, audit, lines = footprint(stack, service)
    r = call(stack, service, target, token(stack, *case.owner))
    assert 200 <= r.status_code < 300, r.text
    after = footprint(stack, service)
    if servicelist.by_name(service).produces:
        assert after[0] > outbox  # an event
    assert after[1] > audit   # who did it
    assert after[2] == lines + 1  # one processing-log line for the request
