"""The text's own arithmetic, checked with no store at all.

Three relations are recognised between the claims of one document:

* a change stated with its endpoints: "from 350,000 to 400,000" beside
  "almost 15%" (same sentence) — the change is recomputed from the endpoints;
* a change beside the two levels it compares: "108,796 … up 173% from 39,790";
* a total and its parts: "75,869, 81,302 and 108,796 … 265,967 in the first
  nine months" — parts whose periods tile the total's period must add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..intervals import Interval
from ..catalog import BUILTIN_METRICS
from .model import Claim

__all__ = ["ArithmeticCheck", "check_arithmetic"]


@dataclass(frozen=True)
class ArithmeticCheck:
    """One relation between numbers of the text, and whether it holds."""

    claim_id: str                 # the claim this check judges
    related_ids: tuple[str, ...]  # the claims it was computed from
    holds: bool
    computed: Interval
    computation: str
    metric: str | None            # the metric of the figures the check used

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim_id,
            "related": list(self.related_ids),
            "holds": self.holds,
            "computation": self.computation,
        }


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.2f}"


def _same_sentence(a: Claim, b: Claim) -> bool:
    if a.sentence_end and b.sentence_end:
        return a.sentence_start == b.sentence_start
    return abs(a.start - b.start) < 200


def _compatible(a: Claim, b: Claim) -> bool:
    return a.entity is None or b.entity is None or a.entity == b.entity


def _scalar(c: Claim) -> float | None:
    return None if isinstance(c.value, list) else float(c.value)


_SUMMABLE = {m.name for m in BUILTIN_METRICS if m.aggregation == "sum"}


def _pct(x: Interval) -> str:
    if x.is_point or x.high - x.low < 0.05:
        return f"{(x.low + x.high) / 2:+.1f}%"
    return f"{x.low:+.1f}% to {x.high:+.1f}%"


def _change_between(base: Interval, new: Interval, claim: Claim, related: tuple[str, ...], metric: str | None,
                    base_text: str, new_text: str) -> ArithmeticCheck:
    """The change from ``base`` to ``new`` (each as precise as it was written) against the claimed change."""
    ratio = new.ratio(base)
    computed = Interval((ratio.low - 1) * 100, (ratio.high - 1) * 100)
    holds = claim.interval().overlaps(computed)
    return ArithmeticCheck(claim.id, related, holds, computed, f"{new_text} / {base_text} − 1 = {_pct(computed)}", metric)


def _as_written(value: float, like: Claim) -> Interval:
    """A number given beside ``like`` ('from 350,000'), taken to the same stated precision."""
    half = like.precision / 2
    return Interval(value - half, value + half)


def check_arithmetic(claims: list[Claim] | tuple[Claim, ...]) -> list[ArithmeticCheck]:
    """Every arithmetic relation found between the claims of one document.

    Endpoints of another metric are used only when the change names no comparison
    of its own and the arithmetic holds: "production up almost 15% (that is,
    the target from 350,000 to 400,000)" pairs a change with the figures it was
    computed from, while "deliveries up 173% year on year" beside a target
    revision is two separate statements.
    """
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
            check = _change_between(_as_written(lv.base_value, lv), lv.interval(), ch, (lv.id,), lv.metric,
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
            if a.interval().low > 0:
                checks.append(_change_between(a.interval(), b.interval(), ch, (a.id, b.id), ch.metric,
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
                s = s + p.interval()
            holds = total.interval().overlaps(s)
            checks.append(ArithmeticCheck(
                total.id, tuple(p.id for p in chain), holds, s,
                " + ".join(_fmt(_scalar(p) or 0) for p in chain) + f" = {s.describe()}", total.metric))
    return checks
