"""The JSON API: one route per library function (extract, audit, facts, value, growth, pace, share, brief).

Each route parses its input, opens the store for the request, calls one
library function and returns its ``to_dict()``. Errors come back in the one
shape of :mod:`redline.web.errors`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any, Literal, Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .. import analytics, validation
from ..markup import csv_cell
from ..claims.budget import check_claims, run_within
from ..store.records import FACT_COLUMNS, REQUIRED_COLUMNS
from .access import StoreAccess
from .context import web
from .errors import ERROR_RESPONSES, WRITE_RESPONSES, BadRequest, TooLarge
from .inputs import issue, parse_date, parse_period, require_period, split_peers, unicode_problem
from .security import bearer_token, check_token

__all__ = ["router", "FactIn", "TextIn", "facts_table", "add_fact_rows", "brief_of"]

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)


class TextIn(BaseModel):
    """An article to extract claims from or to audit."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The article's plain text.",
                      examples=["Xiaomi delivered 108,796 cars in Q3 2025, up 173% year on year."])
    date: Optional[dt.date] = Field(
        None, description="The article's date (YYYY-MM-DD): relative periods resolve against it and only facts "
        "published by then count. Default: an HTML page's publication date, else today.", examples=["2025-11-25"])
    format: Literal["text", "html"] = Field(
        "text", description="How to read `text`: plain text (markup in it is kept as text), or an HTML page, "
        "whose article text, title and date are extracted.")

    @field_validator("text")
    @classmethod
    def _real_text(cls, value: str) -> str:
        if problem := unicode_problem(value):
            raise ValueError(problem)
        return value

    @field_validator("date", mode="before")
    @classmethod
    def _one_date_grammar(cls, value: Any) -> Any:
        """YYYY-MM-DD in years 1900-2100 only (not 20251125, a week date, or a number of seconds)."""
        if value is None:
            return None
        problem = validation.day_problem(value) if isinstance(value, str) else "not a date (YYYY-MM-DD)"
        if problem:
            raise ValueError(f"{problem}: {value!r}")
        return value


class FactIn(BaseModel):
    """One fact in the import layout (the columns of ev_facts.csv)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "required": list(REQUIRED_COLUMNS),
            "examples": [{
                "entity": "Xiaomi", "metric": "deliveries", "period_start": "2025-10-01",
                "period_end": "2025-10-31", "value": 40000, "unit": "vehicles", "qualifier": "over",
                "source_url": "https://example.com/xiaomi-october", "published": "2025-11-01",
            }],
        },
    )

    entity: Optional[str] = Field(None, description="Entity name (see GET /api/entities).")
    metric: Optional[str] = Field(None, description="Metric name: deliveries, sales, delivery_target, market_share, …")
    period_start: Optional[str] = Field(None, description="First day, YYYY-MM-DD.")
    period_end: Optional[str] = Field(None, description="Last day, YYYY-MM-DD (inclusive).")
    value: Optional[float | str] = Field(None, description="The number.")
    unit: Optional[str] = Field(None, description="vehicles, percent, USD, …")
    qualifier: Optional[str] = Field(None, description="exact (default), about, over, at_least, below, at_most, almost.")
    market: Optional[str] = Field(None, description="For market_share: the market entity.")
    source_url: Optional[str] = Field(None, description="Where the figure was published.")
    published: Optional[str] = Field(None, description="Publication date: YYYY-MM-DD, YYYY-MM or YYYY.")
    note: Optional[str] = Field(None, description="Anything a reader should know.")


def _today(d: dt.date | None) -> dt.date:
    return d or dt.date.today()


def add_fact_rows(rows: list[dict[str, Any]], token: str | None, request: Request) -> dict[str, Any]:
    """Check the token, then add the facts through the store's one write path (all or nothing)."""
    ctx = web(request)
    check_token(ctx.write_token, token)
    with ctx.access.write() as store:
        result = store.add_facts(rows, source="web")
    return result.to_dict()


