"""Verification of single claims against the bundled fact pack, with claims built by hand.

These tests pin the verdict semantics independently of extraction: each case
is a claim as the extractor would produce it, and the verdict and reason code
an auditor must give on the document date.
"""

from __future__ import annotations

from datetime import date

import pytest

from redline.claims.arithmetic import check_arithmetic
from redline.claims.audit import audit_claims
from redline.claims.model import Claim, ClaimPeriod
from redline.claims.verify import Context, judge, verify
from redline.intervals import Interval
from redline.periods import Period
from redline.store import Store
from redline.store.snapshot import Snapshot

DOC_DATE = date(2025, 11, 25)


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    return Snapshot.from_store(Store(":memory:"), knowledge="earliest")


def P(text: str) -> ClaimPeriod:
    return ClaimPeriod.of(Period.parse(text))  # type: ignore[return-value]


def claim(text: str, **kw: object) -> Claim:
    kw.setdefault("kind", "level")
    kw.setdefault("unit", "vehicles")
    kw.setdefault("id", "c1")
    kw.setdefault("sentence_end", len(text))
    return Claim(text=text, start=0, end=len(text), **kw)  # type: ignore[arg-type]


CASES = [
    # (id, claim, verdict, reason that must be among the reasons)
    ("q3-exact", claim("108,796 deliveries", entity="Xiaomi", metric="deliveries", period=P("2025-Q3"), value=108796),
     "supported", "within_precision"),
    ("q3-wrong", claim("118,796 deliveries", entity="Xiaomi", metric="deliveries", period=P("2025-Q3"), value=118796),
     "contradicted", "value_mismatch"),
    ("q3-over", claim("more than 100,000", entity="Xiaomi", metric="deliveries", period=P("2025-Q3"), value=100000, qualifier="over"),
     "supported", "qualifier_holds"),
    ("q3-over-false", claim("more than 110,000", entity="Xiaomi", metric="deliveries", period=P("2025-Q3"), value=110000, qualifier="over"),
     "contradicted", "value_mismatch"),
    ("q3-rounded", claim("109,000", entity="Xiaomi", metric="deliveries", period=P("2025-Q3"), value=109000, qualifier="about"),
     "supported", "qualifier_holds"),
    ("yoy-173", claim("173%", kind="change_pct", unit="percent", entity="Xiaomi", metric="deliveries",
                      period=P("2025-Q3"), base_period=P("2024-Q3"), value=173, precision=1), "supported", "within_precision"),
    # 173.4% is outside the stated precision of "174%" ([173.5, 174.5)): the edge of rounding
    ("yoy-174", claim("174%", kind="change_pct", unit="percent", entity="Xiaomi", metric="deliveries",
                      period=P("2025-Q3"), base_period=P("2024-Q3"), value=174, precision=1), "contradicted", "value_mismatch"),
    ("yoy-173.4", claim("173.4%", kind="change_pct", unit="percent", entity="Xiaomi", metric="deliveries",
                        period=P("2025-Q3"), base_period=P("2024-Q3"), value=173.4, precision=0.1), "supported", "within_precision"),
    ("generic-volume-retail", claim("315,376 units", entity="Xiaomi", metric="deliveries", generic_volume=True,
                                    period=P("2025-01..2025-10"), value=315376), "supported", "retail_series"),
    ("deliveries-specific-bound", claim("315,376 deliveries", entity="Xiaomi", metric="deliveries", metric_phrase="deliveries",
                                        period=P("2025-01..2025-10"), value=315376), "unverifiable", "bound_only"),
    # 315,376 is the retail figure, but company deliveries are only known to be over 305,967: the claim's own
    # figure does not differ from it, so no flag (the sentence names the retail figure)
    ("deliveries-bound-only", claim("320,000 deliveries", entity="Xiaomi", metric="deliveries", metric_phrase="deliveries",
                                    period=P("2025-01..2025-10"), value=320000), "unverifiable", "bound_only"),
    ("target-current", claim("400,000", entity="Xiaomi", metric="delivery_target", period=P("2025"), value=400000),
     "supported", "within_precision"),
    ("target-stale", claim("its target is 350,000", entity="Xiaomi", metric="delivery_target", period=P("2025"), value=350000),
     "misleading", "superseded_revision"),
    ("target-never", claim("380,000", entity="Xiaomi", metric="delivery_target", period=P("2025"), value=380000),
     "contradicted", "value_mismatch"),
    ("brand-total-as-model", claim("108,796 SU7s", entity="Xiaomi SU7", metric="deliveries", period=P("2025-Q3"), value=108796),
     "misleading", "entity_conflation"),
    ("ytd-as-quarter", claim("265,967", entity="Xiaomi", metric="deliveries", period=P("2025-Q3"), value=265967),
     "misleading", "period_conflation"),
    ("target-as-production", claim("400,000 cars produced", entity="Xiaomi", metric="production", metric_phrase="produced",
                                   period=P("2025"), value=400000), "misleading", "metric_conflation"),
    ("ramp-as-production", claim("almost 15%", kind="change_pct", unit="percent", entity="Xiaomi", metric="production",
                                 metric_phrase="production", period=P("2025"), value=15, qualifier="almost", precision=1),
     "misleading", "metric_conflation"),
    ("share-ytd", claim("below 5%", unit="percent", entity="Tesla China", metric="market_share", period=P("2025"),
                        value=5, qualifier="under", precision=1), "supported", "year_to_date"),
    ("share-direct", claim("6.0%", unit="percent", entity="Tesla China", metric="market_share", period=P("2024"),
                           value=6.0, precision=0.1), "supported", "within_precision"),
    ("fatal-count", claim("two fatal crashes", kind="count", unit="incidents", entity="Xiaomi SU7", metric="fatal_incidents",
                          period=ClaimPeriod(start=date(2024, 3, 28), end=DOC_DATE), value=2), "supported", "events_on_record"),
    # the store records the events it knows of: more than on record is undecided, fewer is wrong
    ("fatal-count-more", claim("three fatal crashes", kind="count", unit="incidents", entity="Xiaomi SU7", metric="fatal_incidents",
                               period=ClaimPeriod(start=date(2024, 3, 28), end=DOC_DATE), value=3), "unverifiable", "bound_only"),
    ("fatal-count-fewer", claim("one fatal crash", kind="count", unit="incidents", entity="Xiaomi SU7", metric="fatal_incidents",
                                period=ClaimPeriod(start=date(2024, 3, 28), end=DOC_DATE), value=1), "contradicted", "value_mismatch"),
    ("fatal-count-none-on-record", claim("three fatal crashes", kind="count", unit="incidents", entity="NIO",
                                         metric="fatal_incidents", period=P("2025"), value=3), "unverifiable", "no_data"),
    ("fall-almost", claim("almost 36%", kind="change_pct", unit="percent", entity="Tesla China", metric="sales",
                          period=P("2025-10"), base_period=P("2024-10"), value=-36, qualifier="almost", precision=1),
     "supported", "qualifier_holds"),
    ("fall-more-than-40", claim("more than 40%", kind="change_pct", unit="percent", entity="Tesla China", metric="sales",
                                period=P("2025-10"), base_period=P("2024-10"), value=-40, qualifier="over", precision=1),
     "contradicted", "value_mismatch"),
    ("revenue-in-yuan", claim("28.3 billion yuan", unit="CNY", entity="Xiaomi", metric="revenue", period=P("2025-Q3"),
                              value=28.3e9, precision=1e8), "supported", "within_precision"),
    ("price-in-dollars", claim("$253,500", unit="USD", entity="Xiaomi YU7", metric="price_new", period=P("2025"),
                               value=253500), "unverifiable", "unit_mismatch"),
    ("variant-price", claim("529,900 yuan", unit="CNY", entity="Xiaomi SU7", metric="price_new", value=529900),
     "misleading", "entity_conflation"),
    ("locked-orders-bound", claim("250,000 locked orders", unit="orders", entity="Xiaomi YU7", metric="locked_orders",
                                  value=250000), "unverifiable", "bound_only"),
    ("tesla-children-not-summed", claim("790,000 cars", entity="Tesla", metric="sales", period=P("2024"), value=790000),
     "unverifiable", "no_data"),
    ("crash-in-march", claim("in March", kind="event", unit="incidents", entity="Xiaomi SU7", metric="fatal_incidents",
                             period=P("2025-03"), value=1), "supported", "events_on_record"),
    ("crash-in-june", claim("in June", kind="event", unit="incidents", entity="Xiaomi SU7", metric="fatal_incidents",
                            period=P("2025-06"), value=1), "contradicted", "value_mismatch"),
    ("preorders-bound", claim("200,000 pre-orders", unit="orders", entity="Xiaomi YU7", metric="pre_orders", value=200000),
     "supported", "matches_stated_bound"),
    ("no-data", claim("$200-$220", unit="USD", entity="Redmi Note 13 Pro", metric="price_resale", period=P("2025"),
                      value=[200, 220], qualifier="about"), "unverifiable", "no_data"),
    ("unknown-entity", claim("31 stores", unit="stores", entity="Orvis", metric="store_closures", value=31),
     "unverifiable", "unknown_entity"),
    ("no-entity", claim("31 stores", unit="stores", metric="store_closures", value=31), "unverifiable", "no_entity"),
    ("period-not-over", claim("420,000", entity="Xiaomi", metric="deliveries", period=P("2025"), value=420000),
     "unverifiable", "period_not_over"),
    ("qoq", claim("up 33.8% quarter on quarter", kind="change_pct", unit="percent", entity="Xiaomi", metric="deliveries",
                  period=P("2025-Q3"), base_period=P("2025-Q2"), value=33.8, precision=0.1), "supported", "within_precision"),
    ("yoy-as-qoq", claim("up 33.8%", kind="change_pct", unit="percent", entity="Xiaomi", metric="deliveries",
                         period=P("2025-Q3"), base_period=P("2024-Q3"), value=33.8, precision=0.1), "misleading", "period_conflation"),
]


