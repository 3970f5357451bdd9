"""The brief writer: content, notes, charts, determinism, data gaps and the CLI."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from redline.brief import Brief, write_brief
from redline.brief.render import md_label, note_order
from redline.brief.sections import Bullets, Paragraph
from redline.brief.text import Figure
from redline.store import Store

AS_OF = date(2025, 11, 25)
SPARSE_AS_OF = date(2025, 6, 30)
PEERS = ("Tesla China", "BYD", "NIO")
SNAPSHOTS = Path(__file__).parent / "snapshots" / "brief"


@pytest.fixture(scope="module")
def xiaomi(pack: Store) -> Brief:
    return write_brief(pack, "Xiaomi", as_of=AS_OF, peers=PEERS)


@pytest.fixture(scope="module")
def sparse(pack: Store) -> Brief:
    # XPeng's first 2025 figures on record were published on 1 July 2025 (Q2, June and H1 in one
    # release): on 30 June 2025 the store knows none of them
    return write_brief(pack, "XPeng", as_of=SPARSE_AS_OF, peers=("NIO",), charts=False)


def _sentences(brief: Brief):
    for section in brief.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                yield from block.sentences
            elif isinstance(block, Bullets):
                yield from block.items


def test_xiaomi_brief_sections_and_key_points(xiaomi: Brief) -> None:
    md = xiaomi.markdown
    assert md.startswith("# Xiaomi: deliveries, targets and safety\n")
    assert "As of 25 November 2025." in md
    for title in ("Key points", "Deliveries trajectory", "Year to date and pace to target", "Target revision history",
                  "Market position", "Safety record", "Resale signal", "Data notes", "Sources"):
        assert f"\n## {title}\n" in md
    keys = [i.key for i in xiaomi.key_points]
    assert {"growth", "target_revision", "target_status", "safety_fatal"} <= set(keys)
    # best first, points about the subject before points about its peers
    order = [(i.about is not None, -i.score) for i in xiaomi.insights]
    assert order == sorted(order)
    assert "108,796 vehicles in Q3 2025, up 173.4% year on year from 39,790 in Q3 2024[^" in md
    # January–October 2025 is a lower bound: October is known only as "over 40,000"
    assert "more than 305,967 vehicles in January–October 2025[^" in md
    assert "raised its 2025 delivery target from 350,000 to at least 400,000[^" in md


def test_forecast_and_backtest_are_reported(xiaomi: Brief) -> None:
    fc = xiaomi.forecast
    assert fc is not None and fc.target is not None and 0 < fc.p_target < 1
    md = xiaomi.markdown
    assert "(an 80% interval)" in md and "of the simulated paths end the year at or above the target" in md
    assert re.search(r"held the reported total in \d+† of \d+† forecasts \(\d+%† observed coverage\)", md)
    assert xiaomi.backtest.coverage is not None


def test_every_figure_points_to_a_note_with_facts(xiaomi: Brief) -> None:
    numbers = {n.key: n for n in xiaomi.notes}
    figures = [p for s in _sentences(xiaomi) for p in s.parts if isinstance(p, Figure)]
    assert len(figures) > 40
    for f in figures:
        note = numbers[f.note]
        if f.checkable:
            assert note.facts, f"{f.text}: a quoted figure needs the facts it came from"
            assert all(fact.source_url for fact in note.facts)
        else:
            assert note.how, f"{f.text}: a computed figure says how it was computed"
    # notes are numbered in order of first use, and every note is used
    order = list(dict.fromkeys(note_order(xiaomi.sections)))
    assert [n.key for n in xiaomi.notes] == order
    assert [n.number for n in xiaomi.notes] == list(range(1, len(order) + 1))
    for n in xiaomi.notes:
        assert f"\n[^{md_label(n.number)}]: {n.label}" in xiaomi.markdown


# Digits a sentence may carry outside its figures: years, quarters and halves, day dates, the fixed
# definitions ("per 100,000 vehicles", "an 80% interval"), and model names.
_ALLOWED = re.compile(
    r"\b(?:19|20)\d\d\b|\bQ[1-4]\b|\bH[12]\b|\b\d{1,2} (?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\b|100,000|80%|\bSU7\b|\bYU7\b"
)


@pytest.mark.parametrize("which", ["xiaomi", "sparse"])
def test_no_number_without_a_note(which: str, request: pytest.FixtureRequest) -> None:
    brief = request.getfixturevalue(which)
    for s in _sentences(brief):
        for part in s.parts:
            if isinstance(part, str):
                left = _ALLOWED.sub("", part)
                assert not re.search(r"\d", left), f"bare number in {s.plain()!r}"


def test_html_is_offline_and_links_every_number(xiaomi: Brief) -> None:
    html = xiaomi.html
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"""\bsrc\s*=\s*["']?https?:""", html)
    assert not re.search(r"url\(\s*['\"]?https?:", html)
    assert html.count("<svg") >= 4 and "<img" not in html
    targets = set(re.findall(r'href="#note-(\d+)"', html))
    ids = set(re.findall(r'<li id="note-(\d+)"', html))
    assert targets and targets <= ids
    assert len(ids) == len(xiaomi.notes)