@router.post(
    "/facts",
    status_code=201,
    summary="Add a fact (token required)",
    responses=WRITE_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {
                "oneOf": [{"$ref": "#/components/schemas/FactIn"},
                          {"type": "array", "items": {"$ref": "#/components/schemas/FactIn"}}],
            }}},
        },
    },
)
async def post_facts(request: Request) -> Any:
    """Add one fact (an object in the import layout) or several (a list); all or nothing.

    201 when something was added, 200 when every fact was already stored.

    Needs `Authorization: Bearer TOKEN` with the operator's REDLINE_WRITE_TOKEN:
    without it the answer is 401 and nothing is written. A revised figure is a
    new version of its key; a fact already stored is counted in `duplicates`.
    Every bad field is reported in `issues` (HTTP 422).

    Example: `curl -H "Authorization: Bearer $TOKEN" -d @fact.json http://127.0.0.1:8000/api/facts`
    """
    ctx = web(request)
    token = bearer_token(request.headers.get("authorization"))
    check_token(ctx.write_token, token)
    raw = await request.body()
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest([issue("body", "bad_format", "the body is not JSON: send one fact object or a list of them")]) from None
    except RecursionError:
        raise BadRequest([issue("body", "bad_format", "the body nests too deeply: send one fact object or a list of "
                                "them")]) from None
    items = payload if isinstance(payload, list) else [payload]
    if not items or not all(isinstance(i, dict) for i in items):
        raise BadRequest([issue("body", "bad_format", "send one fact object (or a list of them) in the import layout")])
    issues = []
    rows = []
    for n, item in enumerate(items, start=1):
        try:
            rows.append(FactIn.model_validate(item).model_dump(exclude_none=True))
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "body"
                reason = "unknown_field" if err["type"] == "extra_forbidden" else "bad_format"
                message = (f"unknown field; the import layout has {', '.join(FACT_COLUMNS)}"
                           if reason == "unknown_field" else err["msg"])
                issues.append({**issue(field, reason, message), **({"record": n} if len(items) > 1 else {})})
    for n, row in enumerate(rows, start=1):
        for field, value in row.items():
            if isinstance(value, str) and (problem := unicode_problem(value)):
                issues.append({**issue(field, "bad_format", problem), **({"record": n} if len(items) > 1 else {})})
    if issues:
        raise BadRequest(issues)
    from starlette.concurrency import run_in_threadpool

    result = await run_in_threadpool(add_fact_rows, rows, token, request)
    return JSONResponse(result, status_code=201 if result["added"] else 200)


def facts_table(
    request: Request,
    *,
    entity: str | None,
    metric: str | None,
    period: str | None,
    as_of: str | None,
    all_versions: bool,
    limit: int,
) -> list[dict[str, Any]]:
    """Facts matching the filters, each with ``versions``: how many versions its figure has."""
    when = parse_date(as_of, field="as_of")
    span = parse_period(period)
    with web(request).access.read() as store:
        ent = store.entity(entity).name if entity else None
        met = store.metric(metric).name if metric else None
        rows = store.facts(entity=ent, metric=met, period=span, as_of=when, latest_only=not all_versions, limit=limit)
        counts = store.version_counts(rows, as_of=when)
    return [{**f.to_dict(), "versions": counts.get(f.key, 1)} for f in rows]


FACT_CSV_COLUMNS = ("id", *FACT_COLUMNS, "known_from", "recorded_at", "versions")


