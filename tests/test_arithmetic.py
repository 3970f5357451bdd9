"""The text's own arithmetic: grouped look-ups give exactly the checks of the pairwise definition.

``check_arithmetic`` meets each change only with the levels of its sentence and
each total only with levels of its (entity, metric, kind) that start where the
chain has reached (issue 15). ``pairwise_checks`` below is the definition it
replaced, comparing every pair; on random documents both must agree.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from redline.claims.arithmetic import (
    _SUMMABLE, ArithmeticCheck, _as_written, _change_between, _compatible, _fmt, _same_sentence, _scalar, check_arithmetic,
)
from redline.claims.model import Claim, ClaimPeriod
from redline.intervals import Interval
from redline.periods import Period

PERIODS = ["2025-01", "2025-02", "2025-03", "2025-Q1", "2025-Q2", "2025-Q3", "2025-04..2025-05", "2025-06",
           "2025-01..2025-09", "2025-H1", "2024-Q3", "2025"]


@st.composite
def documents(draw: st.DrawFn) -> list[Claim]:
    n = draw(st.integers(0, 40))
    claims = []
    for i in range(n):
        kind = draw(st.sampled_from(["level", "count", "change_pct"]))
        sentence = draw(st.integers(0, 4))
        bounded = draw(st.booleans())  # claims read by hand may have no sentence bounds
        start = sentence * 150 + draw(st.integers(0, 140))
        period = draw(st.none() | st.sampled_from(PERIODS))
        base = draw(st.none() | st.sampled_from(PERIODS)) if kind == "change_pct" else None
        value = float(draw(st.integers(1, 60)) * (1 if kind == "change_pct" else 10_000))
        claims.append(Claim(
            id=f"c{i}", text="x", start=start, end=start + 1, kind=kind,
            entity=draw(st.sampled_from([None, "Xiaomi", "NIO"])),
            metric=draw(st.sampled_from([None, "deliveries", "delivery_target", "market_share"])),
            unit="percent" if kind == "change_pct" else draw(st.sampled_from(["vehicles", "percent"])),
            period=ClaimPeriod.of(Period.parse(period)) if period else None,
            base_period=ClaimPeriod.of(Period.parse(base)) if base else None,
            value=value, precision=draw(st.sampled_from([0.0, 1.0, 1000.0])),
            base_value=draw(st.none() | st.sampled_from([10_000.0, 200_000.0])) if kind != "change_pct" else None,
            sentence_start=sentence * 150 if bounded else 0, sentence_end=sentence * 150 + 149 if bounded else 0,
        ))
    return claims


@settings(max_examples=150, deadline=None)
@given(documents())
def test_grouped_checks_equal_the_pairwise_definition(claims: list[Claim]) -> None:
    assert check_arithmetic(claims) == pairwise_checks(claims)


def test_a_long_document_is_checked_in_time_linear_in_its_claims() -> None:
    # 20,000 levels in 2,000 sentences: the pairwise definition compares 10^8 pairs; grouped, this is instant
    claims = []
    for s in range(2000):
        for j, month in enumerate(["2025-01", "2025-02", "2025-03", "2025-Q1"]):
            claims.append(Claim(id=f"c{s}-{j}", text="x", start=s * 100 + j, end=s * 100 + j + 1, kind="level",
                                entity="Xiaomi", metric="deliveries", unit="vehicles", value=1000.0 * (j + 1),
                                period=ClaimPeriod.of(Period.parse(month)), sentence_start=s * 100, sentence_end=s * 100 + 99))
        claims.append(Claim(id=f"p{s}", text="x", start=s * 100 + 5, end=s * 100 + 6, kind="change_pct", entity="Xiaomi",
                            metric="deliveries", unit="percent", value=100.0, precision=1,
                            period=ClaimPeriod.of(Period.parse("2025-02")), base_period=ClaimPeriod.of(Period.parse("2025-01")),
                            sentence_start=s * 100, sentence_end=s * 100 + 99))
    checks = check_arithmetic(claims)
    assert len(checks) == 4000 and all(c.holds for c in checks if c.claim_id.startswith("p"))
    assert all(not c.holds for c in checks if c.claim_id.startswith("c"))  # 1,000 + 2,000 + 3,000 is not 4,000


def pairwise_checks(claims: list[Claim] | tuple[Claim, ...]) -> list[ArithmeticCheck]:
    """The definition: every change against every level, every total against every level."""
    checks: list[ArithmeticCheck] = []
    changes = [c for c in claims if c.kind == "change_pct" and _scalar(c) is not None]
    levels = [c for c in claims if c.kind in ("level", "count") and _scalar(c) is not None]
    for ch in changes:
        done = False
        # 1. endpoints stated with one claim: "from X to Y", "to Y (up from X)"
        for lv in levels:
            if not (lv.base_value and lv.base_value > 0 and _same_sentence(ch, lv) and _compatible(ch, lv)):
                continue
            same_metric = lv.metric == ch.metric
            if not same_metric and ch.base_period is not None:
                continue
            value = _scalar(lv)
            assert value is not None
            check = _change_between(_as_written(lv.base_value, lv), lv.written_interval(), ch, (lv.id,), lv.metric,
                                    _fmt(lv.base_value), _fmt(value))
            if same_metric or check.holds:
                checks.append(check)
                done = True
                break
        if done or ch.period is None:
            continue
        # 2. the two levels compared, as separate claims of the same sentence and metric
        same = [lv for lv in levels if lv.metric == ch.metric and _compatible(ch, lv) and _same_sentence(ch, lv)
                and lv.period is not None]
        cur = [lv for lv in same if lv.period == ch.period]
        if ch.base_period is not None:
            old = [lv for lv in same if lv.period == ch.base_period]
        else:
            old = [lv for lv in same if lv.period is not None and lv.period.end < ch.period.start]
        if cur and old:
            a, b = old[0], cur[0]
            if a.written_interval().low > 0:
                checks.append(_change_between(a.written_interval(), b.written_interval(), ch, (a.id, b.id), ch.metric,
                                              a.text.strip(), b.text.strip()))
    # 3. a total and the parts that tile its period (flows only: shares and prices do not add up)
    for total in levels:
        if total.period is None or total.entity is None or total.unit == "percent":
            continue
        if total.metric is not None and total.metric not in _SUMMABLE:
            continue
        tp = total.period
        parts = [p for p in levels if p is not total and p.period is not None and p.entity == total.entity
                 and p.metric == total.metric and p.kind == total.kind
                 and tp.start <= p.period.start and p.period.end <= tp.end and p.period != tp]
        parts.sort(key=lambda p: p.period.start)  # type: ignore[union-attr]
        chain, cursor = [], tp.start
        for p in parts:
            assert p.period is not None
            if p.period.start == cursor:
                chain.append(p)
                cursor = p.period.end.fromordinal(p.period.end.toordinal() + 1)
        if len(chain) >= 2 and chain[-1].period is not None and chain[-1].period.end == tp.end:
            s = Interval.point(0.0)
            for p in chain:
                s = s + p.written_interval()
            holds = total.written_interval().overlaps(s)
            checks.append(ArithmeticCheck(
                total.id, tuple(p.id for p in chain), holds, s,
                " + ".join(_fmt(_scalar(p) or 0) for p in chain) + f" = {s.describe()}", total.metric))
    return checks
