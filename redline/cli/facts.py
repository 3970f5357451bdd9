"""`redline facts …`: import, list and export facts."""

from __future__ import annotations

from typing import Optional

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.markup import escape
from rich.table import Table

from ..errors import InputError
from ._common import AsOfOption, DbOption, JsonOption, console, err_console, open_store, parse_date, parse_period, print_json, run

app = typer.Typer(help="Import, list and export facts (every version is kept).", no_args_is_help=True)


@app.command("import")
def facts_import(
    paths: list[str] = typer.Argument(..., help="CSV, JSON or Parquet files in the ev_facts.csv layout."),
    format: Optional[str] = typer.Option(None, "--format", help="csv, json or parquet (default: from the file name)."),
    add_entities: bool = typer.Option(False, "--add-entities", help="Create unknown entities (as companies) instead of refusing."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Import facts. Each file is all or nothing; rows already stored are skipped.

    Columns: entity, metric, period_start, period_end, value, unit, and optionally
    qualifier, market, source_url, published, note, series (deliveries, retail,
    wholesale, exports, insurance_registrations, production) and confirmed_by
    (a second source's URL).

    Example: redline facts import new_figures.csv
    """
    def go() -> None:
        results = []
        with open_store(db) as store, Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
            console=err_console, transient=True, disable=json_,
        ) as progress:
            for path in paths:
                task = progress.add_task(f"importing {path}", total=None)
                results.append(store.import_file(path, format=format, add_entities=add_entities))
                progress.remove_task(task)
        if json_:
            print_json([r.to_dict() for r in results])
            return
        for r in results:
            console.print(f"{escape(r.source)}: {r.rows} rows, [bold]{r.added} added[/], {r.duplicates} already stored")
    run(json_, go)


@app.command("list")
def facts_list(
    entity: Optional[str] = typer.Option(None, "--entity", "-e", help="Entity name or alias."),
    metric: Optional[str] = typer.Option(None, "--metric", "-m", help="Metric name."),
    period: Optional[str] = typer.Option(None, "--period", "-p", help="Keep facts overlapping this period (2025, 2025-Q3, 2025-01..2025-10)."),
    as_of: Optional[str] = AsOfOption,
    all_versions: bool = typer.Option(False, "--all-versions", help="Show every version, not just the latest of each figure."),
    limit: int = typer.Option(200, "--limit", help="Most rows to show."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """List facts with their sources.

    Example: redline facts list --entity Xiaomi --metric delivery_target --all-versions
    """
    def go() -> None:
        if limit < 1:
            raise InputError(f"--limit must be 1 or more, not {limit} (e.g. --limit 50)")
        with open_store(db) as store:
            ent = store.entity(entity).name if entity else None
            met = store.metric(metric).name if metric else None
            rows = store.facts(entity=ent, metric=met, period=parse_period(period) if period else None,
                               as_of=parse_date(as_of), latest_only=not all_versions, limit=limit)
        if json_:
            print_json([f.to_dict() for f in rows])
            return
        # Readable at 80 columns: the figures keep their width, and a source shows as much of its
        # address as fits on the line (the whole of it is in --json and `facts export`).
        cells = [(str(f.id), f.entity, f.metric, str(f.period), f"{f.describe_value()} {f.unit}", f.published or "",
                  f.source_url or "") for f in rows]
        headers = ("id", "entity", "metric", "period", "value", "published", "source")
        natural = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(headers[:-1])]
        room = console.width - sum(natural) - 3 * len(headers) - 1
        table = Table(*headers)
        for column in table.columns:
            column.overflow = "fold"
        table.columns[-1].overflow = "ellipsis"
        table.columns[-1].no_wrap = True
        table.columns[-1].max_width = max(12, room)
        for row in cells:
            table.add_row(*(escape(c) for c in row))
        console.print(table)
    run(json_, go)


@app.command("sources")
def facts_sources(
    as_of: Optional[str] = AsOfOption,
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Count the current facts by source tier (1 primary, 2 reputable secondary, 3 aggregator) and domain.

    Tiers are declared per domain in redline/data/sources.csv; undeclared domains are tier 3.

    Example: redline facts sources --json
    """
    from ..sources import TIERS, summarize

    def go() -> None:
        with open_store(db, read_only=True) as store:
            summary = summarize(store, as_of=parse_date(as_of))
        if json_:
            print_json(summary.to_dict())
            return
        n = summary.facts or 1
        table = Table("tier", "meaning", "facts", "share")
        for t, meaning in TIERS.items():
            table.add_row(str(t), meaning, f"{summary.by_tier[t]:,}", f"{summary.by_tier[t] / n:.1%}")
        console.print(table)
        console.print(f"{summary.facts:,} facts; {summary.confirmed:,} with a confirming source; "
                      f"{summary.tier3_only:,} resting on tier 3 alone", markup=False, highlight=False)
        domains = Table("domain", "tier", "kind", "facts")
        for d in summary.domains:
            domains.add_row(escape(d.domain), str(d.tier), escape(d.kind), f"{d.facts:,}")
        console.print(domains)

    run(json_, go)


@app.command("retract")
def facts_retract(
    fact_id: int = typer.Argument(..., help="The fact's id (see `redline facts list`)."),
    reason: str = typer.Option(..., "--reason", help="Why it is withdrawn; kept with the fact."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Withdraw a wrong fact. Its row is kept (history) but no list, analysis, audit or brief reads it.

    Example: redline facts retract 412 --reason "typo: the source says 40,000"
    """
    def go() -> None:
        with open_store(db) as store:
            done = store.retract(fact_id, reason=reason)
        if json_:
            print_json(done)
            return
        console.print(f"retracted fact {fact_id}: {done['reason']}", markup=False, highlight=False)
    run(json_, go)


@app.command("export")
def facts_export(
    path: str = typer.Argument(..., help="Output file: .csv, .json or .parquet."),
    format: Optional[str] = typer.Option(None, "--format", help="csv, json or parquet (default: from the file name)."),
    as_of: Optional[str] = AsOfOption,
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Export every fact version in the import layout (re-importable as is).

    Example: redline facts export facts.parquet
    """
    def go() -> None:
        with open_store(db) as store:
            n = store.export(path, format=format, as_of=parse_date(as_of))
        print_json({"path": path, "facts": n}) if json_ else console.print(f"wrote {n} facts to {path}", markup=False, highlight=False)
    run(json_, go)


@app.command("extract")
def facts_extract(
    path: str = typer.Argument(..., help="Press release: a .txt or .html file, or - for standard input."),
    source: str = typer.Option(..., "--source", help="URL of the press release, stored with every fact."),
    yes: bool = typer.Option(False, "--yes", help="Store the candidate facts (without it they are only shown)."),
    date: Optional[str] = typer.Option(None, "--date", help="Publication date (YYYY-MM-DD); default: the HTML's, else today (with a warning)."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Turn a press release into candidate facts, shown for review; --yes stores them with their source.

    Uses the same extractor as `redline extract`. Claims that cannot be facts
    (changes, ranges, unknown entities) are listed with the reason.

    Example: redline facts extract release.txt --source https://ir.example.com/october --date 2025-11-01
    """
    from rich.markup import escape

    from ..claims.candidates import propose_facts
    from ..claims.gazetteer import Gazetteer
    from .extract import read_input

    def go() -> None:
        when = parse_date(date, field="--date")
        doc = read_input(path)
        with open_store(db, read_only=not yes) as store:
            proposal = propose_facts(doc, gazetteer=Gazetteer.from_store(store), source_url=source, date=when)
            stored = store.add_facts(proposal.rows, source=source) if yes and proposal.rows else None
        if json_:
            out = proposal.to_dict()
            out["stored"] = stored.to_dict() if stored else None
            print_json(out)
            return
        for w in proposal.extraction.warnings:
            err_console.print(f"[yellow]warning:[/] {escape(w)}", highlight=False)
        table = Table("claim", "entity", "metric", "period", "value", "unit", "qualifier")
        for row in proposal.rows:
            table.add_row(escape(row["note"]), escape(row["entity"]), row["metric"],
                          f"{row['period_start']}..{row['period_end']}", f"{row['value']:,g}", row["unit"], row["qualifier"])
        console.print(table)
        for c in proposal.candidates:
            if c.row is None:
                console.print(f"  set aside: “{c.claim.text}” — {c.reason}", highlight=False, markup=False)
        if stored:
            console.print(f"stored: {stored.added} added, {stored.duplicates} already stored (source {source})",
                          markup=False, highlight=False)
        elif proposal.rows:
            console.print(f"{len(proposal.rows)} candidate facts; run again with --yes to store them")
        else:
            console.print("no candidate facts")
    run(json_, go)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="facts")
