"""`redline brief`: a data-backed brief on one entity, in Markdown and HTML, with charts."""

from __future__ import annotations

from datetime import date
from typing import Optional

import typer

from ..errors import InputError
from ._common import AsOfOption, DbOption, JsonOption, console, fail, open_store, parse_date, print_json, run


def brief(
    entity: str = typer.Argument(..., help="Entity name or alias, e.g. Xiaomi."),
    as_of: Optional[str] = AsOfOption,
    peers: Optional[str] = typer.Option(None, "--peers", help='Comma-separated peers, e.g. "Tesla China,BYD,NIO".'),
    format: list[str] = typer.Option(["md", "html"], "--format", "-f",
                                     help="md, html, or both (repeat the option); default both."),
    out: str = typer.Option(".", "--out", "-o", help="Directory to write the brief and its charts into."),
    no_charts: bool = typer.Option(False, "--no-charts", help="Skip the charts (faster; the text is the same)."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Write a brief on an entity as known on a date: trajectory, pace and forecast, targets, peers, safety, sources.

    Every figure links to a note listing its facts and sources; charts are rendered offline to SVG and PNG.

    Example: redline brief Xiaomi --as-of 2025-11-25 --peers "Tesla China,BYD,NIO" --out briefs/
    """
    formats = [f.strip() for spec in format for f in spec.split(",") if f.strip()]
    for f in formats:
        if f not in ("md", "html"):
            fail(InputError(f"--format must be md or html, not {f!r}"), json_)

    def go() -> None:
        from ..brief import write_brief

        when = parse_date(as_of) or date.today()
        names = [p.strip() for p in (peers or "").split(",") if p.strip()]
        with open_store(db) as store:
            b = write_brief(store, entity, as_of=when, peers=names, out_dir=out, formats=formats,
                            charts=not no_charts)
        if json_:
            print_json(b.to_dict())
            return
        console.print(f"[bold]{b.title}[/] as of {b.as_of}: {len(b.notes)} notes, {len(b.charts)} charts, "
                      f"{b.timings.get('total', 0):.2f}s", highlight=False)
        for i in b.key_points:
            console.print(f"  • {i.headline.plain()}", highlight=False, markup=False)
        for p in b.files:
            if p.suffix in (".md", ".html"):
                console.print(f"wrote {p}", highlight=False)
    run(json_, go)


def register(app: typer.Typer) -> None:
    app.command("brief")(brief)
