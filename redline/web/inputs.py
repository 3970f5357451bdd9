"""Reading request fields: dates, periods, article text and uploads, with one issue per bad field."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from typing import Any

from .. import validation
from ..periods import Period, PeriodError
from .errors import BadRequest

__all__ = ["issue", "unicode_problem", "split_peers", "parse_date", "parse_period", "article_input", "UPLOAD_SUFFIXES"]

UPLOAD_SUFFIXES = (".txt", ".html", ".htm")


def issue(field: str, reason: str, message: str) -> dict[str, Any]:
    return {"field": field, "reason": reason, "message": message}


def unicode_problem(text: str) -> str | None:
    """Why ``text`` is not text a store or page can hold (a lone surrogate, '\\ud800' in JSON), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone surrogate (not valid Unicode text)"
    return None


def split_peers(values: list[str]) -> list[str]:
    """Peers given as repeated parameters, comma-separated ones (the CLI's --peers syntax), or both."""
    return list(dict.fromkeys(p.strip() for v in values for p in v.split(",") if p.strip()))


def parse_date(text: str | None, *, field: str) -> date | None:
    """An ISO date (YYYY-MM-DD), or None for an empty field."""
    if text is None or not text.strip():
        return None
    problem = validation.day_problem(text.strip())
    if problem:
        raise BadRequest([issue(field, "bad_date", f"{problem}: {text!r}")])
    return date.fromisoformat(text.strip())


def parse_period(text: str | None, *, field: str = "period") -> Period | None:
    """A period (2025, 2025-Q3, 2025-H1, 2025-10, 2025-01..2025-10), or None for an empty field."""
    if text is None or not text.strip():
        return None
    return require_period(text, field=field)


def require_period(text: str | None, *, field: str = "period") -> Period:
    """A period that must be given: an empty or blank field is a 400 naming the field."""
    if text is None or not text.strip():
        raise BadRequest([issue(field, "missing_value", "a period is required (e.g. 2025, 2025-Q3, 2025-10)")])
    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise BadRequest([issue(field, "bad_period", f"{exc} (try 2025, 2025-Q3, 2025-10 or 2025-01..2025-10)")]) from None


def article_input(text: str | None, filename: str | None, data: bytes | None, *, field: str = "file") -> str | bytes:
    """The article to audit: the uploaded file's bytes when there is one (.txt or .html), else the pasted text.

    Pasted text is always read as text, so markup in it is shown, never interpreted.
    """
    if filename and data is not None:
        suffix = PurePath(filename).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise BadRequest([issue(field, "bad_format", f"upload a .txt or .html file, not {suffix or 'a file without suffix'!r}")])
        if not data.strip():
            raise BadRequest([issue(field, "missing_value", "the uploaded file is empty")])
        return data
    if text is None or not text.strip():
        raise BadRequest([issue("text", "missing_value", "paste an article or upload a .txt or .html file")])
    return text
