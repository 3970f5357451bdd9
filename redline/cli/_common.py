"""What every command shares: the --db and --json options, output and error shape."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from typing import Any, Callable, Iterable, Optional

import duckdb
import typer
from rich.console import Console
from rich.markup import escape
from rich.segment import Segment

from .. import validation
from ..markup import terminal_text
from ..errors import InputError, RedlineError
from ..periods import Period, PeriodError
from ..store import Store

class SafeConsole(Console):
    """A Rich console that never sends a terminal the escape sequences or direction controls held in
    the text it shows (an entity name, a note, an article): each becomes U+FFFD. Rich's own styling
    (control segments and styles) is untouched."""

    def render(self, renderable: Any, options: Any = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control or not segment.text:
                yield segment
            else:
                yield Segment(terminal_text(segment.text), segment.style, segment.control)


console = SafeConsole()
err_console = SafeConsole(stderr=True)

DbOption = typer.Option(
    None, "--db", envvar="REDLINE_DB", help="Fact store file (default ~/.local/share/redline/redline.duckdb; env REDLINE_DB)."
)
JsonOption = typer.Option(False, "--json", help="Print JSON instead of a table.")
AsOfOption = typer.Option(None, "--as-of", help="See only facts published by this date (YYYY-MM-DD).")


def open_store(db: Optional[str], *, read_only: bool = False) -> Store:
    return Store(db, read_only=read_only)


def parse_date(text: Optional[str], *, field: str = "--as-of") -> Optional[date]:
    if text is None:
        return None
    return validation.parse_day(text, field=field)


def parse_period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise InputError(str(exc)) from None


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def fail(exc: RedlineError, as_json: bool = False) -> None:
    """Report a domain error in the one shape the CLI uses, and exit 2."""
    if as_json:
        print_json(exc.to_dict())
    else:
        # escape: a message quotes user input ('[draft]', a path), which is not Rich markup
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(2)


def run(as_json: bool, fn: Callable[[], Any]) -> Any:
    """Call ``fn``; every failure a user can cause or meet (bad input, a file that cannot be read or
    written, a full disk, a damaged store) becomes one line and exit 2, an interrupt exit 130."""
    try:
        return fn()
    except RedlineError as exc:
        fail(exc, as_json)
    except PeriodError as exc:
        # a period derived from the user's (a year before year 1, a date past 9999): bad input too
        fail(InputError(str(exc)), as_json)
    except KeyboardInterrupt:
        interrupted()
    except (OSError, duckdb.Error, csv.Error, UnicodeError, RecursionError, MemoryError) as exc:
        fail(InputError(one_line(exc)), as_json)


def one_line(exc: BaseException) -> str:
    """An OS, DuckDB, CSV or Unicode error in one line: the path and the system's reason."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    if isinstance(exc, MemoryError):
        return "out of memory"
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    return first


def interrupted() -> None:
    """Ctrl-C: one line and exit 130. Writes are transactions, so nothing was half-written."""
    err_console.print("interrupted; nothing was half-written", highlight=False, markup=False)
    raise typer.Exit(130)
