"""Audit latency for a 1,000-word article on the bundled store.

Run on demand:  .venv/bin/python bench/bench_audit.py [--runs 200]

Prints p50/p95 of, in the same run:
  * extraction alone (the floor: reading the claims out of the text);
  * the audit against an in-memory snapshot (how `redline audit` and the web app run);
  * the audit against the DuckDB store directly, with no snapshot (the baseline the snapshot replaces);
  * building the snapshot itself (paid once per command or request).
Target: audit p95 under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date
from pathlib import Path

from redline.claims.audit import audit_claims, audit_snapshot
from redline.claims.extract import extract
from redline.claims.gazetteer import Gazetteer
from redline.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "xiaomi-ev-growth-vs-safety.txt"
DOC_DATE = date(2025, 11, 25)


def article(words: int = 1000) -> str:
    parts = []
    if SEED.exists():
        parts.append(SEED.read_text(encoding="utf-8"))
    passages = json.loads((ROOT / "tests" / "data" / "audit_passages.json").read_text(encoding="utf-8"))["passages"]
    i = 0
    while sum(len(p.split()) for p in parts) < words:
        parts.append(passages[i % len(passages)]["text"])
        i += 1
    text = "\n".join(parts)
    return " ".join(text.split(" ")[: int(words * 1.02)])


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args()
    text = article()
    store = Store(":memory:")
    snap = audit_snapshot(store)
    gaz = Gazetteer.from_store(snap)
    claims = extract(text, date=DOC_DATE, gazetteer=gaz)
    for _ in range(5):  # warm up
        audit_claims(extract(text, date=DOC_DATE, gazetteer=gaz), source=snap, date=DOC_DATE, text=text)
    rows = [
        ("extraction only", timed(lambda: extract(text, date=DOC_DATE, gazetteer=gaz), args.runs)),
        ("audit, snapshot", timed(lambda: audit_claims(extract(text, date=DOC_DATE, gazetteer=gaz), source=snap,
                                                       date=DOC_DATE, text=text), args.runs)),
        ("audit, DuckDB store (baseline)", timed(lambda: audit_claims(extract(text, date=DOC_DATE, gazetteer=gaz),
                                                                      source=store, date=DOC_DATE, text=text), max(20, args.runs // 5))),
        ("build snapshot", timed(lambda: audit_snapshot(store), max(20, args.runs // 5))),
    ]
    print(f"article: {len(text.split())} words, {len(claims)} claims; {args.runs} runs")
    print(f"{'what':34} {'p50 ms':>8} {'p95 ms':>8}")
    for name, xs in rows:
        print(f"{name:34} {statistics.median(xs):8.2f} {pct(xs, 0.95):8.2f}")
    base = statistics.median(rows[2][1]) / statistics.median(rows[1][1])
    print(f"snapshot audit is {base:.1f}x faster than auditing against the DuckDB store (p50)")


if __name__ == "__main__":
    main()
