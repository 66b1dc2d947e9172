"""nplv_shared.openapi.install_openapi: the document follows the NL API Design Rules."""

from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel, Field

from nplv_shared.openapi import install_openapi
from nplv_shared.problems import PROBLEM_JSON

METHODS = {"get", "put", "post", "delete", "patch"}


class DingInvoer(BaseModel):
    naam: str = Field(min_length=2)


class Ding(BaseModel):
    id: int
    naam: str


def documented_app() -> FastAPI:
    app = FastAPI(title="Test-API", version="1.2.3", description="Voor de unittests")
    api = APIRouter(prefix="/v1")

    @api.get("")
    async def root() -> dict[str, str]:
        return {}

    @api.get("/dingen/{ding_id}")
    async def lees(ding_id: int) -> Ding:
        return Ding(id=ding_id, naam="a")

    @api.post("/dingen", status_code=201)
    async def maak(ding: DingInvoer) -> Ding:
        return Ding(id=1, naam=ding.naam)

    @api.delete("/dingen/{ding_id}", status_code=204)
    async def verwijder(ding_id: int) -> None:
        return None

    app.include_router(api)
    install_openapi(app)
    return app


@pytest.fixture
def doc() -> dict[str, Any]:
    return documented_app().openapi()


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in doc["paths"].items()
            for method, op in item.items() if method in METHODS]


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


class TestInstallOpenapi:
    def test_servers_is_the_v1_base_path(self, doc: dict[str, Any]) -> None:
        assert len(doc["servers"]) == 1
        assert doc["servers"][0]["url"] == "/v1"

    def test_paths_are_relative_to_the_server(self, doc: dict[str, Any]) -> None:
        assert set(doc["paths"]) == {"/", "/dingen", "/dingen/{ding_id}"}

    def test_info_has_contact_name_url_and_email(self, doc: dict[str, Any]) -> None:
        contact = doc["info"]["contact"]
        assert contact["name"]
        assert contact["url"].startswith("https://")
        assert "@" in contact["email"]
        assert doc["info"]["version"] == "1.2.3"
        assert doc["info"]["license"]["name"] == "EUPL-1.2"

    def test_no_operation_documents_a_422(self, doc: dict[str, Any]) -> None:
        assert all("422" not in op["responses"] for _, _, op in operations(doc))

    def test_validated_operation_documents_400_as_problem_json(
            self, doc: dict[str, Any]) -> None:
        response = doc["paths"]["/dingen"]["post"]["responses"]["400"]
        assert response["content"] == {
            PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}

    def test_every_operation_documents_400_and_500_as_problem_json(
            self, doc: dict[str, Any]) -> None:
        for _, _, op in operations(doc):
            for code in ("400", "500"):
                assert list(op["responses"][code]["content"]) == [PROBLEM_JSON]

    def test_every_2xx_response_documents_the_api_version_header(
            self, doc: dict[str, Any]) -> None:
        success = [(path, method, code, response) for path, method, op in operations(doc)
                   for code, response in op["responses"].items() if code.startswith("2")]
        assert {code for *_, code, _ in success} >= {"200", "201", "204"}
        for *_, response in success:
            header = response["headers"]["API-Version"]
            assert header["schema"]["type"] == "string"

    def test_error_responses_do_not_document_the_api_version_header(
            self, doc: dict[str, Any]) -> None:
        response = doc["paths"]["/dingen"]["post"]["responses"]["400"]
        assert "headers" not in response

    def test_validation_error_schemas_are_replaced_by_problem(
            self, doc: dict[str, Any]) -> None:
        schemas = doc["components"]["schemas"]
        assert "HTTPValidationError" not in schemas
        assert "ValidationError" not in schemas
        assert set(schemas["Problem"]["required"]) >= {"title", "status", "detail"}
        assert "$defs" not in schemas["Problem"]

    def test_every_ref_resolves_to_a_component(self, doc: dict[str, Any]) -> None:
        schemas = doc["components"]["schemas"]
        prefix = "#/components/schemas/"
        for ref in refs(doc):
            assert ref.startswith(prefix)
            assert ref.removeprefix(prefix) in schemas

    def test_document_is_built_once_and_cached(self) -> None:
        app = documented_app()
        assert app.openapi() is app.openapi()

    def test_custom_base_path_is_used(self) -> None:
        app = FastAPI()
        api = APIRouter(prefix="/v2")

        @api.get("/iets")
        async def iets() -> dict[str, str]:
            return {}

        app.include_router(api)
        install_openapi(app, base_path="/v2")
        doc = app.openapi()
        assert doc["servers"][0]["url"] == "/v2"
        assert list(doc["paths"]) == ["/iets"]
