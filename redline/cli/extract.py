"""`redline extract`: the claims in an article, with offsets, entity, metric, period and value."""

from __future__ import annotations

import sys
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from ..claims.document import Document, read_document
from ..claims.extract import extract_document
from ..claims.gazetteer import Gazetteer
from ..errors import InputError
from ._common import DbOption, JsonOption, console, err_console, open_store, parse_date, print_json, run


def read_input(path: str) -> Document:
    """An article from a path, or from standard input for ``-``."""
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
        return read_document(data, name="<stdin>")
    return read_document(path)


def gazetteer_of(db: Optional[str]) -> Gazetteer:
    """The gazetteer of the store (its entities, aliases and metrics)."""
    with open_store(db, read_only=True) as store:
        return Gazetteer.from_store(store)


def _value(v: object, unit: Optional[str]) -> str:
    def one(x: float) -> str:
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.4g}"

    text = "–".join(one(x) for x in v) if isinstance(v, list) else one(v)  # type: ignore[arg-type]
    return f"{text} {unit}" if unit else text


def extract(
    path: str = typer.Argument(..., help="Article: a .txt or .html file, or - for standard input."),
    date: Optional[str] = typer.Option(None, "--date", help="Document date (YYYY-MM-DD) relative periods resolve against; default: the HTML's publication date, else today (with a warning)."),
    all_: bool = typer.Option(False, "--all", help="Also list numbers whose metric could not be told."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """The quantitative claims in an article: text, offsets, entity, metric, kind, period, value, qualifier.

    The JSON output follows redline/schemas/extraction.schema.json.

    Example: redline extract article.txt --date 2025-11-25 --json
    """
    def go() -> None:
        when = parse_date(date, field="--date")
        doc = read_input(path)
        result = extract_document(doc, gazetteer=gazetteer_of(db), date=when, include_unresolved=all_)
        if json_:
            print_json(result.model_dump(mode="json"))
            return
        for w in result.warnings:
            err_console.print(f"[yellow]warning:[/] {escape(w)}", highlight=False)
        console.print(f"{len(result.claims)} claims; document date {result.document_date} ({result.date_source})",
                      markup=False, highlight=False)
        table = Table("id", "text", "entity", "metric", "kind", "period", "value", "qualifier")
        for c in result.claims:
            period = c.period_obj()
            # claim texts and names come from the article: shown as text, never as Rich markup
            table.add_row(c.id, escape(c.text), escape(c.entity or ""), c.metric or "", c.kind,
                          period.label() if period else "", escape(_value(c.value, c.unit)), c.qualifier)
        console.print(table)
    run(json_, go)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


__all__ = ["register", "read_input", "gazetteer_of", "InputError"]
