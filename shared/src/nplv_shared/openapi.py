"""Make FastAPI's OpenAPI document follow the NL API Design Rules (ADR 2.2 Spectral ruleset):
servers with /v1, info.contact, API-Version headers on 2xx/3xx, problem+json on 4xx/5xx, 400
instead of 422, and paths relative to the /v1 server."""

import json
import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from nplv_shared.problems import PROBLEM_JSON, Problem

API_VERSION_HEADER = {
    "description": "De volledige versie van de API (SemVer)",
    "schema": {"type": "string", "example": "1.0.0"},
}
DEFAULT_ERRORS = {
    "400": "Ongeldig verzoek: alle validatiefouten staan in invalidParams",
    "500": "Interne fout",
    "503": "Een afhankelijkheid (de database) is tijdelijk onbereikbaar; probeer het na "
           "Retry-After seconden opnieuw",
}
BODY_ERRORS = {
    "413": "Body te groot",
    "415": "De body is geen JSON (Content-Type: application/json)",
}
RETRY_AFTER_HEADER = {"description": "Seconden tot een nieuwe poging zin heeft",
                      "schema": {"type": "integer", "minimum": 1}}
IF_MATCH_REQUIRED = ("ETag van de versie die de client wijzigt. Verplicht: zonder If-Match 428, "
                     "met een verouderde ETag 412.")
IF_MATCH_ON_PUT = ("ETag van de versie die de client wijzigt. Verplicht als de resource al "
                   "bestaat (zonder If-Match 428, verouderd 412); weglaten bij aanmaken (dan 412 "
                   "als de resource toch al bestaat, tenzij `*`).")
CONTACT = {
    "name": "Programmabureau NPLV (BZK/VRO)",
    "url": "https://www.volkshuisvestingnederland.nl",
    "email": "nplv-api@minbzk.nl",
}


IF_NONE_MATCH = {
    "name": "If-None-Match", "in": "header", "required": False,
    "description": "ETag(s) van een eerder gelezen antwoord: is het nog hetzelfde, dan 304 "
                   "zonder body",
    "schema": {"type": "string"},
}
NOT_MODIFIED = {
    "description": "Niet gewijzigd sinds de ETag in If-None-Match",
    "headers": {"ETag": {"description": "Versie van het antwoord", "schema": {"type": "string"}}},
}


def install_openapi(app: FastAPI, *, base_path: str = "/v1",
                    conditional_paths: tuple[str, ...] = ()) -> None:
    """`conditional_paths`: the public GETs that answer If-None-Match with 304."""
    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(title=app.title, version=app.version, description=app.description,
                          routes=app.routes, tags=app.openapi_tags)
        doc["info"]["contact"] = CONTACT
        doc["info"]["license"] = {"name": "EUPL-1.2",
                                  "url": "https://eupl.eu/1.2/nl/"}
        doc["servers"] = [{"url": base_path, "description": "Deze omgeving"}]
        doc["paths"] = {_strip(path, base_path): _fix_path(item,
                                                           path.startswith(conditional_paths))
                        for path, item in doc.get("paths", {}).items()}
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schemas["Problem"].pop("$defs", {}))
        app.openapi_schema = _rename_generic_schemas(doc)
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]


def _rename_generic_schemas(doc: dict[str, Any]) -> dict[str, Any]:
    """`Page_Interventie_` → `PaginaInterventie` (schema names in PascalCase, ADR)."""
    text = re.sub(r"Page_([A-Za-z]+)_", r"Pagina\1", json.dumps(doc))
    return dict(json.loads(text))


def _strip(path: str, base_path: str) -> str:
    if path == base_path:
        return "/"
    return path[len(base_path):] if path.startswith(base_path + "/") else path


def _fix_path(item: dict[str, Any], conditional: bool) -> dict[str, Any]:
    for method, operation in item.items():
        if method == "get" and conditional:
            operation.setdefault("parameters", []).append(IF_NONE_MATCH)
            operation["responses"]["304"] = NOT_MODIFIED
        if method in {"get", "put", "post", "delete", "patch"}:
            _headers_are_text(operation)
            _fix_if_match(operation)
            _fix_responses(operation["responses"], has_body="requestBody" in operation)
    return item


def _headers_are_text(operation: dict[str, Any]) -> None:
    """An optional header is absent or text, never null: `str | None` in the signature is
    documented by FastAPI as "string or null", and a client (or fuzzer) then sends the text
    `null`."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter["in"] == "header" and "anyOf" in schema:
            kinds = [k for k in schema["anyOf"] if k.get("type") != "null"]
            if len(kinds) == 1:
                rest = {k: v for k, v in schema.items() if k != "anyOf"}
                parameter["schema"] = {**kinds[0], **rest}


def _fix_if_match(operation: dict[str, Any]) -> None:
    """If-Match is required where it really is: updates and deletes of an existing resource
    (428 documented, no 201); a PUT that may create documents when it is needed."""
    creates = "201" in operation["responses"]
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "header" and parameter["name"] == "If-Match":
            required = "428" in operation["responses"] and not creates
            parameter["required"] = required
            parameter["description"] = IF_MATCH_REQUIRED if required else IF_MATCH_ON_PUT
            parameter["schema"] = {"type": "string", "examples": ['"3"']}


def _fix_responses(responses: dict[str, Any], *, has_body: bool) -> None:
    if "422" in responses and "Idempotency" not in responses["422"].get("description", ""):
        responses.pop("422")
    for code, description in {**DEFAULT_ERRORS, **(BODY_ERRORS if has_body else {})}.items():
        responses.setdefault(code, {"description": description})
    for code in ("429", "503"):
        if code in responses:
            responses[code].setdefault("headers", {})["Retry-After"] = RETRY_AFTER_HEADER
    for code, response in responses.items():
        if code[0] in "23":
            response.setdefault("headers", {})["API-Version"] = API_VERSION_HEADER
        elif code[0] in "45":
            response["content"] = {
                PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}
            }
