"""Conditional GETs for public reads (RFC 9110 §13): every 200 carries an ETag (the resource's
version where the route sets one, else a hash of the body), and a request whose If-None-Match
names it gets 304 Not Modified without a body. With `Cache-Control: public, no-cache` a CDN or
gateway keeps the body and only revalidates."""

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _tags(header: bytes) -> set[bytes]:
    """Entity tags of an If-None-Match header, weak prefixes dropped (weak comparison)."""
    return {t.strip().removeprefix(b"W/") for t in header.split(b",") if t.strip()}


class ConditionalGetMiddleware:
    def __init__(self, app: ASGIApp, *, public_paths: tuple[str, ...]) -> None:
        self.app = app
        self.public_paths = public_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "GET"
                or not scope["path"].startswith(self.public_paths)):
            await self.app(scope, receive, send)
            return
        if_none_match = dict(scope["headers"]).get(b"if-none-match")
        start: Message = {}
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._respond(start, b"".join(chunks), if_none_match, send)

        await self.app(scope, receive, buffered)

    @staticmethod
    async def _respond(start: Message, body: bytes, if_none_match: bytes | None,
                       send: Send) -> None:
        headers = list(start.get("headers", []))
        if start["status"] != 200:
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        etag = next((v for k, v in headers if k.lower() == b"etag"), None)
        if etag is None:
            etag = b'W/"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
            headers.append((b"etag", etag))
        if if_none_match is not None and (
                b"*" in _tags(if_none_match) or etag.removeprefix(b"W/") in _tags(if_none_match)):
            kept = [(k, v) for k, v in headers
                    if k.lower() not in (b"content-length", b"content-type")]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})
