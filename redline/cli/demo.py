"""`redline demo`: the main job on the bundled data, end to end."""

from __future__ import annotations

from datetime import date
from typing import Optional

import typer

from .. import analytics
from ..periods import Period
from ._common import DbOption, JsonOption, console, open_store, print_json, run


def demo(
    entity: str = typer.Option("Xiaomi", "--entity", help="Entity to report on."),
    year: int = typer.Option(2025, "--year", help="Year of the report."),
    as_of: str = typer.Option("2025-11-25", "--as-of", help="Report as known on this date."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Load the bundled fact pack and report an entity's deliveries, growth and pace to target.

    Example: redline demo --entity Xiaomi --year 2025 --as-of 2025-11-25
    """
    def go() -> None:
        when = date.fromisoformat(as_of)
        with open_store(db) as store:
            rows = []
            for q in range(1, 5):
                p = Period.quarter(year, q)
                if p.end > when:
                    break
                cur = analytics.try_value(store, entity, "deliveries", p, as_of=when)
                if cur is None:
                    continue
                try:
                    g = analytics.growth(store, entity, "deliveries", p, as_of=when).describe()
                except Exception:
                    g = "n/a"
                rows.append({"period": p.label(), "deliveries": cur.describe(), "yoy": g})
            p = analytics.pace(store, entity, year=year, as_of=when)
        if json_:
            print_json({"quarters": rows, "pace": p.to_dict()})
            return
        console.print(f"[bold]{entity} deliveries {year}[/] (as known on {when})")
        for r in rows:
            console.print(f"  {r['period']}: {r['deliveries']} ({r['yoy']} YoY)")
        if p.delivered:
            console.print(f"  {p.delivered.period.label()}: {p.delivered.describe()}")
        console.print(f"[bold]Target[/]: {p.target.describe_value()} — " + " → ".join(
            f"{f.describe_value()} ({f.known_from})" for f in p.revisions))
        if p.required_monthly and p.trailing_3m_monthly:
            console.print(f"  needs {p.required_monthly.describe()} a month for {p.months_left} month(s); "
                          f"last three months averaged {p.trailing_3m_monthly.describe()}: {p.status}")
    run(json_, go)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