@pytest.mark.parametrize("case_id, c, verdict, reason", CASES, ids=[c[0] for c in CASES])
def test_verdict(snapshot: Snapshot, case_id: str, c: Claim, verdict: str, reason: str) -> None:
    finding = verify(c, Context(snapshot, DOC_DATE, (c,), c.text))
    assert finding.verdict == verdict, finding.explanation
    assert reason in [r.value for r in finding.reasons], finding.reasons
    assert finding.explanation.endswith("."), finding.explanation


def test_supported_explanation_reads_plainly(snapshot: Snapshot) -> None:
    c = CASES[5][1]
    finding = verify(c, Context(snapshot, DOC_DATE, (c,), c.text))
    assert "108,796" in finding.explanation and "39,790" in finding.explanation and "+173.4%" in finding.explanation
    sources = {f.source_url for ev in finding.evidence for f in ev.facts}
    assert any("yicaiglobal" in (u or "") for u in sources)


def test_as_of_sees_the_target_of_that_time(snapshot: Snapshot) -> None:
    c = claim("the target is 350,000", entity="Xiaomi", metric="delivery_target", period=P("2025"), value=350000)
    assert verify(c, Context(snapshot, date(2025, 6, 1), (c,))).verdict == "supported"
    assert verify(c, Context(snapshot, DOC_DATE, (c,), c.text)).verdict == "misleading"


