"""One article in, its rows out: the pure function every batch engine calls.

``audit_record`` takes an article record (``id``, ``url``, ``published``,
``text`` or ``html``) and a fact snapshot, and returns one row per claim and
one row for the article. It never raises for a bad article: the article row
carries the error and the batch goes on. The local engine and Spark call this
very function, so their outputs are the same.

The columns are declared once here (``CLAIM_COLUMNS``, ``ARTICLE_COLUMNS``),
with their SQL types; writers and readers take them from here.
"""

from __future__ import annotations

from datetime import date as Date
from typing import Any
from urllib.parse import urlsplit

from ..claims.audit import VERDICTS, audit_claims
from ..claims.extract import extract
from ..claims.gazetteer import Gazetteer
from ..errors import RedlineError
from ..store.snapshot import Snapshot

__all__ = ["CLAIM_COLUMNS", "ARTICLE_COLUMNS", "audit_record", "outlet_of"]

CLAIM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("article_id", "VARCHAR"),
    ("url", "VARCHAR"),
    ("outlet", "VARCHAR"),
    ("published", "DATE"),
    ("month", "VARCHAR"),
    ("claim_id", "VARCHAR"),
    ("start_offset", "BIGINT"),
    ("end_offset", "BIGINT"),
    ("quote", "VARCHAR"),
    ("entity", "VARCHAR"),
    ("metric", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("period_start", "DATE"),
    ("period_end", "DATE"),
    ("value", "DOUBLE"),
    ("value_high", "DOUBLE"),
    ("unit", "VARCHAR"),
    ("qualifier", "VARCHAR"),
    ("verdict", "VARCHAR"),
    ("reasons", "VARCHAR[]"),
    ("explanation", "VARCHAR"),
    ("evidence_fact_ids", "BIGINT[]"),
)
"""One row per claim. ``value``/``value_high`` are the number written (both equal) or a range's ends."""

ARTICLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("article_id", "VARCHAR"),
    ("url", "VARCHAR"),
    ("outlet", "VARCHAR"),
    ("published", "DATE"),
    ("month", "VARCHAR"),
    ("title", "VARCHAR"),
    ("claims", "BIGINT"),
    *((v, "BIGINT") for v in VERDICTS),
    ("error", "VARCHAR"),
)
"""One row per article: its claim and verdict counts, or the error that stopped it (then no claim rows)."""

MAX_TEXT = 20_000_000
"""Largest article text audited (20 million characters); a longer one is an error row."""


def outlet_of(url: str | None) -> str | None:
    """The host of an article's URL, without ``www.``: the outlet reports group by."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else (host or None)


def _published(value: Any) -> Date | None:
    if value is None or value == "":
        return None
    if isinstance(value, Date):
        return value
    text = str(value).strip()
    try:
        return Date.fromisoformat(text[:10])
    except ValueError:
        raise RedlineError(f"published: not a date (YYYY-MM-DD): {text[:40]!r}") from None


def _article_row(rid: str, url: str | None, published: Date | None, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {name: None for name, _ in ARTICLE_COLUMNS}
    row.update(article_id=rid, url=url, outlet=outlet_of(url), published=published,
               month=published.strftime("%Y-%m") if published else "unknown", claims=0)
    row.update({v: 0 for v in VERDICTS})
    row.update(kw)
    return row


def audit_record(
    record: dict[str, Any], snapshot: Snapshot, /, *, as_of: Date | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Audit one article record; return (claim rows, article row). Never raises for a bad article.

    Relative periods resolve against the article's ``published`` date (or, for
    HTML without one, the page's own date). Facts are those known on that date,
    or on ``as_of`` when given (hindsight: what is known now about old articles).
    """
    rid = str(record.get("id") or "").strip()
    url = record.get("url") or None
    if record.get("error"):  # the reader could not make a record of it (a line that is not JSON)
        return [], _article_row(rid, url, None, error=str(record["error"]))
    try:
        published = _published(record.get("published"))
    except RedlineError as exc:
        return [], _article_row(rid, url, None, error=str(exc))
    if not rid:
        return [], _article_row(rid, url, published, error="id: missing; every article needs an id (resuming skips ids done)")
    title = record.get("title") or None
    try:
        text, html = record.get("text"), record.get("html")
        if html:
            from ..claims.document import read_document

            doc = read_document(html.encode("utf-8") if isinstance(html, str) else bytes(html), name=f"{rid}.html")
            text, title = doc.text, title or doc.title
            published = published or doc.date
        if not isinstance(text, str) or not text.strip():
            raise RedlineError("no text: give `text` or `html`")
        if len(text) > MAX_TEXT:
            raise RedlineError(f"text: {len(text):,} characters, over the {MAX_TEXT:,} audited")
        if published is None:
            raise RedlineError("published: missing; give the article's date (YYYY-MM-DD)")
        claims = extract(text, date=published, gazetteer=Gazetteer.of(snapshot))
        report = audit_claims(claims, source=snapshot, date=as_of or published, text=text)
    except RedlineError as exc:
        return [], _article_row(rid, url, published, title=title, error=str(exc).splitlines()[0])
    except Exception as exc:  # a bug on one article must not stop a corpus: record it, go on
        return [], _article_row(rid, url, published, title=title,
                                error=f"internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    base = {"article_id": rid, "url": url, "outlet": outlet_of(url), "published": published,
            "month": published.strftime("%Y-%m")}
    rows = []
    for item in report.items:
        c = item.claim
        low, high = (c.value if isinstance(c.value, list) else (c.value, c.value))
        rows.append({
            **base,
            "claim_id": c.id, "start_offset": c.start, "end_offset": c.end, "quote": c.text,
            "entity": c.entity, "metric": c.metric, "kind": c.kind,
            "period_start": c.period.start if c.period else None, "period_end": c.period.end if c.period else None,
            "value": float(low), "value_high": float(high), "unit": c.unit, "qualifier": c.qualifier,
            "verdict": item.verdict, "reasons": [r.value for r in item.reasons], "explanation": item.explanation,
            "evidence_fact_ids": sorted({f.id for e in item.evidence for f in e.facts}),
        })
    counts = report.summary
    return rows, _article_row(rid, url, published, title=title, claims=counts["claims"],
                              **{v: counts[v] for v in VERDICTS})
