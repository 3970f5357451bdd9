"""Settings, declared as data: a name, a default and one line of help each.

Every setting can be given by an environment variable named ``REDLINE_`` plus
its upper-cased name (``REDLINE_DB``, ``REDLINE_WRITE_TOKEN``…). The CLI, the
docs and the tests read this declaration; ``redline settings`` lists it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

__all__ = ["Setting", "SETTINGS", "get", "default_db_path"]

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


def _default_db() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "redline" / "redline.duckdb")


SETTINGS: tuple[Setting, ...] = (
    Setting("db", None, "Path of the DuckDB fact store (default: $XDG_DATA_HOME/redline/redline.duckdb, i.e. ~/.local/share/redline/redline.duckdb)."),
    Setting("lock_timeout", 10.0, "Seconds to keep retrying when another process holds the store's write lock.", float),
    Setting("write_token", None, "Token the web app requires for writes (header 'Authorization: Bearer TOKEN'); unset means read-only."),
    Setting("max_upload_bytes", 2_000_000, "Largest article the web app accepts, in bytes; larger uploads get HTTP 413.", int),
    Setting("about_tolerance", 0.05, "Relative tolerance of 'about', 'around', 'roughly' (see docs/semantics.md).", float),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> Any:
    """The value of a setting: its environment variable if set, else the default."""
    setting = _BY_NAME[name]
    raw = os.environ.get(setting.env_var)
    if raw is None or raw == "":
        return setting.default
    return setting.parse(raw)


def default_db_path() -> str:
    return get("db") or _default_db()
