"""A brief is safe to open whatever its facts' sources say: only http(s) URLs become links."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest

from redline.brief import Brief, write_brief
from redline.catalog import Entity
from redline.periods import Period
from redline.store import Store

AS_OF = date(2025, 7, 15)
SCRIPT_URL = "javascript:alert(document.domain)"
HTML_URL = "https://x.example/a><img src=x onerror=alert(1)>"


def _tiny_store(urls: tuple[str, ...]) -> Store:
    """Eighteen months of one maker's deliveries, their sources taken in turn from ``urls``."""
    s = Store(":memory:", load_pack=False)
    s.add_entity(Entity("Steady Motors", "company"))
    rows = []
    for i in range(18):  # January 2024 – June 2025
        p = Period.month(2024 + i // 12, i % 12 + 1)
        rows.append({"entity": "Steady Motors", "metric": "deliveries", "period_start": p.start.isoformat(),
                     "period_end": p.end.isoformat(), "value": 1000 + 10 * i, "unit": "vehicles",
                     "qualifier": "exact", "source_url": urls[i % len(urls)], "published": "2024-01-01"})
    s.add_facts(rows)
    return s


@pytest.fixture(scope="module")
def hostile() -> Brief:
    store = _tiny_store((HTML_URL, SCRIPT_URL))
    try:
        return write_brief(store, "Steady Motors", as_of=AS_OF, charts=False)
    finally:
        store.close()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


# -- HTML ------------------------------------------------------------------------------------------


def test_html_links_only_web_urls(hostile: Brief) -> None:
    tags = _tags(hostile.html)
    hrefs = [a.get("href") or "" for t, a in tags if t == "a"]
    assert hrefs and all(h.startswith(("#note-", "http://", "https://")) for h in hrefs), hrefs
    assert not any("javascript" in (v or "").lower() for _, a in tags for v in a.values())
    assert "img" not in {t for t, _ in tags}  # the URL's markup stays text
    # the script URL is still listed among the sources, as text
    assert f"<li>{SCRIPT_URL}</li>" in hostile.html


def test_html_sources_list_links_web_urls(hostile: Brief) -> None:
    assert '<li><a href="https://x.example/a&gt;&lt;img src=x onerror=alert(1)&gt;" rel=' in hostile.html
