"""`redline audit`: every number in an article, checked, with a verdict and its evidence."""

from __future__ import annotations

import sys
from datetime import date as Date
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from ..claims.audit import FAIL_LEVELS, audit_file
from ..claims.render import render_terminal
from ..errors import InputError
from ..outputs import write_whole
from ._common import DbOption, JsonOption, console, fail, open_store, parse_date, run

FORMATS = ("text", "md", "html", "json")


def audit(
    file: str = typer.Argument(..., help="Article as .txt or .html, or - to read standard input."),
    date: Optional[str] = typer.Option(None, "--date", help="Document date (YYYY-MM-DD); default: the HTML's date, else today."),
    format: str = typer.Option("text", "--format", "-f", help="text (coloured terminal view), md, html or json."),
    fail_on: str = typer.Option("contradicted", "--fail-on", help="Exit 1 when a claim is contradicted, or (misleading) misleading or worse."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Write the md/html/json report to this file instead of standard output."),
    hindsight: bool = typer.Option(False, "--hindsight", help="Judge on everything known today, not only on what was known on the document date (every output says so)."),
    show_text: bool = typer.Option(False, "--show-text", help="With --format text, print the article first, its claims coloured by verdict."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Audit an article: extract its claims and check each against the fact store and the text's own arithmetic.

    Exit codes: 0 when nothing reaches the --fail-on level, 1 when something does, 2 on bad input.

    Example: redline audit article.txt --date 2025-11-25 --format html -o audit.html

    With --hindsight, claims are judged on the facts known today (a figure published after the
    article can then decide it); a warning in every output says so.
    """
    fmt = "json" if json_ else format
    if fmt not in FORMATS:
        fail(InputError(f"--format must be one of {', '.join(FORMATS)}, not {format!r}"), json_)
    if fail_on not in FAIL_LEVELS:
        fail(InputError(f"--fail-on must be one of {', '.join(FAIL_LEVELS)}, not {fail_on!r}"), json_)

    def go() -> bool:
        data = sys.stdin.buffer.read() if file == "-" else _read(file)
        with open_store(db) as store:
            report = audit_file(data, name=file, date=parse_date(date, field="--date"), store=store,
                                as_of=Date.today() if hindsight else None)
        if fmt == "text":
            render_terminal(report, console, show_text=show_text)
        else:
            rendered = {"json": report.to_json, "md": report.to_markdown, "html": report.to_html}[fmt]()
            if out:
                _write(out, rendered)
                if not json_:
                    n = report.summary['claims']
                    console.print(f"wrote {escape(out)}: {n} claim{'' if n == 1 else 's'}", highlight=False)
            else:
                sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
        return report.failed(fail_on)

    if run(fmt == "json", go):
        raise typer.Exit(1)


def _read(file: str) -> bytes:
    path = Path(file)
    if not path.exists():
        raise InputError(f"{file}: no such file")
    if path.is_dir():
        raise InputError(f"{file}: is a directory, not an article")
    return path.read_bytes()


def _write(out: str, text: str) -> None:
    """Write the report to ``out`` whole or not at all; a path that cannot be written is bad input (exit 2)."""
    path = Path(out)
    if not path.parent.is_dir():
        raise InputError(f"cannot write {out}: no such directory {str(path.parent)!r}; create it first or choose another -o path")
    if path.is_dir():
        raise InputError(f"cannot write {out}: it is a directory; give a file name such as {path / 'audit.html'}")
    write_whole(path, text)


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)
