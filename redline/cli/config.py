"""`redline settings`: every setting, its environment variable, default, current value and meaning."""

from __future__ import annotations

import os
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from .. import settings
from ._common import JsonOption, console, print_json, run


def show_settings(json_: bool = JsonOption) -> None:
    """List the settings (all read from REDLINE_* environment variables), with their current values.

    The write token's value is never shown, only whether it is set.

    Example: redline settings
    """
    def go() -> None:
        rows: list[dict[str, Any]] = []
        for s in settings.SETTINGS:
            value = settings.get(s.name)
            if s.name == "write_token":
                value = "(set)" if value else None
            rows.append({"name": s.name, "env_var": s.env_var, "default": s.default, "value": value,
                         "from_environment": bool(os.environ.get(s.env_var)), "help": s.help})
        if json_:
            print_json(rows)
            return
        table = Table("variable", "value", "meaning")
        for r in rows:
            shown = "(unset)" if r["value"] is None else str(r["value"])
            if not r["from_environment"]:
                shown += " (default)"
            table.add_row(r["env_var"], escape(shown), escape(r["help"]))
        console.print(table)
    run(json_, go)


def register(app: typer.Typer) -> None:
    app.command("settings")(show_settings)
