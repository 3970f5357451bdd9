"""`redline audit-batch` and `redline report`: corpus audits and what they found."""

from __future__ import annotations

from datetime import date
from typing import Optional

import typer
from rich.markup import escape

from ._common import DbOption, JsonOption, console, err_console, open_store, print_json, run


def audit_batch(
    inputs: list[str] = typer.Argument(..., help="JSONL or Parquet files (id, url, published, text or html), "
                                                 "folders of .txt/.html files, or WARC files."),
    out: str = typer.Option(..., "--out", "-o", help="Results folder; articles already in it are skipped (resume)."),
    format: str = typer.Option("parquet", "--format", "-f", help="parquet (partitioned by month) or jsonl."),
    engine: str = typer.Option("local", "--engine", help="local (all cores of this machine) or spark (PySpark)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="Processes (local) or Spark local[N] cores; default: all cores."),
    hindsight: bool = typer.Option(False, "--hindsight", help="Check against every fact known today, not those known when each article appeared."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Audit a corpus: one row per claim and one per article, written as Parquet (or JSONL) a chunk at a time.

    A bad article becomes an error row and the batch goes on; rerun the same command to resume.

    Example: redline audit-batch articles.jsonl --out results/ --workers 2
    """

    def go() -> None:
        from ..batch import audit_batch as run_batch, batch_snapshot

        with open_store(db, read_only=True) as store:
            snapshot = batch_snapshot(store)
        as_of = date.today() if hindsight else None
        if json_ or engine == "spark":
            result = run_batch(inputs, out, snapshot=snapshot, format=format, engine=engine, workers=workers, as_of=as_of)
        else:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(TextColumn("auditing"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("{task.fields[rate]} articles/s"), TimeElapsedColumn(),
                          console=err_console, transient=True) as bar:
                task = bar.add_task("batch", total=None, rate="–")

                def progress(done: int, total: int | None) -> None:
                    elapsed = bar.tasks[0].elapsed or 0
                    bar.update(task, completed=done, total=total, rate=f"{done / elapsed:,.0f}" if elapsed else "–")

                result = run_batch(inputs, out, snapshot=snapshot, format=format, engine=engine, workers=workers,
                                   as_of=as_of, progress=progress)
        if json_:
            print_json(result.to_dict())
            return
        d = result.to_dict()
        console.print(f"{d['articles']:,} articles audited ({d['errors']:,} with errors, {d['skipped']:,} already done), "
                      f"{d['claims']:,} claims, {d['articles_per_second'] or 0:,} articles/s → {escape(out)}",
                      highlight=False)

    run(json_, go)


def report(
    results: str = typer.Argument(..., help="A results folder written by `redline audit-batch`."),
    out: str = typer.Option(..., "--out", "-o", help="Folder to write report.md, report.html and the charts into."),
    json_: bool = JsonOption,
) -> None:
    """Report on a corpus audit: per outlet and per maker, claims checked and share flagged, and wrong figures repeated across outlets.

    Example: redline report results/ --out report/
    """

    def go() -> None:
        from ..batch.report import write_report

        rep = write_report(results, out)
        if json_:
            print_json(rep.to_dict())
            return
        for p in rep.files:
            console.print(f"wrote {escape(str(p))}", highlight=False)

    run(json_, go)


def register(app: typer.Typer) -> None:
    app.command("audit-batch")(audit_batch)
    app.command("report")(report)
