"""redline as a Model Context Protocol server: a check that an AI writer calls on its draft before it publishes.

``build_server(db)`` returns an :class:`mcp.server.mcpserver.MCPServer` with
these tools, every one read-only:

==============  ==========================================================================
audit_text      the audit of a draft (the audit JSON Schema), with one sentence per claim
                that the writer can act on, and a suggested fix per flagged claim
lookup_value    a metric's value for a period, as known on a date, with its sources
growth          a metric's change against a base period
pace            pace to the annual delivery target, with the target's revisions
list_entities   the companies, brands, models and markets the store knows
brief           a data-backed brief on one entity (Markdown, with numbered notes)
==============  ==========================================================================

and the fact pack's sources as resources (``redline://sources``, one
``redline://facts/{id}`` per fact). ``redline mcp`` serves it on standard
input and output.

The server reads the store into memory (:class:`~redline.store.snapshot.Snapshot`)
through a read-only connection and holds no connection between calls; it
reloads when the store file changes. Nothing a tool does writes to the store.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, TextContent, ToolAnnotations

from . import analytics, settings
from .claims.audit import AuditReport, audit, audit_snapshot
from .claims.audit_schema import audit_schema
from .claims.fixes import advice, suggest_fix
from .errors import RedlineError
from .periods import Period, PeriodError
from .store import Store
from .store.snapshot import Snapshot

__all__ = ["build_server", "serve", "TOOLS"]

INSTRUCTIONS = (
    "redline checks the numbers in a draft about electric-vehicle makers against a fact store with sources. "
    "Call audit_text on a draft before publishing it, with the date it will carry: every number gets a verdict "
    "(supported, contradicted, misleading, unverifiable), one sentence to act on, and for a contradicted or "
    "misleading one a fix with its source. Use lookup_value, growth and pace to get a figure right before "
    "writing it; cite the source_url of the facts returned."
)

_READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)

T = TypeVar("T")


class _Facts:
    """The store's facts in memory, reloaded when the store file changes; no connection is held between calls."""

    def __init__(self, db: str | None) -> None:
        self.path = db or settings.default_db_path()
        self._lock = threading.Lock()
        self._stamp: object = None
        self._strict: Snapshot | None = None
        self._auditor: Snapshot | None = None
        if self.path != ":memory:" and not Path(self.path).exists():
            Store(self.path).close()  # created and loaded with the fact pack once, before any tool runs

    def _file_stamp(self) -> object:
        if self.path == ":memory:":
            return "memory"
        st = os.stat(self.path)
        return (st.st_mtime_ns, st.st_size)

    def _load(self) -> tuple[Snapshot, Snapshot]:
        with self._lock:
            stamp = self._file_stamp()
            if self._strict is None or self._auditor is None or stamp != self._stamp:
                store = Store(self.path, read_only=self.path != ":memory:")
                try:
                    self._strict = Snapshot.from_store(store)
                    self._auditor = audit_snapshot(store)
                finally:
                    store.close()
                self._stamp = stamp
            return self._strict, self._auditor

    @property
    def strict(self) -> Snapshot:
        """For as-of queries: a figure published "2025-11" is known from the month's end."""
        return self._load()[0]

    @property
    def auditor(self) -> Snapshot:
        """For audits: a figure published "2025-11" may be cited from the month's start."""
        return self._load()[1]


def _call(fn: Callable[[], T]) -> T:
    """Run a library call; a domain error becomes a tool error the agent can read (not a crash)."""
    try:
        return fn()
    except (RedlineError, PeriodError) as exc:
        raise ToolError(str(exc)) from None


