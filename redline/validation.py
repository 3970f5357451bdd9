"""What every door accepts, declared once: years, dates, names and value ranges.

A fact's period or publication date, an ``--as-of``/``--date`` on the command
line and a date in a web request are all read by :func:`parse_day` (or checked
in SQL by :func:`year_sql` on import); an entity or market name by
:func:`name_problem`; a value by :data:`VALUE_RANGES`. The import checks, the
CLI and the web app read these declarations, so they cannot disagree.

>>> parse_day("2025-11-25")
datetime.date(2025, 11, 25)
>>> parse_day("20251125")
Traceback (most recent call last):
...
redline.errors.InputError: --date: not a date (YYYY-MM-DD): '20251125'
>>> name_problem("Evil\\u202eCo")
'contains an invisible control or text-direction character (U+202E)'
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from .errors import InputError

__all__ = [
    "MIN_YEAR",
    "MAX_YEAR",
    "YEAR_RULE",
    "DATE_GRAMMAR",
    "VALUE_RANGES",
    "parse_day",
    "day_problem",
    "year_sql",
    "name_problem",
    "NAME_FORBIDDEN_SQL",
]

MIN_YEAR, MAX_YEAR = 1900, 2100
"""Years a fact's period and publication date, and any date given to a command, may fall in."""

YEAR_RULE = f"years {MIN_YEAR}-{MAX_YEAR}"

DATE_GRAMMAR = "YYYY-MM-DD"
"""The one way to write a day. (A fact's ``published`` may also be YYYY-MM or YYYY, documented there.)"""

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

VALUE_RANGES: dict[str, tuple[float, float]] = {
    "market_share": (0.0, 100.0),
}
"""Metrics whose values have a narrower range than the general 0..10^15: a share is a percentage."""


def day_problem(text: str) -> str | None:
    """Why ``text`` is not a day in the accepted grammar and years, or None when it is one."""
    m = _DAY.match(text)
    if not m:
        return f"not a date ({DATE_GRAMMAR})"
    year = int(m[1])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"year {year} is out of range ({YEAR_RULE})"
    try:
        date(year, int(m[2]), int(m[3]))
    except ValueError:
        return f"not a date ({DATE_GRAMMAR})"  # 2025-11-31: no such day
    return None


def parse_day(text: str, *, field: str = "--date") -> date:
    """A day written YYYY-MM-DD in years 1900-2100; anything else (``20251125``, ``2025-W48-2``,
    ``0000-01-01``) is an :class:`InputError` naming ``field``."""
    text = text.strip()
    problem = day_problem(text)
    if problem:
        raise InputError(f"{field}: {problem}: {text!r}")
    return date.fromisoformat(text)


def year_sql(column: str) -> str:
    """SQL true when the leading four-digit year of a text ``column`` is outside the accepted years."""
    return (f"TRY_CAST(substr({column}, 1, 4) AS INTEGER) IS NOT NULL AND "
            f"TRY_CAST(substr({column}, 1, 4) AS INTEGER) NOT BETWEEN {MIN_YEAR} AND {MAX_YEAR}")


# Control characters (C0, DEL, C1), and the marks that reorder or hide text on screen:
# bidi embeddings, overrides and isolates, the directional marks, zero-width characters.
_FORBIDDEN_RANGES = (
    (0x00, 0x1F), (0x7F, 0x9F), (0x061C, 0x061C), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2069), (0xFEFF, 0xFEFF),
)
_FORBIDDEN = re.compile("[" + "".join(f"\\U{lo:08X}-\\U{hi:08X}" for lo, hi in _FORBIDDEN_RANGES) + "]")

NAME_FORBIDDEN_SQL = "[" + "".join(
    f"\\x{{{max(lo, 1):04X}}}-\\x{{{hi:04X}}}" for lo, hi in _FORBIDDEN_RANGES
) + "]"
"""The same set as an RE2 class for DuckDB's ``regexp_matches`` (a DuckDB string cannot hold NUL)."""


def name_problem(text: str) -> str | None:
    """Why ``text`` cannot be an entity or market name (a control, bidi or zero-width character,
    or a lone surrogate), or None when it can."""
    m = _FORBIDDEN.search(text)
    if m:
        return f"contains an invisible control or text-direction character (U+{ord(m[0]):04X})"
    if any(unicodedata.category(c) == "Cs" for c in text):
        return "contains a lone surrogate (not valid Unicode text)"
    return None
