"""`redline serve`: the web app (pages and JSON API) over the fact store."""

from __future__ import annotations

import os
from typing import Optional

import typer

from .. import settings
from ._common import DbOption, err_console, run


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind. The default serves this machine only; "
                             "0.0.0.0 exposes the app to the network."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on (1-65535)."),
    db: Optional[str] = DbOption,
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes (each reads the store on its own; "
                                "writes from any of them take turns on the file lock)."),
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
        path = app.state.redline.access.path
        mode = "writes need REDLINE_WRITE_TOKEN" if settings.get("write_token") else "read-only (REDLINE_WRITE_TOKEN unset)"
        err_console.print(f"redline: serving {path} on http://{host}:{port} with {workers} worker(s) — {mode}",
                          highlight=False)
        if workers == 1:
            uvicorn.run(app, host=host, port=port, log_level=log_level)
            return
        # Worker processes import the app themselves and find the store through REDLINE_DB; each listens
        # on its own SO_REUSEPORT socket, so keep-alive connections are spread across them (docs/web.md).
        from ..web.workers import reuseport_available, serve_workers

        if reuseport_available():
            serve_workers(os.path.abspath(path), host=host, port=port, workers=workers, log_level=log_level)
            return
        os.environ["REDLINE_DB"] = os.path.abspath(path)
        uvicorn.run("redline.web.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_level=log_level)
    run(False, go)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
