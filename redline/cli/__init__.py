"""The ``redline`` command line: a thin face over the library.

Each command parses its arguments, calls one library function and renders
the result (a Rich table, or JSON with ``--json``). Errors from the library
become a one-line message and exit code 2.

Commands load lazily: ``COMMANDS`` declares which module registers each one,
and a command's module (and what it imports: the claims reader, the web app,
Spark) is imported only when that command runs or help lists them all. So
``redline value …`` starts without loading the auditor.
"""

from __future__ import annotations

import importlib
from typing import Any

import click
import typer
from typer.core import TyperGroup

COMMANDS: dict[str, str] = {
    "facts": "facts",
    "entities": "registry",
    "metrics": "registry",
    "value": "analysis",
    "growth": "analysis",
    "pace": "analysis",
    "share": "analysis",
    "fleet": "analysis",
    "conflicts": "analysis",
    "extract": "extract",
    "audit": "audit",
    "audit-batch": "batch",
    "report": "batch",
    "brief": "brief",
    "serve": "serve",
    "mcp": "mcp",
    "demo": "demo",
    "eval": "eval",
    "settings": "config",
}
"""Command name → the module of redline.cli whose ``register(app)`` adds it, in help order."""


class _LazyGroup(TyperGroup):
    """A command group that imports a command's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS) + [n for n in super().list_commands(ctx) if n not in COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self._load(COMMANDS[cmd_name])
        return super().get_command(ctx, cmd_name)

    def _load(self, module_name: str) -> None:
        module: Any = importlib.import_module(f"redline.cli.{module_name}")
        holder = typer.Typer()
        module.register(holder)
        group = typer.main.get_group(holder)
        for name, command in group.commands.items():
            self.add_command(command, name)


app = typer.Typer(
    name="redline",
    cls=_LazyGroup,
    help="Check and write the numbers behind company news.\n\n"
    "The fact store loads the bundled EV fact pack on first use. Try:\n\n"
    "  redline value Xiaomi deliveries 2025-Q3\n\n"
    "  redline pace Xiaomi --year 2025 --as-of 2025-11-25",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    # a callback keeps `redline` a group of commands (the commands themselves are added lazily)
    pass


def main() -> None:
    from .. import settings
    from ..errors import RedlineError
    from ._common import fail

    try:
        settings.check()  # a bad REDLINE_* value: one line and exit 2 before any command runs
    except RedlineError as exc:
        try:
            fail(exc)
        except typer.Exit as exit_:
            raise SystemExit(exit_.exit_code) from None
    try:
        app()
    except KeyboardInterrupt:  # outside a command's own handling (while starting up): still one line
        from ._common import interrupted

        try:
            interrupted()
        except typer.Exit as exit_:
            raise SystemExit(exit_.exit_code) from None
