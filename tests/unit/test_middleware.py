"""nplv_shared.middleware.PlatformMiddleware: headers on every response and the body limit."""

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from prometheus_client import REGISTRY
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError
from starlette.types import Message, Receive, Scope, Send

from nplv_shared.middleware import PlatformMiddleware
from nplv_shared.problems import PROBLEM_JSON, NotFound, install_problem_handlers

API_VERSION = "1.4.2"
LIMIT = 64
SERVICE = "unittest-middleware"
UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Ding(BaseModel):
    naam: str


def platform_app() -> FastAPI:
    app = FastAPI()

    @app.get("/ding")
    async def ding() -> dict[str, str]:
        return {"naam": "a"}

    @app.post("/ding")
    async def maak(ding: Ding) -> Ding:
        return ding

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    @app.get("/v1/publiek")
    async def publiek() -> dict[str, str]:
        return {"naam": "publiek"}

    @app.get("/v1/eigen-cache")
    async def eigen_cache(response: Response) -> dict[str, str]:
        response.headers["Cache-Control"] = "max-age=60"
        return {}

    @app.get("/weg")
    async def weg() -> None:
        raise NotFound("Weg.")

    @app.get("/kapot")
    async def kapot() -> None:
        raise RuntimeError("kapot")

    @app.get("/database-weg")
    async def database_weg() -> None:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("Connection refused"))

    @app.delete("/ding")
    async def weg_ding() -> None:
        return None

    install_problem_handlers(app)
    app.add_middleware(PlatformMiddleware, service=SERVICE, api_version=API_VERSION,
                       max_body_bytes=LIMIT, public_paths=("/v1/publiek",))
    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=platform_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def call_asgi(app: Any, chunked_body: list[bytes]) -> tuple[int, dict[str, str], bytes]:
    """Drive an ASGI app directly with a body that arrives in several http.request messages."""
    messages: list[Message] = [
        {"type": "http.request", "body": part, "more_body": i < len(chunked_body) - 1}
        for i, part in enumerate(chunked_body)]
    sent: list[Message] = []

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "path": "/upload", "raw_path": b"/upload", "query_string": b"",
             "scheme": "http", "server": ("test", 80), "client": ("127.0.0.1", 1),
             "headers": [(b"transfer-encoding", b"chunked")]}
    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], headers, body


def latency_count(route: str, status: str) -> float:
    return REGISTRY.get_sample_value("nplv_http_request_duration_seconds_count", {
        "service": SERVICE, "method": "GET", "route": route, "status": status}) or 0.0


def assert_platform_headers(response: httpx.Response) -> None:
    assert response.headers["api-version"] == API_VERSION
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "max-age=" in response.headers["strict-transport-security"]
    assert response.headers["x-request-id"]


