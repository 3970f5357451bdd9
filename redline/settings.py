"""Settings, declared as data: a name, a default and one line of help each.

Every setting can be given by an environment variable named ``REDLINE_`` plus
its upper-cased name (``REDLINE_DB``, ``REDLINE_WRITE_TOKEN``…). The CLI, the
docs and the tests read this declaration; ``redline settings`` lists it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .errors import InputError

__all__ = ["Setting", "SETTINGS", "get", "check", "default_db_path"]

ENV_PREFIX = "REDLINE_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env_var(self) -> str:
        return ENV_PREFIX + self.name.upper()


def _seconds(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError("must be a number of seconds, 0 or more (e.g. 10)")
    return value


def _count(text: str) -> int:
    value = int(text.replace("_", ""))
    if value < 1:
        raise ValueError("must be a whole number, 1 or more (e.g. 2000000)")
    return value


def _fraction(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or not 0 <= value < 1:
        raise ValueError("must be a fraction from 0 up to (not including) 1 (e.g. 0.05 for 5%)")
    return value


def _default_db() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "redline" / "redline.duckdb")


SETTINGS: tuple[Setting, ...] = (
    Setting("db", None, "Path of the DuckDB fact store (default: $XDG_DATA_HOME/redline/redline.duckdb, i.e. ~/.local/share/redline/redline.duckdb)."),
    Setting("lock_timeout", 10.0, "Seconds to keep retrying when another process holds the store's write lock.", _seconds),
    Setting("write_token", None, "Token the web app requires for writes (header 'Authorization: Bearer TOKEN'); unset means read-only."),
    Setting("max_upload_bytes", 2_000_000, "Largest article the web app accepts, in bytes; larger uploads get HTTP 413.", _count),
    Setting("audit_seconds", 20.0, "Most seconds the web app spends on one audit or extraction; longer work is "
            "stopped and answered with HTTP 422 (over_budget).", _seconds),
    Setting("audit_max_claims", 5000, "Most claims the web app checks in one article; more is HTTP 422 "
            "(too_many_claims). The CLI has no such limit.", _count),
    Setting("about_tolerance", 0.05, "Relative tolerance of 'about', 'around', 'roughly' (see docs/semantics.md).", _fraction),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str, *, lenient: bool = False) -> Any:
    """The value of a setting: its environment variable if set, else the default.

    A value that does not parse is an :class:`InputError` naming the variable; with ``lenient``
    (for values read when a module is imported, before the CLI can report anything) the default
    is used instead, and :func:`check` reports the bad value when a command starts.
    """
    setting = _BY_NAME[name]
    raw = os.environ.get(setting.env_var)
    if raw is None or raw == "":
        return setting.default
    if lenient:
        try:
            return setting.parse(raw.strip())
        except ValueError:
            return setting.default
    try:
        return setting.parse(raw.strip())
    except ValueError as exc:
        reason = str(exc) if str(exc).startswith("must be") else "not a number"
        raise InputError(f"{setting.env_var}={raw!r}: {reason} ({setting.help})") from None


def check() -> None:
    """Raise :class:`InputError` for the first setting whose environment variable does not parse."""
    for setting in SETTINGS:
        get(setting.name)


def default_db_path() -> str:
    return get("db") or _default_db()
