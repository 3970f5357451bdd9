"""The ``redline`` command line: a thin face over the library.

Each command parses its arguments, calls one library function and renders
the result (a Rich table, or JSON with ``--json``). Errors from the library
become a one-line message and exit code 2.
"""

from __future__ import annotations

import typer

from . import analysis, registry, facts

app = typer.Typer(
    name="redline",
    help="Check and write the numbers behind company news.\n\n"
    "The fact store loads the bundled EV fact pack on first use. Try:\n\n"
    "  redline value Xiaomi deliveries 2025-Q3\n\n"
    "  redline pace Xiaomi --year 2025 --as-of 2025-11-25",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

app.add_typer(facts.app, name="facts")
app.add_typer(registry.entities_app, name="entities")
app.add_typer(registry.metrics_app, name="metrics")
analysis.register(app)

# Commands of later features register themselves here when their modules exist.
for _name in ("extract", "audit", "brief", "serve", "demo", "config"):
    try:
        _module = __import__(f"redline.cli.{_name}", fromlist=["register"])
    except ModuleNotFoundError as _exc:  # pragma: no cover - feature not built yet
        if _exc.name != f"redline.cli.{_name}":
            raise
        continue
    _module.register(app)


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