def facts_download(rows: list[dict[str, Any]], fmt: str) -> Response:
    """Facts as a CSV download (cells safe to open in a spreadsheet) or a JSON one."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=FACT_CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
        return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="facts.csv"'})
    return JSONResponse(rows, headers={"Content-Disposition": 'attachment; filename="facts.json"'})


@router.get("/facts", summary="List facts (JSON or CSV)", responses={200: {
    "description": "The facts: a JSON list, or with format=csv a CSV download (formula cells neutralised).",
    "content": {"application/json": {}, "text/csv": {"schema": {"type": "string"}}},
}})
def get_facts(
    request: Request,
    entity: Optional[str] = Query(None, description="Entity name or alias."),
    metric: Optional[str] = Query(None, description="Metric name."),
    period: Optional[str] = Query(None, description="Keep facts overlapping this period: 2025, 2025-Q3, 2025-01..2025-10."),
    as_of: Optional[str] = Query(None, description="See only facts published by this date (YYYY-MM-DD)."),
    all_versions: bool = Query(False, description="Every version, not only the latest of each figure."),
    limit: int = Query(1000, ge=1, le=100_000, description="Most rows."),
    format: Literal["json", "csv"] = Query("json", description="json (a list) or csv (a download)."),
    download: bool = Query(False, description="Send as a file download (Content-Disposition)."),
) -> Any:
    """Facts with their sources; each has `versions`, the number of versions of its figure.

    Example: `GET /api/facts?entity=Xiaomi&metric=delivery_target&all_versions=true`
    """
    rows = facts_table(request, entity=entity, metric=metric, period=period, as_of=as_of,
                       all_versions=all_versions, limit=limit)
    if format == "csv" or download:
        return facts_download(rows, format)
    return rows


@router.get("/facts/{fact_id}", summary="One fact and every version of its figure")
def get_fact(request: Request, fact_id: int) -> dict[str, Any]:
    """The fact, and every version of the same figure (entity, metric, period, market), oldest first;
    a withdrawn one has `retracted` (its reason and when), the others `retracted: null`."""
    with web(request).access.read() as store:
        fact = store.fact(fact_id)
        versions = store.versions(fact.entity, fact.metric, fact.period, fact.market)
        retracted = store.retractions([v.id for v in versions] + [fact.id])
    return {"fact": {**fact.to_dict(), "retracted": retracted.get(fact.id)},
            "versions": [{**v.to_dict(), "retracted": retracted.get(v.id)} for v in versions]}


class RetractIn(BaseModel):
    """Why a fact is withdrawn."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000, description="Why the fact is withdrawn; kept with it.",
                        examples=["typo: the source says 40,000"])


def retract_fact(request: Request, fact_id: int, reason: str, token: str | None) -> dict[str, Any]:
    """Check the token, then record the retraction through the store's one write path."""
    ctx = web(request)
    check_token(ctx.write_token, token)
    with ctx.access.write() as store:
        return store.retract(fact_id, reason=reason)


@router.post("/facts/{fact_id}/retract", summary="Withdraw a fact (token required)", responses=WRITE_RESPONSES)
def post_retract(request: Request, fact_id: int, body: RetractIn) -> dict[str, Any]:
    """Withdraw a wrong fact: its row is kept (`GET /api/facts/{id}` shows it with the retraction),
    but no list, analysis, audit or brief reads it any more. Needs `Authorization: Bearer TOKEN`.

    Example: `curl -H "Authorization: Bearer $TOKEN" -d '{"reason": "typo"}' http://127.0.0.1:8000/api/facts/412/retract`
    """
    return retract_fact(request, fact_id, body.reason, bearer_token(request.headers.get("authorization")))


@router.get("/entities", summary="Entities the store knows")
def get_entities(request: Request) -> list[dict[str, Any]]:
    """Every entity with its kind, parent and aliases."""
    with web(request).access.read() as store:
        entities = list(store.entities().values())
    return [{"name": e.name, "kind": e.kind, "parent": e.parent, "aliases": list(e.aliases), "note": e.note}
            for e in entities]


@router.get("/metrics", summary="Metrics the store knows")
def get_metrics(request: Request) -> list[dict[str, Any]]:
    """Every metric with its unit, aggregation and aliases."""
    with web(request).access.read() as store:
        metrics = list(store.metrics().values())
    return [{"name": m.name, "unit": m.unit, "aggregation": m.aggregation, "aliases": list(m.aliases),
             "description": m.description} for m in metrics]


