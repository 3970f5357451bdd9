"""Files redline writes (briefs, charts, audit reports) go down whole or not at all.

Each file is written beside its target under a hidden partial name and renamed
over it at the end, so a full disk, a read-only filesystem or an interrupt
leaves no half-written or empty file (and an existing file as it was). A
failure is an :class:`~redline.errors.InputError` naming the path and the
system's reason, which the CLI reports in one line with exit code 2.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError

__all__ = ["write_whole"]


def write_whole(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` whole or not at all; return the path."""
    path = Path(path)
    partial = path.with_name(f".redline-partial-{os.getpid()}-{path.name}")
    try:
        with open(partial, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
    except BaseException as exc:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    return path
