"""Load benchmark of the web app: ``POST /api/audit`` on the seed article, over loopback.

Starts ``redline serve`` (uvicorn; one process unless ``--workers``) on 127.0.0.1 and a free port,
over a fresh store with the bundled fact pack, and drives it with 1, 8 and 32
concurrent clients (asyncio + httpx, keep-alive connections). Each level runs
for ``--seconds`` (default 10) or ``--max-requests`` (default 2,000),
whichever ends first, after a short warm-up; it reports requests per second,
p50/p95/max latency and the number of errors (any status but 200, or a
transport error). The run fails (exit 1) if there is any error.

Run on demand (it is not part of the test suite)::

    .venv/bin/python bench/bench_web.py
    .venv/bin/python bench/bench_web.py --clients 1 8 32 --seconds 10 --json bench/out/web.json
    .venv/bin/python bench/bench_web.py --workers 2

The client runs on the same machine and competes with the server for CPU, so
the figures are a floor for what the server does alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "xiaomi-ev-growth-vs-safety.txt"
SEED_DATE = "2025-11-25"
CLI = [sys.executable, "-c", "import sys; from redline.cli import main; sys.argv[0] = 'redline'; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, log: Path, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "REDLINE_WRITE_TOKEN": ""}
    with log.open("wb") as out:
        proc = subprocess.Popen(CLI + ["serve", "--db", str(db), "--port", str(port), "--log-level", "warning",
                                       "--workers", str(workers)],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/entities", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


def connections_by_process(port: int) -> list[int]:
    """Established server-side connections on ``port``, counted per server process (from `ss -tnp`)."""
    import re
    import shutil

    if not shutil.which("ss"):
        return []
    out = subprocess.run(["ss", "-Htnp", "state", "established", f"( sport = :{port} )"], capture_output=True,
                         text=True).stdout
    counts: dict[str, int] = {}
    for pid in re.findall(r"pid=(\d+)", out):
        counts[pid] = counts.get(pid, 0) + 1
    return sorted(counts.values(), reverse=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


async def run_level(base: str, body: dict[str, str], clients: int, seconds: float, max_requests: int,
                    port: int = 0) -> dict[str, object]:
    latencies: list[float] = []
    errors: list[str] = []
    issued = 0
    deadline = 0.0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal issued
        while time.monotonic() < deadline and issued < max_requests:
            issued += 1
            t0 = time.perf_counter()
            try:
                r = await client.post("/api/audit", json=body)
                ok = r.status_code == 200 and r.json()["summary"]["claims"] > 0
                if not ok:
                    errors.append(f"HTTP {r.status_code}: {r.text[:200]}")
            except httpx.HTTPError as exc:
                errors.append(repr(exc))
            latencies.append(time.perf_counter() - t0)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        # warm-up: the first audit builds the snapshot and warms the caches
        for _ in range(2):
            await client.post("/api/audit", json=body)
        deadline = time.monotonic() + seconds
        t0 = time.perf_counter()
        spread: list[int] = []

        async def sample() -> None:  # once every client has connected: how the connections are shared out
            await asyncio.sleep(min(2.0, seconds / 2))
            spread.extend(await asyncio.to_thread(connections_by_process, port) if port else [])

        await asyncio.gather(sample(), *(worker(client) for _ in range(clients)))
        elapsed = time.perf_counter() - t0
    return {
        "clients": clients,
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
        "errors": len(errors),
        "connections_per_process": spread,
        "first_errors": errors[:3],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32], help="Concurrency levels.")
    ap.add_argument("--seconds", type=float, default=10.0, help="Longest run per level.")
    ap.add_argument("--max-requests", type=int, default=2000, help="Most requests per level.")
    ap.add_argument("--text", type=Path, default=SEED, help="Article to audit (default: the seed article).")
    ap.add_argument("--date", default=SEED_DATE, help="Its date.")
    ap.add_argument("--workers", type=int, nargs="+", default=[1],
                    help="Server worker processes (redline serve --workers); several (--workers 1 2) run one after "
                         "the other in this run, and the last level's req/s is compared with the first's.")
    ap.add_argument("--json", type=Path, help="Also write the results here.")
    args = ap.parse_args(argv)

    body = {"text": args.text.read_text(encoding="utf-8"), "date": args.date}
    results = []
    with tempfile.TemporaryDirectory(prefix="redline-bench-web-") as tmp:
        db = Path(tmp) / "bench.duckdb"
        subprocess.run(CLI + ["facts", "list", "--db", str(db), "--limit", "1", "--json"], check=True,
                       capture_output=True)  # creates the store and loads the bundled pack
        for workers in args.workers:
            port = free_port()
            server = start_server(db, port, Path(tmp) / "server.log", workers)
            try:
                base = f"http://127.0.0.1:{port}"
                for clients in args.clients:
                    results.append({"workers": workers, **asyncio.run(run_level(base, body, clients, args.seconds,
                                                                                args.max_requests, port))})
                    r = results[-1]
                    print(f"{workers} worker(s) {r['clients']:>3} clients: {r['requests']:>5} requests in {r['seconds']:>5}s  "
                          f"{r['rps']:>7} req/s  p50 {r['p50_ms']:>7} ms  p95 {r['p95_ms']:>7} ms  errors {r['errors']}  "
                          f"connections per process {r['connections_per_process']}",
                          flush=True)
            finally:
                server.terminate()
                server.wait(timeout=10)
    report = {
        "endpoint": "POST /api/audit",
        "article": str(args.text.name),
        "article_bytes": len(body["text"].encode()),
        "workers": args.workers,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "levels": results,
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"\nload average after the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print("\n| workers | clients | requests | req/s | p50 ms | p95 ms | errors |\n|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['workers']} | {r['clients']} | {r['requests']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['errors']} |")
    if len(args.workers) > 1:
        top = max(args.clients)
        rate = {r["workers"]: r["rps"] for r in results if r["clients"] == top}
        first, last = args.workers[0], args.workers[-1]
        print(f"\nat {top} clients: {last} workers / {first} worker(s) = {rate[last] / rate[first]:.2f}x req/s")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
