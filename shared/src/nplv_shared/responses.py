"""Documented responses per kind of route (rendered as problem+json by the platform) and the
If-Match header, so every service documents the same statuses the same way."""

from typing import Annotated, Any

from fastapi import Header
from fastapi.responses import Response
from pydantic import BaseModel

from nplv_shared.concurrency import etag

Responses = dict[int | str, dict[str, Any]]

AUTH: Responses = {
    401: {"description": "Geen of ongeldig token"},
    403: {"description": "Token mist de scope of organisatie voor deze bewerking"},
}
NOT_FOUND: Responses = {404: {"description": "Bestaat niet"}}
WRITE: Responses = {
    **AUTH,
    413: {"description": "Body te groot"},
    429: {"description": "Te veel schrijfverzoeken; zie Retry-After"},
}
UPDATE: Responses = {
    **WRITE, **NOT_FOUND,
    412: {"description": "If-Match komt niet overeen met de huidige versie"},
    428: {"description": "If-Match ontbreekt"},
}
IfMatch = Annotated[str | None, Header(alias="If-Match",
                                      description="ETag van de versie die de client wijzigt")]
ETAG_HEADER = {"ETag": {"description": "Versie van de resource", "schema": {"type": "string"}}}
LOCATION_HEADER = {"Location": {"description": "URI van de nieuwe resource",
                                "schema": {"type": "string"}}}


GET_RESPONSES: Responses = {**NOT_FOUND, 200: {"headers": ETAG_HEADER}}
REPLACE_RESPONSES: Responses = {**UPDATE, 200: {"headers": ETAG_HEADER}}


def links(parameter: str, source: str, *operation_ids: str,
          with_etag: tuple[str, ...] = ()) -> dict[str, Any]:
    """OpenAPI links from a response to the operations on the same resource (stateful
    clients and fuzzers follow them): `parameter` taken from `source` (a runtime expression,
    e.g. `$response.body#/id`), and If-Match from the ETag for `with_etag` operations."""
    found = {}
    for operation_id in (*operation_ids, *with_etag):
        parameters = {parameter: source}
        if operation_id in with_etag:
            parameters["header.If-Match"] = "$response.header.ETag"
        found[operation_id[0].upper() + operation_id[1:]] = {
            "operationId": operation_id, "parameters": parameters}
    return found


def put_responses(model: type[Any], resource_links: dict[str, Any] | None = None) -> Responses:
    """PUT creates (201) or replaces (200): both return the resource with its ETag."""
    ok: dict[str, Any] = {"headers": ETAG_HEADER}
    created: dict[str, Any] = {"model": model, "description": "Aangemaakt",
                               "headers": ETAG_HEADER}
    if resource_links:
        ok["links"] = created["links"] = resource_links
    return {**UPDATE, 200: ok, 201: created}


def create_responses(resource_links: dict[str, Any] | None = None) -> Responses:
    """POST creates (201, Location and ETag); an Idempotency-Key reused for another body is 422."""
    created: dict[str, Any] = {"headers": {**ETAG_HEADER, **LOCATION_HEADER}}
    if resource_links:
        created["links"] = resource_links
    return {**WRITE, 201: created,
            422: {"description": "Idempotency-Key eerder gebruikt voor een ander verzoek"}}


class JsonResponse(Response):
    """A response model serialised once, by pydantic (camelCase aliases): routes return it so
    FastAPI does not validate and encode the same model a second time. The route keeps its
    `response_model` for the OpenAPI document; the contract tests check the two agree."""

    media_type = "application/json"

    def __init__(self, model: BaseModel, *, status_code: int = 200,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(model.model_dump_json(by_alias=True), status_code=status_code,
                         headers=headers)

    @classmethod
    def versioned(cls, schema: type[BaseModel], record: Any, *,
                  created: bool = False) -> "JsonResponse":
        """A versioned record as `schema`, with its `versie` as ETag: 201 when a PUT created
        it, else 200."""
        return cls(schema.model_validate(record), status_code=201 if created else 200,
                   headers={"ETag": etag(record.versie)})