@router.get("/value", summary="A metric's value for an entity and period")
def get_value(
    request: Request,
    entity: str = Query(..., description="Entity name or alias.", examples=["Xiaomi"]),
    metric: str = Query(..., description="Metric.", examples=["deliveries"]),
    period: str = Query(..., description="Period: 2025, 2025-Q3, 2025-10, 2025-01..2025-10.", examples=["2025-Q3"]),
    as_of: Optional[str] = Query(None, description="As known on this date (YYYY-MM-DD)."),
    market: Optional[str] = Query(None, description="For market_share: the market."),
) -> dict[str, Any]:
    """`analytics.value`: a direct figure, or a rollup of finer ones, with its facts.

    Example: `GET /api/value?entity=Xiaomi&metric=deliveries&period=2025-Q3`
    """
    span, when = require_period(period), parse_date(as_of, field="as_of")
    with web(request).access.read() as store:
        return analytics.value(store, entity, metric, span, as_of=when, market=market).to_dict()


@router.get("/growth", summary="Growth of a metric")
def get_growth(
    request: Request,
    entity: str = Query(..., examples=["Xiaomi"]),
    metric: str = Query(..., examples=["deliveries"]),
    period: str = Query(..., examples=["2025-Q3"]),
    vs: Literal["yoy", "qoq", "mom", "ytd"] = Query("yoy", description="yoy, qoq, mom or ytd."),
    as_of: Optional[str] = Query(None, description="As known on this date (YYYY-MM-DD)."),
) -> dict[str, Any]:
    """`analytics.growth`: the change against a base period, an interval when figures are bounds.

    Example: `GET /api/growth?entity=Xiaomi&metric=deliveries&period=2025-Q3&vs=yoy`
    """
    span, when = require_period(period), parse_date(as_of, field="as_of")
    with web(request).access.read() as store:
        return analytics.growth(store, entity, metric, span, vs=vs, as_of=when).to_dict()


@router.get("/pace", summary="Pace to the annual delivery target")
def get_pace(
    request: Request,
    entity: str = Query(..., examples=["Xiaomi"]),
    year: Optional[int] = Query(None, description="Target year (default: the year of as_of)."),
    as_of: Optional[str] = Query(None, description="As known on this date (default today)."),
) -> dict[str, Any]:
    """`analytics.pace`: the target as known on a date, its revisions, and the monthly rate needed.

    Example: `GET /api/pace?entity=Xiaomi&year=2025&as_of=2025-11-25`
    """
    when = _today(parse_date(as_of, field="as_of"))
    with web(request).access.read() as store:
        return analytics.pace(store, entity, year=year, as_of=when).to_dict()


@router.get("/share", summary="Market share")
def get_share(
    request: Request,
    entity: str = Query(..., examples=["Tesla China"]),
    period: str = Query(..., examples=["2025-10"]),
    market: Optional[str] = Query(None, examples=["China NEV market"]),
    as_of: Optional[str] = Query(None),
) -> dict[str, Any]:
    """`analytics.share`: a stated share, or the entity's volume over the market's."""
    span, when = require_period(period), parse_date(as_of, field="as_of")
    with web(request).access.read() as store:
        return analytics.share(store, entity, span, market=market, as_of=when).to_dict()


def _check_size(text: str, limit: int) -> None:
    """An article over REDLINE_MAX_UPLOAD_BYTES is a 413, however it was wrapped."""
    if len(text.encode("utf-8")) > limit:
        raise TooLarge(f"the article is larger than the limit of {limit:,} bytes; send a shorter one, or ask the "
                       "operator to raise REDLINE_MAX_UPLOAD_BYTES")


