"""nplv_shared.conditional: public GETs carry an ETag and answer If-None-Match with 304."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Response

from nplv_shared.conditional import ConditionalGetMiddleware


def app() -> FastAPI:
    application = FastAPI()

    @application.get("/v1/lijst")
    async def lijst() -> dict[str, list[int]]:
        return {"resultaten": [1, 2, 3]}

    @application.get("/v1/ding")
    async def ding(response: Response) -> dict[str, str]:
        response.headers["ETag"] = '"7"'
        return {"naam": "ding"}

    @application.get("/privé")
    async def prive() -> dict[str, str]:
        return {"geheim": "ja"}

    application.add_middleware(ConditionalGetMiddleware, public_paths=("/v1",))
    return application


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()),
                                 base_url="http://t") as c:
        yield c


async def test_a_public_read_gets_an_etag_of_its_body(client: httpx.AsyncClient) -> None:
    first, second = await client.get("/v1/lijst"), await client.get("/v1/lijst")
    assert first.headers["etag"].startswith('W/"')
    assert first.headers["etag"] == second.headers["etag"]
    assert "etag" not in (await client.get("/privé")).headers


async def test_a_matching_if_none_match_is_304_without_a_body(client: httpx.AsyncClient,
                                                              ) -> None:
    etag = (await client.get("/v1/lijst")).headers["etag"]
    for sent in (etag, etag.removeprefix("W/"), f'"x", {etag}', "*"):
        r = await client.get("/v1/lijst", headers={"If-None-Match": sent})
        assert r.status_code == 304, sent
        assert r.content == b""
        assert r.headers["etag"] == etag


async def test_the_version_etag_of_a_resource_is_kept_and_compared(
        client: httpx.AsyncClient) -> None:
    assert (await client.get("/v1/ding")).headers["etag"] == '"7"'
    assert (await client.get("/v1/ding", headers={"If-None-Match": '"7"'})).status_code == 304
    assert (await client.get("/v1/ding", headers={"If-None-Match": '"6"'})).status_code == 200
