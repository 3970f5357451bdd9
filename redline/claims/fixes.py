"""Suggested fixes: for a flagged claim, the figure, period or wording the store decides, with its source.

``suggest_fix(item)`` is a pure function of one audit item (the claim, its
verdict, reasons and evidence). It returns a :class:`Fix` only for a claim that
is contradicted or misleading *and* whose evidence names what is right:

=====================  =============================================================
reason on the verdict  fix
=====================  =============================================================
value_mismatch         ``replace_figure``: the figure on record for the claim's own
                       frame ("36,006" → "26,006")
superseded_revision    ``replace_figure``: the current value of the revised figure
year_to_date           ``replace_figure``: what the months on record already give
                       ("more than 315,376", for January–October)
metric_conflation      ``restate_metric``: the number stands, its metric does not
                       ("production" → "delivery target")
entity_conflation      ``restate_entity``: whose figure it is
period_conflation      ``restate_period``: which period it is for
market_conflation      ``restate_market``: which market the share is of
=====================  =============================================================

No fix is suggested for a supported or unverifiable claim, for a verdict that
rests on the text's own arithmetic alone (which of its figures is wrong is not
known), or when the evidence is not one figure (several facts listed, none of
which is the claim's frame).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Literal

from ..intervals import Interval
from ..periods import Period
from ..store import Fact
from .model import Claim
from .verify import Evidence, Reason, Verdict, metric_words

__all__ = ["Fix", "FixAction", "suggest_fix", "advice"]

FixAction = Literal["replace_figure", "restate_metric", "restate_entity", "restate_period", "restate_market"]

_NUMBER = re.compile(r"[$€£¥]?\d[\d,]*(?:\.\d+)?(?:\s?%| percent\b)?")


@dataclass(frozen=True)
class Fix:
    """What to change in a flagged claim, and the sources that say so."""

    action: FixAction
    replace: str | None   # the words of the article to replace, when they can be pointed at exactly
    with_: str            # what to write instead (a figure, a metric, an entity, a period or a market)
    instruction: str      # one plain sentence an author can act on
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "replace": self.replace, "with": self.with_,
                "instruction": self.instruction, "sources": list(self.sources)}


def suggest_fix(item: Verdict) -> Fix | None:
    """The fix the store decides for a contradicted or misleading claim, or None.

    >>> from redline import Store, audit
    >>> r = audit("Tesla China sold 36,006 cars in October 2025.", date="2025-11-25", store=Store(":memory:"))
    >>> suggest_fix(r.items[0]).with_
    '26,006'
    """
    if item.verdict not in ("contradicted", "misleading"):
        return None
    evidence = [e for e in item.evidence if e.facts]  # the store's evidence, not the text's own figures
    if not evidence:
        return None
    ev = evidence[0]
    reasons = set(item.reasons)
    claim = item.claim
    if Reason.metric_conflation in reasons:
        return _restate_metric(claim, ev)
    if Reason.entity_conflation in reasons:
        return _restate_entity(claim, ev)
    if Reason.period_conflation in reasons:
        return _restate_period(claim, ev)
    if Reason.market_conflation in reasons:
        return _restate_market(claim, ev)
    if Reason.superseded_revision in reasons:
        return _current_value(claim, ev)
    if Reason.value_mismatch in reasons and Reason.arithmetic_error not in reasons:
        return _replace_figure(claim, ev, running=Reason.year_to_date in reasons)
    return None


def advice(item: Verdict, fix: Fix | None = None) -> str:
    """One sentence per claim that an author (or an agent) can act on: keep it, fix it, or check it."""
    quoted = repr(item.claim.text.strip())
    if item.verdict == "supported":
        return f"Keep {quoted}: {item.explanation}"
    if fix is not None:
        return fix.instruction
    if item.verdict == "unverifiable":
        return f"Cannot check {quoted}: {item.explanation} Cite a source for it or leave it out."
    return f"Revise {quoted}: {item.explanation} The store does not decide the right figure; check it at the source."


# -- the fixes ---------------------------------------------------------------------------


def _replace_figure(claim: Claim, ev: Evidence, *, running: bool) -> Fix | None:
    if ev.interval is None:
        return None  # several facts listed, none of them the claim's frame: nothing to put instead
    iv = ev.interval
    if running:
        # a total of a period still running: the months on record are a floor, not the total
        figure = _figure(claim, Interval(iv.low, math.inf, True), ())
        what = f"{_frame(ev.facts)} alone"
    else:
        figure = _figure(claim, iv, ev.facts)
        what = _frame(ev.facts)
    if claim.kind == "change_pct":
        return _figure_fix(claim, figure, _change_frame(claim, ev), ev.facts)
    if claim.kind == "count" and len({f.entity for f in ev.facts}) > 1 and claim.metric:
        # events of the entity and its models: the count is the claim's entity's record
        reason = f"the store has {figure} {metric_words(claim.metric)} on record for {claim.entity} and its models"
        return _figure_fix(claim, figure, reason, ev.facts)
    return _figure_fix(claim, figure, f"{what} {_was(ev.facts)} {figure}", ev.facts)


def _change_frame(claim: Claim, ev: Evidence) -> str:
    """'Xiaomi's deliveries in Q3 2025 against Q3 2024: 108,796 / 39,790 − 1 = +173.4%'."""
    period = claim.period_obj()
    current = tuple(f for f in ev.facts if period is not None and period.start <= f.period.start and f.period.end <= period.end)
    base = _span([f for f in ev.facts if f not in current])
    how = ev.computation or (_change_text(ev.interval) if ev.interval else "")
    if not current or base is None:
        return f"the change on record is {how}"
    return f"{_frame(current)} against {base.label()}: {how}"


