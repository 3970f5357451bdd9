"""The HTML brief in a real browser with no network: every request it makes is for the file itself.

Drives Debian's Chromium through Playwright; skipped, with the reason, when /usr/bin/chromium is absent.
"""

from __future__ import annotations

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


def test_html_brief_opens_offline(pack: Store, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    brief = write_brief(pack, "Xiaomi", as_of=date(2025, 11, 25), peers=("Tesla China", "BYD", "NIO"),
                        out_dir=tmp_path, formats=("html",))
    page_path = tmp_path / "xiaomi.html"
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(offline=True)  # no network at all: anything fetched would fail
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        failed: list[str] = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        charts = page.locator("figure svg")
        assert charts.count() == len(brief.charts) >= 4
        for i in range(charts.count()):
            box = charts.nth(i).bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 50
        # a figure links to its note, and the note is there
        first = page.locator("a.fig").first
        target = first.get_attribute("href")
        assert target and page.locator(target).count() == 1
        out = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out / "brief-xiaomi.png"), full_page=True)
        browser.close()
    assert requests == [page_path.as_uri()]
    assert not failed
