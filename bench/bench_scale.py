"""Flat audit costs: store size, article length and command start-up (issue 15).

Run on demand:  .venv/bin/python bench/bench_scale.py [--runs 30] [--only store,length,startup]

Every table compares against a baseline measured in the same run:

* store: p50 audit latency of the seed article (snapshot path, as `redline audit`
  and the web app run) on stores of 1x, 10x, 100x and 1000x the bundled facts.
  A k-times store holds the bundled pack plus k-1 renamed copies of every
  maker and its facts (more makers, not longer series; the markets stay the
  same). Ratio against 1x.
* length: audit cost per 1,000 words for articles of 1k to 300k words: the
  1k-word article (the seed and audit passages) repeated, so the density of
  claims stays the same (nothing in extraction or verification caches a
  sentence, so a repeat costs what the first did). Ratio against 1k words.
* cli: `redline audit SEED --json` in a new process on DuckDB stores of 1x,
  100x and 1000x (built once, under a temporary directory): wall time and peak
  memory. The command copies only the facts of the entities the article's
  claims can touch; the old path (a snapshot of the whole store) is timed
  in-process beside it. Ratio against 1x.
* startup: `redline value Xiaomi deliveries 2025-Q3` in a new process, against
  `python -c "import duckdb"` run alternately with it. Ratio against import duckdb.
Targets: store ratio <= 1.5 at every size; length ratio <= 1.3 at 300k words;
start-up ratio < 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench_audit import article, SEED
from redline.catalog import Entity
from redline.claims.audit import audit, audit_snapshot
from redline.store import Store
from redline.store.snapshot import Snapshot

DOC_DATE = date(2025, 11, 25)
ROOT = Path(__file__).resolve().parents[1]


def scaled_snapshot(base: Snapshot, k: int) -> Snapshot:
    """The bundled facts plus k-1 copies of every maker (renamed 'Name #i'), parents kept inside each copy.

    Markets are not copied: more makers sell into the same markets (their facts are copied, as the market's
    figures once).
    """
    facts = list(base.facts(latest_only=False))
    entities = dict(base.entities())
    next_id = max(f.id for f in facts) + 1
    makers = [e for e in base.entities().values() if e.kind != "market"]
    for i in range(1, k):
        rename = {e.name: f"{e.name} #{i}" for e in makers}
        for e in makers:
            entities[rename[e.name]] = Entity(rename[e.name], e.kind, rename.get(e.parent) if e.parent else None, (), e.note)
        for f in base.facts(latest_only=False):
            if f.entity not in rename:
                continue
            facts.append(dataclasses.replace(f, id=next_id, entity=rename.get(f.entity, f.entity),
                                             market=rename.get(f.market, f.market) if f.market else None))
            next_id += 1
    return Snapshot(facts, base.metrics(), entities, events=base._events)


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def store_table(runs: int) -> None:
    text = SEED.read_text(encoding="utf-8")
    base = audit_snapshot(Store(":memory:"))
    sizes = (1, 10, 100, 1000)
    snaps = {k: base if k == 1 else scaled_snapshot(base, k) for k in sizes}
    for snap in snaps.values():
        audit(text, date=DOC_DATE, snapshot=snap)  # warm up (and any per-snapshot set-up)
    times: dict[int, list[float]] = {k: [] for k in sizes}
    for _ in range(runs):  # round robin: a change in machine load falls on every size alike
        for k in sizes:
            times[k] += timed(lambda: audit(text, date=DOC_DATE, snapshot=snaps[k]), 1)
    print(f"seed audit latency by store size ({runs} runs each, interleaved; p50; snapshots built first, not timed)")
    print(f"{'store':>6} {'facts':>9} {'entities':>9} {'p50 ms':>8} {'p95 ms':>8} {'vs 1x':>6}")
    first = statistics.median(times[1])
    for k in sizes:
        xs = times[k]
        p50 = statistics.median(xs)
        print(f"{k:>5}x {snaps[k].count_facts():>9,} {len(snaps[k].entities()):>9,} {p50:8.2f} "
              f"{sorted(xs)[int(0.95 * (len(xs) - 1))]:8.2f} {p50 / first:6.2f}")


def long_article(words: int) -> str:
    """``words`` words at the claim density of the 1k-word article: that article, repeated as paragraphs."""
    first = article(1000)
    return "\n\n".join([first] * max(1, round(words / len(first.split()))))


def length_table(runs: int) -> None:
    snap = audit_snapshot(Store(":memory:"))
    print("audit cost per 1,000 words by article length (p50 of the runs; fewer runs for long texts)")
    print(f"{'words':>8} {'claims':>7} {'runs':>5} {'ms':>9} {'ms/1k words':>12} {'ms/claim':>9} {'vs 1k':>6}")
    first = None
    for words in (1_000, 10_000, 100_000, 300_000):
        text = long_article(words)
        n = len(text.split())
        r = max(3, runs * 1000 // words) if words > 1000 else runs
        report = audit(text, date=DOC_DATE, snapshot=snap)
        xs = timed(lambda: audit(text, date=DOC_DATE, snapshot=snap), min(r, runs))
        per = statistics.median(xs) / (n / 1000)
        first = first or per
        print(f"{n:>8,} {len(report.items):>7,} {len(xs):>5} {statistics.median(xs):9.1f} {per:12.2f} "
              f"{statistics.median(xs) / max(1, len(report.items)):9.3f} {per / first:6.2f}")


def store_file(path: Path, k: int) -> None:
    """A DuckDB store holding the k-times snapshot's facts and entities, through the real import path."""
    import csv

    snap = scaled_snapshot(audit_snapshot(Store(":memory:")), k)
    base = set(Store(":memory:").entities())
    with (path.parent / "entities.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "kind", "parent", "aliases", "note"])
        for e in snap.entities().values():
            if e.name not in base:
                w.writerow([e.name, e.kind, e.parent or "", "", e.note])
    with (path.parent / "facts.csv").open("w", newline="", encoding="utf-8") as fh:
        rows = [f.to_row() for f in snap.facts(latest_only=False) if f.entity not in base]
        w2 = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["entity"])
        w2.writeheader()
        w2.writerows(rows)
    with Store(path) as st:
        if k > 1:
            st.import_entities(path.parent / "entities.csv")
            st.import_file(path.parent / "facts.csv")


