"""Verification: one claim, checked against the facts known on the document date.

A claim gets one of four verdicts:

supported      the evidence lies within what the claim allows (its stated
               precision, its qualifier), or a former value is quoted as such;
contradicted   the evidence is outside it and no other reading fits;
misleading     the number is right but its frame is wrong: it fits another
               metric, entity or period (a target called production, a brand
               total called one model's, a superseded target quoted as current);
unverifiable   the store holds nothing that decides it.

Each verdict carries machine-readable reason codes, the evidence (facts with
their sources, the computation, the interval) and one plain sentence.
The functions here are pure: (claim, snapshot, document date) → verdict.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Literal

from .. import analytics
from ..analytics import ValueResult, change_pct, try_value
from ..catalog import VOLUME_METRICS
from ..errors import NotFound
from ..intervals import Interval
from ..units import SCALED_UNITS
from ..periods import Period, month_end
from ..store import Fact
from .lexicon import GOAL_WORDS
from .model import Claim

__all__ = ["Verdict", "Reason", "Evidence", "Finding", "verify", "VerdictName"]

VerdictName = Literal["supported", "contradicted", "misleading", "unverifiable"]


class Reason(str, Enum):
    """Why a verdict was given. Several may apply to one claim."""

    within_precision = "within_precision"          # evidence inside the claim's stated precision
    qualifier_holds = "qualifier_holds"            # 'over', 'almost', 'below'… holds
    within_tolerance = "within_tolerance"          # approximate evidence overlaps the claim
    matches_stated_bound = "matches_stated_bound"  # claim quotes a source's 'over N' as N
    retail_series = "retail_series"                # a generic volume word matched retail sales
    delivery_series = "delivery_series"            # a generic volume word matched deliveries
    former_value = "former_value"                  # a superseded value, quoted as former
    superseded_revision = "superseded_revision"    # a superseded value, quoted as current
    entity_conflation = "entity_conflation"
    market_conflation = "market_conflation"        # a share of one market quoted as another's
    metric_conflation = "metric_conflation"
    period_conflation = "period_conflation"
    arithmetic_holds = "arithmetic_holds"
    arithmetic_error = "arithmetic_error"
    value_mismatch = "value_mismatch"
    bound_only = "bound_only"                      # evidence is a bound that does not decide
    period_not_over = "period_not_over"
    no_data = "no_data"
    unit_mismatch = "unit_mismatch"
    unknown_entity = "unknown_entity"
    no_entity = "no_entity"
    no_metric = "no_metric"
    year_to_date = "year_to_date"                  # 'this year' checked on the months known so far
    events_on_record = "events_on_record"
    target_as_actual = "target_as_actual"          # a goal presented as what happened (a framing rule)
    brand_total_as_model = "brand_total_as_model"  # a brand's total given as one model's while it sold others (a framing rule)
    ambiguous_reading = "ambiguous_reading"        # the text allows more than one reading: no flag
    weak_source_only = "weak_source_only"          # the evidence rests only on a source not ranked primary or reputable
    published_later = "published_later"            # the fact exists, but was published after the document date
    other_series_on_record = "other_series_on_record"  # only another series (or time shape) of the figure is on record
    computed_only = "computed_only"                # no published figure: only redline's own computation from others


@dataclass(frozen=True)
class Evidence:
    """What a verdict rests on: facts with sources, and how they were combined."""

    description: str
    interval: Interval | None = None
    facts: tuple[Fact, ...] = ()
    computation: str = ""

    def to_dict(self) -> dict[str, Any]:
        iv = self.interval
        return {
            "description": self.description,
            "interval": None if iv is None else {
                "low": None if math.isinf(iv.low) else iv.low,
                "high": None if math.isinf(iv.high) else iv.high,
                "text": iv.describe(_fmt_for(iv)),
            },
            "computation": self.computation,
            "facts": [
                {k: v for k, v in f.to_dict().items() if k in (
                    "id", "entity", "metric", "period_start", "period_end", "value", "unit",
                    "qualifier", "market", "source_url", "published", "note")}
                for f in self.facts
            ],
        }


@dataclass(frozen=True)
class Finding:
    verdict: VerdictName
    reasons: tuple[Reason, ...]
    explanation: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """A claim with its verdict."""

    claim: Claim
    verdict: VerdictName
    reasons: tuple[Reason, ...]
    explanation: str
    evidence: tuple[Evidence, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        d = self.claim.model_dump(mode="json")
        d.update({
            "verdict": self.verdict,
            "reasons": [r.value for r in self.reasons],
            "explanation": self.explanation,
            "evidence": [e.to_dict() for e in self.evidence],
        })
        return d



# -- wording -----------------------------------------------------------------------

METRIC_WORDS = {
    "deliveries": "deliveries",
    "sales": "sales",
    "production": "production",
    "delivery_target": "delivery target",
    "market_share": "market share",
    "pre_orders": "pre-orders",
    "locked_orders": "locked orders",
    "price_new": "list price",
    "price_resale": "resale price",
    "revenue": "revenue",
    "fatal_incidents": "fatal incidents",
    "recalls": "recall campaigns",
    "vehicles_recalled": "vehicles recalled",
    "milestone_cumulative_production": "cumulative production",
    "adas_warning_lead_time": "driver-assistance warning lead time",
    "share_price": "share price",
    "store_closures": "store closures",
}


def metric_words(metric: str) -> str:
    return METRIC_WORDS.get(metric, metric.replace("_", " "))


def _fmt_for(iv: Interval) -> str:
    finite = [abs(x) for x in (iv.low, iv.high) if math.isfinite(x)]
    if finite and any(abs(x - round(x)) > 1e-9 for x in finite):
        return "{:,.1f}" if max(finite) >= 10 else "{:,.2f}"
    return "{:,.0f}"


def _num(x: float) -> str:
    if abs(x - round(x)) < 1e-9:
        return f"{x:,.0f}"
    return f"{x:,.1f}" if abs(x) >= 10 else f"{x:,.2f}"


def _desc(iv: Interval, unit: str | None = None) -> str:
    text = iv.describe(_fmt_for(iv))
    if unit == "percent":
        if iv.is_point:
            return f"{_num(iv.low)}%"
        return text.replace(" to ", "% to ") + "%"
    return text


def _pct(x: float) -> str:
    return f"{x:+.1f}%"




def _claimed(claim: Claim) -> str:
    return f"the {claim.text.strip()!r} claimed" if len(claim.text) < 60 else "the figure claimed"


def _cap(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


# -- judging -----------------------------------------------------------------------

Fit = Literal["fits", "consistent", "bound", "bound_only", "no"]


def judge(claim_iv: Interval, evidence: Interval, quoted: float | None = None) -> Fit:
    """How evidence relates to what a claim allows.

    ``quoted`` is the number the claim wrote: when the evidence is a one-sided
    bound ("over 200,000") and the claim wrote exactly that bound ("200,000"),
    the claim quotes the source's figure.
    """
    if evidence.within(claim_iv):
        return "fits"
    if quoted is not None and not evidence.bounded and not (math.isinf(evidence.low) and math.isinf(evidence.high)):
        edge = evidence.low if math.isinf(evidence.high) else evidence.high
        if abs(quoted - edge) <= 1e-9 * max(1.0, abs(edge)):
            return "bound"
    if not claim_iv.overlaps(evidence):
        return "no"
    if evidence.bounded:
        return "consistent"
    return "bound_only"


def _quoted(claim: Claim) -> float | None:
    return None if isinstance(claim.value, list) else float(claim.value)


def _specific(iv: Interval) -> bool:
    """Narrow enough that a match elsewhere means something (an exact or rounded figure)."""
    if not iv.bounded:
        return False
    mid = abs(iv.low + iv.high) / 2
    return (iv.high - iv.low) <= max(1.0, 0.12 * mid)


def _is_fit(f: Fit) -> bool:
    return f in ("fits", "consistent", "bound")


@dataclass
class Context:
    """What every claim of one document is checked against."""

    source: Any  # Store or Snapshot
    doc_date: date
    claims: tuple[Claim, ...] = ()
    text: str = ""
    values: dict[tuple[str, str, Period], ValueResult | None] = field(default_factory=dict)

    def known(self, entity: str | None) -> bool:
        return entity is not None and entity in self.source.entities()


CURRENCIES = {"CNY", "USD", "EUR", "HKD", "GBP", "JPY"}


def claim_interval_in(claim: Claim, unit: str) -> Interval | None:
    """The claim's interval in ``unit`` (a metric's unit): 28.3 billion yuan is 28.3 CNY_bn.

    None when the units cannot be compared (dollars against yuan).
    """
    iv = claim.interval()
    if not claim.unit or claim.unit == unit:
        return iv
    base, scale = SCALED_UNITS.get(unit, (unit, 1.0))
    if claim.unit == base:
        return iv.scale(1 / scale)
    if claim.unit in CURRENCIES or base in CURRENCIES or "percent" in (claim.unit, base):
        return None
    return iv  # counts in other words (units, cars, vehicles)


def _unit_mismatch(claim: Claim, metric: str, unit: str) -> Finding:
    return Finding("unverifiable", (Reason.unit_mismatch,),
                   f"The store keeps {claim.entity}'s {metric_words(metric)} in {unit}, and the claim is in "
                   f"{claim.unit}; redline does not convert between them.")


def _candidate_metrics(claim: Claim) -> list[str]:
    assert claim.metric is not None
    phrase = (claim.metric_phrase or "").lower()
    specific = any(w in phrase for w in ("retail", "registration", "wholesale", "deliver", "handed"))
    if claim.metric in VOLUME_METRICS and (claim.generic_volume or not specific):
        first = claim.metric
        return [first] + [m for m in VOLUME_METRICS if m != first]
    return [claim.metric]


def _value(ctx: Context, entity: str, metric: str, period: Period) -> ValueResult | None:
    """The value known on the document date, computed once per document."""
    key = (entity, metric, period)
    if key not in ctx.values:
        try:
            ctx.values[key] = try_value(ctx.source, entity, metric, period, as_of=ctx.doc_date)
        except NotFound:  # a metric or entity the source does not know
            ctx.values[key] = None
    return ctx.values[key]


# -- level and count claims ----------------------------------------------------------


def _verify_level(claim: Claim, ctx: Context) -> Finding:
    assert claim.entity and claim.metric
    metric = ctx.source.metric(claim.metric)
    if metric.target_of:
        return _verify_target(claim, ctx)
    if claim.metric == "market_share":
        return _verify_share(claim, ctx)
    claim_iv = claim_interval_in(claim, metric.unit)  # type: ignore[assignment]
    if claim_iv is None:
        return _unit_mismatch(claim, metric.name, metric.unit)
    if metric.event_kind:
        return _verify_event_count(claim, ctx, claim_iv)
    period = claim.period_obj()
    if period is None or claim.metric in UNDATED_METRICS:
        return _verify_unperiodised(claim, ctx, claim_iv=claim_iv)
    if not metric.summable:
        return _verify_unperiodised(claim, ctx, period, claim_iv=claim_iv)
    if period.end > ctx.doc_date:
        running = _running_total(claim, ctx, claim_iv, period)
        if running is not None:
            return running
        conflation = _find_conflation(claim, ctx, claim_iv, period)
        if conflation is not None and _framing_rule(conflation):
            return conflation
        also = f" {_cap(conflation.explanation)}" if conflation is not None else ""
        return Finding("unverifiable", (Reason.period_not_over,),
                       f"{period.label()} was not over on {ctx.doc_date.isoformat()}, so its total cannot be known yet.{also}",
                       conflation.evidence if conflation is not None else ())
    tried: list[ValueResult] = []
    for name in _candidate_metrics(claim):
        r = _value(ctx, claim.entity, name, period)
        if r is None:
            continue
        tried.append(r)
        fit = judge(claim_iv, r.interval, _quoted(claim))
        if _is_fit(fit):
            return _supported_level(claim, r, fit)
    # Nothing fits in the claim's own frame: is it a right number in the wrong frame? Misleading
    # only when the claim's own frame is on record with another value (or a framing rule applies).
    conflation = _find_conflation(claim, ctx, claim_iv, period)
    own_differs = any(judge(claim_iv, r.interval, _quoted(claim)) == "no" for r in tried)
    if conflation is not None and (own_differs or _framing_rule(conflation)):
        return conflation
    if conflation is not None and not tried:
        return _own_key_missing(claim, ctx, conflation)
    if tried:
        r = tried[0]
        fit = judge(claim_iv, r.interval, _quoted(claim))
        ev = Evidence(f"{r.entity} {metric_words(r.metric)}, {r.period.label()}", r.interval, r.facts, r.note)
        if fit == "bound_only":
            also = f" {_cap(conflation.explanation)}" if conflation is not None else ""
            return Finding("unverifiable", (Reason.bound_only,),
                           f"The store only knows {r.entity}'s {metric_words(r.metric)} in {r.period.label()} "
                           f"were {_desc(r.interval)}, which neither confirms nor rules out {_claimed(claim)}.{also}",
                           (ev,) + (conflation.evidence if conflation is not None else ()))
        return Finding("contradicted", (Reason.value_mismatch,),
                       f"{r.entity}'s {metric_words(r.metric)} in {r.period.label()} were {_desc(r.interval, metric.unit)}, "
                       f"not {_claimed(claim)}.", (ev,))
    return _no_data(claim, ctx)


def _running_total(claim: Claim, ctx: Context, claim_iv: Interval, period: Period) -> Finding | None:
    """A flow over a period still running: the months on record so far are a floor on its total.

    "More than 300,000 so far this year" holds once the months on record pass 300,000; a
    total claimed for the whole period is wrong once the months on record already exceed it.
    """
    for span in _ytd_periods(period, ctx.doc_date):
        for metric in _candidate_metrics(claim):
            r = _value(ctx, claim.entity, metric, span)  # type: ignore[arg-type]
            if r is None:
                continue
            floor = Interval(r.interval.low, math.inf, r.interval.low_strict)
            ev = (Evidence(f"{r.entity} {metric_words(metric)}, {span.label()}", r.interval, r.facts, r.note),)
            if math.isinf(claim_iv.high) and floor.within(claim_iv):
                return Finding("supported", (Reason.qualifier_holds, Reason.year_to_date),
                               f"{r.entity}'s {metric_words(metric)} in {span.label()} alone were {r.describe()}, "
                               f"so {_claimed(claim)} for {period.label()} already holds.", ev)
            if r.interval.low > claim_iv.high:
                return Finding("contradicted", (Reason.value_mismatch, Reason.year_to_date),
                               f"{r.entity}'s {metric_words(metric)} in {span.label()} alone were {r.describe()}, "
                               f"already more than {_claimed(claim)} for all of {period.label()}.", ev)
            return None
    return None


def _verify_event_count(claim: Claim, ctx: Context, claim_iv: Interval) -> Finding:
    """'Two fatal accidents': the events on record for the entity and its models in the period.

    The store records the events it knows of, not every one there was: a count
    equal to the record is supported, below it contradicted, above it unverifiable.
    """
    assert claim.entity and claim.metric
    kind = ctx.source.metric(claim.metric).event_kind
    events = ctx.source.events(entity=claim.entity, kind=kind, as_of=ctx.doc_date)
    period = claim.period_obj()
    if period is None and events:
        period = Period(min(e.date for e in events), ctx.doc_date)
    if period is not None and period.end > ctx.doc_date:
        period = Period(period.start, max(period.start, ctx.doc_date))
    inside = [e for e in events if period is None or period.contains(e.date)]
    if not events:
        return _no_data(claim, ctx)
    assert period is not None
    r = _value(ctx, claim.entity, claim.metric, period)
    facts = r.facts if r else ()
    n = len(inside) if r is None else r.interval.low
    listed = "; ".join(f"{e.date:%d %B %Y} ({e.entity})" for e in inside) or "none"
    ev = (Evidence(f"{metric_words(claim.metric)} on record for {claim.entity} and its models, {_span_words(period)}",
                   Interval.point(n), facts, listed),)
    words = f"{_num(n)} {metric_words(claim.metric)} on record for {claim.entity} and its models {_span_words(period)}"
    if claim_iv.contains(n):
        return Finding("supported", (Reason.events_on_record,), f"The store has {words} ({listed}), as claimed.", ev)
    if claim_iv.low > n:
        return Finding("unverifiable", (Reason.events_on_record, Reason.bound_only),
                       f"The store has only {words} ({listed}); it may not know of every one, so "
                       f"{_claimed(claim)} can be neither confirmed nor ruled out.", ev)
    return Finding("contradicted", (Reason.value_mismatch, Reason.events_on_record),
                   f"The store has {words} ({listed}), more than {_claimed(claim)}.", ev)


def _span_words(period: Period) -> str:
    if period.kind == "span":
        return f"from {period.start:%d %B %Y} to {period.end:%d %B %Y}".replace(" 0", " ")
    return ("on " if period.kind == "day" else "in ") + period.label()


def _supported_level(claim: Claim, r: ValueResult, fit: Fit) -> Finding:
    reasons: list[Reason] = []
    if fit == "fits":
        reasons.append(Reason.within_precision if claim.qualifier == "exact" else Reason.qualifier_holds)
    elif fit == "consistent":
        reasons.append(Reason.within_tolerance)
    else:
        reasons.append(Reason.matches_stated_bound)
    if claim.metric in VOLUME_METRICS and r.metric != claim.metric:
        reasons.append(Reason.retail_series if r.metric == "sales" else Reason.delivery_series)
    elif claim.generic_volume:
        reasons.append(Reason.retail_series if r.metric == "sales" else Reason.delivery_series)
    if r.method == "events":
        reasons.append(Reason.events_on_record)
    unit = claim.unit
    how = f" ({r.note})" if r.method != "direct" and r.note else ""
    series = ""
    if Reason.retail_series in reasons:
        series = "; that is the sales series (an industry count such as CPCA retail), not company deliveries"
    elif Reason.delivery_series in reasons:
        series = "; that is the company's deliveries series"
    if fit == "bound":
        tail = f"; the source says {_desc(r.interval)}, and the text quotes that figure"
    elif fit == "consistent":
        tail = f", within the tolerance of {_claimed(claim)}"
    elif claim.qualifier != "exact":
        tail = f", so {_claimed(claim)} holds"
    else:
        tail = f", which matches {_claimed(claim)}"
    sentence = (f"{r.entity}'s {metric_words(r.metric)} in {r.period.label()} were "
                f"{_desc(r.interval, unit)}{how}{series}{tail}.")
    return Finding("supported", tuple(reasons), sentence,
                   (Evidence(f"{r.entity} {metric_words(r.metric)}, {r.period.label()}", r.interval, r.facts, r.note),))


UNDATED_METRICS = {"vehicles_recalled"}
"""Metrics whose fact period is not the time a claim refers to (a recall's period is its build window)."""


def _verify_unperiodised(claim: Claim, ctx: Context, period: Period | None = None, *,
                         claim_iv: Interval | None = None) -> Finding:
    """A figure of a moment (a price, orders in a launch window) or with no period: any such figure that fits.

    With ``period``, only figures dated within it count ('priced at 215,900 yuan in March 2024').
    """
    assert claim.entity and claim.metric
    claim_iv = claim_iv or claim.interval()
    facts = [f for m in _candidate_metrics(claim)
             for f in ctx.source.facts(entity=claim.entity, metric=m, as_of=ctx.doc_date, latest_only=False, period=period)]
    if period is not None and not facts:
        conflation = _find_conflation(claim, ctx, claim_iv, period)
        return conflation or _no_data(claim, ctx)
    if not facts:
        return _no_data(claim, ctx)
    for f in facts:
        fit = judge(claim_iv, f.interval(), _quoted(claim))
        if _is_fit(fit):
            r = ValueResult(f.entity, f.metric, f.period, f.interval(), "direct", (f,), ctx.doc_date)
            return _supported_level(claim, r, fit)
    for child in ctx.source.descendants(claim.entity):
        for f in ctx.source.facts(entity=child.name, metric=claim.metric, as_of=ctx.doc_date, latest_only=False, period=period):
            if judge(claim_iv, f.interval(), _quoted(claim)) in ("fits", "consistent"):
                return Finding("misleading", (Reason.entity_conflation,),
                               f"{_cap(_claimed(claim))} is the {metric_words(f.metric)} of the {child.name} "
                               f"({f.period.label()}), not of the {claim.entity} itself.",
                               (Evidence(f"{child.name} {metric_words(f.metric)}", f.interval(), (f,)),))
    if period is not None:
        conflation = _find_conflation(claim, ctx, claim_iv, period)
        if conflation is not None:
            return conflation
    bounds = [f for f in facts if judge(claim_iv, f.interval(), _quoted(claim)) == "bound_only"]
    if bounds:
        f = bounds[0]
        return Finding("unverifiable", (Reason.bound_only,),
                       f"The store only knows {claim.entity}'s {metric_words(f.metric)} ({f.period.label()}) were "
                       f"{f.describe_value()}, which neither confirms nor rules out {_claimed(claim)}.",
                       (Evidence(f"{claim.entity} {metric_words(f.metric)}", f.interval(), (f,)),))
    shown = "; ".join(f"{f.describe_value()} ({f.period.label()})" for f in facts[:4])
    when = f"in {period.label()}" if period is not None else "with no period"
    return Finding("unverifiable", (Reason.ambiguous_reading,),
                   f"No {metric_words(claim.metric)} figure on record for {claim.entity} fits {_claimed(claim)}, "
                   f"but a figure {when} may be of another window, version or time shape than those on record "
                   f"({shown}), so it is not flagged.",
                   (Evidence(f"{claim.entity} {metric_words(claim.metric)} on record", None, tuple(facts[:6])),))


def _former_framing(claim: Claim, ctx: Context) -> bool:
    """Is this value quoted as a former one ('up from 350,000', 'from 350,000 to …')?"""
    for other in ctx.claims:
        if other.id != claim.id and other.base_value is not None and not isinstance(claim.value, list):
            if abs(other.base_value - float(claim.value)) < 1e-9 and other.metric == claim.metric:
                return True
    return False


_FORMER_WORDS = re.compile(
    r"(?i)\b(?:initial(?:ly)?|original(?:ly)?|previous(?:ly)?|prior|earlier|former(?:ly)?|first|old|"
    r"had\s+(?:set|targeted|aimed|planned|expected)|was|were|set\s+(?:in|at|back)|up\s+from|from|before|"
    r"raised|lifted|increased|cut|lowered|trimmed|revised)\b")
_CURRENT_WORDS = re.compile(
    r"(?i)\b(?:now|currently|current|is|are|aims?|targets|targeting|expects?|plans?|remains?|stands?|maintains?|"
    r"reiterated|on\s+track)\b")


def _revision_framing(claim: Claim, ctx: Context) -> str | None:
    """'former', 'current' or None (the text does not say) for a superseded target quoted in ``claim``'s sentence."""
    if _former_framing(claim, ctx):
        return "former"
    if not ctx.text or claim.sentence_end <= claim.sentence_start:
        return None
    # the words near the number, within its sentence ('Xiaomi, which was founded in 2010, now targets …')
    lo, hi = max(claim.sentence_start, claim.start - 60), min(claim.sentence_end, claim.end + 40)
    near = ctx.text[lo:hi]
    former, current = bool(_FORMER_WORDS.search(near)), bool(_CURRENT_WORDS.search(near))
    if former != current:
        return "former" if former else "current"
    return None  # both or neither: the text does not say


def _verify_target(claim: Claim, ctx: Context) -> Finding:
    assert claim.entity and claim.metric
    period = claim.period_obj() or Period.year(ctx.doc_date.year)
    versions = [f for f in ctx.source.versions(claim.entity, claim.metric, period) if f.known_from <= ctx.doc_date]
    if not versions:
        return _no_data(claim, ctx)
    claim_iv = claim.interval()
    current = versions[-1]
    words = f"{claim.entity}'s {period.label()} {metric_words(claim.metric)}"
    history = " → ".join(f"{_num(f.value)} ({f.known_from:%d %b %Y})" for f in versions)
    ev = (Evidence(f"{words}: revisions known on {ctx.doc_date.isoformat()}", Interval.point(current.value),
                   tuple(versions), history),)
    if _is_fit(judge(claim_iv, Interval.point(current.value), _quoted(claim))):
        extra = f", {_moved(versions[0].value, current.value).split()[0]} over time: {history}" if len(versions) > 1 else ""
        return Finding("supported", (Reason.within_precision,),
                       f"{words} was {_num(current.value)} on {ctx.doc_date:%d %B %Y}{extra}.", ev)
    for i, old in enumerate(versions[:-1]):
        if _is_fit(judge(claim_iv, Interval.point(old.value), _quoted(claim))):
            nxt = versions[i + 1]
            span = f"from {old.known_from:%d %B %Y} until it was changed to {_num(nxt.value)} on {nxt.known_from:%d %B %Y}"
            framing = _revision_framing(claim, ctx)
            if framing == "former":
                return Finding("supported", (Reason.former_value,),
                               f"{_num(old.value)} was {words} {span}; the text quotes it as a former value.", ev)
            if framing == "current":
                return Finding("misleading", (Reason.superseded_revision,),
                               f"{_num(old.value)} was {words} only {span}; on {ctx.doc_date:%d %B %Y} it was "
                               f"{_num(current.value)}.", ev)
            return Finding("unverifiable", (Reason.ambiguous_reading,),
                           f"{_num(old.value)} was {words} {span}; on {ctx.doc_date:%d %B %Y} it was "
                           f"{_num(current.value)}. The text does not say whether it quotes the former or the current "
                           f"target, so this is not flagged.", ev)
    conflation = _find_conflation(claim, ctx, claim_iv, period)
    if conflation is not None:
        return conflation
    return Finding("contradicted", (Reason.value_mismatch,),
                   f"{words} was {_num(current.value)} on {ctx.doc_date:%d %B %Y} (revisions: {history}), "
                   f"not {_claimed(claim)}.", ev)


def _ytd_periods(period: Period, doc_date: date) -> list[Period]:
    """Spans from the period's start to each month end known by the document date, latest first."""
    last = min(period.end, doc_date)
    out = []
    y, m = last.year, last.month
    while date(y, m, 1) >= period.start:
        end = month_end(y, m)
        if end <= last:
            out.append(Period(period.start, end))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out


def _market_words(ctx: Context, market: str) -> str:
    """'the China NEV market (Passenger new-energy vehicles (BEV + PHEV + EREV), CPCA retail)'."""
    note = ctx.source.entities().get(market).note if market in ctx.source.entities() else ""
    return f"the {market}" + (f" ({note.rstrip('.')})" if note else "")


def _shares(ctx: Context, entity: str, period: Period, market: str) -> list[tuple[Interval, tuple[Fact, ...], str, Period]]:
    """The entity's share of one market in the period: stated, else computed from volumes
    (for a period still running, over the months on record so far)."""
    direct = [f for f in ctx.source.facts(entity=entity, metric="market_share", as_of=ctx.doc_date, market=market)
              if f.period == period]
    if direct:
        return [(f.interval(), (f,), "", period) for f in direct]
    spans = [period] if period.end <= ctx.doc_date else _ytd_periods(period, ctx.doc_date)
    for span in spans:
        try:
            s = analytics.share(ctx.source, entity, span, market=market, as_of=ctx.doc_date)
        except NotFound:
            continue
        return [(s.share_pct, s.facts, s.method, span)]
    return []


def _verify_share(claim: Claim, ctx: Context) -> Finding:
    """A market share: checked against the market the text names, or every market on record when it names none."""
    assert claim.entity
    claim_iv = claim.interval()
    period = claim.period_obj()
    if period is None:
        return _no_data(claim, ctx)
    known = sorted({f.market for f in ctx.source.facts(entity=claim.entity, metric="market_share") if f.market})
    named = claim.market if claim.market in ctx.source.entities() else None
    primary = [named] if named else known
    others = [m for m in known if m not in primary]

    def finding(verdict: VerdictName, reasons: list[Reason], market: str, iv: Interval, facts: tuple[Fact, ...],
                how: str, span: Period, tail: str) -> Finding:
        scope = f", computed as {how}" if how else ""
        ytd = f" (the part of {period.label()} with figures on record)" if span != period else ""
        if span != period:
            reasons = reasons + [Reason.year_to_date]
        return Finding(verdict, tuple(reasons),
                       f"{claim.entity}'s share of {_market_words(ctx, market)} in {span.label()}{ytd} was "
                       f"{_desc(iv, 'percent')}{scope}; {tail}",
                       (Evidence(f"{claim.entity} share of the {market}", iv, facts, how),))

    first: tuple[str, Interval, tuple[Fact, ...], str, Period] | None = None
    undecided = None
    for market in primary:
        for iv, facts, how, span in _shares(ctx, claim.entity, period, market):
            first = first or (market, iv, facts, how, span)
            fit = judge(claim_iv, iv, _quoted(claim))
            if _is_fit(fit):
                code = {"fits": Reason.within_precision if claim.qualifier == "exact" else Reason.qualifier_holds,
                        "consistent": Reason.within_tolerance, "bound": Reason.matches_stated_bound}[fit]
                return finding("supported", [code], market, iv, facts, how, span, f"that fits {_claimed(claim)}.")
            if fit == "bound_only":
                undecided = undecided or (market, iv, facts, how, span)
    for market in others if _specific(claim_iv) else []:
        for iv, facts, how, span in _shares(ctx, claim.entity, period, market):
            if judge(claim_iv, iv, _quoted(claim)) in ("fits", "consistent"):
                return finding("misleading", [Reason.market_conflation], market, iv, facts, how, span,
                               f"{_claimed(claim)} is a share of that market, not of the {named}.")
    if undecided is not None:
        return finding("unverifiable", [Reason.bound_only], *undecided,
                       f"that neither confirms nor rules out {_claimed(claim)}.")
    if first is None:
        return _no_data(claim, ctx)
    return finding("contradicted", [Reason.value_mismatch], *first,
                   f"not {_claimed(claim)}" + ("; another market definition may give another share." if not named else "."))


# -- changes -----------------------------------------------------------------------


def _growth(ctx: Context, entity: str, metric: str, period: Period, base: Period) -> tuple[Interval, ValueResult, ValueResult] | None:
    cur = _value(ctx, entity, metric, period)
    prev = _value(ctx, entity, metric, base)
    if cur is None or prev is None or prev.interval.high <= 0:
        return None
    return change_pct(cur.interval, prev.interval), cur, prev


def _verify_change(claim: Claim, ctx: Context) -> Finding:
    assert claim.entity and claim.metric
    claim_iv = claim.interval()
    period = claim.period_obj()
    if period is None:
        return _change_conflation(claim, ctx, claim_iv, None) or _no_data(claim, ctx)
    base = claim.base_period_obj() or period.same_period_last_year()
    tried = []
    for metric in _candidate_metrics(claim):
        g = _growth(ctx, claim.entity, metric, period, base)
        if g is None:
            continue
        iv, cur, prev = g
        tried.append((metric, g))
        fit = judge(claim_iv, iv, _quoted(claim))
        if _is_fit(fit):
            reasons = [Reason.within_precision if claim.qualifier == "exact" else Reason.qualifier_holds]
            if fit == "consistent":
                reasons = [Reason.within_tolerance]
            if metric != claim.metric or claim.generic_volume:
                reasons.append(Reason.retail_series if metric == "sales" else Reason.delivery_series)
            computed = f"{cur.describe()} / {prev.describe()} − 1 = {_desc_change(iv)}"
            rounding = "which rounds to" if claim.qualifier == "exact" and fit == "fits" else "consistent with"
            return Finding("supported", tuple(reasons),
                           f"{cur.entity}'s {metric_words(metric)} were {cur.describe()} in {period.label()} against "
                           f"{prev.describe()} in {base.label()}: {_desc_change(iv)}, {rounding} {_claimed(claim)}.",
                           (Evidence(f"{cur.entity} {metric_words(metric)}, {period.label()} vs {base.label()}", iv,
                                     cur.facts + prev.facts, computed),))
    found = _change_conflation(claim, ctx, claim_iv, period)
    own_differs = any(judge(claim_iv, g[0], _quoted(claim)) == "no" for _, g in tried)
    if found is not None and (own_differs or found.verdict != "misleading" or _framing_rule(found)):
        return found
    if found is not None and not tried:
        return _own_key_missing(claim, ctx, found)
    if tried:
        metric, (iv, cur, prev) = tried[0]
        computed = f"{cur.describe()} / {prev.describe()} − 1 = {_desc_change(iv)}"
        if judge(claim_iv, iv, _quoted(claim)) == "bound_only":
            return Finding("unverifiable", (Reason.bound_only,),
                           f"With {cur.describe()} in {period.label()} against {prev.describe()} in {base.label()}, the change is "
                           f"{_desc_change(iv)}: that neither confirms nor rules out {_claimed(claim)}.",
                           (Evidence("growth", iv, cur.facts + prev.facts, computed),))
        return Finding("contradicted", (Reason.value_mismatch,),
                       f"{cur.entity}'s {metric_words(metric)} went from {prev.describe()} in {base.label()} to "
                       f"{cur.describe()} in {period.label()}: {_desc_change(iv)}, not {_claimed(claim)}.",
                       (Evidence("growth", iv, cur.facts + prev.facts, computed),))
    return _no_data(claim, ctx)


def _desc_change(iv: Interval) -> str:
    if iv.is_point:
        return _pct(iv.low)
    if math.isinf(iv.high):
        return f"more than {_pct(iv.low)}"
    return f"{_pct(iv.low)} to {_pct(iv.high)}"


def _target_changes(ctx: Context, entity: str, year: int) -> list[tuple[Interval, Fact, Fact]]:
    versions = [f for f in ctx.source.versions(entity, "delivery_target", Period.year(year)) if f.known_from <= ctx.doc_date]
    out = []
    for i, a in enumerate(versions):
        for b in versions[i + 1:]:
            if a.value > 0:
                out.append((Interval.point((b.value / a.value - 1) * 100), a, b))
    # latest revision first: it is what news talks about
    return sorted(out, key=lambda t: (t[2].known_from, t[1].known_from), reverse=True)


def _change_conflation(claim: Claim, ctx: Context, claim_iv: Interval, period: Period | None) -> Finding | None:
    assert claim.entity and claim.metric
    if not _specific(claim_iv):
        return None
    year = period.end.year if period else ctx.doc_date.year
    # a target revision dressed up as growth: never when the text compares with a stated period ('year on year')
    if claim.metric != "delivery_target" and claim.base_period is None:
        for iv, a, b in _target_changes(ctx, claim.entity, year):
            if _is_fit(judge(claim_iv, iv, _quoted(claim))):
                framing = f"called {claim.metric_phrase!r}" if claim.metric_phrase else f"presented as {metric_words(claim.metric)}"
                return Finding(
                    "misleading", (Reason.metric_conflation, Reason.target_as_actual),
                    f"The arithmetic holds for {claim.entity}'s {year} delivery target, {_moved(a.value, b.value)} {_num(a.value)} to "
                    f"{_num(b.value)} ({_desc_change(iv)}), but that is a target revision, {framing}; it is not "
                    f"{metric_words(claim.metric)}.",
                    (Evidence(f"{claim.entity} {year} delivery target revisions", iv, (a, b),
                              f"{_num(b.value)} / {_num(a.value)} − 1 = {_desc_change(iv)}"),))
    if period is not None:
        for metric in [m for m in ("deliveries", "sales", "revenue") if m not in _candidate_metrics(claim)]:
            base = claim.base_period_obj() or period.same_period_last_year()
            g = _growth(ctx, claim.entity, metric, period, base)
            if g and _is_fit(judge(claim_iv, g[0], _quoted(claim))):
                iv, cur, prev = g
                return Finding("misleading", (Reason.metric_conflation,),
                               f"{_cap(_claimed(claim))} matches {claim.entity}'s {metric_words(metric)} "
                               f"({_desc_change(iv)} in {period.label()}), not its {metric_words(claim.metric)}.",
                               (Evidence("growth", iv, cur.facts + prev.facts),))
        claimed_base = claim.base_period_obj() or period.same_period_last_year()
        alt_bases = [b for b in (period.previous(), period.same_period_last_year()) if b != claimed_base]
        if claim.base_period is None:
            # the text named no base: growth on the previous period is a reading, not a misframing
            for metric in _candidate_metrics(claim):
                g = _growth(ctx, claim.entity, metric, period, period.previous())
                if g and _is_fit(judge(claim_iv, g[0], _quoted(claim))):
                    iv, cur, prev = g
                    return Finding("supported", (Reason.within_precision if claim.qualifier == "exact" else Reason.qualifier_holds,),
                                   f"{cur.entity}'s {metric_words(metric)} were {cur.describe()} in {period.label()} against "
                                   f"{prev.describe()} in {prev.period.label()}: {_desc_change(iv)}, consistent with "
                                   f"{_claimed(claim)} read as growth on the previous period.",
                                   (Evidence("growth", iv, cur.facts + prev.facts,
                                             f"{cur.describe()} / {prev.describe()} − 1 = {_desc_change(iv)}"),))
        for base in alt_bases:
            for metric in _candidate_metrics(claim):
                g = _growth(ctx, claim.entity, metric, period, base)
                if g and _is_fit(judge(claim_iv, g[0], _quoted(claim))):
                    iv, cur, prev = g
                    return Finding("misleading", (Reason.period_conflation,),
                                   f"{_cap(_claimed(claim))} is {claim.entity}'s change in {metric_words(metric)} "
                                   f"against {base.label()} ({_desc_change(iv)}), not against the period the text implies.",
                                   (Evidence("growth", iv, cur.facts + prev.facts),))
    return None


# -- conflation of levels -----------------------------------------------------------


def _alternative_periods(period: Period, doc_date: date) -> list[Period]:
    """Periods a figure is often misplaced from: the same span a year off, the year's quarters,
    halves and year-to-date spans, and the months of the claim's year."""
    y = period.end.year
    if not 2 <= y <= 9998:
        return []  # the neighbouring years would fall outside the calendar
    out: list[Period] = [period.shift_years(-1), period.shift_years(1), Period.year(y), Period.year(y - 1)]
    out += [Period.quarter(y, q) for q in range(1, 5)] + [Period.half(y, h) for h in (1, 2)]
    out += [Period.months_span(y, 1, m) for m in range(2, 12)]
    if period.kind in ("month", "months", "quarter"):
        out += [Period.month(y, m) for m in range(1, 13)]
    return [p for p in dict.fromkeys(out) if p != period and p.end <= doc_date]


def _find_conflation(claim: Claim, ctx: Context, claim_iv: Interval, period: Period) -> Finding | None:
    """The frame a misplaced number does fit: another metric, entity or period."""
    assert claim.entity and claim.metric
    if not _specific(claim_iv):
        return None  # 'more than 110,000' would fit a great many figures: no frame can be inferred
    src = ctx.source
    unit = src.metric(claim.metric).unit
    same_unit = [m.name for m in src.metrics().values() if m.unit == unit and m.name not in _candidate_metrics(claim)]
    # 1. another metric, same entity and period (a goal the text itself calls a goal is no misframing)
    sentence = ctx.text[claim.sentence_start:claim.sentence_end] if claim.sentence_end > claim.sentence_start else ""
    called_a_goal = bool(GOAL_WORDS.search(sentence))
    for metric in same_unit:
        m = src.metric(metric)
        if m.target_of and called_a_goal:
            continue
        if m.target_of:
            versions = [f for f in src.versions(claim.entity, metric, period) if f.known_from <= ctx.doc_date]
            for f in versions:
                if _is_fit(judge(claim_iv, Interval.point(f.value), _quoted(claim))):
                    framing = f"called {claim.metric_phrase!r}" if claim.metric_phrase else f"given as {metric_words(claim.metric)}"
                    return Finding("misleading", (Reason.metric_conflation, Reason.target_as_actual),
                                   f"{_num(f.value)} is {claim.entity}'s {period.label()} {metric_words(metric)}, "
                                   f"{framing}: a goal, not {metric_words(claim.metric)}.",
                                   (Evidence(f"{claim.entity} {metric_words(metric)}", Interval.point(f.value), (f,)),))
            continue
        r = _value(ctx, claim.entity, metric, period)
        if r and judge(claim_iv, r.interval, _quoted(claim)) in ("fits", "consistent"):
            return Finding("misleading", (Reason.metric_conflation,),
                           f"{_cap(_claimed(claim))} is {r.entity}'s {metric_words(metric)} in {period.label()}, "
                           f"not its {metric_words(claim.metric)}.",
                           (Evidence(f"{r.entity} {metric_words(metric)}, {period.label()}", r.interval, r.facts, r.note),))
    # 2. a related entity (parent, model, sibling), same metric and period
    others = [e.name for e in src.ancestors(claim.entity)] + [e.name for e in src.descendants(claim.entity)]
    parent = src.entities()[claim.entity].parent
    others += [e.name for e in src.children(parent)] if parent else []
    others = [n for n in dict.fromkeys(others) if n != claim.entity]
    ancestors = {e.name for e in src.ancestors(claim.entity)}
    for other in others:
        for metric in _candidate_metrics(claim):
            r = _value(ctx, other, metric, period)
            if r and judge(claim_iv, r.interval, _quoted(claim)) in ("fits", "consistent"):
                reasons = (Reason.entity_conflation,)
                if other in ancestors and _sold_others(ctx, other, claim.entity, period):
                    reasons += (Reason.brand_total_as_model,)
                return Finding("misleading", reasons,
                               f"{_cap(_claimed(claim))} is {other}'s {metric_words(metric)} in {period.label()}, "
                               f"not {claim.entity}'s.",
                               (Evidence(f"{other} {metric_words(metric)}, {period.label()}", r.interval, r.facts, r.note),))
    # 3. another period (a cumulative figure quoted as a quarter, another year). Only an exact
    # figure that fits exactly one other period says which: "about 40,000" fits too many.
    if claim.qualifier != "exact" or claim.precision > 1:
        return None
    matches: dict[Period, tuple[str, Interval, tuple[Fact, ...]]] = {}
    for metric in _candidate_metrics(claim):
        for f in src.facts(entity=claim.entity, metric=metric, as_of=ctx.doc_date):
            if f.period != period and judge(claim_iv, f.interval(), _quoted(claim)) == "fits":
                matches.setdefault(f.period, (metric, f.interval(), (f,)))
        for alt in _alternative_periods(period, ctx.doc_date):
            r = _value(ctx, claim.entity, metric, alt)
            if r and judge(claim_iv, r.interval, _quoted(claim)) == "fits":
                matches.setdefault(alt, (metric, r.interval, r.facts))
    if len(matches) == 1:
        (alt, (metric, iv, facts)), = matches.items()
        return _period_finding(claim, period, alt, metric, iv, facts)
    return None


def _sold_others(ctx: Context, brand: str, model: str, period: Period) -> bool:
    """Did ``brand`` have models other than ``model`` (and its variants) on sale before ``period`` ended?"""
    own = {model} | {e.name for e in ctx.source.descendants(model)}
    return any(e.name not in own and e.kind == "model" and e.launched is not None and e.launched <= period.end
               for e in ctx.source.descendants(brand))


FRAMING_RULES = frozenset({Reason.target_as_actual, Reason.brand_total_as_model})
"""Misframings that are flagged even when the claim's own figure is not on record (docs/audit.md)."""


def _framing_rule(finding: Finding) -> bool:
    return bool(FRAMING_RULES.intersection(finding.reasons))


def _period_finding(claim: Claim, claimed: Period, actual: Period, metric: str, iv: Interval, facts: tuple[Fact, ...]) -> Finding:
    return Finding("misleading", (Reason.period_conflation,),
                   f"{_cap(_claimed(claim))} is {claim.entity}'s {metric_words(metric)} for {actual.label()}, "
                   f"not for {claimed.label()}.",
                   (Evidence(f"{claim.entity} {metric_words(metric)}, {actual.label()}", iv, facts),))


# -- events and attributes ----------------------------------------------------------


def _verify_event(claim: Claim, ctx: Context) -> Finding:
    assert claim.entity and claim.metric
    kind = ctx.source.metric(claim.metric).event_kind
    if not kind:
        return _no_data(claim, ctx)
    events = [e for e in ctx.source.events(entity=claim.entity, kind=kind, as_of=ctx.doc_date)]
    if not events:
        return _no_data(claim, ctx)
    period = claim.period_obj()
    facts = tuple(f for e in events for f in ctx.source.facts(entity=e.entity, metric=claim.metric, as_of=ctx.doc_date)
                  if f.id == e.fact_id)
    dates = ", ".join(f"{e.date:%d %B %Y} ({e.entity})" for e in events)
    ev = (Evidence(f"{metric_words(claim.metric)} on record for {claim.entity}", None, facts, dates),)
    if period is None:
        return Finding("supported", (Reason.events_on_record,), f"The store records {metric_words(claim.metric)} for {claim.entity} on {dates}.", ev)
    inside = [e for e in events if period.contains(e.date)]
    if inside:
        return Finding("supported", (Reason.events_on_record,),
                       f"The store records a {kind.replace('_', ' ')} involving {inside[0].entity} on {inside[0].date:%d %B %Y}, "
                       f"in {period.label()}.", ev)
    return Finding("contradicted", (Reason.value_mismatch,),
                   f"No {kind.replace('_', ' ')} involving {claim.entity} is on record in {period.label()}; the store has {dates}.", ev)


def _moved(old: float, new: float) -> str:
    """'raised from', 'cut from' or 'kept at': the direction follows the values."""
    return "raised from" if new > old else "cut from" if new < old else "restated from"


def _own_key_missing(claim: Claim, ctx: Context, conflation: Finding) -> Finding:
    """A number that fits another frame, while its own frame is not on record: not a flag."""
    own = _no_data(claim, ctx).explanation
    return Finding("unverifiable", (Reason.no_data,),
                   f"{own} {_cap(conflation.explanation)} Without the claim's own figure on record this is not flagged.",
                   conflation.evidence)


def _no_data(claim: Claim, ctx: Context) -> Finding:
    what = metric_words(claim.metric) if claim.metric else "figure"
    period = claim.period_obj()
    when = f" for {period.label()}" if period else ""
    later = _published_later(claim, ctx, period)
    if later:
        f = later[0]
        return Finding("unverifiable", (Reason.published_later,),
                       f"The store has no {what} for {claim.entity}{when} known on {ctx.doc_date.isoformat()}; "
                       f"it has {f.describe_value()} ({f.period.label()}), known only from {f.known_from.isoformat()}, "
                       f"after the article (audit with hindsight to judge on it).",
                       (Evidence(f"{claim.entity} {what}, published later", f.interval(), tuple(later[:3])),))
    return Finding("unverifiable", (Reason.no_data,),
                   f"The store has no {what} for {claim.entity}{when} known on {ctx.doc_date.isoformat()}.")


def _published_later(claim: Claim, ctx: Context, period: Period | None) -> list[Fact]:
    """Facts of the claim's own key that were published only after the document date."""
    if period is None or not claim.entity or not claim.metric or not ctx.known(claim.entity):
        return []
    if claim.metric not in ctx.source.metrics():
        return []
    return [f for f in ctx.source.facts(entity=claim.entity, metric=claim.metric, period=period)
            if f.period == period and f.known_from > ctx.doc_date]


def verify(claim: Claim, ctx: Context) -> Finding:
    """Check one claim against the facts known on the document date (no arithmetic)."""
    if not claim.entity:
        return Finding("unverifiable", (Reason.no_entity,), "The text does not say whose figure this is.")
    if not ctx.known(claim.entity):
        return Finding("unverifiable", (Reason.unknown_entity,), f"redline holds no data on {claim.entity}.")
    if not claim.metric or claim.metric not in ctx.source.metrics():
        return Finding("unverifiable", (Reason.no_metric,), "The text does not say what this number measures.")
    if claim.kind in ("level", "count"):
        return _verify_level(claim, ctx)
    if claim.kind == "change_pct":
        return _verify_change(claim, ctx)
    if claim.kind == "event":
        return _verify_event(claim, ctx)
    return Finding("unverifiable", (Reason.no_data,),
                   f"The store holds no {metric_words(claim.metric)} for {claim.entity} to check this against.")
