"""What the web audit's time budget costs: an audit in a forked, killable worker vs in the request's thread.

Run on demand:  .venv/bin/python bench/bench_budget.py [--runs 200]

Prints p50/p95 latency, in the same run, of the same audit (the 1,000-word article of
bench_audit.py, against an in-memory snapshot of the bundled store):
  * in the calling thread (the baseline: how the web app audited before the budget);
  * through `run_within` (a forked child per audit, killed at its deadline; the report comes back pickled);
and then how long a runaway (a 2 MB claim-dense article) holds a core with a 3 s budget, and
whether any worker is left running after the answer.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import time
from datetime import date

from bench_audit import article

from redline.claims.audit import audit, audit_snapshot
from redline.claims.budget import Budget, OverBudget, run_within
from redline.store import Store

DOC_DATE = date(2025, 11, 25)


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def row(name: str, ms: list[float], base: float) -> str:
    p50 = statistics.median(ms)
    p95 = statistics.quantiles(ms, n=20)[18]
    return f"| {name} | {p50:.1f} | {p95:.1f} | {p50 / base:.2f}× |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with Store(":memory:") as store:
        snapshot = audit_snapshot(store)
    text = article()
    budget = Budget(seconds=20, max_claims=5000)
    direct = lambda: audit(text, date=DOC_DATE, snapshot=snapshot).to_dict()  # noqa: E731
    forked = lambda: run_within(budget, direct)  # noqa: E731 (forced: this article is under inline_bytes)
    direct(), forked()  # warm
    base = timed(direct, args.runs)
    fork = timed(forked, args.runs)
    b50 = statistics.median(base)
    print(f"audit of a {len(text.split())}-word article, {args.runs} runs each (ms)\n")
    print("| how | p50 | p95 | p50 vs baseline |\n|---|---:|---:|---:|")
    print(row("in the calling thread (baseline)", base, b50))
    print(row("forked worker, killable (run_within)", fork, b50))
    print(f"\n(the web app forks only for articles over {budget.inline_bytes:,} bytes; this one is "
          f"{len(text.encode()):,})")

    sentence = "Xiaomi delivered 108,796 cars in Q3 2025, up 173% year on year. "
    runaway = sentence * (2_000_000 // len(sentence))
    t = time.perf_counter()
    try:
        run_within(Budget(seconds=3, max_claims=5000), lambda: audit(runaway, date=DOC_DATE, snapshot=snapshot))
        outcome = "finished"
    except OverBudget:
        outcome = "stopped (over_budget)"
    held = time.perf_counter() - t
    left = len(multiprocessing.active_children())
    print(f"\n2 MB claim-dense article, 3 s budget: {outcome} after {held:.2f} s; workers left running: {left}")


if __name__ == "__main__":
    main()