class TestPlatformMiddleware:
    async def test_success_has_api_version_and_security_headers(
            self, client: httpx.AsyncClient) -> None:
        response = await client.get("/ding")
        assert response.status_code == 200
        assert_platform_headers(response)

    @pytest.mark.parametrize(("method", "path", "status"), [
        ("GET", "/bestaat-niet", 404), ("GET", "/weg", 404), ("PATCH", "/ding", 405),
    ])
    async def test_error_responses_have_api_version_and_security_headers(
            self, client: httpx.AsyncClient, method: str, path: str, status: int) -> None:
        response = await client.request(method, path)
        assert response.status_code == status
        assert_platform_headers(response)
        assert response.headers["cache-control"] == "no-store"

    async def test_validation_error_has_api_version(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/ding", json={})
        assert response.status_code == 400
        assert_platform_headers(response)

    async def test_unhandled_exception_500_has_api_version(
            self, client: httpx.AsyncClient) -> None:
        response = await client.get("/kapot")
        assert response.status_code == 500
        assert response.headers.get("api-version") == API_VERSION

    async def test_cache_control_defaults_to_no_store(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/ding")).headers["cache-control"] == "no-store"

    async def test_get_on_public_path_is_publicly_cacheable_with_revalidation(
            self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/publiek")
        assert response.headers["cache-control"] == "public, no-cache"

    async def test_cache_control_set_by_the_route_is_kept(
            self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/eigen-cache")
        assert response.headers.get_list("cache-control") == ["max-age=60"]

    async def test_sent_request_id_is_echoed(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/ding", headers={"X-Request-Id": "mijn-verzoek-123"})
        assert response.headers["x-request-id"] == "mijn-verzoek-123"

    async def test_long_request_id_is_truncated_to_64_characters(
            self, client: httpx.AsyncClient) -> None:
        response = await client.get("/ding", headers={"X-Request-Id": "x" * 100})
        assert response.headers["x-request-id"] == "x" * 64

    async def test_missing_request_id_gets_a_fresh_uuid(self, client: httpx.AsyncClient) -> None:
        first = (await client.get("/ding")).headers["x-request-id"]
        second = (await client.get("/ding")).headers["x-request-id"]
        assert UUID_PATTERN.match(first)
        assert first != second

    async def test_body_of_exactly_the_limit_is_accepted(
            self, client: httpx.AsyncClient) -> None:
        response = await client.post("/echo", content=b"a" * LIMIT)
        assert response.status_code == 200
        assert response.json() == {"bytes": LIMIT}

    async def test_declared_content_length_over_the_limit_is_413_problem(
            self, client: httpx.AsyncClient) -> None:
        response = await client.post("/ding", content=b"a" * (LIMIT + 1),
                                     headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.json()["status"] == 413
        assert str(LIMIT) in response.json()["detail"]
        assert_platform_headers(response)

    async def test_chunked_body_over_the_limit_is_413_problem(
            self, client: httpx.AsyncClient) -> None:
        response = await client.post("/echo", content=chunks(b"a" * 40, b"b" * 40))
        assert "content-length" not in response.request.headers
        assert response.status_code == 413
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.json()["title"] == "Verzoek te groot"
        assert_platform_headers(response)

    async def test_chunked_json_body_over_the_limit_is_413_problem(
            self, client: httpx.AsyncClient) -> None:
        response = await client.post("/ding", content=chunks(b'{"naam": "', b"a" * 100, b'"}'),
                                     headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert response.headers["content-type"] == PROBLEM_JSON

    async def test_chunked_body_over_the_limit_in_a_plain_asgi_app_is_413_problem(
            self) -> None:
        reached_end = False

        async def upload(scope: Scope, receive: Receive, send: Send) -> None:
            nonlocal reached_end
            more = True
            while more:
                message = await receive()
                more = message.get("more_body", False)
            reached_end = True
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        app = PlatformMiddleware(upload, service=SERVICE, api_version=API_VERSION,
                                 max_body_bytes=LIMIT)
        status, headers, body = await call_asgi(app, [b"a" * 50, b"b" * 50, b"c"])
        assert status == 413
        assert headers["content-type"] == PROBLEM_JSON
        assert headers["api-version"] == API_VERSION
        assert b'"status":413' in body
        assert not reached_end

    async def test_latency_is_recorded_per_route_template(
            self, client: httpx.AsyncClient) -> None:
        before = latency_count("/ding", "200")
        await client.get("/ding")
        assert latency_count("/ding", "200") == before + 1


class TestMethodsAndMediaTypes:
    async def test_head_works_wherever_get_does_without_a_body(
            self, client: httpx.AsyncClient) -> None:
        get, head = await client.get("/ding"), await client.head("/ding")
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["content-length"] == get.headers["content-length"]
        assert head.headers["api-version"] == API_VERSION

    async def test_405_allows_every_method_of_the_path(self, client: httpx.AsyncClient) -> None:
        r = await client.put("/ding", json={"naam": "a"})
        assert r.status_code == 405
        assert r.headers["content-type"] == PROBLEM_JSON
        assert r.headers["allow"] == "DELETE, GET, HEAD, OPTIONS, POST"

    async def test_plain_options_answers_with_allow(self, client: httpx.AsyncClient) -> None:
        r = await client.options("/ding")
        assert r.status_code == 204
        assert r.headers["allow"] == "DELETE, GET, HEAD, OPTIONS, POST"
        assert (await client.options("/bestaat-niet")).status_code == 404

    @pytest.mark.parametrize(("content", "content_type"), [
        (b'{"naam": "a"}', "text/plain"), (b"<ding><naam>a</naam></ding>", "application/xml"),
        (b"naam=a", "application/x-www-form-urlencoded"), (b'{"naam": "a"}', None)])
    async def test_a_body_that_is_not_json_is_415(self, client: httpx.AsyncClient, content: bytes,
                                                  content_type: str | None) -> None:
        headers = {"content-type": content_type} if content_type else {}
        r = await client.post("/ding", content=content, headers=headers)
        if content_type is None:  # httpx sends none: the server sees a body without a type
            assert "content-type" not in r.request.headers
        assert r.status_code == 415
        assert r.headers["content-type"] == PROBLEM_JSON
        assert r.headers["accept-post"] == "application/json"

    async def test_json_with_a_charset_or_a_json_suffix_is_accepted(
            self, client: httpx.AsyncClient) -> None:
        for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
            r = await client.post("/ding", content=b'{"naam": "a"}',
                                  headers={"content-type": content_type})
            assert r.status_code == 200, r.text

    async def test_a_route_that_reads_raw_bytes_takes_any_type(
            self, client: httpx.AsyncClient) -> None:
        r = await client.post("/echo", content=b"abc", headers={"content-type": "text/plain"})
        assert r.status_code == 200

    async def test_an_unreachable_database_is_503_with_retry_after(
            self, client: httpx.AsyncClient) -> None:
        r = await client.get("/database-weg")
        assert r.status_code == 503
        assert r.headers["content-type"] == PROBLEM_JSON
        assert r.headers["retry-after"] == "5"
        assert r.headers["api-version"] == API_VERSION
        assert "database" in r.json()["detail"]
