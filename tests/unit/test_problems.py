"""nplv_shared.problems: every error is an RFC 9457 application/problem+json response."""

from collections.abc import AsyncIterator
from typing import Annotated, Literal

import httpx
import pytest
from fastapi import FastAPI, Query
from pydantic import BaseModel, Field

from nplv_shared.middleware import PlatformMiddleware
from nplv_shared.problems import (
    PROBLEM_JSON,
    BadRequest,
    InvalidParam,
    ProblemError,
    Unauthorized,
    install_problem_handlers,
)

SECRET = "wachtwoord=hunter2 in een stacktrace"


class Gesloten(ProblemError):
    status, title = 423, "Vergrendeld"


class Ding(BaseModel):
    naam: str = Field(min_length=2)
    aantal: int = Field(ge=0)
    soort: Literal["a", "b"] = "a"


def problem_app() -> FastAPI:
    app = FastAPI()

    @app.post("/dingen")
    async def maak(ding: Ding, limit: Annotated[int, Query(ge=1, le=10)] = 5) -> dict[str, int]:
        return {"aantal": ding.aantal, "limit": limit}

    @app.get("/gesloten")
    async def gesloten() -> None:
        raise Gesloten("Dit ding is vergrendeld.")

    @app.get("/anders")
    async def anders() -> None:
        raise Gesloten("Nu met eigen titel.", title="Eigen titel", status=409)

    @app.get("/login")
    async def login() -> None:
        raise Unauthorized("Token ontbreekt.")

    @app.get("/fout")
    async def fout() -> None:
        raise BadRequest("Zie invalidParams.", invalid_params=[
            InvalidParam(name="query.van", code="invalid", reason="van ligt na tot")])

    @app.get("/kapot")
    async def kapot() -> None:
        raise RuntimeError(SECRET)

    install_problem_handlers(app)
    # A 500 is rendered by the platform middleware (it runs inside Starlette's outermost error
    # handler, so the 500 still gets the platform headers).
    app.add_middleware(PlatformMiddleware, service="test", api_version="1.0.0",
                       max_body_bytes=10_000)
    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=problem_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


def assert_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"]
    assert body["detail"]
    return body


class TestProblemHandlers:
    async def test_valid_request_is_not_a_problem(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/dingen", params={"limit": 3},
                                     json={"naam": "ab", "aantal": 1})
        assert response.status_code == 200
        assert response.json() == {"aantal": 1, "limit": 3}

    async def test_invalid_input_is_400_with_all_errors_in_invalid_params(
            self, client: httpx.AsyncClient) -> None:
        response = await client.post("/dingen", params={"limit": 0},
                                     json={"naam": "x", "aantal": -1})
        body = assert_problem(response, 400)
        assert body["title"] == "Ongeldig verzoek"
        assert body["instance"] == "/dingen"
        params = {p["name"]: p for p in body["invalidParams"]}
        assert set(params) == {"query.limit", "body.naam", "body.aantal"}
        assert params["body.naam"]["code"] == "string_too_short"
        assert params["body.aantal"]["code"] == "greater_than_equal"
        assert params["query.limit"]["code"] == "greater_than_equal"
        assert all(p["reason"] for p in params.values())
        assert "3" in body["detail"]

    async def test_missing_and_wrongly_typed_fields_are_reported_together(
            self, client: httpx.AsyncClient) -> None:
        response = await client.post("/dingen", params={"limit": "veel"},
                                     json={"aantal": "veel", "soort": "c"})
        body = assert_problem(response, 400)
        codes = {p["name"]: p["code"] for p in body["invalidParams"]}
        assert codes == {"query.limit": "int_parsing", "body.naam": "missing",
                         "body.aantal": "int_parsing", "body.soort": "literal_error"}

    async def test_malformed_json_is_400_not_422(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/dingen", content=b"{niet json",
                                     headers={"content-type": "application/json"})
        body = assert_problem(response, 400)
        assert body["invalidParams"]

    async def test_problem_error_subclass_renders_status_title_and_detail(
            self, client: httpx.AsyncClient) -> None:
        body = assert_problem(await client.get("/gesloten"), 423)
        assert body["title"] == "Vergrendeld"
        assert body["detail"] == "Dit ding is vergrendeld."
        assert body["instance"] == "/gesloten"
        assert "invalidParams" not in body

    async def test_problem_error_title_and_status_can_be_overridden(
            self, client: httpx.AsyncClient) -> None:
        body = assert_problem(await client.get("/anders"), 409)
        assert body["title"] == "Eigen titel"

    async def test_overriding_an_instance_does_not_change_the_class_defaults(self) -> None:
        Gesloten("x", title="Anders", status=400)
        assert (Gesloten("y").status, Gesloten("y").title) == (423, "Vergrendeld")

    async def test_unauthorized_carries_www_authenticate(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/login")
        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == 'Bearer realm="nplv"'

    async def test_explicit_invalid_params_are_rendered(self, client: httpx.AsyncClient) -> None:
        body = assert_problem(await client.get("/fout"), 400)
        assert body["invalidParams"] == [
            {"name": "query.van", "code": "invalid", "reason": "van ligt na tot"}]

    async def test_unknown_route_is_404_problem(self, client: httpx.AsyncClient) -> None:
        body = assert_problem(await client.get("/bestaat-niet"), 404)
        assert body["title"] == "Niet gevonden"
        assert "/bestaat-niet" in body["detail"]

    async def test_wrong_method_is_405_problem(self, client: httpx.AsyncClient) -> None:
        body = assert_problem(await client.delete("/dingen"), 405)
        assert "DELETE" in body["detail"]

    async def test_unhandled_exception_is_500_problem_without_the_message(
            self, client: httpx.AsyncClient) -> None:
        response = await client.get("/kapot")
        body = assert_problem(response, 500)
        assert body["title"] == "Interne fout"
        assert "hunter2" not in response.text
        assert "RuntimeError" not in response.text


class TestDutchReasons:
    def test_common_errors_get_a_dutch_reason_with_their_limits(self) -> None:
        from nplv_shared.problems import validation_params

        params = validation_params([
            {"loc": ("body", "titel"), "type": "missing", "msg": "Field required"},
            {"loc": ("body", "kleur"), "type": "extra_forbidden", "msg": "Extra inputs"},
            {"loc": ("query", "pageSize"), "type": "less_than_equal", "msg": "x",
             "ctx": {"le": 100}},
        ])
        assert [p.reason for p in params] == [
            "verplicht veld ontbreekt", "onbekend veld", "moet kleiner dan of gelijk aan 100 zijn"]
        assert [p.name for p in params] == ["body.titel", "body.kleur", "query.pageSize"]

    def test_unknown_error_types_keep_pydantics_text_without_value_error_prefix(self) -> None:
        from nplv_shared.problems import validation_params

        [param] = validation_params([{"loc": ("body",), "type": "value_error",
                                      "msg": "Value error, einddatum ligt vóór startdatum"}])
        assert param.reason == "einddatum ligt vóór startdatum"
        assert param.code == "value_error"
