"""How the web app touches the store file: briefly, per request, and fairly.

DuckDB lets one process write a database file at a time, and a process that
holds the file read-only keeps other processes from writing it. ``redline
serve`` therefore never keeps a connection open between requests:

* every read opens :class:`~redline.store.Store` read-only, uses it and closes
  it; concurrent reads share the file (DuckDB reuses the open instance within
  the process, so overlapping opens cost microseconds);
* audits read a :class:`~redline.store.snapshot.Snapshot` (the facts and
  registries in memory, no connection) kept while the file is unchanged: its
  size and modification time, and its write-ahead log's, are checked on each
  audit, and the snapshot is rebuilt (one short read) after any write, ours or
  another process's. An audit therefore holds no lock while it computes
  (briefs, slower to write, are likewise kept per entity, date and peers until
  the file changes);
* every write (``POST /api/facts``, the add-fact form) is the one writer path:
  it waits for the server's own readers to finish, opens a short read-write
  :class:`Store`, writes through ``Store._write`` (one transaction) and closes;
* a ``redline facts import`` in another process is let in: when the server's
  readers have held the file without a break for ``hold_max`` seconds, new
  reads wait until the current ones finish and the file stays free for
  ``pause`` seconds — longer than the store's longest retry step (0.25 s), so a
  CLI writer waiting for the lock gets it within ``hold_max + pause`` seconds
  (5.3 s by default, inside the default lock timeout of 10 s) plus the time the
  reads in flight take to finish;
* while another process holds the lock, opening retries for the store's
  ``lock_timeout`` (``REDLINE_LOCK_TIMEOUT``) and then raises
  :class:`~redline.errors.StoreLocked`, which the app answers with HTTP 503, the
  error JSON shape and a ``Retry-After`` header.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Hashable, Iterator, TypeVar

from .. import settings
from ..errors import InputError, StoreLocked
from ..store import Store
from ..store.snapshot import Snapshot

__all__ = ["StoreAccess"]

T = TypeVar("T")


class _Gate:
    """A readers-writer lock for one store file, within this process.

    Writers wait for readers and go first once waiting (so a write is never
    starved by a stream of reads); readers that have held the file without a
    break for ``hold_max`` seconds make way for ``pause`` seconds, so that a
    writer in *another* process gets its turn.
    """

    def __init__(self, *, hold_max: float, pause: float) -> None:
        self.hold_max = hold_max
        self.pause = pause
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0
        self._held_since = 0.0
        self._draining = False
        self._paused_until = 0.0

    def acquire_read(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                now = time.monotonic()
                if self._readers and now - self._held_since >= self.hold_max:
                    self._draining = True
                wait = None
                if self._writer or self._writers_waiting or self._draining:
                    wait = deadline - now
                elif now < self._paused_until:
                    wait = min(self._paused_until, deadline) - now
                if wait is None:
                    break
                if now >= deadline:
                    raise _busy(timeout)
                self._cond.wait(max(wait, 0.001))
            if self._readers == 0:
                self._held_since = now
            self._readers += 1

    def release_read(self) -> None:
        with self._cond:
            self._readers -= 1
            if self._readers == 0 and self._draining:
                self._draining = False
                self._paused_until = time.monotonic() + self.pause
            self._cond.notify_all()

    def acquire_write(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._readers or self._writer:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise _busy(timeout)
                    self._cond.wait(remaining)
                self._writer = True
            finally:
                self._writers_waiting -= 1
                self._cond.notify_all()

    def release_write(self) -> None:
        with self._cond:
            self._writer = False
            self._cond.notify_all()


def _busy(timeout: float) -> StoreLocked:
    return StoreLocked(
        f"the store stayed busy for {timeout:g}s (a long write in this server); try again shortly, "
        "or raise REDLINE_LOCK_TIMEOUT"
    )


class StoreAccess:
    """Opens the store file for one request at a time.

    ``with access.read() as store: ...`` for reads, ``with access.write() as
    store: ...`` for writes; both close the store at the end of the block.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        /,
        *,
        lock_timeout: float | None = None,
        hold_max: float = 5.0,
        pause: float = 0.3,
        memo_size: int = 32,
    ) -> None:
        self.path = str(path) if path is not None else settings.default_db_path()
        if self.path == ":memory:":
            raise InputError("the web app needs a store file (an in-memory store would vanish after each request)")
        self.lock_timeout = float(settings.get("lock_timeout") if lock_timeout is None else lock_timeout)
        self._gate = _Gate(hold_max=hold_max, pause=pause)
        self._ready = False
        self._ready_lock = threading.Lock()
        self._snapshot: tuple[tuple[object, ...], Snapshot] | None = None
        self._snapshot_lock = threading.Lock()
        self._memo: OrderedDict[Hashable, tuple[tuple[object, ...], Any]] = OrderedDict()
        self._memo_size = memo_size
        self._memo_lock = threading.Lock()

    @property
    def retry_after(self) -> int:
        """Seconds a client is told to wait after a 503."""
        return max(1, int(round(self.lock_timeout / 2)))

    def _ensure(self) -> None:
        """Create (migrate, load the bundled pack into) a missing store once, through the writer path."""
        if self._ready:
            return
        with self._ready_lock:
            if self._ready:
                return
            if not Path(self.path).exists():
                self._gate.acquire_write(self.lock_timeout)
                try:
                    if not Path(self.path).exists():
                        Store(self.path, lock_timeout=self.lock_timeout).close()
                finally:
                    self._gate.release_write()
            self._ready = True

    @contextmanager
    def read(self) -> Iterator[Store]:
        """A read-only store for the length of the block."""
        self._ensure()
        self._gate.acquire_read(self.lock_timeout)
        try:
            store = Store(self.path, read_only=True, lock_timeout=self.lock_timeout)
            try:
                yield store
            finally:
                store.close()
        finally:
            self._gate.release_read()

    @contextmanager
    def write(self) -> Iterator[Store]:
        """A read-write store for the length of the block: the server's one writer path."""
        self._ensure()
        self._gate.acquire_write(self.lock_timeout)
        try:
            store = Store(self.path, lock_timeout=self.lock_timeout)
            try:
                yield store
            finally:
                store.close()
                self._snapshot = None
                with self._memo_lock:
                    self._memo.clear()
        finally:
            self._gate.release_write()

    def _signature(self) -> tuple[object, ...]:
        """What changes when the file does: size, mtime and inode of the file and of its WAL."""
        sig: list[object] = []
        for path in (self.path, self.path + ".wal"):
            try:
                st = os.stat(path)
            except FileNotFoundError:
                sig.append(None)
            else:
                sig.append((st.st_ino, st.st_size, st.st_mtime_ns))
        return tuple(sig)

    def snapshot(self) -> Snapshot:
        """The audit's snapshot of the store (:func:`redline.claims.audit.audit_snapshot`), rebuilt only when the file changes."""
        self._ensure()
        cached = self._snapshot
        signature = self._signature()
        if cached is not None and cached[0] == signature:
            return cached[1]
        with self._snapshot_lock:  # one rebuild at a time; the others reuse it
            cached = self._snapshot
            signature = self._signature()
            if cached is not None and cached[0] == signature:
                return cached[1]
            from ..claims.audit import audit_snapshot

            with self.read() as store:
                snapshot = audit_snapshot(store)
            self._snapshot = (signature, snapshot)
            return snapshot

    def remember(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, kept (the last ``memo_size`` keys) until the store file changes.

        For results that are slow to make and depend only on the store and ``key``: a brief
        takes about a second, and is the same for the same entity, date and peers.
        """
        signature = self._signature()
        with self._memo_lock:
            hit = self._memo.get(key)
            if hit is not None and hit[0] == signature:
                self._memo.move_to_end(key)
                return hit[1]  # type: ignore[no-any-return]
        value = build()
        with self._memo_lock:
            self._memo[key] = (signature, value)
            self._memo.move_to_end(key)
            while len(self._memo) > self._memo_size:
                self._memo.popitem(last=False)
        return value
