"""What every route needs: the store access, the write token, the upload limit, the templates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from ..claims.budget import Budget
from .access import StoreAccess
from .security import safe_url

__all__ = ["WebContext", "web", "make_templates"]

HERE = Path(__file__).parent


@dataclass(frozen=True)
class WebContext:
    access: StoreAccess
    write_token: str | None
    max_upload_bytes: int
    templates: Jinja2Templates
    budget: Budget = Budget(seconds=20.0, max_claims=5000)

    @property
    def writable(self) -> bool:
        return bool(self.write_token)


def web(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.redline
    return ctx


def _number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value != int(value):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,.0f}"


def _source_link(url: str | None) -> Markup:
    """A link to a source when it is http(s); otherwise its text, escaped (never a javascript: link)."""
    from markupsafe import escape

    if not url:
        return Markup("")
    safe = safe_url(url)
    if safe is None:
        return Markup('<span class="source-text">{}</span>').format(url)
    label = safe.split("//", 1)[-1]
    if len(label) > 48:
        label = label[:45] + "…"
    return Markup('<a class="source" href="{}" rel="noopener noreferrer nofollow" target="_blank">{}</a>').format(
        escape(safe), label
    )


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.autoescape = True
    env.filters["number"] = _number
    env.filters["source_link"] = _source_link
    return templates