def test_charts_render_to_svg_and_png(xiaomi: Brief, tmp_path: Path) -> None:
    names = [c.name for c in xiaomi.charts]
    assert {"monthly", "forecast", "share", "safety"} <= set(names)
    for c in xiaomi.charts:
        assert c.svg.lstrip().startswith("<svg") and "Sources:" in c.svg
        assert c.png[:8] == b"\x89PNG\r\n\x1a\n"
        assert c.sources(), f"{c.name}: the caption names its sources"


def test_writes_files(pack: Store, tmp_path: Path) -> None:
    b = write_brief(pack, "Xiaomi", as_of=AS_OF, peers=PEERS, out_dir=tmp_path)
    names = sorted(p.name for p in b.files)
    assert "xiaomi.md" in names and "xiaomi.html" in names
    assert len([n for n in names if n.endswith(".svg")]) >= 4 and len([n for n in names if n.endswith(".png")]) >= 4
    md = (tmp_path / "xiaomi.md").read_text(encoding="utf-8")
    for ref in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md):
        assert (tmp_path / ref).exists()


def test_deterministic(pack: Store, xiaomi: Brief) -> None:
    again = write_brief(pack, "Xiaomi", as_of=AS_OF, peers=PEERS)
    assert again.markdown == xiaomi.markdown
    assert again.html == xiaomi.html
    assert [c.svg for c in again.charts] == [c.svg for c in xiaomi.charts]


def test_markdown_snapshot(xiaomi: Brief) -> None:
    path = SNAPSHOTS / "xiaomi-2025-11-25.md"
    if os.environ.get("REDLINE_UPDATE_SNAPSHOTS") or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(xiaomi.markdown, encoding="utf-8")
    assert xiaomi.markdown == path.read_text(encoding="utf-8"), (
        "the Xiaomi brief changed; review the diff and rerun with REDLINE_UPDATE_SNAPSHOTS=1 to accept it")


def test_sparse_brief_is_shorter_and_says_what_is_missing(sparse: Brief, xiaomi: Brief) -> None:
    md = sparse.markdown
    assert len(md) < len(xiaomi.markdown) / 3
    assert not sparse.charts and sparse.forecast is None
    assert "Too few figures on XPeng are on record on 30 June 2025" in md
    assert "No monthly or quarterly deliveries of XPeng for 2025 are on record" in md
    assert "No forecast: too little monthly history" in md
    assert "No 2025 delivery target for XPeng is on record" in md
    assert "No fatal incidents are on record for XPeng and NIO" in md
    assert "No market share for XPeng or its peers can be checked" in md


def test_resale_retention_where_data_exists(store: Store) -> None:
    store.add_facts([
        {"entity": "Xiaomi SU7", "metric": "price_resale", "period_start": "2025-10-01", "period_end": "2025-10-31",
         "value": 180000, "unit": "CNY", "qualifier": "exact", "source_url": "https://example.com/resale",
         "published": "2025-11-02"},
    ])
    b = write_brief(store, "Xiaomi", as_of=AS_OF, charts=False)
    section = next(s for s in b.sections if s.key == "resale")
    text = " ".join(sent.plain() for block in section.blocks for sent in block.sentences)
    assert "The Xiaomi SU7's resale price of 180,000 CNY in October 2025 is 83.4% of its list price of 215,900 CNY." == text


def test_unknown_entity_is_a_clean_error(pack: Store) -> None:
    from redline.errors import NotFound

    with pytest.raises(NotFound, match="unknown entity"):
        write_brief(pack, "Nokia Motors", as_of=AS_OF)


# -- the self-audit: the auditor reads the Markdown brief and finds every number supported ------------


SELF_AUDIT = [("Xiaomi", ("Tesla China", "BYD", "NIO")), ("Tesla China", ("Xiaomi", "BYD", "NIO"))]


@pytest.mark.parametrize("entity,peers", SELF_AUDIT)
def test_self_audit_every_claim_supported(pack: Store, entity: str, peers: tuple[str, ...]) -> None:
    from redline.claims.audit import audit

    brief = write_brief(pack, entity, as_of=AS_OF, peers=peers, png=False)  # with charts: captions are audited too
    assert len(brief.charts) >= 4
    report = audit(brief.markdown, date=AS_OF, store=pack)
    assert report.summary["claims"] >= 15
    not_supported = [(i.claim.text, i.verdict, i.explanation) for i in report.items if i.verdict != "supported"]
    assert not not_supported
    # the brief's own arithmetic (forecast, rates, required pace; marked †) is never read as a quoted figure
    assert all(brief.markdown[i.claim.end:i.claim.end + 1] != "†" for i in report.items)