def cli_table(runs: int) -> None:
    redline = str(Path(sys.executable).with_name("redline"))
    print(f"`redline audit seed --json` in a new process by store size ({max(3, runs // 3)} runs, p50; "
          "peak RSS from /usr/bin/time)")
    print(f"{'store':>6} {'facts':>9} {'wall ms':>8} {'peak MB':>8} {'vs 1x':>6} {'whole-store snapshot ms':>24}")
    first = None
    with tempfile.TemporaryDirectory() as tmp:
        for k in (1, 100, 1000):
            d = Path(tmp) / f"x{k}"
            d.mkdir()
            db = d / "store.duckdb"
            store_file(db, k)
            cmd = ["/usr/bin/time", "-f", "%M", redline, "audit", str(SEED), "--date", "2025-11-25", "--json", "--db", str(db)]
            walls, peaks = [], []
            for _ in range(max(3, runs // 3)):
                t = time.perf_counter()
                done = subprocess.run(cmd, capture_output=True, text=True)
                walls.append((time.perf_counter() - t) * 1000)
                peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
            with Store(db, read_only=True) as st:
                n = st.count_facts()
                t = time.perf_counter()
                audit_snapshot(st)
                whole = (time.perf_counter() - t) * 1000
            p50 = statistics.median(walls)
            first = first or p50
            print(f"{k:>5}x {n:>9,} {p50:8.0f} {statistics.median(peaks):8.0f} {p50 / first:6.2f} {whole:24.0f}")


def startup_table(runs: int) -> None:
    py = sys.executable
    redline = str(Path(py).with_name("redline"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "REDLINE_DB": str(Path(tmp) / "bench.duckdb")}
        subprocess.run([redline, "value", "Xiaomi", "deliveries", "2025-Q3"], env=env, check=True, capture_output=True)
        cmds = {"python -c 'import duckdb'": [py, "-c", "import duckdb"],
                "redline value Xiaomi deliveries 2025-Q3": [redline, "value", "Xiaomi", "deliveries", "2025-Q3"],
                "python -c 'import redline'": [py, "-c", "import redline"]}
        times: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(runs):  # alternate, so both see the same machine load
            for name, cmd in cmds.items():
                t = time.perf_counter()
                subprocess.run(cmd, env=env, check=True, capture_output=True)
                times[name].append((time.perf_counter() - t) * 1000)
    base = statistics.median(times["python -c 'import duckdb'"])
    print(f"new-process start-up ({runs} alternating runs, p50)")
    print(f"{'command':42} {'p50 ms':>8} {'vs import duckdb':>17}")
    for name, xs in times.items():
        print(f"{name:42} {statistics.median(xs):8.1f} {statistics.median(xs) / base:17.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--only", default="store,length,cli,startup")
    args = ap.parse_args()
    parts = {"store": store_table, "length": length_table, "cli": cli_table, "startup": startup_table}
    for name in args.only.split(","):
        parts[name](args.runs)
        print()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
