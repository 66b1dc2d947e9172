"""The running services behave as their OpenAPI documents and the NL API Design Rules say.

Every request below goes through `ResponseContract` (an httpx response hook): each response
must carry `API-Version` equal to the OpenAPI `info.version`, have a status the OpenAPI lists for
that operation and the media type it lists for that status; errors outside any operation must be
application/problem+json.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import servicelist
from tests.contract.openapi_check import PROBLEM_JSON, ResponseContract, checked_client, media_type

ROOT = Path(__file__).resolve().parents[2]
SERVICES = [s.name for s in servicelist.SERVICES]
PATH_EXAMPLES = {"focusgebiedCode": "rotterdam-zuid", "gemeenteCode": "GM0599", "nummer": "1",
                 "interventieId": "00000000-0000-4000-8000-000000000000",
                 "importId": "00000000-0000-4000-8000-000000000000",
                 "indicatorCode": "ervaren-veiligheid", "regioCode": "rotterdam-zuid",
                 "periodeId": "2023B", "doelperiode": "2030",
                 "regelCode": "volkshuisvestingsfonds",
                 "toekenningId": "00000000-0000-4000-8000-000000000000",
                 "realisatieId": "00000000-0000-4000-8000-000000000000",
                 "actielijn": "2", "opdrachtId": "00000000-0000-4000-8000-000000000000",
                 "periode": "2024S1", "versie": "1", "tabel": "indicatoren"}


def _paths(service: str) -> tuple[str, str, set[str]]:
    """From the service's committed OpenAPI: its first public paged list (a GET with
    `pageSize`), the item path under it and the list's query parameters. Every service has at
    least one."""
    doc = json.loads((ROOT / "contracts" / "openapi" / f"{service}.json").read_text())
    for path, item in sorted(doc["paths"].items()):
        params = {p["name"] for p in item.get("get", {}).get("parameters", [])
                  if p["in"] == "query"}
        public = not item.get("get", {}).get("security")  # not the auditors' /audit
        if "{" not in path and "pageSize" in params and public:
            under = sorted(p for p in doc["paths"] if p.startswith(path + "/{")
                           and p.count("{") == 1 and p.endswith("}"))
            assert under, f"{service}: {path} heeft geen item-pad"
            name = under[0].rsplit("{", 1)[1].rstrip("}")
            return path, under[0].replace(f"{{{name}}}", PATH_EXAMPLES.get(name, "x1")), params
    raise AssertionError(f"{service} heeft geen gepagineerde lijst")


LIST_PATH = {s: _paths(s)[0] for s in SERVICES}
ITEM_PATH = {s: _paths(s)[1] for s in SERVICES}
LIST_PARAMS = {s: _paths(s)[2] for s in SERVICES}
ORIGIN = {"Origin": "https://developer.overheid.nl"}
INTERVENTIES = "nplv:interventies:schrijven"
BEHEER = "nplv:gebieden:beheer"



@pytest.fixture(scope="module")
def contracts(stack: Any) -> dict[str, ResponseContract]:
    found = {}
    for service in SERVICES:
        with stack.client(service) as c:
            r = c.get("/openapi.json")
        assert r.status_code == 200, r.text
        found[service] = ResponseContract(r.json())
    return found


class Api:
    """Checked clients per service: `api("gebieden")` for /v1, `api.root("gebieden")` for /."""

    def __init__(self, stack: Any, contracts: dict[str, ResponseContract]) -> None:
        self.stack = stack
        self.contracts = contracts
        self._clients: list[httpx.Client] = []

    def __call__(self, service: str, headers: dict[str, str] | None = None) -> httpx.Client:
        return self._client(f"{self.stack.url(service)}/v1", service, headers)

    def root(self, service: str) -> httpx.Client:
        return self._client(self.stack.url(service), service, None)

    def _client(self, base_url: str, service: str,
                headers: dict[str, str] | None) -> httpx.Client:
        client = checked_client(base_url, self.contracts[service], headers)
        self._clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()


@pytest.fixture
def api(stack: Any, contracts: dict[str, ResponseContract]) -> Iterator[Api]:
    checker = Api(stack, contracts)
    yield checker
    checker.close()


def assert_problem(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert media_type(r) == PROBLEM_JSON
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


def invalid_param_names(body: dict[str, Any]) -> set[str]:
    params = body["invalidParams"]
    assert all({"name", "code", "reason"} <= set(p) for p in params), params
    return {p["name"] for p in params}


@pytest.mark.parametrize("service", SERVICES)
class TestOpenApiPublication:
    def test_openapi_json_is_public_with_open_cors(self, service: str, api: Api) -> None:
        r = api(service).get("/openapi.json", headers=ORIGIN)
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == "*"
        assert r.json()["openapi"].startswith("3.")

    def test_running_service_publishes_the_committed_contract(self, service: str,
                                                              api: Api) -> None:
        committed = json.loads((ROOT / "contracts" / "openapi" / f"{service}.json").read_text())
        assert api(service).get("/openapi.json").json() == committed

    def test_cors_preflight_allows_any_origin(self, service: str, api: Api) -> None:
        r = api(service).options(LIST_PATH[service], headers={
            **ORIGIN, "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization"})
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("service", SERVICES)
def test_every_kind_of_response_carries_the_api_version(service: str, api: Api,
                                                        contracts: dict[str, ResponseContract],
                                                        ) -> None:
    before = len(contracts[service].checked)
    c = api(service)
    c.get(LIST_PATH[service])
    c.get(ITEM_PATH[service])
    c.get("/health/live")
    c.get("/openapi.json")
    c.get("/bestaat-niet")
    c.get(LIST_PATH[service], params={"pageSize": 0})
    c.delete(LIST_PATH[service])
    c.options(LIST_PATH[service], headers={**ORIGIN, "Access-Control-Request-Method": "GET"})
    api.root(service).get("/metrics")
    assert len(contracts[service].checked) - before == 9


@pytest.mark.parametrize("service", SERVICES)
class TestNoTrailingSlash:
    @pytest.mark.parametrize("which", ["list", "item"])
    def test_trailing_slash_is_404_problem_not_a_redirect(self, service: str, which: str,
                                                          api: Api) -> None:
        path = (LIST_PATH if which == "list" else ITEM_PATH)[service] + "/"
        r = api(service).get(path)
        assert "location" not in r.headers
        assert_problem(r, 404)


@pytest.mark.parametrize("service", SERVICES)
class TestErrors:
    @pytest.mark.parametrize("base", ["/v1", ""])
    def test_unknown_path_is_404_problem(self, service: str, base: str, api: Api) -> None:
        client = api(service) if base else api.root(service)
        body = assert_problem(client.get("/bestaat-niet"), 404)
        assert body.get("instance", "").endswith("/bestaat-niet")

    def test_unsupported_method_is_405_problem(self, service: str, api: Api) -> None:
        assert_problem(api(service).delete(LIST_PATH[service]), 405)

    @pytest.mark.parametrize(("params", "expected"), [
        ({"pageSize": 0}, {"query.pageSize"}),
        ({"pageSize": 1000}, {"query.pageSize"}),
        ({"gemeente": "XX"}, {"query.gemeente"}),
        ({"page": 0, "pageSize": 1000, "gemeente": "XX"},
         {"query.page", "query.pageSize", "query.gemeente"}),
    ], ids=["pageSize=0", "pageSize=1000", "gemeente=XX", "all-at-once"])
    def test_invalid_query_is_400_listing_every_invalid_param(
            self, service: str, params: dict[str, Any], expected: set[str], api: Api) -> None:
        if "gemeente" not in LIST_PARAMS[service]:  # a list without that filter: page only
            params = {k: v for k, v in params.items() if k != "gemeente"}
            expected = {e for e in expected if e != "query.gemeente"}
            if not params:
                params, expected = {"pageSize": 0}, {"query.pageSize"}
        body = assert_problem(api(service).get(LIST_PATH[service], params=params), 400)
        assert invalid_param_names(body) == expected


class TestInvalidInput:
    def test_interventie_filters_are_validated_together(self, api: Api) -> None:
        r = api("gebieden").get("/interventies", params={
            "actielijn": 9, "ministerie": "XYZ", "status": "bezig",
            "focusgebied": "Rotterdam Zuid"})
        body = assert_problem(r, 400)
        assert invalid_param_names(body) == {"query.actielijn", "query.ministerie",
                                             "query.status", "query.focusgebied"}

    def test_invalid_interventie_body_lists_all_errors_at_once(self, api: Api, stack: Any,
                                                               ) -> None:
        c = api("gebieden", headers=stack.auth("BZK", INTERVENTIES))
        r = c.post("/interventies", json={
            "focusgebied": "Rotterdam Zuid!", "actielijn": 9, "ministerie": "Defensie",
            "titel": "x", "geplandeOutput": -5, "onbekendVeld": True})
        body = assert_problem(r, 400)
        names = invalid_param_names(body)
        assert {"body.focusgebied", "body.actielijn", "body.ministerie", "body.titel",
                "body.geplandeOutput", "body.onbekendVeld"} <= names, names

    def test_body_that_is_not_json_is_400_problem(self, api: Api, stack: Any) -> None:
        c = api("gebieden", headers=stack.auth("BZK", INTERVENTIES))
        r = c.post("/interventies", content=b"{niet json",
                   headers={"Content-Type": "application/json"})
        assert_problem(r, 400)


@pytest.mark.parametrize("service", SERVICES)
def test_every_get_operation_answers_as_documented(service: str, api: Api,
                                                   contracts: dict[str, ResponseContract],
                                                   ) -> None:
    """Calls each GET of the OpenAPI once; the hook checks status and media type."""
    before = len(contracts[service].checked)
    c = api(service)
    paths = [p for p, item in contracts[service].openapi["paths"].items() if "get" in item]
    assert paths
    for template in paths:
        path = template.format(**PATH_EXAMPLES)
        r = c.get(path)
        assert r.status_code < 500 or (template, r.status_code) == ("/health/ready", 503), (
            f"GET {path}: {r.status_code} {r.text}")
    assert len(contracts[service].checked) - before == len(paths)


class TestWritesAnswerAsDocumented:
    def test_interventie_create_and_delete(self, api: Api, stack: Any) -> None:
        c = api("gebieden", headers=stack.auth("BZK", INTERVENTIES))
        r = c.post("/interventies", json={
            "focusgebied": "rotterdam-zuid", "actielijn": 1, "ministerie": "BZK",
            "titel": "Contracttest: aanmaken en verwijderen"})
        assert r.status_code == 201, r.text
        assert r.headers["location"] == f"/v1/interventies/{r.json()['id']}"
        r = c.delete(r.headers["location"].removeprefix("/v1"),
                     headers={"If-Match": r.headers["etag"]})
        assert r.status_code == 204

    def test_update_without_if_match_is_428_problem(self, api: Api, stack: Any) -> None:
        c = api("gebieden", headers=stack.auth("BZK", INTERVENTIES))
        body = {"focusgebied": "rotterdam-zuid", "actielijn": 1, "ministerie": "BZK",
                "titel": "Contracttest: If-Match"}
        created = c.post("/interventies", json=body)
        assert created.status_code == 201, created.text
        path = f"/interventies/{created.json()['id']}"
        assert_problem(c.put(path, json=body), 428)
        assert_problem(c.put(path, json=body, headers={"If-Match": '"999"'}), 412)
        assert c.delete(path, headers={"If-Match": created.headers["etag"]}).status_code == 204

    def test_write_without_token_is_401_problem(self, api: Api) -> None:
        r = api("gebieden").post("/interventies", json={})
        assert_problem(r, 401)

    def test_put_that_creates_answers_201_as_documented(self, api: Api, stack: Any) -> None:
        """PUT of a new resource answers 201 with the resource as JSON; the OpenAPI must say so."""
        code = f"contract-{uuid.uuid4().hex[:8]}"
        c = api("gebieden", headers=stack.auth("BZK", BEHEER))
        r = c.put(f"/focusgebieden/{code}", json={"naam": "Contracttest", "gemeente": "GM0599"})
        assert r.status_code == 201, r.text
        r = c.delete(f"/focusgebieden/{code}", headers={"If-Match": r.headers["etag"]})
        assert r.status_code == 204


class TestResponseContractItself:
    """The hook above must really reject what the OpenAPI does not allow."""

    @staticmethod
    def respond(status: int, headers: dict[str, str], body: bytes = b"{}") -> httpx.Client:
        openapi = json.loads((ROOT / "contracts" / "openapi" / "gebieden.json").read_text())
        transport = httpx.MockTransport(lambda _: httpx.Response(status, headers=headers,
                                                                 content=body))
        return httpx.Client(base_url="http://test/v1", transport=transport,
                            event_hooks={"response": [ResponseContract(openapi)]})

    @pytest.mark.parametrize(("status", "headers", "body", "complaint"), [
        (200, {"API-Version": "0.9.0", "Content-Type": "application/json"}, b"{}",
         "API-Version"),
        (200, {"API-Version": "1.0.0", "Content-Type": "text/html"}, b"<p>", "Content-Type"),
        (404, {"API-Version": "1.0.0", "Content-Type": "application/json"}, b"{}",
         "Content-Type"),
        (418, {"API-Version": "1.0.0", "Content-Type": PROBLEM_JSON}, b"{}", "status 418"),
    ], ids=["api-version", "media-type", "error-not-problem", "undocumented-status"])
    def test_rejects(self, status: int, headers: dict[str, str], body: bytes,
                     complaint: str) -> None:
        with self.respond(status, headers, body) as c, pytest.raises(AssertionError,
                                                                     match=complaint):
            c.get("/focusgebieden/rotterdam-zuid")

    def test_accepts_a_documented_response(self) -> None:
        headers = {"API-Version": "1.0.0", "Content-Type": "application/json"}
        with self.respond(200, headers) as c:
            assert c.get("/focusgebieden/rotterdam-zuid").status_code == 200
