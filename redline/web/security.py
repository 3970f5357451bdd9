"""The guards around the app: the write token, the body size limit, safe headers and links."""

from __future__ import annotations

import hmac
import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import TooLarge, Unauthorized, WritesDisabled

__all__ = ["check_token", "bearer_token", "BodyLimit", "SecurityHeaders", "safe_url"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; frame-src 'self'"
)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def check_token(expected: str | None, given: str | None) -> None:
    """Allow a write only with the operator's token; compared in constant time."""
    if not expected:
        raise WritesDisabled(
            "this server is read-only: the operator enables writes by starting it with REDLINE_WRITE_TOKEN set"
        )
    if not given:
        raise Unauthorized("writes need the write token: send 'Authorization: Bearer TOKEN' (or the form's token field)")
    if not hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8")):
        raise Unauthorized("wrong write token; nothing was written")


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link, else None (so a stored 'javascript:' URL never becomes a link)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with HTTP 413, before any route reads them.

    A declared ``Content-Length`` over the limit is refused at once; a body
    without one is counted as it arrives and refused when it passes the limit.
    ``overhead`` bytes more are allowed for what wraps the article (a form's
    other fields and boundaries, JSON quoting), so an article of ``limit`` bytes
    is accepted however it is sent.
    """

    def __init__(self, app: ASGIApp, *, limit: int, overhead: int = 0) -> None:
        self.app = app
        self.article_limit = limit
        self.limit = limit + overhead

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.limit
            except ValueError:
                too_big = False
            if too_big:  # answered before a byte of the body is read; then the rest is dropped
                await self._refuse(scope, send)
                await self._drain(receive)
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            more = message.get("more_body", False)
            if size > self.limit:
                if more:
                    await self._drain(receive, size)
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _drain(self, receive: Receive, seen: int = 0) -> None:
        """Read and drop the rest of a refused body (up to a bound), so the client sees the 413."""
        cap = 4 * self.limit + (1 << 20)
        while seen <= cap:
            message = await receive()
            if message["type"] != "http.request":
                return
            seen += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    async def _refuse(self, scope: Scope, send: Send) -> None:
        exc = TooLarge(
            f"the request is larger than the limit of {self.article_limit:,} bytes; send a shorter article, "
            "or ask the operator to raise REDLINE_MAX_UPLOAD_BYTES"
        )
        accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
        if scope["path"].startswith("/api") or "text/html" not in accept:
            body = json.dumps(exc.to_dict()).encode()
            ctype = b"application/json"
        else:
            body = (
                "<!doctype html><meta charset=utf-8><title>Too large · redline</title>"
                "<link rel=stylesheet href=/static/style.css><main class=page><h1>Too large</h1>"
                f"<p class=error>{_html_escape(str(exc))}</p><p><a href=/audit>Back</a></p></main>"
            ).encode()
            ctype = b"text/html; charset=utf-8"
        await send({
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close")],
        })
        await send({"type": "http.response.body", "body": body})


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class SecurityHeaders:
    """Add a strict Content-Security-Policy (nothing from other origins) and related headers."""

    HEADERS = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in self.HEADERS if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
