"""Browser tests: Playwright for Python driving Debian's Chromium against `redline serve` on loopback.

Skipped, with the reason, when /usr/bin/chromium is absent (scripts/setup --dev
installs it with apt when run as root). Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from redline.store import Store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
TOKEN = "browser-test-token"
CLI = [sys.executable, "-c", "import sys; from redline.cli import main; sys.argv[0] = 'redline'; main()"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`redline serve` over a fresh store with the bundled pack, on a free loopback port."""
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "browser.duckdb"
    Store(db).close()
    port = _free_port()
    log_path = tmp / "server.log"
    env = {**os.environ, "REDLINE_WRITE_TOKEN": TOKEN}
    with log_path.open("w") as log:
        proc = subprocess.Popen(CLI + ["serve", "--db", str(db), "--port", str(port), "--log-level", "warning"],
                                stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/api/entities", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start: " + log_path.read_text())
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    pg = context.new_page()
    external: list[str] = []
    pg.on("request", lambda req: external.append(req.url) if not req.url.startswith((server, "data:", "about:")) else None)
    try:
        yield pg
    finally:
        context.close()
    assert not external, f"the page loaded from other origins: {external}"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def token() -> str:
    """The write token the test server was started with."""
    return TOKEN
