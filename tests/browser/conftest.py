"""Browser tests: Playwright for Python driving Debian's Chromium against `redline serve` on loopback.

Skipped, with the reason, when /usr/bin/chromium is absent (scripts/setup --dev
installs it with apt when run as root). Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

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


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, running_server: Any) -> Iterator[str]:
    """`redline serve` over a fresh store with the bundled pack, on a free loopback port."""
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "browser.duckdb"
    Store(db).close()
    with running_server(db, tmp / "server.log", {"REDLINE_WRITE_TOKEN": TOKEN}) as base:
        yield base


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
