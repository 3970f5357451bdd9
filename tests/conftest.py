"""Shared fixtures: stores over the bundled fact pack, fact files, and a CLI runner.

* ``pack`` — one in-memory store with the bundled pack for the whole session. Read only, by
  convention: tests that write use ``store``.
* ``store`` — a fresh in-memory store with the bundled pack, per test.
* ``pack_file`` / ``store_file`` — a DuckDB file with the pack (built once) and a per-test copy.
* ``write_facts`` — writes rows in the ev_facts.csv layout to CSV, JSON or Parquet under tmp_path.
* ``cli`` — runs ``redline …`` in-process against ``store_file`` and returns stdout, stderr,
  exit code and parsed JSON.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import duckdb
import pytest
from typer.testing import CliRunner

from redline.store import Store
from redline.store.records import FACT_COLUMNS


@pytest.fixture(scope="session")
def pack() -> Iterator[Store]:
    """The bundled fact pack in memory, shared by the session. Do not write to it."""
    store = Store(":memory:")
    yield store
    store.close()


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory store with the bundled pack, for tests that write."""
    s = Store(":memory:")
    yield s
    s.close()


@pytest.fixture(scope="session")
def pack_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file holding the bundled pack, built once per session."""
    path = tmp_path_factory.mktemp("pack") / "pack.duckdb"
    Store(path).close()
    return path


@pytest.fixture
def store_file(pack_file: Path, tmp_path: Path) -> Path:
    """A per-test copy of ``pack_file``."""
    path = tmp_path / "store.duckdb"
    shutil.copy(pack_file, path)
    return path


FactRow = dict[str, Any]


@pytest.fixture
def write_facts(tmp_path: Path) -> Callable[..., Path]:
    """``write_facts(rows, name="facts.csv", columns=None)`` → path of a CSV, JSON or Parquet file.

    The format follows the suffix. ``columns`` defaults to the ev_facts.csv layout (missing keys
    are left empty); pass fewer to write a file with a column missing.
    """

    def write(rows: Iterable[FactRow], name: str = "facts.csv", columns: Iterable[str] | None = None) -> Path:
        rows = list(rows)
        cols = list(columns) if columns is not None else list(FACT_COLUMNS)
        path = tmp_path / name
        suffix = path.suffix.lower()
        if suffix == ".csv":
            with path.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
                writer.writeheader()
                writer.writerows({c: row.get(c, "") for c in cols} for row in rows)
        elif suffix == ".json":
            path.write_text(json.dumps([{c: row.get(c) for c in cols} for row in rows]), encoding="utf-8")
        elif suffix == ".parquet":
            con = duckdb.connect()
            con.execute("CREATE TABLE t (" + ", ".join(f'"{c}" VARCHAR' for c in cols) + ")")
            if rows:
                con.executemany(
                    f"INSERT INTO t VALUES ({', '.join('?' for _ in cols)})",
                    [[None if row.get(c) is None else str(row.get(c)) for c in cols] for row in rows],
                )
            con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
            con.close()
        else:
            raise ValueError(f"write_facts: unknown suffix {suffix!r}")
        return path

    return write


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    def json(self) -> Any:
        return json.loads(self.stdout)


class Cli:
    """Runs ``redline ARGS…`` in-process with ``--db`` set through ``REDLINE_DB``."""

    def __init__(self, db: Path):
        from redline.cli import app

        self.app = app
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> CliResult:
        result = self.runner.invoke(self.app, list(args), env={"REDLINE_DB": str(self.db), "COLUMNS": "200", **(env or {})})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return CliResult(result.exit_code, result.stdout, result.stderr, result.exception)


@pytest.fixture
def cli(store_file: Path) -> Cli:
    """``cli("value", "Xiaomi", "deliveries", "2025-Q3", "--json")`` against a copy of the pack."""
    return Cli(store_file)


# -- `redline serve` in its own process ---------------------------------------------------------

REDLINE_CMD = [sys.executable, "-c", "import sys; from redline.cli import main; sys.argv[0] = 'redline'; main()"]
"""Runs the `redline` CLI of this checkout in a subprocess, whatever is on PATH."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _running_server(db: Path, log_path: Path, env: dict[str, str] | None = None,
                    args: Iterable[str] = ()) -> Iterator[str]:
    """`redline serve --db DB [ARGS]` on a free loopback port until the block ends; yields its base URL."""
    import httpx

    port = _free_port()
    with log_path.open("w") as log:
        proc = subprocess.Popen(REDLINE_CMD + ["serve", "--db", str(db), "--port", str(port), "--log-level", "warning",
                                               *args],
                                stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/entities", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start: " + log_path.read_text())
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def running_server() -> Callable[..., Any]:
    """``with running_server(db, log_path, env) as base_url: …`` — a real server in its own process."""
    return _running_server
