"""The server-rendered pages: home, entity, audit, facts, add facts, and the API reference.

Each page parses its fields, calls one library function through the store
opened for the request, and renders a Jinja2 template (autoescaped).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.formparsers import MultiPartException

from ..errors import ImportErrors, RedlineError
from ..store.records import FACT_COLUMNS, REQUIRED_COLUMNS
from .api import add_fact_rows, brief_of, facts_table
from .context import web
from .errors import BadRequest, TooLarge, status_of
from .inputs import article_input, parse_date, split_peers
from .security import check_token
from .views import overview

__all__ = ["router"]

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    ctx = web(request)
    context.setdefault("writable", ctx.writable)
    return ctx.templates.TemplateResponse(request, template, context, status_code=status_code)


def _field_errors(exc: RedlineError) -> dict[str, str]:
    """Field → message for the form, from a library or request error."""
    issues: list[Any] = getattr(exc, "issues", [])
    out: dict[str, str] = {}
    for i in issues:
        field, message = (i.field, i.message) if hasattr(i, "field") else (i["field"], i["message"])
        if message.startswith("record "):
            message = message.split(": ", 1)[-1]
        out.setdefault(str(field), message)
    return out


# -- home and entity -----------------------------------------------------------


@router.get("/")
def home(request: Request, as_of: Optional[str] = Query(None)) -> HTMLResponse:
    when = parse_date(as_of, field="as_of")
    with web(request).access.read() as store:
        rows = overview(store, as_of=when)
    return _page(request, "home.html", rows=rows, as_of=when)


@router.get("/entity/{name:path}")  # a name may hold a '/', which links leave as it is
def entity(
    request: Request,
    name: str,
    as_of: Optional[str] = Query(None),
    peers: list[str] = Query([]),
) -> HTMLResponse:
    when = parse_date(as_of, field="as_of") or dt.date.today()
    peers = split_peers(peers)
    access = web(request).access
    registry = access.snapshot()
    canonical = registry.entity(name)
    others = sorted(n for n in registry.entities() if n != canonical.name)
    brief = brief_of(access, canonical.name, when, tuple(peers))
    return _page(request, "entity.html", entity=canonical, brief=brief, brief_article=_brief_article(brief.html),
                 as_of=when, peers=peers, others=others)


def _brief_article(html: str) -> Markup | None:
    """The brief's ``<article>`` (library output, escaped by its own templates), to show inside this page.

    The brief is a whole document with page-wide styles; the article alone fits the page, styled by
    style.css. None when the brief has no article element (the page then shows the whole document in a frame).
    """
    match = re.search(r'<article class="brief">.*</article>', html, re.S)
    return Markup(match.group(0)) if match else None


# -- audit -----------------------------------------------------------------------


@router.get("/audit")
def audit_form(request: Request) -> HTMLResponse:
    return _page(request, "audit.html", text="", date=dt.date.today().isoformat(), errors={}, report=None)


@router.post("/audit")
async def audit_page(request: Request) -> Response:
    # The form is read here, not by FastAPI's Form() parameters, so that a pasted article may be as large
    # as REDLINE_MAX_UPLOAD_BYTES (the multipart parser would refuse any field over 1 MB).
    ctx = web(request)
    try:
        async with request.form(max_files=1, max_fields=10, max_part_size=ctx.max_upload_bytes) as form:
            text, date, download = (str(form.get(k) or "") for k in ("text", "date", "download"))
            file = form.get("file")
            filename = getattr(file, "filename", None) or None
            data = await file.read() if filename and not isinstance(file, str) else None
    except MultiPartException:  # a field over the limit (or a malformed form)
        raise TooLarge(f"the article is larger than the limit of {ctx.max_upload_bytes:,} bytes; send a shorter "
                       "one, or ask the operator to raise REDLINE_MAX_UPLOAD_BYTES") from None
    return await run_in_threadpool(_audit_page, request, text, date, filename, data, download)


def _audit_page(request: Request, text: str, date: str, filename: str | None, data: bytes | None,
                download: str) -> Response:
    from ..claims.audit import audit, audit_file
    from ..claims.budget import run_within
    from ..claims.render import render_html

    try:
        when = parse_date(date, field="date")
        article = article_input(text, filename, data)
    except BadRequest as exc:
        return _page(request, "audit.html", status_code=status_of(exc), text=text, date=date,
                     errors=_field_errors(exc), report=None)
    ctx = web(request)
    snapshot = ctx.access.snapshot()
    limit, inline = ctx.budget.max_claims, not ctx.budget.worker_for(article)
    if isinstance(article, bytes):
        report = run_within(ctx.budget, lambda: audit_file(article, name=filename or "upload", date=when,
                                                           snapshot=snapshot, max_claims=limit), inline=inline)
    else:
        report = run_within(ctx.budget, lambda: audit(article, date=when, snapshot=snapshot, max_claims=limit),
                            inline=inline)
    if download == "json":
        return Response(json.dumps(report.to_dict(), indent=1, ensure_ascii=False, default=str),
                        media_type="application/json",
                        headers={"Content-Disposition": 'attachment; filename="redline-audit.json"'})
    if download == "html":
        return Response(render_html(report, standalone=True), media_type="text/html; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="redline-audit.html"'})
    return _page(request, "audit.html", text=report.text, date=report.date.isoformat(), errors={}, report=report,
                 total=len(report.items),
                 redlined=Markup(render_html(report, standalone=False)))


# -- facts -----------------------------------------------------------------------


@router.get("/facts")
def facts_page(
    request: Request,
    entity: Optional[str] = Query(None),
    metric: Optional[str] = Query(None),
    period: Optional[str] = Query(None),
    as_of: Optional[str] = Query(None),
    all_versions: bool = Query(False),
    limit: int = Query(500, ge=1, le=100_000),
) -> HTMLResponse:
    filters = {"entity": entity or "", "metric": metric or "", "period": period or "", "as_of": as_of or "",
               "all_versions": all_versions}
    query = {k: v for k, v in filters.items() if v}
    with web(request).access.read() as store:
        entities = [e for e in store.entities()]
        metrics = list(store.metrics())
    error = None
    rows: list[dict[str, Any]] = []
    try:
        rows = facts_table(request, entity=entity or None, metric=metric or None, period=period or None,
                           as_of=as_of or None, all_versions=all_versions, limit=limit)
    except RedlineError as exc:
        error = exc
    status = status_of(error) if error else 200
    return _page(request, "facts.html", status_code=status, rows=rows, filters=filters, entities=entities,
                 metrics=metrics, error=error, errors=_field_errors(error) if error else {},
                 csv_url="/api/facts?" + urlencode({**query, "format": "csv", "download": "true"}),
                 json_url="/api/facts?" + urlencode({**query, "format": "json", "download": "true"}))


@router.get("/facts/new")
def add_fact_form(request: Request) -> HTMLResponse:
    return _page(request, "add_fact.html", values={"qualifier": "exact"}, errors={}, added=None,
                 columns=FACT_COLUMNS, required=REQUIRED_COLUMNS)


@router.post("/facts/new")
async def add_fact(request: Request) -> HTMLResponse:
    form = await request.form()
    values = {c: str(form.get(c) or "").strip() for c in FACT_COLUMNS}
    token = str(form.get("token") or "")
    row = {k: v for k, v in values.items() if v}
    errors: dict[str, str] = {}
    status = 200
    added = None
    try:
        check_token(web(request).write_token, token or None)
        added = await run_in_threadpool(add_fact_rows, [row], token, request)
        status = 201 if added["added"] else 200
    except ImportErrors as exc:
        errors, status = _field_errors(exc), 422
    except RedlineError as exc:
        status = status_of(exc)
        errors = {"token": str(exc)} if status == 401 else {"form": str(exc)}
    return _page(request, "add_fact.html", status_code=status, values=values if added is None else {"qualifier": "exact"},
                 errors=errors, added=added, added_row=row if added else None,
                 columns=FACT_COLUMNS, required=REQUIRED_COLUMNS)


@router.get("/facts/{fact_id}")
def fact_page(request: Request, fact_id: int) -> HTMLResponse:
    with web(request).access.read() as store:
        fact = store.fact(fact_id)
        versions = store.versions(fact.entity, fact.metric, fact.period, fact.market)
    return _page(request, "fact.html", fact=fact, versions=versions)


# -- API reference ------------------------------------------------------------------


@router.get("/api")
def api_reference(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            operations.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "parameters": op.get("parameters", []),
                "body": json.dumps(body, indent=1) if body else None,
                "responses": sorted((code, r.get("description", "")) for code, r in op.get("responses", {}).items()),
            })
    error_schema = json.dumps(schema.get("components", {}).get("schemas", {}).get("ErrorBody", {}), indent=1)
    return _page(request, "api.html", operations=operations, error_schema=error_schema, title=schema["info"]["title"])
