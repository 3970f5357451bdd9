"""Benchmark the fact store: import time and query latency on a synthetic store.

Builds a store of N entities × 20 metrics × 120 months (the default, 1,000
entities, is 2.4 million monthly facts) plus an annual delivery target for each
entity and year, then times:

* ``Store.import_file`` on the monthly facts (the real, validated import path);
* p50/p95 latency of ``analytics.value``, ``analytics.growth`` and
  ``analytics.pace`` over random entities, on quarters and year-to-date spans
  that need a rollup of monthly facts.

Targets (issue 2): import under 30 s; p95 under 10 ms per query.

Run on demand (it is not part of the test suite)::

    .venv/bin/python bench/bench_store.py                 # 1,000 entities, CSV
    .venv/bin/python bench/bench_store.py --entities 100 --format parquet --queries 200
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from redline import analytics
from redline.catalog import Metric
from redline.periods import Period
from redline.store import Store

N_METRICS = 20
N_MONTHS = 120
FIRST_YEAR = 2016  # 120 months: 2016-01 .. 2025-12
VOLUME_METRICS = ("deliveries", "sales", "production")


def metric_names() -> list[str]:
    """Three built-in volume metrics plus synthetic summable ones, 20 in all."""
    return list(VOLUME_METRICS) + [f"bench_metric_{i:02d}" for i in range(N_METRICS - len(VOLUME_METRICS))]


def entity_name(i: int) -> str:
    return f"Bench Motors {i:04d}"


def write_entities(path: Path, n: int) -> None:
    con = duckdb.connect()
    con.execute(
        f"""
        COPY (
            SELECT 'Bench Motors ' || lpad(CAST(e AS VARCHAR), 4, '0') AS name,
                   'company' AS kind, NULL AS parent,
                   'BM' || CAST(e AS VARCHAR) AS aliases,
                   'synthetic benchmark entity' AS note
            FROM range({n}) t(e)
        ) TO '{path}' (HEADER, DELIMITER ',')
        """
    )
    con.close()


def write_facts(path: Path, n: int, fmt: str) -> int:
    """Monthly facts for every entity and metric, in arrival order (month by month)."""
    metrics = ", ".join(f"'{m}'" for m in metric_names())
    con = duckdb.connect()
    con.execute(
        f"""
        CREATE TABLE gen AS
        WITH months AS (
            SELECT i, CAST(DATE '{FIRST_YEAR}-01-01' + to_months(CAST(i AS INTEGER)) AS DATE) AS ms
            FROM range({N_MONTHS}) t(i)
        ), metrics AS (
            SELECT unnest([{metrics}]) AS metric
        )
        SELECT 'Bench Motors ' || lpad(CAST(e AS VARCHAR), 4, '0') AS entity,
               metric,
               strftime(ms, '%Y-%m-%d') AS period_start,
               strftime(last_day(ms), '%Y-%m-%d') AS period_end,
               CAST(1000 + hash(e, metric, i) % 50000 AS VARCHAR) AS value,
               'vehicles' AS unit,
               CASE WHEN hash(metric, e, i) % 20 = 0 THEN 'over' ELSE 'exact' END AS qualifier,
               NULL AS market,
               'https://example.com/bench/' || CAST(e AS VARCHAR) || '/' || strftime(ms, '%Y-%m') AS source_url,
               strftime(last_day(ms) + INTERVAL 5 DAY, '%Y-%m-%d') AS published,
               NULL AS note
        FROM months, metrics, range({n}) t(e)
        ORDER BY i, e, metric
        """
    )
    opts = "FORMAT parquet" if fmt == "parquet" else "HEADER, DELIMITER ','"
    con.execute(f"COPY gen TO '{path}' ({opts})")
    count = int(con.execute("SELECT count(*) FROM gen").fetchone()[0])
    con.close()
    return count


def write_targets(path: Path, n: int) -> int:
    """An annual delivery target per entity and year, revised once in June."""
    con = duckdb.connect()
    con.execute(
        f"""
        COPY (
            SELECT 'Bench Motors ' || lpad(CAST(e AS VARCHAR), 4, '0') AS entity,
                   'delivery_target' AS metric,
                   CAST(y AS VARCHAR) || '-01-01' AS period_start,
                   CAST(y AS VARCHAR) || '-12-31' AS period_end,
                   CAST(12 * 26000 + r * 20000 AS VARCHAR) AS value,
                   'vehicles' AS unit, 'exact' AS qualifier, NULL AS market,
                   'https://example.com/bench/target' AS source_url,
                   CAST(y AS VARCHAR) || CASE WHEN r = 0 THEN '-01-05' ELSE '-06-15' END AS published,
                   NULL AS note
            FROM range({n}) t(e), range({FIRST_YEAR}, {FIRST_YEAR + N_MONTHS // 12}) u(y), range(2) v(r)
        ) TO '{path}' (HEADER, DELIMITER ',')
        """
    )
    con.close()
    return n * (N_MONTHS // 12) * 2


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def random_period(rng: random.Random) -> Period:
    """A quarter or a year-to-date span, both of which need a rollup of monthly facts."""
    year = rng.randrange(FIRST_YEAR + 1, FIRST_YEAR + N_MONTHS // 12)
    if rng.random() < 0.5:
        return Period.quarter(year, rng.randint(1, 4))
    return Period.months_span(year, 1, rng.randint(2, 12))


def time_queries(store: Store, n_entities: int, n_queries: int, seed: int) -> dict[str, list[float]]:
    rng = random.Random(seed)
    metrics = metric_names()
    timings: dict[str, list[float]] = {"value": [], "growth": [], "pace": []}

    def timed(kind: str, fn) -> object:  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        out = fn()
        timings[kind].append((time.perf_counter() - t0) * 1000)
        return out

    for _ in range(n_queries):
        ent = entity_name(rng.randrange(n_entities))
        met = rng.choice(metrics)
        period = random_period(rng)
        r = timed("value", lambda: analytics.value(store, ent, met, period))
        assert r.method == "rollup", r  # type: ignore[attr-defined]
    for _ in range(n_queries):
        ent = entity_name(rng.randrange(n_entities))
        met = rng.choice(metrics)
        period = random_period(rng)
        vs = "yoy" if rng.random() < 0.5 else "ytd"
        timed("growth", lambda: analytics.growth(store, ent, met, period, vs=vs))  # type: ignore[arg-type]
    for _ in range(n_queries):
        ent = entity_name(rng.randrange(n_entities))
        year = rng.randrange(FIRST_YEAR, FIRST_YEAR + N_MONTHS // 12)
        as_of = date(year, rng.randint(3, 12), rng.randint(1, 28))
        p = timed("pace", lambda: analytics.pace(store, ent, year=year, as_of=as_of))
        assert p.delivered is not None  # type: ignore[attr-defined]
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=1000, help="number of entities (default 1000 → 2.4M facts)")
    parser.add_argument("--queries", type=int, default=500, help="queries of each kind (default 500)")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", help="file format to import (default csv)")
    parser.add_argument("--db", default=None, help="store file (default: a temporary file; ':memory:' for in-memory)")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="redline-bench-") as tmp:
        work = Path(tmp)
        db = args.db or str(work / "bench.duckdb")
        facts_path = work / f"facts.{args.format}"

        t0 = time.perf_counter()
        write_entities(work / "entities.csv", args.entities)
        n_facts = write_facts(facts_path, args.entities, args.format)
        n_targets = write_targets(work / "targets.csv", args.entities)
        t_generate = time.perf_counter() - t0

        store = Store(db, load_pack=False)
        for name in metric_names():
            if name.startswith("bench_metric_"):
                store.add_metric(Metric(name, "units", "sum", (), "synthetic benchmark metric"))
        t0 = time.perf_counter()
        store.import_entities(work / "entities.csv")
        t_entities = time.perf_counter() - t0

        t0 = time.perf_counter()
        result = store.import_file(facts_path)
        t_import = time.perf_counter() - t0
        print(f"imported {result.added:,} facts in {t_import:.2f} s", file=sys.stderr)
        assert result.added == n_facts, result

        t0 = time.perf_counter()
        targets = store.import_file(work / "targets.csv")
        t_targets = time.perf_counter() - t0
        assert targets.added == n_targets, targets

        t0 = time.perf_counter()
        again = store.import_file(facts_path)
        t_reimport = time.perf_counter() - t0
        assert again.added == 0, again

        timings = time_queries(store, args.entities, args.queries, args.seed)
        store.close()

    rows = [
        ("generate files (DuckDB)", f"{t_generate:.2f} s", ""),
        (f"import {args.entities:,} entities", f"{t_entities:.2f} s", ""),
        (f"import {n_facts:,} facts ({args.format})", f"{t_import:.2f} s", "target < 30 s"),
        (f"import {n_targets:,} targets", f"{t_targets:.2f} s", ""),
        ("re-import facts (adds 0)", f"{t_reimport:.2f} s", ""),
    ]
    width = max(len(r[0]) for r in rows) + 2
    print(f"\nredline store benchmark: {args.entities:,} entities × {N_METRICS} metrics × {N_MONTHS} months\n")
    for label, v, note in rows:
        print(f"{label:<{width}}{v:>10}   {note}")
    print(f"\n{'query (' + str(args.queries) + ' each)':<{width}}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}   target p95 < 10 ms")
    ok = t_import < 30
    for kind, samples in timings.items():
        p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
        ok = ok and p95 < 10
        print(f"{kind:<{width}}{p50:>10.2f}{p95:>10.2f}{max(samples):>10.2f}   mean {statistics.fmean(samples):.2f}")
    print("\nall targets met" if ok else "\nsome targets missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
