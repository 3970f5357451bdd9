"""Benchmark: claim extraction speed in words per second per core, redline against quantulum3.

Run: .venv/bin/python bench/bench_extract.py [--mb 1.0] [--corpus news|dense|both] [--skip-quantulum]

Two corpora of at least 1 MB each, built from real text in the repository:

- ``news``: the seed article (../shared/seeds/xiaomi-ev-growth-vs-safety.txt), the text
  quantulum3's "about 1,700 words/s" refers to, repeated to the size asked for;
- ``dense``: the seed article and every annotated passage of tests/data/extract_passages.json,
  shuffled — wire reports, press releases, earnings summaries, Chinese text — about three
  times as many numbers per word as ordinary news.

Both extractors read the same documents, one call per document as a corpus job would, on one
core (CPU time of this process, so other load on the machine matters less); redline is also
timed on the whole corpus as one string. redline's figures are the best of three runs;
quantulum3 runs once (it needs minutes per megabyte). quantulum3 is a development-only
dependency.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import warnings
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redline.claims.extract import extract  # noqa: E402
from redline.claims.gazetteer import default_gazetteer  # noqa: E402

SEED = ROOT / ".." / "shared" / "seeds" / "xiaomi-ev-growth-vs-safety.txt"
PASSAGES = ROOT / "tests" / "data" / "extract_passages.json"
DOC_DATE = date(2025, 11, 25)


def build(kind: str, size: int) -> list[str]:
    """Documents adding up to ``size`` bytes."""
    seed = SEED.read_text(encoding="utf-8") if SEED.exists() else ""
    if kind == "news":
        if not seed:
            raise SystemExit(f"the seed article is not at {SEED}; use --corpus dense")
        docs = [seed]
    else:
        docs = ([seed] if seed else []) + [p["text"] for p in json.loads(PASSAGES.read_text(encoding="utf-8"))["passages"]]
    rng = random.Random(2025)
    out: list[str] = []
    total = 0
    while total < size:
        order = docs[:]
        rng.shuffle(order)
        for d in order:
            out.append(d)
            total += len(d.encode("utf-8")) + 2
    return out


def time_redline(docs: list[str], runs: int = 3) -> tuple[float, float, int]:
    """(seconds per document call, seconds on the joined text, claims)."""
    gaz = default_gazetteer()
    joined = "\n\n".join(docs)
    extract(joined[:20_000], date=DOC_DATE, gazetteer=gaz)  # compile patterns once
    per_doc = whole = float("inf")
    n = 0
    for _ in range(runs):
        start = time.process_time()
        n = sum(len(extract(d, date=DOC_DATE, gazetteer=gaz)) for d in docs)
        per_doc = min(per_doc, time.process_time() - start)
        start = time.process_time()
        extract(joined, date=DOC_DATE, gazetteer=gaz)
        whole = min(whole, time.process_time() - start)
    return per_doc, whole, n


def time_quantulum(docs: list[str]) -> tuple[float, int]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser

        parser.parse("warm up: 3 kg")
        start = time.process_time()
        n = sum(len(parser.parse(d)) for d in docs)
        return time.process_time() - start, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=1.0, help="Size of each corpus in MB (at least 1 for the issue's figure).")
    ap.add_argument("--corpus", choices=("news", "dense", "both"), default="both")
    ap.add_argument("--skip-quantulum", action="store_true", help="Time redline only.")
    args = ap.parse_args()
    kinds = ("news", "dense") if args.corpus == "both" else (args.corpus,)
    rows = []
    for kind in kinds:
        docs = build(kind, int(args.mb * 1_000_000))
        words = sum(len(d.split()) for d in docs)
        secs, whole, claims = time_redline(docs)
        row = {
            "corpus": kind,
            "mb": round(sum(len(d.encode("utf-8")) + 2 for d in docs) / 1e6, 2),
            "documents": len(docs),
            "words": words,
            "redline_s": round(secs, 2),
            "redline_wps": round(words / secs),
            "redline_one_string_wps": round(words / whole),
            "claims_per_1k_words": round(1000 * claims / words, 1),
        }
        if not args.skip_quantulum:
            qsecs, quantities = time_quantulum(docs)
            row.update(quantulum_s=round(qsecs, 1), quantulum_wps=round(words / qsecs),
                       quantities_per_1k_words=round(1000 * quantities / words, 1),
                       ratio=round(qsecs / secs, 1))
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    print()
    head = f"{'corpus':8s} {'MB':>5s} {'words':>9s} {'redline w/s':>12s} {'(one string)':>12s} {'claims/1kw':>10s}"
    if not args.skip_quantulum:
        head += f" {'quantulum3 w/s':>15s} {'quantities/1kw':>14s} {'ratio':>7s}"
    print(head)
    for r in rows:
        line = (f"{r['corpus']:8s} {r['mb']:5.2f} {r['words']:9,d} {r['redline_wps']:12,d} "
                f"{r['redline_one_string_wps']:12,d} {r['claims_per_1k_words']:10.1f}")
        if "quantulum_wps" in r:
            line += f" {r['quantulum_wps']:15,d} {r['quantities_per_1k_words']:14.1f} {r['ratio']:6.0f}x"
        print(line)
    print("\nwords/s per core (CPU time of one process); target for redline: 100,000 words/s.")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "extract.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
