"""The per-client write limit: a token bucket, and the 429 the platform middleware renders."""

from pathlib import Path

import httpx
from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from nplv_shared.auth import Principal, TokenVerifier
from nplv_shared.middleware import PlatformMiddleware
from nplv_shared.problems import install_problem_handlers
from nplv_shared.ratelimit import WriteRateLimiter, client_key, retry_after
from nplv_shared.settings import ServiceSettings as Settings
from nplv_shared.tokens import ensure_keys, mint


class TestWriteRateLimiter:
    def test_allows_the_burst_then_asks_to_wait(self) -> None:
        limiter = WriteRateLimiter(per_minute=3)
        assert [limiter.check("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
        assert limiter.check("a", now=0.0) == 20.0  # one token per 20 s at 3/min

    def test_refills_over_time(self) -> None:
        limiter = WriteRateLimiter(per_minute=60)
        for _ in range(60):
            limiter.check("a", now=0.0)
        assert limiter.check("a", now=0.0) > 0
        assert limiter.check("a", now=1.0) == 0.0

    def test_clients_have_their_own_buckets(self) -> None:
        limiter = WriteRateLimiter(per_minute=1)
        assert limiter.check("a", now=0.0) == 0.0
        assert limiter.check("b", now=0.0) == 0.0
        assert limiter.check("a", now=0.0) > 0

    def test_forgets_least_recent_clients_beyond_the_cap(self) -> None:
        limiter = WriteRateLimiter(per_minute=1, max_clients=2)
        limiter.check("a", now=0.0)
        limiter.check("b", now=0.0)
        limiter.check("c", now=0.0)
        assert limiter.check("a", now=0.0) == 0.0  # "a" was evicted: a fresh bucket

    def test_client_key_is_the_authenticated_client_not_its_token(self) -> None:
        bzk = Principal(client_id="bzk-systeem", organisatie="BZK", scopes=frozenset({"a"}))
        new_token_same_client = Principal(client_id="bzk-systeem", organisatie="BZK",
                                          scopes=frozenset({"b"}))
        assert client_key(bzk, "10.0.0.1") == client_key(new_token_same_client, "10.0.0.2")
        assert client_key(bzk, "10.0.0.1") != client_key(
            Principal(client_id="bzk-systeem", organisatie="GM0599", scopes=frozenset()),
            "10.0.0.1")
        assert client_key(None, "10.0.0.1") == "peer:10.0.0.1"

    def test_retry_after_is_a_whole_positive_number_of_seconds(self) -> None:
        assert retry_after(0.2) == "1"
        assert retry_after(20.0) == "20"


async def test_middleware_answers_429_problem_with_retry_after_for_writes_only() -> None:
    app = FastAPI()

    @app.post("/x")
    async def write() -> dict[str, str]:
        return {"ok": "ja"}

    @app.get("/x")
    async def read() -> dict[str, str]:
        return {"ok": "ja"}

    install_problem_handlers(app)
    app.add_middleware(PlatformMiddleware, service="t", api_version="1.0.0",
                       max_body_bytes=1000, writes_per_minute=2)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        headers = {"Authorization": "Bearer abc"}
        codes = [(await client.post("/x", headers=headers)).status_code for _ in range(3)]
        limited = await client.post("/x", headers=headers)
        read = await client.get("/x", headers=headers)
    assert codes == [200, 200, 429]
    assert limited.headers["content-type"] == "application/problem+json"
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.headers["api-version"] == "1.0.0"
    assert read.status_code == 200


async def test_a_new_token_of_the_same_client_does_not_get_a_fresh_bucket(
        tmp_path: Path) -> None:
    private_path, public_path = ensure_keys(tmp_path / "keys")
    private_key = private_path.read_text()
    verifier = TokenVerifier(Settings(jwt_public_key_file=str(public_path)))
    app = FastAPI()

    @app.post("/x")
    async def write() -> dict[str, str]:
        return {"ok": "ja"}

    app.add_middleware(PlatformMiddleware, service="t", api_version="1.0.0",
                       max_body_bytes=1000, writes_per_minute=2)

    async def with_state(scope: Scope, receive: Receive, send: Send) -> None:
        scope["state"] = {"token_verifier": verifier}  # as the lifespan puts it there
        await app(scope, receive, send)

    def bearer(organisatie: str, scope: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint(organisatie, [scope], private_key=private_key)}"}

    transport = httpx.ASGITransport(app=with_state)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        codes = [(await client.post("/x", headers=bearer("BZK", f"s{i}"))).status_code
                 for i in range(3)]  # three tokens, one client
        other_client = await client.post("/x", headers=bearer("SZW", "s"))
    assert codes == [200, 200, 429]
    assert other_client.status_code == 200