def test_superseded_value_quoted_as_former_is_supported(snapshot: Snapshot) -> None:
    new = claim("to 400,000", id="c1", entity="Xiaomi", metric="delivery_target", period=P("2025"), value=400000, base_value=350000)
    old = claim("up from 350,000", id="c2", entity="Xiaomi", metric="delivery_target", period=P("2025"), value=350000)
    report = audit_claims([new, old], source=snapshot, date=DOC_DATE)
    assert [i.verdict for i in report.items] == ["supported", "supported"]
    assert "former_value" in [r.value for r in report.items[1].reasons]


def test_ramp_is_arithmetic_that_holds_on_a_target_called_production(snapshot: Snapshot) -> None:
    ramp = claim("almost 15%", id="c1", kind="change_pct", unit="percent", entity="Xiaomi", metric="production",
                 metric_phrase="production", period=P("2025"), value=15, qualifier="almost", precision=1,
                 sentence_start=0, sentence_end=120)
    pair = claim("from 350,000 to 400,000 vehicles", id="c2", entity="Xiaomi", metric="delivery_target", period=P("2025"),
                 value=400000, base_value=350000, sentence_start=0, sentence_end=120)
    report = audit_claims([ramp, pair], source=snapshot, date=DOC_DATE)
    item = report.items[0]
    assert item.verdict == "misleading"
    assert {"metric_conflation", "arithmetic_holds"} <= {r.value for r in item.reasons}
    assert "target" in item.explanation and "production" in item.explanation


def test_broken_internal_arithmetic_is_reported_without_a_store(snapshot: Snapshot) -> None:
    # An unknown company: the store cannot help, the text's own numbers can.
    pair = claim("from 50,000 to 60,000", id="c1", entity="Acme Motors", metric="deliveries", value=60000, base_value=50000,
                 sentence_start=0, sentence_end=90)
    pct = claim("up 30%", id="c2", kind="change_pct", unit="percent", entity="Acme Motors", metric="deliveries", value=30,
                precision=1, sentence_start=0, sentence_end=90)
    report = audit_claims([pair, pct], source=snapshot, date=DOC_DATE)
    assert report.items[1].verdict == "contradicted"
    assert "arithmetic_error" in [r.value for r in report.items[1].reasons]
    assert "+20.0%" in report.items[1].explanation


