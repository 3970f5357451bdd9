"""The web app: :func:`create_app` builds it over one store file.

    from redline.web import create_app
    app = create_app("facts.duckdb", write_token="s3cret")   # uvicorn.run(app, host="127.0.0.1")

``redline serve`` does the same from the command line. See docs/web.md.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__, settings
from ..claims.budget import Budget
from ..errors import RedlineError, StoreLocked, StoreUnreadable
from . import api, pages
from .access import StoreAccess
from .context import HERE, WebContext, make_templates, web
from .errors import status_of
from .security import BodyLimit, SecurityHeaders

__all__ = ["create_app"]

FORM_OVERHEAD = 64 * 1024
"""Bytes a request may carry beyond REDLINE_MAX_UPLOAD_BYTES for the form or JSON around the article
(at most a quarter of the limit); the article itself is held to the limit by its route."""

log = logging.getLogger("redline.web")

DESCRIPTION = """\
The JSON API of redline: the library's functions over HTTP.

**Errors** come back in one shape, from every route:
`{"error": "<code>", "message": "<what went wrong and how to fix it>"}`, plus
`issues` (one `{"field", "reason", "message"}` per bad field) for `bad_input`
and `import_refused`, and `retry_after` (seconds, also in the `Retry-After`
header) for `store_locked`. Codes and statuses: `bad_input` 400/422,
`import_refused`, `over_budget` and `too_many_claims` 422, `not_found` 404, `unauthorized` and `read_only` 401,
`too_large` 413, `store_locked` and `store_unreadable` 503, `not_allowed` 405,
`internal` 500.

**Writes** (`POST /api/facts`) need `Authorization: Bearer TOKEN` with the
operator's `REDLINE_WRITE_TOKEN`; a server started without one is read-only.
**Bodies** larger than `REDLINE_MAX_UPLOAD_BYTES` get 413. **Audits and extractions** stop
after `REDLINE_AUDIT_SECONDS` (422 `over_budget`) and check at most
`REDLINE_AUDIT_MAX_CLAIMS` claims per article (422 `too_many_claims`).
"""


class HTTPProblem(RedlineError):
    """A routing error (no such page, wrong method) in the one error shape."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") and request.url.path != "/api"


def _error_response(request: Request, exc: RedlineError, status: int) -> Response:
    body: dict[str, Any] = dict(exc.to_dict())
    headers: dict[str, str] = {}
    if isinstance(exc, StoreLocked):
        retry = web(request).access.retry_after
        body["retry_after"] = retry
        headers["Retry-After"] = str(retry)
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if _wants_json(request):
        return JSONResponse(body, status_code=status, headers=headers)
    ctx = web(request)
    return ctx.templates.TemplateResponse(
        request, "error.html", {"status": status, "error": body, "writable": ctx.writable},
        status_code=status, headers=headers,
    )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RedlineError)
    async def redline_error(request: Request, exc: RedlineError) -> Response:
        if isinstance(exc, StoreUnreadable):  # its message names the server's file: log it, answer without it
            log.error("%s", exc)
            return _error_response(request, exc.public(), 503)
        return _error_response(request, exc, status_of(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        from .errors import BadRequest

        issues = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
            field = ".".join(loc) or "body"
            reason = {"missing": "missing_value", "extra_forbidden": "unknown_field"}.get(err.get("type", ""), "bad_format")
            issues.append({"field": field, "reason": reason, "message": str(err.get("msg", "invalid"))})
        return _error_response(request, BadRequest(issues), 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "not_allowed"}.get(exc.status_code, "http_error")
        message = {
            404: f"no such page or endpoint: {request.url.path} (see /api for the API)",
            405: f"{request.method} is not allowed on {request.url.path}",
        }.get(exc.status_code, str(exc.detail))

        return _error_response(request, HTTPProblem(code, message), exc.status_code)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        body = {"error": "internal", "message": "the server failed on this request; the log has the details"}
        if _wants_json(request):
            return JSONResponse(body, status_code=500)
        return HTMLResponse("<!doctype html><title>Error · redline</title><h1>Internal error</h1>"
                            "<p>The server failed on this request; the log has the details.</p>", status_code=500)


def _declare_schemas(app: FastAPI, *models: Any) -> None:
    """Put models that routes read by hand (``POST /api/facts`` takes one or a list) into the OpenAPI
    components, so the ``$ref`` to them resolves."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in models:
                found = model.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(found.pop("$defs", {}))
                components[model.__name__] = found
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(
    db_path: str | Path | None = None,
    *,
    write_token: str | None = None,
    max_upload_bytes: int | None = None,
    lock_timeout: float | None = None,
    budget: Budget | None = None,
) -> FastAPI:
    """The web app over the store at ``db_path`` (default: ``REDLINE_DB`` or the user's store).

    ``write_token`` (default ``REDLINE_WRITE_TOKEN``) enables writes for whoever
    presents it; without one the app is read-only. ``max_upload_bytes``
    (default ``REDLINE_MAX_UPLOAD_BYTES``) bounds every request body; ``budget``
    (default ``REDLINE_AUDIT_SECONDS`` and ``REDLINE_AUDIT_MAX_CLAIMS``) every audit and extraction.
    """
    settings.check()  # a bad REDLINE_* value stops the app before it serves anything
    token = write_token if write_token is not None else settings.get("write_token")
    limit = int(max_upload_bytes if max_upload_bytes is not None else settings.get("max_upload_bytes"))
    access = StoreAccess(db_path, lock_timeout=lock_timeout)
    app = FastAPI(
        title="redline",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # Swagger UI loads from a CDN; /api renders the reference locally instead
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.redline = WebContext(access=access, write_token=token or None, max_upload_bytes=limit,
                                   templates=make_templates(), budget=budget or Budget.from_settings())
    _install_error_handlers(app)
    app.include_router(api.router)
    _declare_schemas(app, api.FactIn)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(BodyLimit, limit=limit, overhead=min(FORM_OVERHEAD, limit // 4))
    app.add_middleware(SecurityHeaders)
    return app
