"""What a corpus audit found, per outlet and per maker, as Markdown and HTML with charts.

Every figure is a DuckDB query over the results folder of ``redline audit-batch``
(Parquet or JSONL): claims checked and the share flagged (contradicted or
misleading) per outlet and per maker, and the wrong figures repeated across
outlets (the same contradicted number for the same entity, metric and period
in articles of several outlets). Outlets, names and quotes come from articles,
so they are escaped wherever shown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..markup import md_text
from .output import read_results

__all__ = ["Report", "build_report", "write_report", "FLAGGED"]

FLAGGED = ("contradicted", "misleading")
"""Verdicts a report counts as flagged."""

TOP = 25  # rows per table

_BY = """
SELECT {key} AS name, count(*) AS claims, count(DISTINCT article_id) AS articles,
       count(*) FILTER (WHERE verdict IN ('contradicted', 'misleading')) AS flagged,
       count(*) FILTER (WHERE verdict = 'contradicted') AS contradicted,
       count(*) FILTER (WHERE verdict = 'supported') AS supported
FROM {claims} WHERE {key} IS NOT NULL
GROUP BY 1 ORDER BY claims DESC, name LIMIT {top}
"""

_REPEATED = """
SELECT entity, metric, period_start, period_end, value, any_value(quote ORDER BY article_id) AS quote,
       count(DISTINCT outlet) AS outlets, count(DISTINCT article_id) AS articles,
       list(DISTINCT outlet ORDER BY outlet) AS outlet_names, min(published) AS first_seen
FROM {claims}
WHERE verdict = 'contradicted' AND entity IS NOT NULL
GROUP BY ALL HAVING count(DISTINCT outlet) >= 2
ORDER BY outlets DESC, articles DESC, entity, metric, period_start LIMIT {top}
"""

_TOTALS = """
SELECT count(*) AS articles, count(*) FILTER (WHERE error IS NOT NULL) AS errors,
       coalesce(sum(claims), 0) AS claims, coalesce(sum(contradicted) + sum(misleading), 0) AS flagged,
       min(published) AS first, max(published) AS last