def test_total_and_parts() -> None:
    parts = [
        claim("75,869", id="a", entity="Xiaomi", metric="deliveries", period=P("2025-Q1"), value=75869),
        claim("81,302", id="b", entity="Xiaomi", metric="deliveries", period=P("2025-Q2"), value=81302),
        claim("108,796", id="c", entity="Xiaomi", metric="deliveries", period=P("2025-Q3"), value=108796),
    ]
    good = claim("265,967", id="t", entity="Xiaomi", metric="deliveries", period=P("2025-01..2025-09"), value=265967)
    bad = claim("275,967", id="t", entity="Xiaomi", metric="deliveries", period=P("2025-01..2025-09"), value=275967)
    assert [c.holds for c in check_arithmetic(parts + [good])] == [True]
    assert [c.holds for c in check_arithmetic(parts + [bad])] == [False]


@pytest.mark.parametrize(
    "claim_iv, evidence, expected",
    [
        (Interval(172.5, 173.5, False, True), Interval.point(173.4), "fits"),
        (Interval(172.5, 173.5, False, True), Interval.point(173.5), "no"),
        (Interval(315375.5, 315376.5), Interval(305967, float("inf"), True), "bound_only"),
        (Interval(199999.5, 200000.5), Interval(200000, float("inf"), True), "bound"),
        (Interval(4.5, 5.5), Interval(4.9, 5.2), "fits"),
        (Interval(4.5, 5.5), Interval(5.2, 5.8), "consistent"),
    ],
)
def test_judge(claim_iv: Interval, evidence: Interval, expected: str) -> None:
    quoted = (claim_iv.low + claim_iv.high) / 2 if claim_iv.bounded else None
    assert judge(claim_iv, evidence, quoted) == expected


def test_arithmetic_ignores_a_comparison_of_another_metric() -> None:
    yoy = claim("173%", id="c1", kind="change_pct", unit="percent", entity="Xiaomi", metric="deliveries", value=173,
                precision=1, period=P("2025-Q3"), base_period=P("2024-Q3"), sentence_start=0, sentence_end=200)
    target = claim("from 350,000 to 400,000", id="c2", entity="Xiaomi", metric="delivery_target", period=P("2025"),
                   value=400000, base_value=350000, sentence_start=0, sentence_end=200)
    assert check_arithmetic([yoy, target]) == []


def test_arithmetic_respects_stated_precision() -> None:
    # 1.6bn -> 2.0bn is anything from +18% to +32%: "up 29%" is not an arithmetic error
    level = claim("2.0 billion yuan", id="c1", unit="CNY", entity="Xiaomi", metric="revenue", value=2.0e9, precision=1e8,
                  base_value=1.6e9, period=P("2025-Q3"), sentence_start=0, sentence_end=90)
    pct = claim("up 29%", id="c2", kind="change_pct", unit="percent", entity="Xiaomi", metric="revenue", value=29,
                precision=1, period=P("2025-Q3"), sentence_start=0, sentence_end=90)
    [check] = check_arithmetic([level, pct])
    assert check.holds


def test_shares_are_not_added_up() -> None:
    jan = claim("4.5%", id="a", unit="percent", entity="Tesla China", metric="market_share", period=P("2025-01"), value=4.5, precision=0.1)
    feb = claim("3.9%", id="b", unit="percent", entity="Tesla China", metric="market_share", period=P("2025-02"), value=3.9, precision=0.1)
    both = claim("5.3%", id="t", unit="percent", entity="Tesla China", metric="market_share", period=P("2025-01..2025-02"),
                 value=5.3, precision=0.1)
    assert check_arithmetic([jan, feb, both]) == []


def test_rounded_figure_is_not_pinned_to_a_coincidental_period(snapshot: Snapshot) -> None:
    c = claim("about 40,000", entity="Xiaomi", metric="deliveries", period=P("2025-Q2"), value=40000, qualifier="about")
    finding = verify(c, Context(snapshot, DOC_DATE, (c,), c.text))
    assert "period_conflation" not in [r.value for r in finding.reasons]
    assert finding.verdict == "contradicted"


@pytest.mark.parametrize(
    "c, verdict",
    [
        (claim("more than 300,000 so far this year", entity="Xiaomi", metric="deliveries", period=P("2025"),
               value=300000, qualifier="over"), "supported"),
        (claim("290,000 vehicles this year", entity="Xiaomi", metric="deliveries", period=P("2025"), value=290000),
         "contradicted"),
        (claim("more than 400,000 this year", entity="Xiaomi", metric="deliveries", period=P("2025"),
               value=400000, qualifier="over"), "unverifiable"),
    ],
    ids=["floor-passed", "total-already-exceeded", "still-open"],
)
def test_running_year_is_judged_on_the_months_on_record(snapshot: Snapshot, c: Claim, verdict: str) -> None:
    finding = verify(c, Context(snapshot, DOC_DATE, (c,), c.text))
    assert finding.verdict == verdict, finding.explanation
