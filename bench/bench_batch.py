"""Corpus audits: articles/s by engine and workers, peak memory against corpus size (issue 15).

Run on demand:  .venv/bin/python bench/bench_batch.py [--articles 10000] [--no-spark]

Generates a JSONL corpus of N articles (three of the real audit passages
each, several outlets and dates) and runs `redline audit-batch` on it in a new
process per row, timing it and reading its peak memory (GNU time's maximum
resident set of the largest process: the driver, a worker or Spark's JVM):

* local engine, 1 and 2 workers; Spark local[1] and local[2] (when PySpark and Java are here);
* the local engine with 2 workers on a quarter of the corpus, for peak memory against corpus size;
* whether local (2 workers) and Spark (local[2]) wrote the same rows.

Ratios are against the local engine with 1 worker, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
OUTLETS = ["https://cnevpost.com", "https://www.reuters.com", "https://electrek.co", "https://carnewschina.com",
           "https://www.bloomberg.com"]


def corpus(path: Path, n: int) -> None:
    passages = json.loads((ROOT / "tests" / "data" / "audit_passages.json").read_text(encoding="utf-8"))["passages"]
    rng = random.Random(15)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"a{i:07d}", "url": f"{rng.choice(OUTLETS)}/{i}",
                                 "published": f"2025-{rng.randint(9, 12):02d}-{rng.randint(1, 28):02d}",
                                 "text": "\n\n".join(p["text"] for p in rng.sample(passages, 3))}) + "\n")


def run(src: Path, out: Path, db: Path, *extra: str) -> tuple[float, float, dict[str, object]]:
    redline = str(Path(sys.executable).with_name("redline"))
    cmd = ["/usr/bin/time", "-f", "%M", redline, "audit-batch", str(src), "--out", str(out), "--json", "--db", str(db), *extra]
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return wall, int(done.stderr.strip().splitlines()[-1]) / 1024, json.loads(done.stdout)


def same_rows(a: Path, b: Path) -> bool:
    from redline.batch.output import read_results
    from redline.batch.rows import ARTICLE_COLUMNS, CLAIM_COLUMNS

    con = duckdb.connect()
    for table, columns in (("claims", CLAIM_COLUMNS), ("articles", ARTICLE_COLUMNS)):
        cols = ", ".join(f'"{n}"' for n, _ in columns)
        q = f"SELECT {cols} FROM {{}} EXCEPT ALL SELECT {cols} FROM {{}}"
        for x, y in ((a, b), (b, a)):
            if con.execute(q.format(read_results(x, table), read_results(y, table))).fetchone() is not None:
                return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--no-spark", action="store_true")
    args = ap.parse_args()
    from redline.batch.spark import spark_available

    spark = not args.no_spark and spark_available() is None
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        db = t / "store.duckdb"
        subprocess.run([str(Path(sys.executable).with_name("redline")), "value", "Xiaomi", "deliveries", "2025-Q3",
                        "--db", str(db)], check=True, capture_output=True)
        corpus(t / "all.jsonl", args.articles)
        corpus(t / "quarter.jsonl", args.articles // 4)
        rows = [("local, 1 worker", "all", ["--workers", "1"]),
                ("local, 2 workers", "all", ["--workers", "2"]),
                ("local, 2 workers, 1/4 corpus", "quarter", ["--workers", "2"])]
        if spark:
            rows += [("spark local[1]", "all", ["--engine", "spark", "--workers", "1"]),
                     ("spark local[2]", "all", ["--engine", "spark", "--workers", "2"])]
        print(f"audit-batch over generated articles ({os.cpu_count()} cores); each row a new process")
        print(f"{'engine':30} {'articles':>9} {'claims':>8} {'s':>7} {'articles/s':>11} {'vs local 1':>10} {'peak MB':>8}")
        base = None
        outs = {}
        for i, (name, src, extra) in enumerate(rows):
            out = t / f"out{i}"
            wall, peak, res = run(t / f"{src}.jsonl", out, db, *extra)
            outs[name] = out
            rate = int(res["articles"]) / wall  # type: ignore[arg-type]
            base = base or rate
            print(f"{name:30} {res['articles']:>9,} {res['claims']:>8,} {wall:7.1f} {rate:11.1f} {rate / base:10.2f} {peak:8.0f}")
        if spark:
            print(f"local (2 workers) and spark local[2] wrote the same rows: {same_rows(outs['local, 2 workers'], outs['spark local[2]'])}")
        else:
            print(f"spark not measured: {spark_available() or '--no-spark'}")


if __name__ == "__main__":
    main()
