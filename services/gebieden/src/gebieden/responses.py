"""Documented error responses per kind of route (rendered as problem+json by the platform)."""

from typing import Annotated, Any

from fastapi import Header

AUTH: dict[int | str, dict[str, Any]] = {
    401: {"description": "Geen of ongeldig token"},
    403: {"description": "Token mist de scope of organisatie voor deze bewerking"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Bestaat niet"}}
WRITE: dict[int | str, dict[str, Any]] = {
    **AUTH,
    413: {"description": "Body te groot"},
    429: {"description": "Te veel schrijfverzoeken; zie Retry-After"},
}
UPDATE: dict[int | str, dict[str, Any]] = {
    **WRITE, **NOT_FOUND,
    412: {"description": "If-Match komt niet overeen met de huidige versie"},
    428: {"description": "If-Match ontbreekt"},
}
IfMatch = Annotated[str | None, Header(alias="If-Match",
                                      description="ETag van de versie die de client wijzigt")]
ETAG_HEADER = {"ETag": {"description": "Versie van de resource", "schema": {"type": "string"}}}


GET_RESPONSES: dict[int | str, dict[str, Any]] = {**NOT_FOUND, 200: {"headers": ETAG_HEADER}}


def put_responses(model: type[Any]) -> dict[int | str, dict[str, Any]]:
    """PUT creates (201) or replaces (200): both return the resource with its ETag."""
    return {**UPDATE, 200: {"headers": ETAG_HEADER},
            201: {"model": model, "description": "Aangemaakt", "headers": ETAG_HEADER}}
