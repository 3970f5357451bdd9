"""Audit reports rendered for people: a redlined HTML document, Markdown, and a terminal view.

The article is untrusted text: every character of it is escaped before it is
placed in HTML or Markdown, so a passage with ``<script>`` shows as text.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..markup import is_web_url, md_source, md_text
from .fixes import suggest_fix
from .verify import Verdict

if TYPE_CHECKING:
    from .audit import AuditReport

__all__ = ["render_html", "render_markdown", "render_terminal", "VERDICT_COLOURS", "marked_spans"]

VERDICT_COLOURS = {
    "supported": "#1a7f37",
    "misleading": "#b35900",
    "contradicted": "#cf222e",
    "unverifiable": "#6e7781",
}
VERDICT_BACKGROUNDS = {
    "supported": "#dafbe1",
    "misleading": "#fff1c2",
    "contradicted": "#ffd8d3",
    "unverifiable": "#eaeef2",
}

CSS = """
.redline { font: 16px/1.55 Georgia, 'Times New Roman', serif; max-width: 46rem; color: #1f2328; }
.redline .summary { font: 14px/1.4 system-ui, sans-serif; margin: 0 0 1rem; display: flex; gap: .5rem; flex-wrap: wrap; }
.redline .summary span { padding: .15rem .5rem; border-radius: 1rem; }
.redline mark.claim { padding: 0 .1em; border-radius: 3px; border-bottom: 2px solid; cursor: help; }
.redline mark.claim sup { font: 11px system-ui, sans-serif; margin-left: 1px; }
.redline ol.notes { font: 14px/1.45 system-ui, sans-serif; border-top: 1px solid #d0d7de; padding-top: .75rem; }
.redline ol.notes li { margin-bottom: .6rem; }
.redline .verdict { font-weight: 600; text-transform: uppercase; font-size: 12px; letter-spacing: .03em; }
.redline .evidence { color: #57606a; font-size: 13px; }
.redline .evidence a { color: #0969da; word-break: break-all; }
""" + "\n".join(
    f".redline .v-{v} {{ background: {VERDICT_BACKGROUNDS[v]}; border-color: {c}; }}\n"
    f".redline .verdict.v-{v} {{ color: {c}; background: none; }}"
    for v, c in VERDICT_COLOURS.items()
)


def marked_spans(items: tuple[Verdict, ...]) -> list[tuple[int, Verdict]]:
    """The claims to mark in the text, in order, without overlaps (the first of overlapping claims wins)."""
    out: list[tuple[int, Verdict]] = []
    last_end = -1
    for number, item in sorted(enumerate(items, start=1), key=lambda t: (t[1].claim.start, -t[1].claim.end)):
        if item.claim.start >= last_end:
            out.append((number, item))
            last_end = item.claim.end
    return out


def _note_html(number: int, item: Verdict) -> str:
    e = html.escape
    parts = [
        f'<li id="note-{e(item.claim.id)}" value="{number}">',
        f'<span class="verdict v-{e(item.verdict)}">{e(item.verdict)}</span> ',
        f"<q>{e(item.claim.text)}</q> — {e(item.explanation)}",
    ]
    lines = []
    for ev in item.evidence:
        bits = [e(ev.description)]
        if ev.computation:
            bits.append(e(ev.computation))
        for f in ev.facts:
            url = f.source_url or ""
            link = (f'<a href="{e(url, quote=True)}" rel="noopener noreferrer nofollow">{e(url)}</a>'
                    if is_web_url(url) else e(url))
            bits.append(f"{e(f.entity)} {e(f.metric)} {e(str(f.period))}: {e(f.describe_value())} ({link})")
        lines.append("; ".join(bits))
    if lines:
        parts.append('<div class="evidence">' + "<br>".join(lines) + "</div>")
    parts.append(f'<div class="evidence">reasons: {e(", ".join(r.value for r in item.reasons))}</div>')
    fix = suggest_fix(item)
    if fix is not None:
        parts.append(f'<div class="fix">fix: {e(fix.instruction)}</div>')
    parts.append("</li>")
    return "".join(parts)


def render_html(report: "AuditReport", *, standalone: bool = True) -> str:
    """The redlined article: claims marked in their verdict's colour, numbered notes with evidence."""
    e = html.escape
    text = report.text
    body: list[str] = []
    cursor = 0
    for number, item in marked_spans(report.items):
        c = item.claim
        body.append(e(text[cursor:c.start]))
        body.append(
            f'<mark class="claim v-{e(item.verdict)}" id="claim-{e(c.id)}" data-verdict="{e(item.verdict)}" '
            f'data-note="note-{e(c.id)}" title="{e(item.verdict + ": " + item.explanation, quote=True)}">'
            f'{e(text[c.start:c.end])}<sup><a href="#note-{e(c.id)}">{number}</a></sup></mark>'
        )
        cursor = c.end
    body.append(e(text[cursor:]))
    paragraphs = "".join(f"<p>{p}</p>" for p in "".join(body).split("\n") if p.strip())
    summary = report.summary
    chips = "".join(
        f'<span class="v-{v}">{summary[v]} {v}</span>' for v in ("supported", "misleading", "contradicted", "unverifiable")
    )
    warnings = "".join(f'<p class="evidence">⚠ {e(w)}</p>' for w in report.warnings)
    notes = "".join(_note_html(n, item) for n, item in enumerate(report.items, start=1))
    fragment = (
        f'<div class="redline"><div class="summary"><strong>{_claims(summary["claims"])}</strong> '
        f'as of {e(report.date.isoformat())}: {chips}</div>{warnings}'
        f'<article>{paragraphs}</article><ol class="notes">{notes}</ol></div>'
    )
    if not standalone:
        return f"<style>{CSS}</style>{fragment}"
    title = e(report.title or "redline audit")
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>"
        f"<style>body{{margin:2rem auto;max-width:48rem;padding:0 1rem}}{CSS}</style></head>"
        f"<body><h1 style=\"font:600 20px system-ui,sans-serif\">{title}</h1>{fragment}</body></html>"
    )


def _claims(n: int) -> str:
    return f"{n} claim" if n == 1 else f"{n} claims"


def _md_lines(text: str) -> str:
    """Article text as literal Markdown, keeping its line breaks."""
    return "\n".join(md_text(line) for line in text.split("\n"))


def render_markdown(report: "AuditReport") -> str:
    """A redlined Markdown document: each claim in bold with a numbered footnote."""
    text = report.text
    parts: list[str] = []
    cursor = 0
    for number, item in marked_spans(report.items):
        c = item.claim
        parts.append(_md_lines(text[cursor:c.start]))
        parts.append(f"**{_md_lines(text[c.start:c.end])}**[^{number}]")
        cursor = c.end
    parts.append(_md_lines(text[cursor:]))
    s = report.summary
    lines = [
        f"# {md_text(report.title or 'redline audit')}",
        "",
        f"{_claims(s['claims'])} as of {report.date.isoformat()}: {s['supported']} supported, {s['misleading']} misleading, "
        f"{s['contradicted']} contradicted, {s['unverifiable']} unverifiable.",
        "",
    ]
    lines += [f"> ⚠ {md_text(w)}" for w in report.warnings]
    body = "".join(parts)
    lines += [p + "\n" for p in body.split("\n") if p.strip()]
    for number, item in enumerate(report.items, start=1):
        sources = sorted({f.source_url for ev in item.evidence for f in ev.facts if f.source_url})
        src = (" Sources: " + ", ".join(md_source(u) for u in sources)) if sources else ""
        fix = suggest_fix(item)
        fixed = f" **Fix:** {md_text(fix.instruction)}" if fix is not None else ""
        lines.append(f"[^{number}]: **{item.verdict}** — “{md_text(item.claim.text)}”: {md_text(item.explanation)}{src}{fixed}")
    return "\n".join(lines) + "\n"


def render_terminal(report: "AuditReport", console: object, *, show_text: bool = False) -> None:
    """A table of verdicts (Rich); with ``show_text``, first the article with its claims coloured by verdict."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    styles = {"supported": "bold green", "misleading": "bold yellow", "contradicted": "bold red", "unverifiable": "dim"}
    if show_text:
        text = Text(report.text)
        for number, item in marked_spans(report.items):
            text.stylize(styles[item.verdict] + " underline", item.claim.start, item.claim.end)
        console.print(text)  # type: ignore[attr-defined]
    for w in report.warnings:
        console.print(f"[yellow]warning:[/] {escape(w)}", highlight=False)  # type: ignore[attr-defined]
    table = Table("#", "claim", "verdict", "why", show_lines=True)
    for number, item in enumerate(report.items, start=1):
        table.add_row(str(number), Text(item.claim.text), Text(item.verdict, style=styles[item.verdict]), Text(item.explanation))
    console.print(table)  # type: ignore[attr-defined]
    for number, item in enumerate(report.items, start=1):
        fix = suggest_fix(item)
        if fix is not None:
            console.print(f"fix {number}: {fix.instruction}", markup=False, highlight=False, soft_wrap=True)  # type: ignore[attr-defined]
    s = report.summary
    console.print(  # type: ignore[attr-defined]
        f"{_claims(s['claims'])}: [green]{s['supported']} supported[/], [yellow]{s['misleading']} misleading[/], "
        f"[red]{s['contradicted']} contradicted[/], {s['unverifiable']} unverifiable"
    )
