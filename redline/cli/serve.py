"""`redline serve`: the web app (pages and JSON API) over the fact store."""

from __future__ import annotations

from typing import Optional

import typer

from .. import settings
from ._common import DbOption, err_console, run


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind. The default serves this machine only; "
                             "0.0.0.0 exposes the app to the network."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    db: Optional[str] = DbOption,
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level: critical, error, warning, info, debug."),
) -> None:
    """Serve the web app: entities, briefs, the article audit, facts, and the JSON API at /api.

    Writes (adding facts) need the token in REDLINE_WRITE_TOKEN; without it the
    app is read-only. A `redline facts import` into the same store works while
    the server runs. See docs/web.md.

    Example: REDLINE_WRITE_TOKEN=s3cret redline serve --port 8000 --db facts.duckdb
    """
    def go() -> None:
        import uvicorn

        from ..web import create_app

        app = create_app(db)
        mode = "writes need REDLINE_WRITE_TOKEN" if settings.get("write_token") else "read-only (REDLINE_WRITE_TOKEN unset)"
        err_console.print(f"redline: serving {app.state.redline.access.path} on http://{host}:{port} — {mode}",
                          highlight=False)
        uvicorn.run(app, host=host, port=port, log_level=log_level)
    run(False, go)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
