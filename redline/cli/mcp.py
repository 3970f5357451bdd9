"""`redline mcp`: the Model Context Protocol server, for AI writers that check a draft before they publish."""

from __future__ import annotations

from typing import Optional

import typer

from ._common import DbOption, err_console, run


def mcp(db: Optional[str] = DbOption) -> None:
    """Serve redline's tools to an AI agent over MCP (stdio): audit_text, lookup_value, growth, pace, list_entities, brief.

    The agent's MCP client starts this command and talks to it on standard input and output; every
    tool is read-only, and facts imported while it runs are seen on the next call. See docs/mcp.md.

    Example: redline mcp --db ~/.local/share/redline/redline.duckdb
    """
    def go() -> None:
        from ..mcp_server import build_server

        server = build_server(db)
        err_console.print("redline: MCP server on standard input and output (read-only)", highlight=False)
        server.run("stdio")
    run(False, go)


def register(app: typer.Typer) -> None:
    app.command("mcp")(mcp)
