"""The text's own arithmetic, checked with no store at all.

Three relations are recognised between the claims of one document:

* a change stated with its endpoints: "from 350,000 to 400,000" beside
  "almost 15%" (same sentence) — the change is recomputed from the endpoints;
* a change beside the two levels it compares: "108,796 … up 173% from 39,790";
* a total and its parts: "75,869, 81,302 and 108,796 … 265,967 in the first
  nine months" — parts whose periods tile the total's period must add up.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
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


_NEAR = 200  # characters: claims with no sentence bounds are "in the same sentence" when this close


class _Sentences:
    """The levels of a document by sentence, so each change meets only its own sentence's levels.

    Equivalent to testing :func:`_same_sentence` against every level (in document
    order), at a cost that grows with the claims, not their square.
    """

    def __init__(self, levels: list[Claim]):
        self.by_start: dict[int, list[tuple[int, Claim]]] = {}
        loose: list[tuple[int, int, Claim]] = []
        every: list[tuple[int, int, Claim]] = []
        for i, lv in enumerate(levels):
            every.append((lv.start, i, lv))
            if lv.sentence_end:
                self.by_start.setdefault(lv.sentence_start, []).append((i, lv))
            else:
                loose.append((lv.start, i, lv))
        self.loose, self.every = sorted(loose, key=lambda t: t[:2]), sorted(every, key=lambda t: t[:2])
        self.loose_starts, self.every_starts = [t[0] for t in self.loose], [t[0] for t in self.every]

    @staticmethod
    def _near(starts: list[int], rows: list[tuple[int, int, Claim]], at: int) -> list[tuple[int, Claim]]:
        lo, hi = bisect_right(starts, at - _NEAR), bisect_left(starts, at + _NEAR)
        return [(i, lv) for _, i, lv in rows[lo:hi]]

    def of(self, ch: Claim) -> list[Claim]:
        if ch.sentence_end:
            found = self.by_start.get(ch.sentence_start, []) + self._near(self.loose_starts, self.loose, ch.start)
        else:
            found = self._near(self.every_starts, self.every, ch.start)
        return [lv for _, lv in sorted(found, key=lambda t: t[0])]


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
    holds = claim.written_interval().overlaps(computed)
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
    sentences = _Sentences(levels)
    for ch in changes:
        done = False
        near = sentences.of(ch)
        # 1. endpoints stated with one claim: "from X to Y", "to Y (up from X)"
        for lv in near:
            if not (lv.base_value and lv.base_value > 0 and _compatible(ch, lv)):
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
        same = [lv for lv in near if lv.metric == ch.metric and _compatible(ch, lv) and lv.period is not None]
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
    # 3. a total and the parts that tile its period (flows only: shares and prices do not add up);
    # parts are looked up by (entity, metric, kind) and start date, never compared with every level
    # (a key's levels sharing one period differ only in value: the first of them is the one a chain takes)
    starts: dict[tuple[object, ...], dict[date, Claim]] = {}
    for lv in levels:
        if lv.period is not None:
            starts.setdefault((lv.entity, lv.metric, lv.kind, lv.period.start), {}).setdefault(lv.period.end, lv)
    order = {id(lv): i for i, lv in enumerate(levels)}
    for total in levels:
        if total.period is None or total.entity is None or total.unit == "percent":
            continue
        if total.metric is not None and total.metric not in _SUMMABLE:
            continue
        tp = total.period
        chain, cursor = [], tp.start
        while cursor <= tp.end:
            # the first level (in document order) that starts where the chain has reached and stays inside the total
            ends = starts.get((total.entity, total.metric, total.kind, cursor), {})
            fits = [p for end, p in ends.items() if end <= tp.end and not (cursor == tp.start and end == tp.end)]
            if not fits:
                break
            nxt = min(fits, key=lambda p: order[id(p)])
            assert nxt.period is not None
            chain.append(nxt)
            cursor = nxt.period.end.fromordinal(nxt.period.end.toordinal() + 1)
        if len(chain) >= 2 and chain[-1].period is not None and chain[-1].period.end == tp.end:
            s = Interval.point(0.0)
            for p in chain:
                s = s + p.written_interval()
            holds = total.written_interval().overlaps(s)
            checks.append(ArithmeticCheck(
                total.id, tuple(p.id for p in chain), holds, s,
                " + ".join(_fmt(_scalar(p) or 0) for p in chain) + f" = {s.describe()}", total.metric))
    return checks
