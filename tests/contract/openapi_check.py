"""Check live responses against the service's own OpenAPI document (used as an httpx hook)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx

PROBLEM_JSON = "application/problem+json"
BASE_PATH = "/v1"


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip()


@dataclass
class ResponseContract:
    """Every response carries `API-Version: info.version`; a documented operation answers with a
    documented status and that status's media type; anything else that fails is problem+json."""

    openapi: dict[str, Any]
    checked: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        templates = sorted(self.openapi["paths"], key=lambda p: (p.count("{"), p))
        self._routes = [(re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(t)) + "$"),
                         t) for t in templates]

    @property
    def version(self) -> str:
        return str(self.openapi["info"]["version"])

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        if not path.startswith(BASE_PATH + "/"):
            return None
        relative = path.removeprefix(BASE_PATH)
        for pattern, template in self._routes:
            if pattern.match(relative):
                op = self.openapi["paths"][template].get(method.lower())
                return (template, op) if op else None
        return None

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        where = f"{request.method} {request.url.path} → {response.status_code}"
        assert response.headers.get("API-Version") == self.version, (
            f"{where}: API-Version {response.headers.get('API-Version')!r}, "
            f"OpenAPI info.version {self.version!r}")
        if request.method not in {"HEAD", "OPTIONS"}:
            self._check_media_type(where, request.method, request.url.path, response)
        self.checked.append(where)

    def _check_media_type(self, where: str, method: str, path: str,
                          response: httpx.Response) -> None:
        found = self.operation(method, path)
        status = response.status_code
        if found is None:
            if path == f"{BASE_PATH}/openapi.json":
                assert media_type(response) == "application/json", where
            elif status >= 400:
                assert media_type(response) == PROBLEM_JSON, f"{where}: {media_type(response)}"
            return
        template, op = found
        responses = op["responses"]
        documented = (responses.get(str(status)) or responses.get(f"{status // 100}XX")
                      or responses.get("default"))
        assert documented is not None, (
            f"{where}: status {status} staat niet in de OpenAPI van {method} {template} "
            f"(wel: {sorted(responses)})")
        content = documented.get("content", {})
        if not content:
            assert not response.content, (
                f"{where}: OpenAPI documenteert geen body, maar er kwam "
                f"{media_type(response) or 'iets'} ({len(response.content)} bytes)")
        else:
            assert media_type(response) in content, (
                f"{where}: Content-Type {media_type(response)!r}, OpenAPI zegt {sorted(content)}")


def checked_client(base_url: str, contract: ResponseContract,
                   headers: dict[str, str] | None = None) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=10, follow_redirects=False,
                        headers=headers, event_hooks={"response": [contract]})
