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


def _change_between(base: float, new: float, claim: Claim, related: tuple[str, ...], metric: str | None) -> ArithmeticCheck:
    pct = (new / base - 1) * 100
    claimed = claim.interval()
    holds = claimed.contains(pct)
    return ArithmeticCheck(claim.id, related, holds, Interval.point(pct),
                           f"{_fmt(new)} / {_fmt(base)} − 1 = {pct:+.1f}%", metric)


def check_arithmetic(claims: list[Claim] | tuple[Claim, ...]) -> list[ArithmeticCheck]:
    """Every arithmetic relation found between the claims of one document."""
    checks: list[ArithmeticCheck] = []
    changes = [c for c in claims if c.kind == "change_pct" and _scalar(c) is not None]
    levels = [c for c in claims if c.kind in ("level", "count") and _scalar(c) is not None]
    for ch in changes:
        done = False
        # 1. endpoints stated with one claim: "from X to Y", "to Y (up from X)"
        for lv in levels:
            if lv.base_value and lv.base_value > 0 and _same_sentence(ch, lv) and _compatible(ch, lv):
                value = _scalar(lv)
                assert value is not None
                checks.append(_change_between(lv.base_value, value, ch, (lv.id,), lv.metric))
                done = True
                break
        if done or ch.period is None:
            continue
        # 2. the two levels compared, as separate claims of the same sentence
        base_period = ch.base_period
        cur = [lv for lv in levels if lv.period == ch.period and lv.metric == ch.metric and _compatible(ch, lv) and _same_sentence(ch, lv)]
        old = [lv for lv in levels if base_period is not None and lv.period == base_period and lv.metric == ch.metric
               and _compatible(ch, lv) and _same_sentence(ch, lv)]
        if cur and old:
            a, b = _scalar(old[0]), _scalar(cur[0])
            if a and b is not None and a > 0:
                checks.append(_change_between(a, b, ch, (old[0].id, cur[0].id), ch.metric))
    # 3. a total and the parts that tile its period
    for total in levels:
        if total.period is None or total.entity is None:
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