@router.post("/extract", summary="Claims in a text")
def post_extract(request: Request, body: TextIn) -> Any:
    """`redline.claims.extract.extract_document`: every quantitative claim with its offsets, entity, metric,
    period and value; the JSON of `redline extract --json` (see redline/schemas/extraction.schema.json).

    Example: `curl -d '{"text": "Xiaomi delivered 108,796 cars in Q3 2025.", "date": "2025-11-25"}'
    -H 'Content-Type: application/json' http://127.0.0.1:8000/api/extract`
    """
    from ..claims.document import Document, read_document
    from ..claims.extract import extract_document
    from ..claims.gazetteer import Gazetteer

    ctx = web(request)
    _check_size(body.text, ctx.max_upload_bytes)
    snapshot = ctx.access.snapshot()

    def work() -> dict[str, Any]:
        if body.format == "html":
            doc = read_document(body.text.encode("utf-8"), name="article.html")
        else:
            doc = Document(text=body.text, name="<request>")
        result = extract_document(doc, gazetteer=Gazetteer.of(snapshot), date=body.date)
        check_claims(len(result.claims), ctx.budget.max_claims)
        return result.model_dump(mode="json")

    return JSONResponse(run_within(ctx.budget, work, inline=not ctx.budget.worker_for(body.text)))


@router.post("/audit", summary="Audit a text against the store")
def post_audit(request: Request, body: TextIn) -> Any:
    """`redline.claims.audit.audit`: each claim with its verdict, reasons, evidence and explanation.

    The answer is the JSON of `redline audit --json` (see redline/schemas/audit.schema.json).
    Nothing is stored. An audit stops after REDLINE_AUDIT_SECONDS (422 `over_budget`) and checks at most
    REDLINE_AUDIT_MAX_CLAIMS claims (422 `too_many_claims`). Example:
    `curl -d '{"text": "...", "date": "2025-11-25"}' -H 'Content-Type: application/json' http://127.0.0.1:8000/api/audit`
    """
    from ..claims.audit import audit, audit_file

    ctx = web(request)
    _check_size(body.text, ctx.max_upload_bytes)
    snapshot = ctx.access.snapshot()

    def work() -> dict[str, Any]:
        if body.format == "html":
            report = audit_file(body.text.encode("utf-8"), name="article.html", date=body.date, snapshot=snapshot,
                                max_claims=ctx.budget.max_claims)
        else:
            report = audit(body.text, date=body.date, snapshot=snapshot, max_claims=ctx.budget.max_claims)
        return report.to_dict()

    # bounded: a worker process, killed at the budget (REDLINE_AUDIT_SECONDS), so no request holds a core
    inline = not ctx.budget.worker_for(body.text)
    return JSONResponse(run_within(ctx.budget, work, inline=inline))  # already JSON: skip FastAPI's re-encoding


@router.get("/brief", summary="A data-backed brief on an entity")
def get_brief(
    request: Request,
    entity: str = Query(..., examples=["Xiaomi"]),
    as_of: Optional[str] = Query(None, description="As known on this date (default today)."),
    peers: list[str] = Query([], description="Peers to compare with: repeat the parameter, or separate names "
                             "with commas as the CLI's --peers does (peers=BYD,NIO)."),
) -> dict[str, Any]:
    """`redline.brief.write_brief`: the brief as Markdown and as self-contained HTML (inline SVG charts)."""
    when = _today(parse_date(as_of, field="as_of"))
    access = web(request).access
    name = access.snapshot().entity(entity).name
    brief = brief_of(access, name, when, tuple(peers))
    return {**brief.to_dict(), "markdown": brief.markdown, "html": brief.html}


MAX_PEERS = 6
"""Most peers one brief compares with: each distinct set costs a new brief (about a second)."""


def brief_of(access: StoreAccess, entity: str, as_of: dt.date, peers: tuple[str, ...]) -> Any:
    """`write_brief` (charts as SVG, no PNG), kept until the store changes: a brief takes about a second."""
    from ..brief import write_brief

    peers = tuple(split_peers(peers))
    if len(peers) > MAX_PEERS:
        raise BadRequest([issue("peers", "too_many", f"at most {MAX_PEERS} peers, not {len(peers)}")])

    def build() -> Any:
        with access.read() as store:
            return write_brief(store, entity, as_of=as_of, peers=peers, png=False)

    return access.remember(("brief", entity, as_of, peers), build)
