"""`redline mcp`: the Model Context Protocol server, for AI writers that check a draft before they publish."""

from __future__ import annotations

from typing import Optional

import typer

from ._common import DbOption


def mcp(db: Optional[str] = DbOption) -> None:
    """Serve redline's tools to an AI agent over MCP (stdio): audit_text, lookup_value, growth, pace, list_entities, brief.

    The agent's client starts this command and talks to it on standard input and output; every tool is
    read-only. See docs/mcp.md for a client configuration.

    Example: redline mcp --db ~/.local/share/redline/redline.duckdb
    """
    from ..mcp_server import serve

    serve(db)


def register(app: typer.Typer) -> None:
    app.command("mcp")(mcp)
