"""The per-client write limit: a token bucket, and the 429 the platform middleware renders."""

import httpx
from fastapi import FastAPI

from nplv_shared.middleware import PlatformMiddleware
from nplv_shared.problems import install_problem_handlers
from nplv_shared.ratelimit import WriteRateLimiter, client_key, retry_after


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

    def test_client_key_prefers_the_token_over_the_address(self) -> None:
        with_token = client_key({b"authorization": b"Bearer x"}, "10.0.0.1")
        assert with_token != client_key({b"authorization": b"Bearer y"}, "10.0.0.1")
        assert client_key({}, "10.0.0.1") == "peer:10.0.0.1"

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
