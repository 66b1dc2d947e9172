"""One pure-ASGI middleware for what every response needs: request id, trace context
(`traceparent`), API-Version, security headers, a body size limit (413) and the request
latency histogram."""

import logging
import time
import uuid

from prometheus_client import Histogram
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nplv_shared import tracing
from nplv_shared.auth import Principal
from nplv_shared.db import is_transient
from nplv_shared.logs import request_id_var
from nplv_shared.problems import internal_error, problem_response
from nplv_shared.ratelimit import WRITE_METHODS, WriteRateLimiter, client_key, retry_after
from nplv_shared.routing import allowed_methods, not_allowed_on_literal_path, takes_json_body

JSON_MEDIA_TYPES = ("application/json",)
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
RETRY_AFTER_UNAVAILABLE_S = 5

logger = logging.getLogger(__name__)
REQUEST_LATENCY = Histogram(
    "nplv_http_request_duration_seconds", "Duur van HTTP-verzoeken",
    ["service", "method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"referrer-policy", b"no-referrer"),
]


class BodyTooLarge(HTTPException):
    """Raised while streaming a body past the limit; an HTTPException so FastAPI passes it on."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"De body is groter dan de toegestane {limit} bytes.")


class PlatformMiddleware:
    def __init__(self, app: ASGIApp, *, service: str, api_version: str, max_body_bytes: int,
                 public_paths: tuple[str, ...] = (), writes_per_minute: int = 0,
                 import_max_body_bytes: int | None = None) -> None:
        self.app = app
        self.service = service
        self.api_version = api_version.encode()
        self.max_body_bytes = max_body_bytes
        # a bulk import (POST to a path ending in /imports) has a limit of its own
        self.import_max_body_bytes = import_max_body_bytes or max_body_bytes
        self.public_paths = public_paths
        self.limiter = WriteRateLimiter(writes_per_minute) if writes_per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        head = scope["method"] == "HEAD"
        if head:  # HEAD is GET without the body, wherever GET works (RFC 9110 §9.3.2)
            scope = {**scope, "method": "GET"}
        request_id = headers.get(b"x-request-id", b"").decode()[:64] or str(uuid.uuid4())
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_holder = {"status": 500, "started": False}
        cacheable = scope["method"] == "GET" and scope["path"].startswith(self.public_paths)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                extra = [(b"api-version", self.api_version), (b"x-request-id", request_id.encode())]
                # the trace, to quote in support (health probes and /metrics are not traced:
                # they get an id of their own, recorded nowhere)
                context = tracing.current() or tracing.TraceParent(tracing.new_trace_id(),
                                                                   tracing.new_span_id())
                extra.append((b"traceparent", str(context).encode()))
                extra += SECURITY_HEADERS
                if not any(k.lower() == b"cache-control" for k, _ in message.get("headers", [])):
                    extra.append((b"cache-control",
                                  b"public, no-cache" if cacheable else b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        limit = self._body_limit(scope)
        try:
            if self._declared_too_large(headers, limit):
                await self._too_large(scope, receive, send_with_headers, limit)
                return
            if wait := self._rate_limited(scope, headers):
                await problem_response(
                    429, "Te veel verzoeken",
                    f"Te veel schrijfverzoeken van deze client; probeer het over "
                    f"{retry_after(wait)} s opnieuw.", instance=scope["path"],
                    headers={"Retry-After": retry_after(wait)})(scope, receive, send_with_headers)
                return
            if methods := self._options(scope, headers):
                await Response(status_code=204, headers={"Allow": ", ".join(methods)})(
                    scope, receive, send_with_headers)
                return
            if allowed := not_allowed_on_literal_path(scope.get("app"), scope):
                await problem_response(
                    405, "Methode niet toegestaan",
                    f"Methode {scope['method']} is niet toegestaan op {scope['path']}.",
                    instance=scope["path"], headers={"Allow": ", ".join(allowed)})(
                    scope, receive, send_with_headers)
                return
            if self._unsupported_media_type(scope, headers):
                await self._unsupported(scope, receive, send_with_headers)
                return
            await self.app(scope, self._limited(receive, limit), send_with_headers)
        except BodyTooLarge:
            await self._too_large(scope, receive, send_with_headers, limit)
        except Exception as exc:
            if status_holder["started"]:
                raise
            if is_transient(exc):
                logger.warning("database niet bereikbaar: %r", exc)
                await problem_response(
                    503, "Dienst niet beschikbaar", "De database is tijdelijk niet bereikbaar; "
                    f"probeer het over {RETRY_AFTER_UNAVAILABLE_S} s opnieuw.",
                    instance=scope["path"],
                    headers={"Retry-After": str(RETRY_AFTER_UNAVAILABLE_S)})(
                    scope, receive, send_with_headers)
                return
            logger.exception("onverwachte fout")
            await internal_error(scope["path"])(scope, receive, send_with_headers)
        finally:
            route = scope.get("route")
            REQUEST_LATENCY.labels(self.service, scope["method"],
                                   getattr(route, "path", "onbekend"),
                                   str(status_holder["status"])).observe(
                time.perf_counter() - started)
            request_id_var.reset(token)

    def _rate_limited(self, scope: Scope, headers: dict[bytes, bytes]) -> float:
        if self.limiter is None or scope["method"] not in WRITE_METHODS:
            return 0.0
        peer = (scope.get("client") or ("onbekend", 0))[0]
        return self.limiter.check(client_key(self._principal(scope, headers), peer))

    @staticmethod
    def _options(scope: Scope, headers: dict[bytes, bytes]) -> list[str]:
        """A plain OPTIONS (not a CORS preflight) on a known path: the methods it allows."""
        if scope["method"] != "OPTIONS" or b"access-control-request-method" in headers:
            return []
        return allowed_methods(scope.get("app"), scope)

    @staticmethod
    def _principal(scope: Scope, headers: dict[bytes, bytes]) -> Principal | None:
        """The authenticated client of a request with a valid bearer token, else None."""
        scheme, _, token = headers.get(b"authorization", b"").decode(errors="replace").partition(
            " ")
        verifier = (scope.get("state") or {}).get("token_verifier")
        if scheme.lower() != "bearer" or not token or verifier is None:
            return None
        principal: Principal | None = verifier.try_verify(token.strip())
        return principal

    @staticmethod
    def _unsupported_media_type(scope: Scope, headers: dict[bytes, bytes]) -> bool:
        """A body that is not JSON, sent to a route that reads a JSON body (415)."""
        if scope["method"] not in BODY_METHODS:
            return False
        media_type = headers.get(b"content-type", b"").decode(errors="replace").split(";")[0]
        media_type = media_type.strip().lower()
        if media_type in JSON_MEDIA_TYPES or media_type.endswith("+json"):
            return False
        has_body = (headers.get(b"content-length", b"0") not in (b"0", b"")
                    or b"transfer-encoding" in headers or bool(media_type))
        return has_body and takes_json_body(scope.get("app"), scope)

    async def _unsupported(self, scope: Scope, receive: Receive, send: Send) -> None:
        hint = {"POST": {"Accept-Post": "application/json"},
                "PATCH": {"Accept-Patch": "application/json"}}.get(scope["method"], {})
        response = problem_response(
            415, "Mediatype niet ondersteund",
            "Stuur de body als JSON met Content-Type: application/json.",
            instance=scope["path"], headers=hint)
        await response(scope, receive, send)

    def _body_limit(self, scope: Scope) -> int:
        if scope["method"] == "POST" and scope["path"].endswith("/imports"):
            return self.import_max_body_bytes
        return self.max_body_bytes

    @staticmethod
    def _declared_too_large(headers: dict[bytes, bytes], limit: int) -> bool:
        length = headers.get(b"content-length")
        return length is not None and length.isdigit() and int(length) > limit

    @staticmethod
    def _limited(receive: Receive, limit: int) -> Receive:
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        return limited_receive

    @staticmethod
    async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem_response(
            413, "Verzoek te groot",
            f"De body is groter dan de toegestane {limit} bytes.",
            instance=scope["path"])
        await response(scope, receive, send)


