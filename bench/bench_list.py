"""What one `GET /api/facts?limit=N` costs on a large store: versions counted for the rows returned
(`Store.version_counts`, in SQL) against the baseline of counting them from every version loaded.

Run on demand:  .venv/bin/python bench/bench_list.py [--entities 300] [--runs 5]

Builds a synthetic store with bench_store.py's generator (20 metrics × 120 months per entity; 300
entities ≈ 720,000 facts, plus a revised target per entity and year), then times, in the same run,
the list of `limit` facts with their version counts both ways, and the peak of Python memory
(tracemalloc) each takes. Prints a table with the ratio against the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable

from bench_store import metric_names, write_entities, write_facts, write_targets

from redline.catalog import Metric
from redline.store import Store


def baseline(store: Store, limit: int) -> list[dict[str, Any]]:
    """The list as the web app built it before: every version loaded to count versions."""
    rows = store.facts(limit=limit)
    counts: dict[Any, int] = {}
    for f in store.facts(latest_only=False):
        counts[f.key] = counts.get(f.key, 0) + 1
    return [{**f.to_dict(), "versions": counts.get(f.key, 1)} for f in rows]


def counted(store: Store, limit: int) -> list[dict[str, Any]]:
    rows = store.facts(limit=limit)
    counts = store.version_counts(rows)
    return [{**f.to_dict(), "versions": counts.get(f.key, 1)} for f in rows]


def measure(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    times, out = [], None
    tracemalloc.start()
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 1e6, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        write_entities(work / "entities.csv", args.entities)
        write_facts(work / "facts.parquet", args.entities, "parquet")
        write_targets(work / "targets.csv", args.entities)
        with Store(work / "bench.duckdb", load_pack=False) as store:
            for name in metric_names():
                if name.startswith("bench_metric_"):
                    store.add_metric(Metric(name, "units", "sum", (), "synthetic benchmark metric"))
            store.import_entities(work / "entities.csv")
            store.import_file(work / "facts.parquet")
            store.import_file(work / "targets.csv")
            n = store.count_facts()
            print(f"{n:,} facts; limit={args.limit}; median of {args.runs} runs", file=sys.stderr)
            b_time, b_mem, b_rows = measure(lambda: baseline(store, args.limit), args.runs)
            c_time, c_mem, c_rows = measure(lambda: counted(store, args.limit), args.runs)
            assert b_rows == c_rows, "both ways must give the same answer"
    print("| how | median s | peak Python MB | time vs baseline |\n|---|---:|---:|---:|")
    print(f"| every version loaded (baseline) | {b_time:.3f} | {b_mem:.1f} | 1.00× |")
    print(f"| counted in SQL for the rows returned | {c_time:.4f} | {c_mem:.3f} | {c_time / b_time:.4f}× |")


if __name__ == "__main__":
    main()
