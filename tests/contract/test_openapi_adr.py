"""Each service's OpenAPI document passes the official NL API Design Rules linter (ADR 2.2,
Spectral, errors fail) and the rules that linter checks loosely or not at all."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

import export_contracts
import servicelist

ROOT = Path(__file__).resolve().parents[2]
RULESET = "tools/adr-ruleset/adr-2.2.linter.yaml"
SERVICES = [s.name for s in servicelist.SERVICES]
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
KEBAB_SEGMENT = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PATH_PARAMETER = re.compile(r"^\{[a-z][a-zA-Z0-9]*\}$")
CAMEL_CASE = re.compile(r"^[a-z][a-z0-9]*([A-Z][a-z0-9]*)*$")


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    return export_contracts.openapi_documents()


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in doc["paths"].items()
            for method, op in item.items() if method in METHODS]


@pytest.mark.parametrize("service", SERVICES)
class TestOpenApiFollowsNlApiDesignRules:
    def test_spectral_adr_ruleset_finds_no_errors(self, service: str,
                                                  documents: dict[str, dict[str, Any]],
                                                  tmp_path: Path) -> None:
        spec = tmp_path / f"{service}.openapi.json"
        spec.write_text(json.dumps(documents[service], indent=2), encoding="utf-8")
        result = subprocess.run(
            ["npx", "--no-install", "spectral", "lint", "-r", RULESET, "--fail-severity", "error",
             str(spec)],
            cwd=ROOT, capture_output=True, text=True, timeout=180, check=False)
        assert result.returncode == 0, (
            f"spectral (ADR 2.2) vond fouten in de OpenAPI van {service}:\n"
            f"{result.stdout}{result.stderr}")

    def test_paths_have_no_trailing_slash_and_are_kebab_case(
            self, service: str, documents: dict[str, dict[str, Any]]) -> None:
        paths = list(documents[service]["paths"])
        assert paths
        wrong = [p for p in paths
                 if p.endswith("/") or not all(KEBAB_SEGMENT.match(s) or PATH_PARAMETER.match(s)
                                               for s in p.split("/")[1:])]
        assert not wrong, f"paden niet kebab-case of met slash aan het eind: {wrong}"

    def test_query_parameters_are_lower_camel_case(
            self, service: str, documents: dict[str, dict[str, Any]]) -> None:
        wrong = [f"{method.upper()} {path}: {p['name']}"
                 for path, method, op in operations(documents[service])
                 for p in op.get("parameters", [])
                 if p["in"] == "query" and not CAMEL_CASE.match(p["name"])]
        assert not wrong, f"query-parameters niet camelCase: {wrong}"

    def test_every_2xx_response_documents_api_version(
            self, service: str, documents: dict[str, dict[str, Any]]) -> None:
        missing = [f"{method.upper()} {path} {code}"
                   for path, method, op in operations(documents[service])
                   for code, response in op["responses"].items()
                   if code.startswith("2") and "API-Version" not in response.get("headers", {})]
        assert not missing, f"2xx zonder API-Version-header: {missing}"

    def test_every_operation_documents_400_as_problem_json_and_422_only_for_idempotency(
            self, service: str, documents: dict[str, dict[str, Any]]) -> None:
        """Invalid input is 400 (never FastAPI's 422); 422 means only an Idempotency-Key reused
        for another body, on operations that take that header."""
        def idempotent(op: dict[str, Any]) -> bool:
            return any(p["name"] == "Idempotency-Key" for p in op.get("parameters", []))
        wrong = [f"{method.upper()} {path}"
                 for path, method, op in operations(documents[service])
                 if "400" not in op["responses"]
                 or ("422" in op["responses"]) != idempotent(op)
                 or "application/problem+json" not in op["responses"]["400"].get("content", {})]
        assert not wrong, f"zonder 400 (problem+json) of met een verkeerde 422: {wrong}"

    def test_every_operation_documents_503_with_retry_after(
            self, service: str, documents: dict[str, dict[str, Any]]) -> None:
        wrong = [f"{method.upper()} {path}"
                 for path, method, op in operations(documents[service])
                 if "Retry-After" not in op["responses"].get("503", {}).get("headers", {})]
        assert not wrong

    def test_every_error_response_is_problem_json(
            self, service: str, documents: dict[str, dict[str, Any]]) -> None:
        wrong = [f"{method.upper()} {path} {code}"
                 for path, method, op in operations(documents[service])
                 for code, response in op["responses"].items()
                 if code[0] in "45" and list(response.get("content", {}))
                 != ["application/problem+json"]]
        assert not wrong, f"foutresponses die geen problem+json zijn: {wrong}"

    def test_version_header_info_and_servers(
            self, service: str, documents: dict[str, dict[str, Any]]) -> None:
        doc = documents[service]
        assert re.fullmatch(r"\d+\.\d+\.\d+", doc["info"]["version"])
        assert {"name", "url", "email"} <= set(doc["info"]["contact"])
        assert [s["url"] for s in doc["servers"]] == ["/v1"]
        assert not any(p.startswith("/v1") for p in doc["paths"])


@pytest.mark.parametrize("service", [
    "gebieden",
    "rapportage",
])
def test_every_2xx_of_an_operation_with_a_body_documents_that_body(
        service: str, documents: dict[str, dict[str, Any]]) -> None:
    """A route with a response model answers every 2xx except 204 with it (e.g. a PUT that
    creates: 201, one that updates: 200); FastAPI documents the body only for one of them."""
    missing = [f"{method.upper()} {path} {code}"
               for path, method, op in operations(documents[service])
               if any(r.get("content") for c, r in op["responses"].items() if c[0] == "2")
               for code, response in op["responses"].items()
               if code[0] == "2" and code != "204" and not response.get("content")]
    assert not missing, f"2xx zonder gedocumenteerde body: {missing}"
