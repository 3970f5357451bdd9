"""One escaping module (redline.markup), checked over every output with the same hostile names.

An entity may be called anything an importer typed, short of control and direction characters
(which imports refuse): each output must show such a name as text, never run it.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from redline.brief import write_brief
from redline.catalog import Entity
from redline.claims.audit import audit
from redline.markup import csv_cell, md_inline, terminal_text
from redline.periods import Period
from redline.store import Store

HOSTILE = (
    'Evil"><script>alert(1)</script>',
    "[x](javascript:alert(1))",
    '=HYPERLINK("https://evil.example","click")',
    "<img src=x onerror=alert(1)>",
)
AS_OF = date(2025, 7, 15)


def _store() -> Store:
    """Eighteen months of deliveries for each hostile name, the first the subject, the others peers."""
    s = Store(":memory:", load_pack=False)
    rows = []
    for k, name in enumerate(HOSTILE):
        s.add_entity(Entity(name, "company"))
        for i in range(18):
            p = Period.month(2024 + i // 12, i % 12 + 1)
            rows.append({"entity": name, "metric": "deliveries", "period_start": p.start.isoformat(),
                         "period_end": p.end.isoformat(), "value": 1000 * (k + 1) + 10 * i, "unit": "vehicles",
                         "source_url": f"https://example.com/{k}/{i}", "published": "2025-07-01",
                         "note": "\x1b]0;pwned\x07 =cmd|' /C calc'!A0"})
    s.add_facts(rows)
    return s


@pytest.fixture(scope="module")
def store() -> Any:
    s = _store()
    yield s
    s.close()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _assert_no_markup_from_names(html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    assert not [t for t, _ in parser.tags if t in ("script", "img", "iframe")]
    assert not [a for _, attrs in parser.tags for a in attrs if a.startswith("on")]
    links = [str(v) for _, attrs in parser.tags for k, v in attrs.items() if k in ("href", "src", "action", "xlink:href")]
    assert not [v for v in links if v.lower().startswith("javascript:")]


def _assert_plain_markdown(md: str) -> None:
    for raw in ("<script", "<img", "\x1b"):
        assert raw not in md, raw
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # '\](javascript:' is escaped text, not a link


def test_brief_markdown_and_html_show_hostile_names_as_text(store: Store) -> None:
    brief = write_brief(store, HOSTILE[0], as_of=AS_OF, peers=list(HOSTILE[1:]), charts=True)
    _assert_plain_markdown(brief.markdown)
    assert "Evil\"&gt;&lt;script&gt;" in brief.markdown  # shown, escaped
    _assert_no_markup_from_names(brief.html)
    for chart in brief.charts:
        _assert_no_markup_from_names(chart.svg)


def test_audit_reports_show_hostile_text_as_text(store: Store) -> None:
    text = f"{HOSTILE[0]} delivered 1,170 cars in June 2025. \x1b[2J {HOSTILE[3]} and {HOSTILE[1]}."
    report = audit(text, date=AS_OF, store=store)
    _assert_plain_markdown(report.to_markdown())
    _assert_no_markup_from_names(report.to_html())


def test_every_csv_export_neutralises_formula_cells(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "facts.csv"
    store.export(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    cells = [v for r in rows for v in r.values()]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    again = Store(":memory:", load_pack=False)
    again.add_entity(Entity(HOSTILE[2], "company"))
    for name in (HOSTILE[0], HOSTILE[1], HOSTILE[3]):
        again.add_entity(Entity(name, "company"))
    again.import_file(path)  # the apostrophe is taken off on the way back
    assert {f.entity for f in again.facts()} == set(HOSTILE)
    assert again.facts(entity=HOSTILE[2])[0].note == store.facts(entity=HOSTILE[2])[0].note


def test_terminal_output_carries_no_escape_sequence(cli: Any, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Xiaomi\x1b]0;pwned\x07 delivered 108,796 cars in Q3 2025.\x1b[2J\u202e")
    r = cli("audit", str(article), "--date", "2025-11-25")
    assert "\x1b" not in r.stdout + r.stderr and "\u202e" not in r.stdout
    assert "108,796" in r.stdout


@pytest.mark.parametrize(
    ("fn", "text", "expected"),
    [(md_inline, "a<b>&[c]`d`", "a&lt;b&gt;&amp;\\[c\\]\\`d\\`"),
     (terminal_text, "a\x1b[31mb\x9bc\u202ed\n\te", "a\ufffd[31mb\ufffdc\ufffdd\n\te"),
     (csv_cell, "=1+1", "'=1+1"), (csv_cell, "-5", "'-5"), (csv_cell, "Xiaomi", "Xiaomi"), (csv_cell, 5, 5)],
)
def test_escapes(fn: Any, text: Any, expected: Any) -> None:
    assert fn(text) == expected
