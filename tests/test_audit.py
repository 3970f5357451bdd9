"""The audit end to end: extraction, verification and arithmetic on real text, and its renderings."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from redline.claims.verify import Reason
from redline.claims.audit import AuditReport, audit, audit_snapshot
from redline.claims.audit_schema import SCHEMA_PATH, audit_schema
from redline.periods import Period
from redline.store import Store
from redline.store.snapshot import Snapshot

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "xiaomi-ev-growth-vs-safety.txt"
GOLD = SHARED / "eval" / "seed_claims.json"
PASSAGES = json.loads((ROOT / "tests" / "data" / "audit_passages.json").read_text(encoding="utf-8"))["passages"]

needs_shared = pytest.mark.skipif(not SEED.exists() or not GOLD.exists(),
                                  reason="../shared (seed article and gold annotations) is not beside this checkout")


@pytest.fixture(scope="module")
def snapshot(pack: Store) -> Snapshot:
    return audit_snapshot(pack)


@pytest.fixture(scope="module")
def seed_report(snapshot: Snapshot) -> AuditReport:
    if not SEED.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    return audit(SEED.read_text(encoding="utf-8"), date="2025-11-25", snapshot=snapshot)


def _item_at(report: AuditReport, start: int, end: int) -> Any:
    hits = [i for i in report.items if i.claim.start < end and start < i.claim.end]
    return hits[0] if hits else None


def test_passage_set_is_large_and_varied() -> None:
    assert len(PASSAGES) >= 25
    assert {p["category"] for p in PASSAGES} >= {"right", "wrong", "frame", "stale", "edge", "nodata", "arithmetic"}


@pytest.mark.parametrize("passage", [
    pytest.param(p, marks=pytest.mark.xfail(reason=p["known_gap"], strict=True)) if p.get("known_gap") else p
    for p in PASSAGES
], ids=[p["id"] for p in PASSAGES])
def test_passage_verdicts(snapshot: Snapshot, passage: dict[str, Any]) -> None:
    report = audit(passage["text"], date=passage["date"], snapshot=snapshot)
    for expected in passage["expect"]:
        start = passage["text"].index(expected["quote"])
        item = _item_at(report, start, start + len(expected["quote"]))
        assert item is not None, f"no claim found at {expected['quote']!r}: {[i.claim.text for i in report.items]}"
        assert item.verdict == expected["verdict"], item.explanation


@needs_shared
def test_seed_verdicts_match_gold(seed_report: AuditReport) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    text = SEED.read_text(encoding="utf-8")
    checked = 0
    for g in gold["claims"]:
        if g["expected_verdict"] is None:
            continue
        start = text.find(g["quote"])
        assert start >= 0, g["quote"]
        item = _item_at(seed_report, start, start + len(g["quote"]))
        if item is None and not g["required"]:
            continue
        assert item is not None, f"gold claim {g['id']} not found"
        assert item.verdict == g["expected_verdict"], (g["id"], item.explanation)
        checked += 1
    assert checked >= 8


@needs_shared
def test_seed_ramp_is_arithmetic_on_a_target_called_production(seed_report: AuditReport) -> None:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("almost 15%")
    item = _item_at(seed_report, start, start + 10)
    assert item.verdict == "misleading"
    reasons = {r.value for r in item.reasons}
    assert {"metric_conflation", "arithmetic_holds"} <= reasons
    assert "350,000" in item.explanation and "400,000" in item.explanation and "production" in item.explanation


@needs_shared
def test_seed_market_share_explanations_name_the_market(seed_report: AuditReport) -> None:
    text = SEED.read_text(encoding="utf-8")
    for quote in ("16% in 2020", "below 5%"):
        start = text.index(quote)
        item = _item_at(seed_report, start, start + len(quote))
        # the text does not say which market the share is of (the gold note says as much), and the share on
        # record rests on one secondary source: the policy withholds a contradiction either way
        assert item.verdict == "supported" or {Reason.ambiguous_reading, Reason.weak_source_only} & set(item.reasons)
        assert "China NEV market" in item.explanation


@needs_shared
def test_seed_evidence_carries_sources(seed_report: AuditReport) -> None:
    supported = [i for i in seed_report.items if i.verdict == "supported"]
    assert len(supported) >= 6
    for item in supported:
        urls = [f.source_url for ev in item.evidence for f in ev.facts]
        assert urls and all(u and u.startswith("http") for u in urls), item.claim.text


def test_json_follows_the_published_schema(snapshot: Snapshot) -> None:
    report = audit(PASSAGES[0]["text"] + " " + PASSAGES[9]["text"], date="2025-11-25", snapshot=snapshot)
    data = json.loads(report.to_json())
    jsonschema.validate(data, audit_schema())
    assert data["summary"]["claims"] == len(data["claims"]) >= 2
    for claim in data["claims"]:
        assert data and claim["verdict"] in ("supported", "contradicted", "misleading", "unverifiable")


def test_committed_schema_is_current() -> None:
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == audit_schema(), \
        "run: python -m redline.claims.audit_schema"


HOSTILE = ('Xiaomi delivered 108,796 vehicles in Q3 2025. <script>alert("x")</script> '
           '<img src=x onerror="alert(1)"> & more <b>bold</b>.')


def test_html_escapes_the_article(snapshot: Snapshot) -> None:
    report = audit(HOSTILE, date="2025-11-25", snapshot=snapshot)
    page = report.to_html()
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "onerror=&quot;alert(1)&quot;" in page
    assert 'class="claim v-supported"' in page


def test_markdown_escapes_and_footnotes(snapshot: Snapshot) -> None:
    report = audit(HOSTILE, date="2025-11-25", snapshot=snapshot)
    md = report.to_markdown()
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "**108,796 vehicles**[^1]" in md
    assert "[^1]: **supported**" in md and "https://" in md


def test_failed_levels(snapshot: Snapshot) -> None:
    wrong = audit("Xiaomi delivered 118,796 vehicles in the third quarter of 2025.", date="2025-11-25", snapshot=snapshot)
    stale = audit("Xiaomi SU7 deliveries were 108,796 in the third quarter of 2025.", date="2025-11-25", snapshot=snapshot)
    assert wrong.failed("contradicted") and wrong.failed("misleading")
    assert not stale.failed("contradicted") and stale.failed("misleading")


def test_no_date_warns_and_uses_today(snapshot: Snapshot) -> None:
    report = audit("Xiaomi delivered 108,796 vehicles in the third quarter of 2025.", snapshot=snapshot)
    assert report.date_source == "today" and report.date == date.today()
    assert any("no document date" in w for w in report.warnings)


def test_notebook_repr_is_html(snapshot: Snapshot) -> None:
    report = audit("Xiaomi delivered 108,796 vehicles in the third quarter of 2025.", date="2025-11-25", snapshot=snapshot)
    assert report._repr_html_().count("<mark") == 1


def test_audit_of_empty_text_has_no_claims(snapshot: Snapshot) -> None:
    report = audit("", date="2025-11-25", snapshot=snapshot)
    assert report.summary == {"claims": 0, "supported": 0, "misleading": 0, "contradicted": 0, "unverifiable": 0}


def test_snapshot_keeps_explicit_events(store: Store) -> None:
    from redline.store.records import Event

    store.add_event(Event("Xiaomi YU7", date(2025, 6, 26), "launch", {"orders_3min": 200000},
                          "https://example.com/yu7-launch", "2025-06-27"))
    snap = Snapshot.from_store(store)
    launches = snap.events(entity="Xiaomi", kind="launch")
    assert [(e.entity, e.date) for e in launches] == [("Xiaomi YU7", date(2025, 6, 26))]
    assert snap.events(entity="Xiaomi", kind="launch", as_of=date(2025, 6, 1)) == []
    assert {e.kind for e in snap.events(entity="Xiaomi")} >= {"launch", "fatal_crash", "recall"}


def test_measured_figure_is_not_known_before_its_period_ends(pack: Store) -> None:
    # the 500,000th car (20 Nov 2025, published "2025-11") is not known to an article of 3 November
    snap = audit_snapshot(pack)
    early = snap.facts(entity="Xiaomi", metric="milestone_cumulative_production", as_of=date(2025, 11, 3))
    assert 500000 not in [f.value for f in early]
    late = snap.facts(entity="Xiaomi", metric="milestone_cumulative_production", as_of=date(2025, 11, 21))
    assert 500000 in [f.value for f in late]
    # a target published "2025-03" can be known from March 2025 although its year runs to December
    assert snap.facts(entity="Xiaomi", metric="delivery_target", period=Period.year(2025), as_of=date(2025, 3, 20))


def test_markdown_source_links_cannot_break_out(store: Store) -> None:
    store.add_facts([{
        "entity": "NIO", "metric": "deliveries", "period_start": "2024-01-01", "period_end": "2024-01-31",
        "value": "10055", "unit": "vehicles", "qualifier": "exact",
        "source_url": "https://x.example/a", "published": "2024-02-01",
    }], source="test")
    report = audit("NIO delivered 10,055 vehicles in January 2024.", date="2025-11-25", store=store)
    assert report.items[0].verdict == "supported"
    md = report.to_markdown()
    assert "<https://x.example/a>" in md
    from redline.markup import md_source

    assert md_source('https://x.example/a><img src=x onerror=alert(1)>') == \
        "<https://x.example/a%3E%3Cimg%20src=x%20onerror=alert(1)%3E>"
    assert "<" not in md_source("javascript:alert(1)")


def test_top_level_api(pack: Store) -> None:
    import redline

    report = redline.audit("Xiaomi delivered 108,796 cars in Q3 2025.", date="2025-11-25", store=pack)
    assert isinstance(report, redline.AuditReport) and report.summary["supported"] == 1


def test_an_audit_on_the_store_copies_only_the_facts_its_claims_can_touch(pack: Store, snapshot: Snapshot) -> None:
    # `redline audit` reads the article first, then copies the facts of the claims' families and the markets:
    # every passage (and the seed) gets exactly the report of an audit over the whole store
    texts = [(p["text"], p["date"]) for p in PASSAGES] + ([(SEED.read_text(encoding="utf-8"), "2025-11-25")]
                                                           if SEED.exists() else [])
    for text, when in texts:
        assert audit(text, date=when, store=pack).to_dict() == audit(text, date=when, snapshot=snapshot).to_dict()
    from redline.claims.audit import audit_scope
    from redline.claims.extract import extract
    from redline.claims.gazetteer import Gazetteer

    claims = extract("NIO delivered 40,397 vehicles in October 2025.", date=date(2025, 11, 25),
                     gazetteer=Gazetteer.of(snapshot))
    scope = audit_scope(pack, claims)
    assert "NIO" in scope and "Xiaomi" not in scope and "Tesla" not in scope
    assert {e.name for e in pack.entities().values() if e.kind == "market"} <= scope