FROM {articles}
"""


@dataclass(frozen=True)
class Report:
    totals: dict[str, Any]
    outlets: list[dict[str, Any]]
    makers: list[dict[str, Any]]
    repeated: list[dict[str, Any]]
    files: list[Path] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        def clean(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows]

        return {"totals": clean([self.totals])[0], "outlets": clean(self.outlets), "makers": clean(self.makers),
                "repeated_wrong_figures": clean(self.repeated), "files": [str(p) for p in self.files]}


def _rows(con: Any, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    out = []
    for r in cur.fetchall():
        row = dict(zip(names, r))
        if "claims" in row and "flagged" in row:
            row["share_flagged"] = round(row["flagged"] / row["claims"], 4) if row["claims"] else 0.0
        out.append(row)
    return out


def build_report(results: str | Path) -> Report:
    """Query a results folder (no files written)."""
    import duckdb

    if not Path(results).is_dir():
        raise InputError(f"{results}: not a folder of batch results (write one with `redline audit-batch --out`)")
    claims, articles = read_results(results, "claims"), read_results(results, "articles")
    con = duckdb.connect()
    totals = _rows(con, _TOTALS.format(articles=articles))[0]
    return Report(
        totals=totals,
        outlets=_rows(con, _BY.format(key="outlet", claims=claims, top=TOP)),
        makers=_rows(con, _BY.format(key="entity", claims=claims, top=TOP)),
        repeated=_rows(con, _REPEATED.format(claims=claims, top=TOP)),
    )


def _chart(rows: list[dict[str, Any]], title: str) -> str:
    """A bar chart of the share flagged (SVG, rendered offline)."""
    import vl_convert as vlc

    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title, "width": 480, "height": {"step": 18},
        "data": {"values": [{"name": r["name"], "share": r["share_flagged"], "claims": r["claims"]} for r in rows]},
        "mark": {"type": "bar", "color": "#d1495b"},
        "encoding": {
            "y": {"field": "name", "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "share", "type": "quantitative", "axis": {"format": "%"}, "title": "share of claims flagged"},
            "tooltip": [{"field": "name"}, {"field": "claims"}, {"field": "share", "format": ".1%"}],
        },
        "config": {"font": "Helvetica, Arial, sans-serif"},
    }
    return str(vlc.vegalite_to_svg(spec))


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _value(v: float | None) -> str:
    return "" if v is None else (f"{v:,.0f}" if v == int(v) else f"{v:,g}")


def _markdown(rep: Report) -> str:
    t = rep.totals
    lines = ["# Corpus audit report", "",
             f"{t['articles']:,} articles ({t['errors']:,} with errors) published {t['first'] or '?'} to "
             f"{t['last'] or '?'}; {t['claims']:,} claims checked, {t['flagged']:,} flagged "
             f"(contradicted or misleading).", ""]
    for heading, rows, label in (("By outlet", rep.outlets, "Outlet"), ("By maker", rep.makers, "Maker")):
        lines += [f"## {heading}", "", f"![{heading}]({heading.lower().replace(' ', '-')}.svg)", "",
                  f"| {label} | Articles | Claims | Flagged | Share flagged | Contradicted |", "|---|---:|---:|---:|---:|---:|"]
        lines += [f"| {md_text(r['name'])} | {r['articles']:,} | {r['claims']:,} | {r['flagged']:,} | "
                  f"{_pct(r['share_flagged'])} | {r['contradicted']:,} |" for r in rows]
        lines.append("")
    lines += ["## Wrong figures repeated across outlets", ""]
    if not rep.repeated:
        lines += ["No contradicted figure appears in articles of two or more outlets.", ""]
    else:
        lines += ["| Entity | Metric | Period | Figure | Outlets | Articles | First seen |", "|---|---|---|---:|---:|---:|---|"]
        lines += [f"| {md_text(r['entity'])} | {md_text(r['metric'] or '')} | {r['period_start'] or ''}..{r['period_end'] or ''} | "
                  f"{md_text(r['quote'] or _value(r['value']))} | {r['outlets']} ({md_text(', '.join(r['outlet_names']))}) | "
                  f"{r['articles']} | {r['first_seen'] or ''} |" for r in rep.repeated]
        lines.append("")
    return "\n".join(lines)


def _html(rep: Report, charts: dict[str, str]) -> str:
    e = html.escape
    t = rep.totals
    parts = ["<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Corpus audit report</title>",
             "<style>body{font-family:Helvetica,Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
             "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left}"
             "td.n{text-align:right}</style></head><body><h1>Corpus audit report</h1>",
             f"<p>{t['articles']:,} articles ({t['errors']:,} with errors) published {e(str(t['first'] or '?'))} to "
             f"{e(str(t['last'] or '?'))}; {t['claims']:,} claims checked, {t['flagged']:,} flagged (contradicted or misleading).</p>"]
    for heading, rows, label in (("By outlet", rep.outlets, "Outlet"), ("By maker", rep.makers, "Maker")):
        parts.append(f"<h2>{heading}</h2><figure>{charts.get(heading, '')}</figure><table><tr><th>{label}</th>"
                     "<th>Articles</th><th>Claims</th><th>Flagged</th><th>Share flagged</th><th>Contradicted</th></tr>")
        parts += [f"<tr><td>{e(r['name'])}</td><td class=n>{r['articles']:,}</td><td class=n>{r['claims']:,}</td>"
                  f"<td class=n>{r['flagged']:,}</td><td class=n>{_pct(r['share_flagged'])}</td>"
                  f"<td class=n>{r['contradicted']:,}</td></tr>" for r in rows]
        parts.append("</table>")
    parts.append("<h2>Wrong figures repeated across outlets</h2>")
    if not rep.repeated:
        parts.append("<p>No contradicted figure appears in articles of two or more outlets.</p>")
    else:
        parts.append("<table><tr><th>Entity</th><th>Metric</th><th>Period</th><th>Figure</th><th>Outlets</th>"
                     "<th>Articles</th><th>First seen</th></tr>")
        parts += [f"<tr><td>{e(r['entity'])}</td><td>{e(r['metric'] or '')}</td>"
                  f"<td>{e(str(r['period_start'] or ''))}..{e(str(r['period_end'] or ''))}</td>"
                  f"<td>{e(r['quote'] or _value(r['value']))}</td><td>{r['outlets']} ({e(', '.join(r['outlet_names']))})</td>"
                  f"<td class=n>{r['articles']}</td><td>{e(str(r['first_seen'] or ''))}</td></tr>" for r in rep.repeated]
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(results: str | Path, out: str | Path) -> Report:
    """Write report.md, report.html and the charts' SVGs into ``out``."""
    rep = build_report(results)
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"--out {out}: is a file; give a folder for the report")
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = {"By outlet": _chart(rep.outlets, "Share of claims flagged, by outlet"),
              "By maker": _chart(rep.makers, "Share of claims flagged, by maker")}
    files = []
    for heading, svg in charts.items():
        path = out_dir / f"{heading.lower().replace(' ', '-')}.svg"
        path.write_text(svg, encoding="utf-8")
        files.append(path)
    for name, text in (("report.md", _markdown(rep)), ("report.html", _html(rep, charts))):
        (out_dir / name).write_text(text, encoding="utf-8")
        files.append(out_dir / name)
    return Report(rep.totals, rep.outlets, rep.makers, rep.repeated, files)
