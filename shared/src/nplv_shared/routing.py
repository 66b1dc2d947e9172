"""What the app's operations allow for a path, for the platform's 405/OPTIONS/415 answers.

Read from the app's own OpenAPI document (built once and cached on the app), so it sees every
documented operation however routers are nested, and says exactly what the document says.
"""

import re
from dataclasses import dataclass
from typing import Any

from starlette.types import Scope

HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def operation_id(route: Any) -> str:
    """Short camelCase operationIds from the endpoint's name (`get_interventie` →
    `getInterventie`): generated clients use them as method names. Also how the platform
    names the operation a request is for (the route in the ASGI scope may be the router's own
    copy, whose `unique_id` FastAPI computed without the app's function)."""
    head, *rest = route.name.split("_")
    return str(head + "".join(part[:1].upper() + part[1:] for part in rest))


@dataclass(frozen=True)
class PathMethods:
    pattern: re.Pattern[str]
    literal: bool
    methods: frozenset[str]
    json_body: frozenset[str]  # methods whose operation takes a JSON request body only


def _table(app: Any) -> list[PathMethods]:
    table: list[PathMethods] | None = getattr(app.state, "nplv_path_methods", None)
    if table is not None:
        return table
    doc = app.openapi()
    base = (doc.get("servers") or [{"url": ""}])[0]["url"].rstrip("/")
    table = []
    for path, item in doc.get("paths", {}).items():
        full = base + ("" if path == "/" else path)
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(full)) + "$")
        operations = {m: op for m, op in item.items() if m in HTTP_METHODS}
        table.append(PathMethods(
            pattern=pattern, literal="{" not in path,
            methods=frozenset(m.upper() for m in operations),
            json_body=frozenset(m.upper() for m, op in operations.items()
                                if _json_only(op))))
    app.state.nplv_path_methods = table
    return table


def _json_only(operation: dict[str, Any]) -> bool:
    """The operation takes a body, and only as JSON (an import also takes CSV and NDJSON and
    judges the media type itself)."""
    if "requestBody" not in operation:
        return False
    content = operation["requestBody"].get("content", {})
    return all(media.endswith("json") and media != "application/x-ndjson" for media in content)


def _matching(app: Any, scope: Scope) -> list[PathMethods]:
    if app is None or not hasattr(app, "openapi"):
        return []
    path = scope.get("path", "")
    found = [entry for entry in _table(app) if entry.pattern.match(path)]
    literal = [entry for entry in found if entry.literal]
    return literal or found


def not_allowed_on_literal_path(app: Any, scope: Scope) -> list[str]:
    """The methods of a literal path (no parameters, e.g. `/v1/interventies/imports`) that does
    not allow this request's method, else []. Routing alone would let the method fall through
    to a parameterised sibling (`PUT /v1/interventies/{interventieId}` with id "imports") and
    answer 400 where 405 is right."""
    if scope.get("method") in (None, "OPTIONS", "HEAD"):
        return []
    literal = [entry for entry in _matching(app, scope) if entry.literal]
    if not literal or any(scope["method"] in entry.methods for entry in literal):
        return []
    return allowed_methods(app, scope)


def allowed_methods(app: Any, scope: Scope) -> list[str]:
    """Every method the path allows (plus HEAD with GET, and OPTIONS), sorted; empty when no
    operation has the path (RFC 9110 §15.5.6: `Allow` lists them all)."""
    methods = {m for entry in _matching(app, scope) for m in entry.methods}
    if not methods:
        return []
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods | {"OPTIONS"})


def takes_json_body(app: Any, scope: Scope) -> bool:
    """Whether the operation for this method and path reads a (JSON) request body."""
    return any(scope["method"] in entry.json_body for entry in _matching(app, scope))
