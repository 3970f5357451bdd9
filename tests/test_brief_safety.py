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


# -- Markdown --------------------------------------------------------------------------------------


def _md_html(markdown: str) -> str:
    """The Markdown as a CommonMark renderer (raw HTML allowed, as in most viewers) turns it into HTML."""
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").render(markdown)


def test_markdown_has_no_raw_html_from_urls(hostile: Brief) -> None:
    md = hostile.markdown
    assert "<img" not in md and "onerror=alert(1)>" not in md
    tags = _tags(_md_html(md))
    assert "img" not in {t for t, _ in tags}
    hrefs = [a.get("href") or "" for t, a in tags if t == "a"]
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    # the web URL is an autolink with the dangerous characters percent-encoded
    assert "- <https://x.example/a%3E%3Cimg%20src=x%20onerror=alert(1)%3E>\n" in md


def test_markdown_shows_other_urls_as_text(hostile: Brief) -> None:
    md = hostile.markdown
    assert "<javascript:" not in md
    assert "- javascript:alert\\(document.domain\\)\n" in md
    rendered = _md_html(md)
    assert "javascript:alert(document.domain)" in rendered  # shown, as text
    assert not any("javascript" in (v or "").lower() for _, a in _tags(rendered) for v in a.values())


def test_markdown_chart_captions_name_web_hosts_only() -> None:
    store = _tiny_store((HTML_URL, SCRIPT_URL, "https://<b>bold</b>.example/x"))
    try:
        b = write_brief(store, "Steady Motors", as_of=AS_OF, png=False)
    finally:
        store.close()
    captions = [line for line in b.markdown.splitlines() if line.startswith("*") and "Sources:" in line]
    assert captions
    for line in captions:
        assert "Sources: , " not in line  # no empty host for the javascript: source
        assert "<b>" not in line and "Sources: &lt;b&gt;bold&lt;, x.example" in line
    assert "b" not in {t for t, _ in _tags(_md_html(b.markdown))}


@pytest.mark.parametrize("url,expected", [
    ("https://example.com/a b", "<https://example.com/a%20b>"),
    ("HTTPS://example.com/q?a='1'&b=\"2\"", "<HTTPS://example.com/q?a=%271%27&b=%222%22>"),
    ("http://example.com/`x`\\y", "<http://example.com/%60x%60%5Cy>"),
    ("https://example.com/\n<script>", "<https://example.com/%0A%3Cscript%3E>"),
    ("ftp://example.com/file", "ftp://example.com/file"),
    ("data:text/html,<script>alert(1)</script>", "data:text/html,&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
    ("# heading", "\\# heading"),
    ("1. item", "1\\. item"),
    ("[x](javascript:alert(1))", "\\[x\\]\\(javascript:alert\\(1\\)\\)"),
])
def test_md_source(url: str, expected: str) -> None:
    from redline.brief.safe import md_source

    assert md_source(url) == expected
