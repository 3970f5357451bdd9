"""The HTML brief in a real browser with no network: every request it makes is for the file itself.

Drives Debian's Chromium through Playwright; skipped, with the reason, when /usr/bin/chromium is absent.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from redline.brief import write_brief
from redline.store import Store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]


def _open_offline(page_path: Path, screenshot: Path) -> dict[str, object]:
    """Open the page in Chromium with networking off; report requests, failures, charts and note links."""
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    failed: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(offline=True)  # no network at all: anything fetched would fail
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        charts = page.locator("figure svg")
        boxes = [charts.nth(i).bounding_box() for i in range(charts.count())]
        target = page.locator("a.fig").first.get_attribute("href")
        note_found = bool(target) and page.locator(str(target)).count() == 1
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    return {"requests": requests, "failed": failed, "boxes": boxes, "note_found": note_found}


def test_html_brief_opens_offline(pack: Store, tmp_path: Path) -> None:
    brief = write_brief(pack, "Xiaomi", as_of=date(2025, 11, 25), peers=("Tesla China", "BYD", "NIO"),
                        out_dir=tmp_path, formats=("html",))
    page_path = tmp_path / "xiaomi.html"
    screenshot = Path(__file__).resolve().parents[1] / "test-output" / "screenshots" / "brief-xiaomi.png"
    # Playwright's sync API refuses to run where an event loop is running (other suites start one):
    # a thread of its own has none.
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(_open_offline, page_path, screenshot).result(timeout=120)
    boxes = seen["boxes"]
    assert isinstance(boxes, list) and len(boxes) == len(brief.charts) >= 4
    assert all(b is not None and b["width"] > 200 and b["height"] > 50 for b in boxes)
    assert seen["note_found"], "a figure links to its note, and the note is there"
    assert seen["requests"] == [page_path.as_uri()]
    assert not seen["failed"]
