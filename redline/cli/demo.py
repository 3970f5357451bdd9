"""`redline demo`: the main job on the bundled data, end to end."""

from __future__ import annotations

from importlib import resources
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from .. import analytics
from ..errors import InputError, NotFound
from ..intervals import Interval
from ..periods import Period
from ._common import DbOption, JsonOption, console, open_store, parse_date, print_json, run

PEERS = ("Tesla China", "BYD", "NIO")


def sample_article() -> str:
    """The bundled example article (written for redline; its claims mix right, wrong and misframed figures)."""
    return (resources.files("redline") / "data" / "examples" / "sample-article.txt").read_text(encoding="utf-8")


def demo(
    entity: str = typer.Option("Xiaomi", "--entity", help="Entity to report on."),
    year: int = typer.Option(2025, "--year", help="Year of the report."),
    as_of: str = typer.Option("2025-11-25", "--as-of", help="Report as known on this date (YYYY-MM-DD)."),
    out: str = typer.Option("redline-demo", "--out", "-o", help="Directory for the brief (Markdown, HTML, charts)."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Run the main job on the bundled data: figures and pace, an audit of the example article, and a brief.

    1. the entity's quarterly deliveries (or sales, when it reports no deliveries) with growth
       on a year before, and pace to its annual delivery target when one is on record;
    2. an audit of the bundled example article (verdict per claim);
    3. a brief with charts written to --out, and its own audit (every claim should be supported).

    Example: redline demo --entity Xiaomi --as-of 2025-11-25 --out redline-demo
    """
    def go() -> None:
        from ..brief import write_brief
        from ..claims.audit import audit, audit_snapshot

        when = parse_date(as_of)
        assert when is not None
        with open_store(db) as store:
            name = store.entity(entity).name
            metric = analytics.volume_metric(store, name)  # deliveries, else sales (Tesla China reports sales)
            quarters = []
            for q in range(1, 5):
                p = Period.quarter(year, q)
                cur = analytics.try_value(store, name, metric, p, as_of=when) if p.end <= when else None
                if cur is None:
                    continue
                try:
                    yoy: Interval | None = analytics.growth(store, name, metric, p, vs="yoy", as_of=when).change_pct
                except (NotFound, InputError):
                    yoy = None  # no figure a year before, or a base of zero
                quarters.append((p, cur, yoy))
            try:
                pace: analytics.PaceResult | None = analytics.pace(store, name, year=year, as_of=when)
            except NotFound:
                pace = None  # no annual target on record: the rest of the demo still runs
            snapshot = audit_snapshot(store)
            article = audit(sample_article(), date=when, snapshot=snapshot)
            peers = [p for p in PEERS if p != name]
            brief = write_brief(store, name, as_of=when, peers=peers, out_dir=out)
            self_audit = audit(brief.markdown, date=when, snapshot=snapshot)
        if json_:
            print_json({
                "entity": name,
                "metric": metric,
                "quarters": [{"period": str(p), metric: c.to_dict(), "yoy_pct": y.to_list() if y else None}
                             for p, c, y in quarters],
                "pace": pace.to_dict() if pace else None,
                "article_audit": article.to_dict(),
                "brief": {"files": [str(f) for f in brief.files], "self_audit": self_audit.summary},
            })
            return
        console.rule(f"[bold]{escape(entity)} {metric}, {year}[/] (as known on {when})")
        for p, c, y in quarters:
            growth = f" ({y.describe('{:+.1f}%')} YoY)" if y else ""
            console.print(f"  {p.label()}: {c.describe()}{growth}", markup=False, highlight=False)
        if pace is None:
            console.print(f"  no {year} delivery target on record for {name} as of {when}", markup=False, highlight=False)
        else:
            if pace.delivered:
                console.print(f"  {pace.delivered.period.label()}: {pace.delivered.describe()}", markup=False, highlight=False)
            console.print("  target: " + " → ".join(f"{f.describe_value()} ({f.known_from})" for f in pace.revisions),
                          markup=False, highlight=False)
            if pace.required_monthly and pace.trailing_3m_monthly:
                console.print(f"  needs {pace.required_monthly.describe()} a month for {pace.months_left} month(s); "
                              f"the last three months averaged {pace.trailing_3m_monthly.describe()}: {pace.status}",
                              markup=False, highlight=False)
        console.rule("[bold]Audit of the example article[/]")
        table = Table("claim", "verdict", "why", show_lines=False, expand=True)
        colours = {"supported": "green", "misleading": "yellow", "contradicted": "red", "unverifiable": "dim"}
        for item in article.items:
            # claim texts and explanations quote the article and the store: text, not Rich markup
            table.add_row(escape(item.claim.text), f"[{colours[item.verdict]}]{escape(item.verdict)}[/]", escape(item.explanation))
        console.print(table)
        console.rule("[bold]Brief[/]")
        for f in brief.files:
            if f.suffix in (".md", ".html"):
                console.print(f"  wrote {f}", markup=False, highlight=False)
        s = self_audit.summary
        console.print(f"  its own audit: {s['claims']} claims, {s['supported']} supported, {s['claims'] - s['supported']} not",
                      markup=False, highlight=False)
    run(json_, go)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