def _date(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ToolError(f"{field}: not a date (YYYY-MM-DD): {text!r}") from None


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise ToolError(f"period: {exc}") from None


# -- the audit ----------------------------------------------------------------------------


def audit_output_schema() -> dict[str, Any]:
    """The audit JSON Schema, plus the sentence per claim that audit_text adds."""
    schema = audit_schema()
    schema["properties"]["advice"] = {
        "type": "array",
        "description": "One sentence per claim, in the order of the claims: keep it, fix it (with the source), or check it.",
        "items": {
            "type": "object",
            "properties": {"claim_id": {"type": "string"}, "verdict": {"type": "string"}, "sentence": {"type": "string"}},
            "required": ["claim_id", "verdict", "sentence"],
        },
    }
    schema["required"] = [*schema["required"], "advice"]
    return schema


def audit_result(report: AuditReport) -> CallToolResult:
    """The audit as a tool result: the audit JSON (structured) and the sentences to act on (text)."""
    data = report.to_dict()
    data["advice"] = [{"claim_id": i.claim.id, "verdict": i.verdict, "sentence": advice(i, suggest_fix(i))}
                      for i in report.items]
    s = report.summary
    head = (f"{s['claims']} claims as of {report.date.isoformat()}: {s['supported']} supported, "
            f"{s['contradicted']} contradicted, {s['misleading']} misleading, {s['unverifiable']} unverifiable.")
    lines = [head] + [f"{a['claim_id']} {a['verdict']}: {a['sentence']}" for a in data["advice"]]
    lines += [f"warning: {w}" for w in report.warnings]
    return CallToolResult(content=[TextContent(type="text", text="\n".join(lines))], structured_content=data)


@dataclass(frozen=True)
class _Spec:
    name: str
    fn: Callable[..., Any]
    title: str
    output_schema: dict[str, Any] | None = None


def _tools(facts: _Facts) -> list[_Spec]:
    limit = settings.get("max_upload_bytes")

    def audit_text(text: str, date: str, hindsight: bool = False) -> CallToolResult:
        """Audit a draft before publishing it: every number in it, checked against the fact store and the text's own arithmetic.

        text: the draft's plain text (Markdown is fine). date: the date it will carry (YYYY-MM-DD); relative
        periods ("last month", "this year") resolve against it, and claims are judged on what was known then.
        hindsight: judge on every fact known today instead (what the draft should say now).
        Returns the audit (verdict, reasons, evidence with sources, and a fix for every contradicted or misleading
        claim the store decides) and one sentence per claim to act on.
        """
        if len(text.encode("utf-8")) > limit:
            raise ToolError(f"text: {len(text.encode('utf-8')):,} bytes, over the limit of {limit:,} (REDLINE_MAX_UPLOAD_BYTES)")
        if not text.strip():
            raise ToolError("text: empty; give the draft's text")
        when = _date(date, "date")
        report = _call(lambda: audit(text, date=when, snapshot=facts.auditor, as_of=_today() if hindsight else None))
        return audit_result(report)

    def lookup_value(entity: str, metric: str, period: str, as_of: str | None = None,
                     market: str | None = None) -> dict[str, Any]:
        """The value of a metric for a period, from a direct fact or a sum of finer ones, with every fact's source.

        entity: a name or alias (Xiaomi, Tesla China, BYD). metric: deliveries, sales, delivery_target,
        market_share, … (see list_entities for entities). period: 2025, 2025-Q3, 2025-H1, 2025-10 or
        2025-01..2025-10. as_of: see only facts published by this date (YYYY-MM-DD). market: for market_share.
        """
        p, when = _period(period), _date(as_of, "as_of")
        return _call(lambda: analytics.value(facts.strict, entity, metric, p, as_of=when, market=market).to_dict())

    def growth(entity: str, metric: str, period: str, vs: str = "yoy", as_of: str | None = None) -> dict[str, Any]:
        """The change of a metric in a period against a base period, with both figures and their sources.

        vs: yoy (same period a year before), qoq, mom, or ytd (year to date against the same span a year before).
        """
        if vs not in ("yoy", "qoq", "mom", "ytd"):
            raise ToolError(f"vs: must be one of yoy, qoq, mom, ytd, not {vs!r}")
        p, when = _period(period), _date(as_of, "as_of")
        return _call(lambda: analytics.growth(facts.strict, entity, metric, p, vs=vs, as_of=when).to_dict())  # type: ignore[arg-type]

    def pace(entity: str, as_of: str, year: int | None = None) -> dict[str, Any]:
        """Pace to the annual delivery target as known on a date: the target, every revision of it, delivered so far,
        what remains and the monthly rate it needs.
        """
        when = _date(as_of, "as_of")
        return _call(lambda: analytics.pace(facts.strict, entity, year=year, as_of=when).to_dict())

    def list_entities() -> dict[str, Any]:
        """The entities the store knows (companies, brands, models, markets, products), with kind, parent and aliases,
        and the metrics it keeps."""
        snap = facts.strict
        return {
            "entities": [{"name": e.name, "kind": e.kind, "parent": e.parent, "aliases": list(e.aliases), "note": e.note}
                         for e in snap.entities().values()],
            "metrics": [{"name": m.name, "unit": m.unit, "description": m.description} for m in snap.metrics().values()],
        }

    def brief(entity: str, as_of: str, peers: list[str] | None = None) -> dict[str, Any]:
        """A data-backed brief on an entity as known on a date (trajectory, pace to target, peers, safety), in Markdown
        with numbered notes; every figure links to its facts and sources. Nothing is written to disk.

        peers: up to six other entities to compare with, e.g. ["Tesla China", "BYD"].
        """
        from .brief import write_brief

        when = _date(as_of, "as_of")
        b = _call(lambda: write_brief(facts.strict, entity, as_of=when, peers=peers or [], charts=False))
        data = {k: v for k, v in b.to_dict().items() if k not in ("files", "timings", "charts")}
        return {**data, "markdown": b.markdown}

    return [
        _Spec("audit_text", audit_text, "Audit a draft before publishing", audit_output_schema()),
        _Spec("lookup_value", lookup_value, "Look up a figure with its sources"),
        _Spec("growth", growth, "Growth against a base period"),
        _Spec("pace", pace, "Pace to the annual delivery target"),
        _Spec("list_entities", list_entities, "Entities and metrics on record"),
        _Spec("brief", brief, "Write a data-backed brief"),
    ]


def _today() -> date:
    return date.today()


TOOLS = ("audit_text", "lookup_value", "growth", "pace", "list_entities", "brief")


# -- resources ------------------------------------------------------------------------------


def _register_resources(server: MCPServer, facts: _Facts) -> None:
    @server.resource("redline://sources", name="sources", title="Sources of the fact store",
                     description="Every source URL on record, with the facts it backs.", mime_type="application/json")
    def sources() -> dict[str, Any]:
        by_url: dict[str, list[dict[str, Any]]] = {}
        for f in facts.strict.facts(latest_only=False):
            by_url.setdefault(f.source_url or "", []).append(
                {"id": f.id, "entity": f.entity, "metric": f.metric, "period": f.period.label(),
                 "value": f.describe_value(), "unit": f.unit, "published": f.published})
        return {"sources": [{"url": url or None, "facts": rows} for url, rows in sorted(by_url.items())]}

    @server.resource("redline://sources/notes", name="source-notes", title="Notes on the fact pack",
                     description="How the bundled fact pack was compiled: conventions, scopes and licences.",
                     mime_type="text/markdown")
    def source_notes() -> str:
        return (Path(__file__).parent / "data" / "SOURCES.md").read_text(encoding="utf-8")

    @server.resource("redline://facts/{fact_id}", name="fact", title="One fact with its source",
                     description="A fact by id (as in the 'facts' of any result), with its source URL.",
                     mime_type="application/json")
    def fact(fact_id: str) -> dict[str, Any]:
        for f in facts.strict.facts(latest_only=False):
            if str(f.id) == fact_id:
                return f.to_dict()
        raise ResourceNotFoundError(f"no fact with id {fact_id!r}; the ids are in the 'facts' of any result")


def build_server(db: str | None = None) -> MCPServer:
    """The MCP server over the store at ``db`` (default: the default store; ':memory:' for the bundled pack alone)."""
    facts = _Facts(db)
    tools = []
    for spec in _tools(facts):
        tool = Tool.from_function(spec.fn, name=spec.name, title=spec.title, annotations=_READ_ONLY)
        if spec.output_schema is not None:
            tool.fn_metadata.output_schema = spec.output_schema
        tools.append(tool)
    from . import __version__

    server = MCPServer("redline", title="redline: check the numbers before you publish", instructions=INSTRUCTIONS,
                       version=__version__, tools=tools)
    _register_resources(server, facts)
    return server


def serve(db: str | None = None) -> None:
    """Serve on standard input and output until the client closes them."""
    build_server(db).run("stdio")