def _change_text(iv: Interval) -> str:
    """'+173.4%', 'more than +12.0%', '+10.0% to +12.0%'."""
    if iv.is_point:
        return f"{iv.low:+.1f}%"
    if math.isinf(iv.high):
        return f"more than {iv.low:+.1f}%"
    if math.isinf(iv.low):
        return f"less than {iv.high:+.1f}%"
    return f"{iv.low:+.1f}% to {iv.high:+.1f}%"


def _current_value(claim: Claim, ev: Evidence) -> Fix | None:
    if ev.interval is None or not ev.interval.is_point:
        return None
    current = [f for f in ev.facts if f.value == ev.interval.low]
    if not current:
        return None
    latest = max(current, key=lambda f: f.known_from)
    figure = _figure(claim, Interval.point(latest.value), ())
    what = (f"{latest.entity}'s {latest.period.label()} {metric_words(latest.metric)} has been {figure} "
            f"since {_day(latest)}")
    return _figure_fix(claim, figure, what, (latest,))


def _figure_fix(claim: Claim, figure: str, reason: str, facts: tuple[Fact, ...]) -> Fix:
    old = _written_figure(claim)
    if old is not None and old != figure:
        instruction = f"Replace {old!r} with {figure!r}: {reason}"
    else:
        instruction = f"Correct {claim.text.strip()!r} to {figure}: {reason}"
    return Fix("replace_figure", old, figure, instruction + _cite(facts), _sources(facts))


def _restate_metric(claim: Claim, ev: Evidence) -> Fix | None:
    metrics = {f.metric for f in ev.facts}
    if len(metrics) != 1:
        return None
    metric = metric_words(metrics.pop())
    claimed = metric_words(claim.metric) if claim.metric else "what the text says"
    phrase = claim.metric_phrase
    how = f" ({ev.computation})" if ev.computation else ""
    if claim.kind == "change_pct" and _is_revision(ev.facts):
        f0, f1 = sorted(ev.facts, key=lambda f: f.known_from)[:2]
        what = (f"a revision of {f0.entity}'s {f0.period.label()} {metric} from {_plain(f0.value)} to "
                f"{_plain(f1.value)}{how}")
    elif claim.kind == "change_pct":
        what = f"the change in {_change_frame(claim, ev)}"
    else:
        what = f"{_frame(ev.facts)}{how}"
    swap = f"; replace {phrase!r} with {metric!r}" if phrase and phrase.lower() != metric else ""
    instruction = f"Keep {claim.text.strip()!r} but say what it measures: it is {what}, not {claimed}{swap}"
    return Fix("restate_metric", phrase, metric, instruction + _cite(ev.facts), _sources(ev.facts))


def _restate_entity(claim: Claim, ev: Evidence) -> Fix | None:
    entities = {f.entity for f in ev.facts}
    if len(entities) != 1:
        return None
    entity = entities.pop()
    instruction = (f"Attribute {claim.text.strip()!r} to {entity}, not {claim.entity}: it is "
                   f"{_frame(ev.facts)}")
    return Fix("restate_entity", None, entity, instruction + _cite(ev.facts), _sources(ev.facts))


def _restate_period(claim: Claim, ev: Evidence) -> Fix | None:
    claimed = claim.period_obj()
    if claim.kind == "change_pct":
        # the figure is a change against another base: the base is the span of the facts outside the claim's period
        base = [f for f in ev.facts if claimed is None or not (claimed.start <= f.period.start and f.period.end <= claimed.end)]
        span = _span(base)
        if span is None:
            return None
        instruction = (f"Say what {claim.text.strip()!r} is measured against: it is the change against "
                       f"{span.label()}")
        return Fix("restate_period", None, f"against {span.label()}", instruction + _cite(ev.facts), _sources(ev.facts))
    span = _span(ev.facts)
    if span is None or span == claimed:
        return None
    was = f", not {claimed.label()}" if claimed else ""
    instruction = f"Give {claim.text.strip()!r} for {span.label()}{was}: it is {_frame(ev.facts)}"
    return Fix("restate_period", None, span.label(), instruction + _cite(ev.facts), _sources(ev.facts))


