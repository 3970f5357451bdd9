"""Benchmark the brief writer: seconds to write a brief with charts, and what the charts cost.

Times, on the bundled fact pack:

* the first brief in a fresh process (it pays for vl-convert's one-off start-up);
* p50 / p95 of ``write_brief`` with charts (SVG + PNG) over ``--runs`` runs, and without charts
  (with the share of it spent on the forecast and its back-test);
* p50 of each chart's SVG and PNG rendering;
* optionally (``--cli``) the wall time of ``redline brief … --out DIR`` as a user runs it, interpreter start included.

Target (issue 5): a brief with charts written in under 3 seconds.

Run on demand (it is not part of the test suite)::

    .venv/bin/python bench/bench_brief.py
    .venv/bin/python bench/bench_brief.py --entity "Tesla China" --peers "Xiaomi,BYD,NIO" --runs 10 --cli
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entity", default="Xiaomi")
    parser.add_argument("--peers", default="Tesla China,BYD,NIO")
    parser.add_argument("--as-of", default="2025-11-25")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cli", action="store_true", help="also time `redline brief` end to end in a subprocess")
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)
    peers = [p.strip() for p in args.peers.split(",") if p.strip()]

    t0 = time.perf_counter()
    from redline.brief import write_brief
    from redline.brief.charts import build_charts, render
    from redline.brief.gather import gather
    from redline.store import Store

    imported = time.perf_counter() - t0
    t0 = time.perf_counter()
    store = Store(":memory:")
    loaded = time.perf_counter() - t0

    rows: list[tuple[str, str]] = [
        ("import redline.brief (altair, vl-convert)", f"{imported:.3f}"),
        ("open store, load the fact pack", f"{loaded:.3f}"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        first = write_brief(store, args.entity, as_of=as_of, peers=peers, out_dir=tmp)
        rows.append(("first brief in this process, with charts, files written", f"{time.perf_counter() - t0:.3f}"))
        with_charts, without, forecast = [], [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            write_brief(store, args.entity, as_of=as_of, peers=peers, out_dir=tmp)
            with_charts.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            b = write_brief(store, args.entity, as_of=as_of, peers=peers, charts=False)
            without.append(time.perf_counter() - t0)
            forecast.append(b.timings.get("forecast", 0.0))
    rows.append((f"brief with {len(first.charts)} charts (SVG + PNG), p50 of {args.runs}", f"{statistics.median(with_charts):.3f}"))
    rows.append((f"brief with charts, p95 of {args.runs}", f"{_pct(with_charts, 0.95):.3f}"))
    rows.append((f"brief without charts, p50 of {args.runs}", f"{statistics.median(without):.3f}"))
    rows.append((f"  of which forecast + back-test (history rebuilt per month-end), p50", f"{statistics.median(forecast):.3f}"))

    data = gather(store, args.entity, as_of=as_of, peers=peers)
    for chart in build_charts(data):
        svg_times, png_times = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            svg_only = render(chart, png=False)
            svg_times.append(time.perf_counter() - t0)
            import vl_convert as vlc

            t0 = time.perf_counter()
            vlc.svg_to_png(svg_only.svg, scale=2.0)
            png_times.append(time.perf_counter() - t0)
        rows.append((f"chart '{chart.name}': SVG / PNG, p50", f"{statistics.median(svg_times):.3f} / {statistics.median(png_times):.3f}"))

    if args.cli:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.duckdb"
            Store(db).close()
            cmd = [sys.executable, "-c", "import sys; from redline.cli import main; sys.argv[0] = 'redline'; main()",
                   "brief", args.entity, "--as-of", args.as_of, "--peers", args.peers, "--out", tmp, "--db", str(db)]
            walls = []
            for _ in range(max(3, args.runs // 2)):
                t0 = time.perf_counter()
                subprocess.run(cmd, check=True, capture_output=True)
                walls.append(time.perf_counter() - t0)
            rows.append(("`redline brief` end to end (new process), p50", f"{statistics.median(walls):.3f}"))

    width = max(len(r[0]) for r in rows)
    print(f"brief: {args.entity} as of {args.as_of}, peers {', '.join(peers)}")
    print(f"{'step'.ljust(width)}  seconds")
    print(f"{'-' * width}  -------")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    target = statistics.median(with_charts)
    print(f"\ntarget: a brief with charts in under 3 s — {'met' if target < 3 else 'NOT met'} (p50 {target:.2f} s)")


if __name__ == "__main__":
    main()
