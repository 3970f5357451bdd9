"""`redline value|growth|pace|share|fleet|conflicts`: analytics over the store."""

from __future__ import annotations

from datetime import date
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from .. import analytics
from ._common import AsOfOption, DbOption, JsonOption, console, open_store, parse_date, parse_period, print_json, run


def _sources(facts) -> str:  # type: ignore[no-untyped-def]
    return escape("\n".join(f"  [{f.id}] {f.entity} {f.metric} {f.period}: {f.describe_value()} — {f.source_url}" for f in facts))


def value(
    entity: str = typer.Argument(..., help="Entity name or alias, e.g. Xiaomi."),
    metric: str = typer.Argument(..., help="Metric, e.g. deliveries, sales, market_share."),
    period: str = typer.Argument(..., help="Period: 2025, 2025-Q3, 2025-H1, 2025-10, 2025-01..2025-10."),
    as_of: Optional[str] = AsOfOption,
    market: Optional[str] = typer.Option(None, "--market", help="For market_share: the market's entity name."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """The value of a metric, from a direct fact or a rollup of finer ones, with its sources.

    Example: redline value Xiaomi deliveries 2025-01..2025-10
    """
    def go() -> None:
        with open_store(db) as store:
            r = analytics.value(store, entity, metric, parse_period(period), as_of=parse_date(as_of), market=market)
        if json_:
            print_json(r.to_dict())
            return
        how = r.method + ("; " + r.note if r.note else "")
        console.print(f"[bold]{escape(r.entity)}[/] {escape(r.metric)}, {r.period.label()}: [bold]{escape(r.describe())}[/] "
                      f"({escape(how)})", highlight=False)
        console.print(_sources(r.facts), highlight=False)
    run(json_, go)


def growth(
    entity: str = typer.Argument(..., help="Entity name or alias."),
    metric: str = typer.Argument(..., help="Metric, e.g. deliveries."),
    period: str = typer.Argument(..., help="Period to compare, e.g. 2025-Q3."),
    vs: str = typer.Option("yoy", "--vs", help="yoy (same period last year), qoq, mom, or ytd (year-to-date vs prior)."),
    as_of: Optional[str] = AsOfOption,
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Growth of a metric against a base period, as an interval when figures are bounds.

    Example: redline growth Xiaomi deliveries 2025-Q3 --vs yoy
    """
    def go() -> None:
        with open_store(db) as store:
            g = analytics.growth(store, entity, metric, parse_period(period), vs=vs, as_of=parse_date(as_of))  # type: ignore[arg-type]
        if json_:
            print_json(g.to_dict())
            return
        console.print(
            f"[bold]{escape(g.current.entity)}[/] {escape(g.current.metric)} {g.current.period.label()}: "
            f"{escape(g.current.describe())} vs {g.base.period.label()}: {escape(g.base.describe())} "
            f"→ [bold]{escape(g.describe())}[/] ({escape(vs)})",
            highlight=False,
        )
        console.print(_sources(g.current.facts + g.base.facts), highlight=False)
    run(json_, go)


def pace(
    entity: str = typer.Argument(..., help="Entity name or alias."),
    year: Optional[int] = typer.Option(None, "--year", help="Target year (default: the year of --as-of)."),
    as_of: Optional[str] = AsOfOption,
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Pace to the annual delivery target as known on a date, with the target's revisions.

    Example: redline pace Xiaomi --year 2025 --as-of 2025-11-25
    """
    def go() -> None:
        with open_store(db) as store:
            p = analytics.pace(store, entity, year=year, as_of=parse_date(as_of) or date.today())
        if json_:
            print_json(p.to_dict())
            return
        console.print(f"[bold]{escape(p.entity)}[/] {p.year} target as of {p.as_of}: "
                      f"[bold]{escape(p.target.describe_value())}[/] — {escape(p.status)}", highlight=False)
        table = Table("", "")
        if p.delivered:
            table.add_row(f"delivered {p.delivered.period.label()}", escape(p.delivered.describe()))
        table.add_row("months left", str(p.months_left))
        if p.remaining:
            table.add_row("remaining", escape(p.remaining.describe()))
        if p.required_monthly:
            table.add_row("required per month", escape(p.required_monthly.describe()))
        if p.trailing_3m_monthly:
            table.add_row("last 3 months, per month", escape(p.trailing_3m_monthly.describe()))
        console.print(table)
        console.print("target revisions: " + " → ".join(f"{f.describe_value()} ({f.known_from})" for f in p.revisions),
                      markup=False, highlight=False)
    run(json_, go)


def share(
    entity: str = typer.Argument(..., help="Entity name or alias."),
    period: str = typer.Argument(..., help="Period, e.g. 2025 or 2025-10."),
    market: Optional[str] = typer.Option(None, "--market", help="Market entity (default: the one its share facts use)."),
    as_of: Optional[str] = AsOfOption,
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Market share: a stated share, or the entity's volume over the market's.

    Example: redline share "Tesla China" 2025-10 --market "China NEV market"
    """
    def go() -> None:
        with open_store(db) as store:
            s = analytics.share(store, entity, parse_period(period), market=market, as_of=parse_date(as_of))
        if json_:
            print_json(s.to_dict())
            return
        console.print(f"[bold]{escape(s.entity)}[/] share of {escape(s.market)}, {s.period.label()}: "
                      f"[bold]{escape(s.share_pct.describe('{:.2f}'))}%[/] ({escape(s.method)})", highlight=False)
        console.print(_sources(s.facts), highlight=False)
    run(json_, go)


def fleet(
    entity: str = typer.Argument(..., help="Entity name or alias."),
    on: Optional[str] = typer.Option(None, "--on", help="Date (default today)."),
    as_of: Optional[str] = AsOfOption,
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Vehicles in service (cumulative deliveries) and fatal incidents and recalls per 100,000 of them.

    Example: redline fleet Xiaomi --on 2025-11-25 --as-of 2025-11-25
    """
    def go() -> None:
        day = parse_date(on, field="--on") or date.today()
        when = parse_date(as_of)
        with open_store(db) as store:
            f = analytics.fleet(store, entity, day, as_of=when)
            rates = []
            for metric in ("fatal_incidents", "recalls"):
                rates.append(analytics.incident_rate(store, entity, metric, on=day, as_of=when))
        if json_:
            print_json({"fleet": f.to_dict(), "rates": [r.to_dict() for r in rates]})
            return
        console.print(f"[bold]{escape(f.entity)}[/] vehicles in service on {day}: [bold]{escape(f.describe())}[/] "
                      f"({escape(f.note)})", highlight=False)
        for r in rates:
            console.print(f"  {r.kind}: {r.events.describe()} on record → {r.per_100k.describe('{:.2f}')} per 100,000 vehicles",
                          markup=False, highlight=False)
    run(json_, go)


def conflicts(
    entity: Optional[str] = typer.Option(None, "--entity", "-e", help="Only this entity."),
    as_of: Optional[str] = AsOfOption,
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Figures that disagree beyond their stated precision (restatements, parts vs totals).

    Example: redline conflicts --json
    """
    def go() -> None:
        with open_store(db) as store:
            found = analytics.conflicts(store, as_of=parse_date(as_of), entity=entity)
        if json_:
            print_json([c.to_dict() for c in found])
            return
        if not found:
            console.print("no conflicts")
        for c in found:
            console.print(f"[bold]{escape(c.kind)}[/]: {escape(c.explanation)}", highlight=False)
    run(json_, go)


def register(app: typer.Typer) -> None:
    for fn in (value, growth, pace, share, fleet, conflicts):
        app.command(fn.__name__)(fn)