def _restate_market(claim: Claim, ev: Evidence) -> Fix | None:
    markets = {f.market for f in ev.facts if f.metric == "market_share"}
    if len(markets) != 1 or None in markets:
        return None
    market = markets.pop()
    assert market is not None
    named = f", not of the {claim.market}" if claim.market else ""
    instruction = f"Name the market: {claim.text.strip()!r} is {claim.entity}'s share of the {market}{named}"
    return Fix("restate_market", None, f"the {market}", instruction + _cite(ev.facts), _sources(ev.facts))


# -- wording ----------------------------------------------------------------------------


def _is_revision(facts: tuple[Fact, ...]) -> bool:
    return len(facts) >= 2 and len({(f.entity, f.metric, f.period) for f in facts}) == 1


def _span(facts: list[Fact] | tuple[Fact, ...]) -> Period | None:
    if not facts:
        return None
    return Period(min(f.period.start for f in facts), max(f.period.end for f in facts))


def _frame(facts: tuple[Fact, ...]) -> str:
    """'Tesla China's sales in October 2025', for the facts one figure was built from."""
    entities = {f.entity for f in facts}
    metrics = {f.metric for f in facts}
    span = _span(facts)
    if len(entities) != 1 or len(metrics) != 1 or span is None:
        return "the figure on record"
    entity, metric = entities.pop(), metrics.pop()
    market = {f.market for f in facts if f.market}
    if metric == "market_share" and len(market) == 1:
        return f"{entity}'s share of the {market.pop()} in {span.label()}"
    return f"{entity}'s {metric_words(metric)} in {span.label()}"


def _was(facts: tuple[Fact, ...]) -> str:
    """'were' for deliveries and sales, 'was' for a share, a target or a price."""
    metrics = {f.metric for f in facts}
    return "were" if len(metrics) == 1 and metric_words(metrics.pop()).endswith("s") else "was"


def _day(f: Fact) -> str:
    return f"{f.known_from:%d %B %Y}".lstrip("0")


def _sources(facts: tuple[Fact, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.source_url for f in facts if f.source_url))


def _cite(facts: tuple[Fact, ...]) -> str:
    urls = _sources(facts)
    if not urls:
        return "."
    if len(urls) > 3:
        return f" (sources: {', '.join(urls[:3])} and {len(urls) - 3} more)."
    return f" ({'source' if len(urls) == 1 else 'sources'}: {', '.join(urls)})."


def _written_figure(claim: Claim) -> str | None:
    """The words of the claim that state its figure ('36,006', 'almost 15%', 'below 5%'), or None for number words."""
    m = _NUMBER.search(claim.text)
    if m is None:
        return None
    start = 0 if claim.qualifier != "exact" else m.start()  # a qualifier ('almost', 'over') goes with the figure
    return claim.text[start:m.end()].strip()


def _percent(claim: Claim) -> bool:
    return claim.kind == "change_pct" or claim.unit in ("percent", "percentage_points")


def _decimals(claim: Claim, value: float) -> int:
    if claim.precision > 0:
        return max(0, -math.floor(math.log10(claim.precision) + 1e-9))
    return 0 if abs(value - round(value)) < 1e-9 else 1


def _number(claim: Claim, value: float) -> str:
    text = f"{abs(value) if claim.kind == 'change_pct' and _same_sign(claim, value) else value:,.{_decimals(claim, value)}f}"
    return text + ("%" if _percent(claim) else "")


def _same_sign(claim: Claim, value: float) -> bool:
    claimed = claim.value[0] if isinstance(claim.value, list) else claim.value
    return (claimed >= 0) == (value >= 0)


def _plain(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,g}"


_QUALIFIER_WORDS = {"over": "over ", "at_least": "at least ", "under": "under ", "at_most": "at most ",
                    "about": "about ", "almost": "almost "}


def _figure(claim: Claim, iv: Interval, facts: tuple[Fact, ...]) -> str:
    """The evidence written as the claim writes figures: the source's own words for one fact, else the interval."""
    if len(facts) == 1 and facts[0].interval() == iv:
        f = facts[0]
        number = _number(claim, f.value) if _percent(claim) else _plain(f.value)
        return _QUALIFIER_WORDS.get(f.qualifier, "") + number
    if iv.is_point:
        return _number(claim, iv.low)
    if math.isinf(iv.high) and not math.isinf(iv.low):
        return ("more than " if iv.low_strict else "at least ") + _number(claim, iv.low)
    if (math.isinf(iv.low) or iv.low == 0) and not math.isinf(iv.high):
        return ("under " if iv.high_strict else "at most ") + _number(claim, iv.high)
    low, high = _number(claim, iv.low), _number(claim, iv.high)
    if low == high:
        return low
    return f"about {_number(claim, (iv.low + iv.high) / 2)}"