@pytest.mark.parametrize("entity,peers", SELF_AUDIT)
def test_self_audit_through_the_cli(cli, tmp_path: Path, entity: str, peers: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """`redline brief …` then `redline audit brief.md --date …`: every claim found is supported."""
    r = cli("brief", entity, "--as-of", "2025-11-25", "--peers", ",".join(peers), "--format", "md", "--out", str(tmp_path))
    assert r.exit_code == 0, r.stderr
    md = tmp_path / f"{entity.lower().replace(' ', '-')}.md"
    audit = cli("audit", str(md), "--date", "2025-11-25", "--json")
    assert audit.exit_code == 0, audit.stdout + audit.stderr
    report = audit.json()
    assert report["summary"]["claims"] >= 15
    assert [(c["text"], c["verdict"]) for c in report["claims"] if c["verdict"] != "supported"] == []


def test_cli_writes_markdown_and_html(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "briefs"
    r = cli("brief", "Xiaomi", "--as-of", "2025-11-25", "--peers", "Tesla China,BYD,NIO", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    assert (out / "xiaomi.md").exists() and (out / "xiaomi.html").exists()
    assert len(list(out.glob("xiaomi-*.svg"))) >= 4
    assert "wrote" in r.stdout


def test_cli_json_and_formats(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("brief", "Xiaomi", "--as-of", "2025-11-25", "--format", "md", "--no-charts", "--out", str(tmp_path), "--json")
    assert r.exit_code == 0, r.stderr
    data = r.json()
    assert data["entity"] == "Xiaomi" and data["forecast"]["target"]["value"] == 400000
    assert [Path(p).name for p in data["files"]] == ["xiaomi.md"]
    bad = cli("brief", "Xiaomi", "--format", "pdf", "--out", str(tmp_path))
    assert bad.exit_code == 2 and "md or html" in bad.stderr


# -- briefs a reader would not question ------------------------------------------------------------


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def _data(spec: dict) -> list[dict]:
    inline = [row for layer in [spec, *_layers(spec)] for row in (layer.get("data") or {}).get("values", [])]
    return inline + [row for rows in spec.get("datasets", {}).values() for row in rows]


@pytest.fixture(scope="module")
def byd(pack: Store) -> Brief:
    return write_brief(pack, "BYD", as_of=AS_OF, peers=["Xiaomi", "Tesla China"], png=False)


@pytest.mark.parametrize("which", ["xiaomi", "byd"])
def test_the_subject_leads_its_key_points_and_is_in_its_own_charts(which: str, request: pytest.FixtureRequest) -> None:
    brief: Brief = request.getfixturevalue(which)
    assert brief.key_points and brief.key_points[0].about is None  # the first point is about the subject
    firsts = [i.about is None for i in brief.key_points]
    assert firsts == sorted(firsts, reverse=True)  # no point about a peer before one about the subject
    for chart in brief.charts:
        if chart.name == "share":
            assert brief.entity in {r["entity"] for r in _data(chart.spec)}


def test_one_colour_per_maker_in_every_chart() -> None:
    from redline.brief.charts import MAKER_COLOURS, maker_colours

    for names in (["Xiaomi", "BYD"], ["BYD", "Tesla China", "Xiaomi", "NIO"], ["Zeekr", "Xiaomi"]):
        colours = dict(zip(names, maker_colours(names)))
        assert len(set(colours.values())) == len(names)
        for name in names:
            if name in MAKER_COLOURS:
                assert colours[name] == MAKER_COLOURS[name]
    assert maker_colours(["Zeekr"]) == maker_colours(["Zeekr", "Xiaomi"])[:1]  # the same in every brief


def test_a_missing_month_is_a_gap_in_the_line() -> None:
    from redline.brief.charts import _mark_runs

    rows = [{"entity": "A", "month": m} for m in ("2025-01-01", "2025-02-01", "2025-04-01", "2025-05-01")]
    rows.append({"entity": "B", "month": "2025-03-01"})
    _mark_runs(rows)
    runs = [r["run"] for r in rows]
    assert runs[0] == runs[1] != runs[2] == runs[3] != runs[4]


@pytest.mark.parametrize("which", ["xiaomi", "byd", "sparse"])
def test_titles_and_captions_describe_what_is_drawn(which: str, request: pytest.FixtureRequest) -> None:
    brief: Brief = request.getfixturevalue(which)
    for chart in brief.charts:
        if chart.name != "monthly":
            continue
        years = sorted({r["month"][:4] for r in _data(chart.spec) if "basis" in r})
        title = chart.spec["title"]["text"]
        assert title.endswith(years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"), title
        has_rule = any(layer.get("mark", {}).get("type") == "rule" for layer in _layers(chart.spec))
        assert ("dashed line" in chart.caption) == has_rule
