"""A brief is safe to open whatever its facts' sources say: only http(s) URLs become links."""

from __future__ import annotations

import dataclasses
from datetime import date
from html.parser import HTMLParser

import pytest

from redline.brief import Brief, write_brief
from redline.catalog import Entity
from redline.periods import Period
from redline.store import Store
from redline.store.snapshot import Snapshot

AS_OF = date(2025, 7, 15)
SCRIPT_URL = "javascript:alert(document.domain)"
HTML_URL = "https://x.example/a><img src=x onerror=alert(1)>"


def _tiny_store(urls: tuple[str, ...]) -> Snapshot:
    """Eighteen months of one maker's deliveries, their sources taken in turn from ``urls``.

    Import refuses such URLs now, but a database written before that check, or facts made in code, may
    still hold them: the brief must not trust them. So the facts are stored with plain URLs and the
    hostile ones put in on the way into the snapshot the brief reads.
    """
    s = Store(":memory:", load_pack=False)
    try:
        s.add_entity(Entity("Steady Motors", "company"))
        rows = []
        for i in range(18):  # January 2024 – June 2025
            p = Period.month(2024 + i // 12, i % 12 + 1)
            rows.append({"entity": "Steady Motors", "metric": "deliveries", "period_start": p.start.isoformat(),
                         "period_end": p.end.isoformat(), "value": 1000 + 10 * i, "unit": "vehicles",
                         "qualifier": "exact", "source_url": f"https://example.com/{i}", "published": "2024-01-01"})
        s.add_facts(rows)
        facts = [dataclasses.replace(f, source_url=urls[int(f.source_url.rsplit("/", 1)[1]) % len(urls)])
                 for f in s.facts(latest_only=False)]
        return Snapshot(facts, s.metrics(), s.entities())
    finally:
        s.close()


@pytest.fixture(scope="module")
def hostile() -> Brief:
    return write_brief(_tiny_store((HTML_URL, SCRIPT_URL)), "Steady Motors", as_of=AS_OF, charts=False)


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
    b = write_brief(_tiny_store((HTML_URL, SCRIPT_URL, "https://<b>bold</b>.example/x")), "Steady Motors",
                    as_of=AS_OF, png=False)
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
    from redline.markup import md_source

    assert md_source(url) == expected


# -- the output directory -----------------------------------------------------------------------------


def test_out_dir_that_is_a_file_is_an_input_error(pack: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from redline.errors import InputError

    target = tmp_path / "brief.md"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="is a file, not a directory"):
        write_brief(pack, "Xiaomi", as_of=date(2025, 11, 25), out_dir=target, charts=False)
    with pytest.raises(InputError, match="is a file, not a directory"):
        write_brief(pack, "Xiaomi", as_of=date(2025, 11, 25), out_dir=target / "sub", charts=False)
    assert target.read_text(encoding="utf-8") == "keep me"


def test_cli_out_that_is_a_file_exits_2(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "existing.txt"
    target.write_text("keep me", encoding="utf-8")
    r = cli("brief", "Xiaomi", "--as-of", "2025-11-25", "--no-charts", "--out", str(target))
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    assert "is a file, not a directory" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert target.read_text(encoding="utf-8") == "keep me"
    j = cli("brief", "Xiaomi", "--as-of", "2025-11-25", "--no-charts", "--out", str(target), "--json")
    assert j.exit_code == 2 and "is a file" in j.stdout + j.stderr
