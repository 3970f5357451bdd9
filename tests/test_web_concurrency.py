"""One store, two faces: `redline serve` answering while `redline facts import` writes the same file.

DuckDB lets one process write a database file at a time. The server holds the
file only for the length of a request (see redline/web/access.py); these tests
prove that a CLI import into the store of a running server succeeds while the
server keeps answering, that a stream of reads cannot starve an outside
writer, and that a lock held too long gives the documented 503.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from redline.periods import Period
from redline.store import Store
from redline.web import create_app
from redline.web.access import StoreAccess

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

CLI = [sys.executable, "-c", "import sys; from redline.cli import main; sys.argv[0] = 'redline'; main()"]
TOKEN = "concurrency-token"


def write_facts(path: Path, year: int, n_months: int = 12, entity: str = "Xiaomi") -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["entity", "metric", "period_start", "period_end", "value", "unit", "qualifier", "source_url", "published"])
        for m in range(1, n_months + 1):
            end = 28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31
            w.writerow([entity, "deliveries", f"{year}-{m:02d}-01", f"{year}-{m:02d}-{end}", 1000 * m, "vehicles",
                        "exact", f"https://example.com/{year}/{m}", f"{year + 1}-01-15"])
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shared.duckdb"
    Store(path).close()
    return path


@pytest.fixture
def server(db: Path, tmp_path: Path, running_server: Any) -> Iterator[str]:
    """`redline serve` in its own process, on a free loopback port."""
    env = {"REDLINE_WRITE_TOKEN": TOKEN, "REDLINE_LOCK_TIMEOUT": "10"}
    with running_server(db, tmp_path / "server.log", env) as base:
        yield base


READS = [
    "/api/facts?entity=Xiaomi&metric=deliveries",
    "/api/value?entity=Xiaomi&metric=deliveries&period=2025-Q3",
    "/api/pace?entity=Xiaomi&year=2025&as_of=2025-11-25",
    "/",
    "/facts?entity=Xiaomi",
]


def read_stream(base: str, stop: threading.Event, results: list[tuple[str, int, float]]) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        i = 0
        while not stop.is_set():
            url = READS[i % len(READS)]
            t0 = time.monotonic()
            try:
                status = client.get(url).status_code
            except httpx.HTTPError as exc:  # recorded, and fails the test below
                status = -1
                url += f" ({exc!r})"
            results.append((url, status, time.monotonic() - t0))
            i += 1


def test_cli_import_while_the_server_answers(server: str, db: Path, tmp_path: Path) -> None:
    results: list[tuple[str, int, float]] = []
    stop = threading.Event()
    clients = [threading.Thread(target=read_stream, args=(server, stop, results)) for _ in range(4)]
    for t in clients:
        t.start()
    try:
        time.sleep(0.5)  # the server is busy before the import starts
        imports = []
        for year in (2031, 2032, 2033):
            csv_path = write_facts(tmp_path / f"facts-{year}.csv", year)
            t0 = time.monotonic()
            proc = subprocess.run(CLI + ["facts", "import", str(csv_path), "--db", str(db), "--json"],
                                  capture_output=True, text=True, timeout=60)
            imports.append((proc, time.monotonic() - t0))
        # and a write through the server itself, racing another CLI import
        racing = subprocess.Popen(CLI + ["facts", "import", str(write_facts(tmp_path / "f-2034.csv", 2034)),
                                         "--db", str(db), "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        posted = httpx.post(f"{server}/api/facts", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30, json={
            "entity": "Xiaomi", "metric": "deliveries", "period_start": "2035-01-01", "period_end": "2035-01-31",
            "value": 4242, "unit": "vehicles", "source_url": "https://example.com/2035", "published": "2035-02-01"})
        racing_out, racing_err = racing.communicate(timeout=60)
        time.sleep(0.5)  # the server keeps answering after the imports
    finally:
        stop.set()
        for t in clients:
            t.join(timeout=60)

    for proc, seconds in imports:
        assert proc.returncode == 0, proc.stderr + proc.stdout
        assert json.loads(proc.stdout)[0]["added"] == 12
    assert racing.returncode == 0, racing_err
    assert json.loads(racing_out)[0]["added"] == 12
    assert posted.status_code == 201, posted.text

    failures = [r for r in results if r[1] != 200]
    assert not failures, failures[:10]
    assert len(results) >= 40, "the server answered throughout"

    # the server sees what the CLI wrote
    rows = httpx.get(f"{server}/api/facts", params={"entity": "Xiaomi", "period": "2031..2035"}).json()
    assert len(rows) == 12 * 4 + 1
    with Store(db, read_only=True) as store:
        assert len(store.facts(entity="Xiaomi", period=Period.parse("2031..2035"))) == 49


def _reader(access: StoreAccess, stop: threading.Event, errors: list[BaseException]) -> None:
    while not stop.is_set():
        try:
            with access.read() as store:
                store.facts(entity="Xiaomi", limit=5)
                time.sleep(0.05)  # a slow page: readers always overlap
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)


def _saturate_and_import(db: Path, tmp_path: Path, access: StoreAccess, lock_timeout: float) -> subprocess.CompletedProcess[str]:
    stop = threading.Event()
    errors: list[BaseException] = []
    readers = [threading.Thread(target=_reader, args=(access, stop, errors)) for _ in range(6)]
    for t in readers:
        t.start()
    try:
        time.sleep(0.3)
        env = {**os.environ, "REDLINE_LOCK_TIMEOUT": str(lock_timeout)}
        return subprocess.run(CLI + ["facts", "import", str(write_facts(tmp_path / "sat.csv", 2040)), "--db", str(db), "--json"],
                              capture_output=True, text=True, timeout=60, env=env)
    finally:
        stop.set()
        for t in readers:
            t.join(timeout=30)
        assert not errors, errors[:3]


def test_a_stream_of_reads_cannot_starve_an_outside_writer(db: Path, tmp_path: Path) -> None:
    access = StoreAccess(db, lock_timeout=10, hold_max=0.5, pause=0.3)
    proc = _saturate_and_import(db, tmp_path, access, lock_timeout=3)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)[0]["added"] == 12


def test_without_the_pause_the_outside_writer_would_starve(db: Path, tmp_path: Path) -> None:
    """The control experiment: readers that never let go keep the CLI out until its lock timeout."""
    access = StoreAccess(db, lock_timeout=10, hold_max=1e9, pause=0.0)
    proc = _saturate_and_import(db, tmp_path, access, lock_timeout=1.5)
    assert proc.returncode == 2
    assert "store_locked" in proc.stdout


def test_a_lock_held_too_long_gives_503_with_retry_after(db: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         "time.sleep(30)", str(db)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        client = TestClient(create_app(db, write_token=TOKEN, lock_timeout=0.3))
        r = client.get("/api/facts", params={"entity": "Xiaomi"})
        assert r.status_code == 503
        body = r.json()
        assert body["error"] == "store_locked" and "REDLINE_LOCK_TIMEOUT" in body["message"]
        assert int(r.headers["retry-after"]) == body["retry_after"] >= 1
        page = client.get("/facts")
        assert page.status_code == 503 and "Retry-After" in page.headers
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


def test_audit_snapshot_is_reused_until_the_file_changes(db: Path, tmp_path: Path) -> None:
    access = StoreAccess(db)
    first = access.snapshot()
    assert access.snapshot() is first
    proc = subprocess.run(CLI + ["facts", "import", str(write_facts(tmp_path / "snap.csv", 2041)), "--db", str(db)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    second = access.snapshot()
    assert second is not first
    assert second.count_facts() == first.count_facts() + 12
    with access.write() as store:
        store.add_facts([{"entity": "Xiaomi", "metric": "deliveries", "period_start": "2042-01-01",
                          "period_end": "2042-01-31", "value": 1, "unit": "vehicles"}])
    assert access.snapshot().count_facts() == second.count_facts() + 1


def test_remembered_results_last_until_the_file_changes(db: Path, tmp_path: Path) -> None:
    access = StoreAccess(db, memo_size=2)
    calls: list[str] = []

    def build(key: str) -> object:
        calls.append(key)
        return object()

    a = access.remember("a", lambda: build("a"))
    assert access.remember("a", lambda: build("a")) is a and calls == ["a"]
    access.remember("b", lambda: build("b"))
    access.remember("c", lambda: build("c"))  # "a" is the oldest of three: dropped
    access.remember("a", lambda: build("a"))
    assert calls == ["a", "b", "c", "a"]
    proc = subprocess.run(CLI + ["facts", "import", str(write_facts(tmp_path / "memo.csv", 2043)), "--db", str(db)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    access.remember("a", lambda: build("a"))
    assert calls == ["a", "b", "c", "a", "a"], "a write by another process invalidates what was kept"


@pytest.mark.skipif(not hasattr(__import__("socket"), "SO_REUSEPORT"), reason="SO_REUSEPORT is not available here")
def test_two_workers_each_listen_and_stop_with_the_server(store_file: Path, tmp_path: Path, running_server: Any) -> None:
    # `redline serve --workers 2`: two processes, each with its own SO_REUSEPORT socket on the port
    import socket

    seed = "Xiaomi delivered 108,796 vehicles in the third quarter of 2025."
    with running_server(store_file, tmp_path / "server.log", None, ["--workers", "2"]) as base:
        port = int(base.rsplit(":", 1)[1])
        answers = []
        for _ in range(12):  # separate connections: the kernel hands each to one of the two sockets
            with httpx.Client(base_url=base, timeout=30) as client:
                answers.append(client.post("/api/audit", json={"text": seed, "date": "2025-11-25"}))
        assert [r.status_code for r in answers] == [200] * 12
        assert all(r.json()["claims"][0]["verdict"] == "supported" for r in answers)
    time.sleep(0.5)
    with socket.socket() as s:  # both workers have stopped: nothing listens on the port any more
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # (closed connections may linger in TIME_WAIT)
        s.bind(("127.0.0.1", port))
