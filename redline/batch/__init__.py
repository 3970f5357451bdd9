"""Corpus audits: many articles, one row per claim and per article, on all cores or on Spark.

``audit_batch(inputs, out)`` reads articles as a stream (see
:mod:`redline.batch.inputs`), audits each with :func:`redline.batch.rows.audit_record`
against one fact snapshot, and writes the rows a chunk at a time (see
:mod:`redline.batch.output`). Articles already in ``out`` are skipped, so an
interrupted batch resumes where it stopped; a bad article becomes an error
row and the batch goes on.

Engines: ``local`` runs the chunks on ``workers`` processes (the snapshot is
sent to each once) with a bounded number of chunks in flight, so memory stays
flat in the corpus size; ``spark`` (:mod:`redline.batch.spark`) broadcasts the
snapshot and maps the same function over partitions.
"""

from __future__ import annotations

import os
import pickle
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date as Date
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import InputError
from ..store.snapshot import Snapshot
from .inputs import count_articles, read_articles
from .output import FORMATS, ResultsDir

__all__ = ["BatchResult", "audit_batch", "ENGINES", "CHUNK"]

ENGINES = ("local", "spark")
CHUNK = 200
"""Articles per chunk: the unit of work sent to a worker and of output written at once."""


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: articles audited now, skipped (already done), with errors, and claims written."""

    out: str
    articles: int
    skipped: int
    errors: int
    claims: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {"out": self.out, "articles": self.articles, "skipped": self.skipped, "errors": self.errors,
                "claims": self.claims, "seconds": round(self.seconds, 3),
                "articles_per_second": round(self.articles / self.seconds, 1) if self.seconds else None}


Progress = Callable[[int, int | None], None]
"""Called with (articles done so far, total or None) after each chunk."""

# -- the worker side: one snapshot per process, received once ---------------------------------------------------

_SNAPSHOT: Snapshot | None = None


def _init_worker(snapshot_bytes: bytes) -> None:
    global _SNAPSHOT
    _SNAPSHOT = pickle.loads(snapshot_bytes)


def _audit_chunk(records: list[dict[str, Any]], as_of: Date | None, out: str, format: str,
                 chunk: str) -> tuple[int, int, int]:
    """Audit one chunk and write its rows (in the worker: only counts travel back); (articles, errors, claims)."""
    from .rows import audit_record

    assert _SNAPSHOT is not None, "worker not initialised"
    claims: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    for rec in records:
        rows, article = audit_record(rec, _SNAPSHOT, as_of=as_of)
        claims += rows
        articles.append(article)
    ResultsDir(out, format=format).write(chunk, claims, articles)
    return len(articles), sum(1 for a in articles if a["error"]), len(claims)


def batch_snapshot(store: Any) -> Snapshot:
    """The whole store, as an audit reads it (a corpus can mention any entity), with its gazetteer built."""
    from ..claims.audit import audit_snapshot
    from ..claims.gazetteer import Gazetteer

    snap = audit_snapshot(store)
    Gazetteer.of(snap)
    return snap


def _chunks(records: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(islice(records, size)):
        yield chunk


def audit_batch(
    inputs: list[str],
    out: str | Path,
    /,
    *,
    snapshot: Snapshot,
    format: str = "parquet",
    engine: str = "local",
    workers: int | None = None,
    as_of: Date | None = None,
    chunk: int = CHUNK,
    progress: Progress | None = None,
) -> BatchResult:
    """Audit every article of ``inputs`` into the results folder ``out``; see the module docstring.

    ``as_of`` checks every article against the facts known on that date
    (hindsight) instead of those known on its publication date.
    """
    if engine not in ENGINES:
        raise InputError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if format not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise InputError(f"--workers must be 1 or more, not {workers}")
    results = ResultsDir(out, format=format)
    total = count_articles(inputs)
    if engine == "spark":
        from .spark import audit_batch_spark

        return audit_batch_spark(inputs, results, snapshot=snapshot, workers=workers, as_of=as_of)
    results.prepare()
    done = results.done_ids()
    started = time.perf_counter()
    counts = {"articles": 0, "skipped": 0, "errors": 0, "claims": 0}
    token = f"{int(time.time() * 1000):x}-{os.getpid()}"

    def todo() -> Iterator[dict[str, Any]]:
        seen: set[str] = set()
        for rec in read_articles(inputs):
            rid = str(rec.get("id") or "")
            if rid and (rid in done or rid in seen):
                counts["skipped"] += 1
                continue
            seen.add(rid)
            yield rec

    def finish(done_now: tuple[int, int, int]) -> None:
        counts["articles"] += done_now[0]
        counts["errors"] += done_now[1]
        counts["claims"] += done_now[2]
        if progress:
            progress(counts["articles"] + counts["skipped"], total)

    where = str(results.path)
    if workers == 1:
        _init_worker(pickle.dumps(snapshot))
        for n, records in enumerate(_chunks(todo(), chunk)):
            finish(_audit_chunk(records, as_of, where, format, f"{token}-{n:06d}"))
    else:
        payload = pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL)
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_init_worker,
                                 initargs=(payload,)) as pool:
            pending: list[Future[tuple[int, int, int]]] = []
            for n, records in enumerate(_chunks(todo(), chunk)):
                pending.append(pool.submit(_audit_chunk, records, as_of, where, format, f"{token}-{n:06d}"))
                while len(pending) >= 2 * workers:  # bounded: at most two chunks per worker in flight
                    finish(pending.pop(0).result())
            for fut in pending:
                finish(fut.result())
    results.finish()
    if progress and total is not None:
        progress(counts["articles"] + counts["skipped"], total)
    return BatchResult(str(out), counts["articles"], counts["skipped"], counts["errors"], counts["claims"],
                       time.perf_counter() - started)
