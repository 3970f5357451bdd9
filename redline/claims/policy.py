"""The verdict policy: when redline may raise a red flag.

A red flag (``contradicted`` or ``misleading``) is a promise to an editor:
"this number is wrong, here is the proof". The verifier proposes verdicts;
this module decides, in one place, whether a proposed flag keeps that
promise. A flag stands only when

1. the **reading is unambiguous**: the text names the entity in the claim's
   own sentence (or refers to it with "it", "the company") and gives the
   period in that sentence, rather than redline carrying them over from
   earlier sentences or assuming a default (:data:`AMBIGUOUS_BASES`);
   and the words around the number do not narrow it to something the
   store does not hold (one kind of vehicle, one part of a company's revenue);
2. the **evidence is trusted**: every fact it rests on comes from a primary or
   reputable source (tier 1 or 2 in ``redline/data/sources.csv``), or is
   confirmed by a second source, or the flag rests on the text's own arithmetic.

A disagreement among the text's own figures flags a claim when its figures
stand in one sentence (the text's grammar relates them), or, across
sentences, when every figure is read unambiguously (:func:`arithmetic_stands`)
and the others are confirmed by the store; never when the store points at
another of the figures as the wrong one (see ``audit._combine``).

Otherwise the claim is ``unverifiable``, with a reason a user can act on
(``ambiguous_reading``, ``weak_source_only``) and what the store shows on
the reading redline took, so the user can check that reading.

The verifier itself keeps the other rules of the policy where the evidence is
chosen (see docs/audit.md): a figure with no period is never contradicted by
another period's figure, and ``misleading`` needs the claim's own key on
record with a different value, or a framing rule.
"""

from __future__ import annotations

from math import inf, isfinite
from typing import Iterable

from ..catalog import BUILTIN_METRICS, VOLUME_METRICS
from ..sources import domain_of, tier_of
from ..store import Fact
from ..store.registry import RegistryLookups
from .lexicon import FORECASTER_WORDS, GOAL_WORDS, SEGMENT_REVENUE, SERIES_WORDS, VEHICLE_SUBTYPE_AFTER, VEHICLE_SUBTYPE_BEFORE
from .model import Claim
from .verify import Finding, Reason

__all__ = ["review", "ambiguity", "arithmetic_stands", "AMBIGUOUS_BASES", "TRUSTED_TIERS"]

FLAGS = frozenset({"contradicted", "misleading"})

AMBIGUOUS_BASES: dict[str, dict[str, str]] = {
    "entity": {
        "context": "the sentence does not name whose figure this is; redline took {entity} from earlier in the text",
    },
    "period": {
        "discourse": "the sentence gives no period; redline took {period} from an earlier sentence",
        "default": "the text gives no period; redline assumed {period}",
    },
}
"""Ways of finding a claim's entity or period that leave its reading open: no flag rests on them."""

TARGET_METRICS = frozenset(m.name for m in BUILTIN_METRICS if m.target_of)
"""Metrics that are a company's own goal for a period (the catalog's ``target_of``)."""

SHARE_METRIC = "market_share"
"""The metric whose figures are a share of a market (the fact's ``market`` names which)."""

FAR_OFF_FACTOR = 2.0
"""A figure more than twice, or under half, what the store holds for its reading is more likely another
quantity read as this one (a part of the company, another market or series, a misread period) than the
same quantity written wrong: no contradiction rests on so distant a match. Changes compare as growth
factors (+50% is 1.5)."""

TRUSTED_TIERS = frozenset({1, 2})
"""Source tiers a contradiction may rest on alone (1 primary, 2 reputable secondary)."""


def ambiguity(claim: Claim, text: str = "") -> str | None:
    """Why the reading of ``claim`` is open, in words, or None when the text fixes it.

    With the document's ``text``, also what the words around the number narrow it to:
    a kind of vehicle ('4,092 commercial vehicles') is not a maker's total, and the
    revenue of one part of a company ('vehicle sales revenue') is not its revenue.
    """
    if text and claim.metric in VOLUME_METRICS and (
            VEHICLE_SUBTYPE_AFTER.match(text, claim.end) or (claim.sentence_end > claim.sentence_start and
                                                              VEHICLE_SUBTYPE_BEFORE.search(text, max(claim.sentence_start, claim.start - 60), claim.start))):
        return "the number counts one kind of vehicle, not the maker's total the store holds"
    if text and claim.metric in VOLUME_METRICS and claim.sentence_end > claim.sentence_start and \
            GOAL_WORDS.search(text, max(claim.sentence_start, claim.start - 40), claim.start):
        return "the sentence presents the number as a goal or a forecast, not as what was sold or delivered"
    if text and claim.metric == "revenue" and claim.sentence_end > claim.sentence_start and \
            SEGMENT_REVENUE.search(text, claim.sentence_start, claim.sentence_end):
        return "the sentence speaks of the revenue of one part of the company, and the store holds its total"
    if text and claim.metric in TARGET_METRICS and claim.sentence_end > claim.sentence_start and \
            FORECASTER_WORDS.search(text, claim.sentence_start, claim.sentence_end):
        return "the sentence gives someone else's forecast (an analyst's, a bank's), not the company's own target"
    if claim.metric == SHARE_METRIC and not claim.market:
        return ("the text does not say which market the share is of (all cars or new-energy cars, retail or "
                "wholesale, China or the world), and shares differ from one to another")
    if claim.entity_basis == "anaphor" and claim.generic_volume and claim.metric in VOLUME_METRICS:
        return (f"the sentence refers to the company only by a pronoun and counts plain 'units', so the number may "
                f"be one part of {claim.entity}'s total (a brand, a powertrain, a market)")
    if claim.kind == "change_pct" and claim.base_period is None:
        return "the text does not say what the change is measured against (a year before, or the period before)"
    period = claim.period_obj()
    why = [
        AMBIGUOUS_BASES["entity"].get(claim.entity_basis or "", ""),
        AMBIGUOUS_BASES["period"].get(claim.period_basis or "", ""),
    ]
    words = [w.format(entity=claim.entity, period=period.label() if period else "no period") for w in why if w]
    return "; ".join(words) or None


def _trusted(fact: Fact) -> bool:
    if tier_of(fact.source_url or "") in TRUSTED_TIERS:
        return True
    confirmed = getattr(fact, "confirmed_by", None)
    # a second, independent source: another site, whatever its tier
    return bool(confirmed) and "//" in confirmed and domain_of(confirmed) != domain_of(fact.source_url or "")


def _factor(claim: Claim, value: float) -> float:
    return 1 + value / 100 if claim.kind == "change_pct" else value


def far_off(claim: Claim, finding: Finding) -> float | None:
    """How many times larger (> 1) or smaller (< 1) than the store's figure a contradicted claim is, when
    that is more than :data:`FAR_OFF_FACTOR` either way; None otherwise (or when there is nothing to compare)."""
    if finding.verdict != "contradicted" or Reason.value_mismatch not in finding.reasons:
        return None
    claimed = claim.interval()
    mid = (claimed.low + claimed.high) / 2 if claimed.low > -inf and claimed.high < inf else claimed.low
    ratios = []
    for ev in finding.evidence:
        iv = ev.interval
        if iv is None:
            continue
        c = _factor(claim, mid)
        lo, hi = _factor(claim, iv.low), _factor(claim, iv.high)
        if c <= 0 or not isfinite(c):
            continue
        ratios.append(c / lo if c < lo else (c / hi if 0 < hi < inf and c > hi else 1.0))
    if not ratios:
        return None
    nearest = min(ratios, key=lambda r: max(r, 1 / r))
    return nearest if max(nearest, 1 / nearest) > FAR_OFF_FACTOR else None


def _computed_share(claim: Claim, finding: Finding) -> str | None:
    if claim.metric != SHARE_METRIC or finding.verdict != "contradicted":
        return None
    return next((ev.computation for ev in finding.evidence if ev.computation), None)


SERIES_WINDOW = (50, 30)
"""How far before and after a number (within its sentence) a series word speaks for it, in characters."""


def named_series(claim: Claim, text: str) -> set[str]:
    """The series the words around a volume figure name ('exported 26,040 vehicles': exports); empty when none."""
    if not text or claim.metric not in VOLUME_METRICS:
        return set()
    lo = max(claim.sentence_start, claim.start - SERIES_WINDOW[0])
    hi = min(claim.sentence_end if claim.sentence_end > claim.sentence_start else len(text), claim.end + SERIES_WINDOW[1])
    return {series for series, words in SERIES_WORDS.items() if words.search(text, lo, hi)}


def _other_series(claim: Claim, finding: Finding, text: str) -> str | None:
    named = named_series(claim, text)
    if not named:
        return None
    other = sorted({f.series for f in _facts(finding) if f.series and f.series not in named})
    return ", ".join(other) or None


def _facts(finding: Finding) -> Iterable[Fact]:
    for ev in finding.evidence:
        yield from ev.facts


def _withheld(finding: Finding, reason: Reason, why: str) -> Finding:
    said = finding.explanation.rstrip(".")
    return Finding("unverifiable", (reason,),
                   f"Not flagged: {why}. On that reading the store says: {said}.", finding.evidence)


def arithmetic_stands(claim: Claim, related: Iterable[Claim], text: str = "") -> bool:
    """May a disagreement among the text's own figures flag ``claim``? Only when every figure
    in it is read unambiguously: a misread period pairs numbers that were never related."""
    return all(ambiguity(c, text) is None for c in (claim, *related))


def _part_named_as_whole(claim: Claim, finding: Finding, registry: RegistryLookups | None) -> str | None:
    """The part of the claim's entity (a model, a plant, a brand) whose figure the claim matches, when a
    misleading verdict rests on nothing else."""
    if registry is None or finding.verdict != "misleading" or Reason.entity_conflation not in finding.reasons \
            or Reason.brand_total_as_model in finding.reasons or not claim.entity or claim.entity not in registry.entities():
        return None
    parts = {e.name for e in registry.descendants(claim.entity)}
    owners = {f.entity for f in _facts(finding)}
    return ", ".join(sorted(owners)) if owners and owners <= parts else None


def review(claim: Claim, finding: Finding, text: str = "", registry: RegistryLookups | None = None) -> Finding:
    """The verdict the policy allows for ``finding`` on ``claim`` (a flag, or unverifiable with the reason).

    With the store's ``registry`` (entities and their parents), also whether the figure belongs to a part
    of the entity the sentence names."""
    if finding.verdict not in FLAGS:
        return finding
    why = ambiguity(claim, text)
    if why is not None:
        return _withheld(finding, Reason.ambiguous_reading, why)
    part = _part_named_as_whole(claim, finding, registry)
    if part is not None:
        return _withheld(finding, Reason.ambiguous_reading,
                         f"the figure is that of {part}, a part of {claim.entity}; a sentence about the company may "
                         f"well speak of it")
    other = _other_series(claim, finding, text)
    if other is not None:
        return _withheld(finding, Reason.other_series_on_record,
                         f"the sentence counts {' or '.join(sorted(s.replace('_', ' ') for s in named_series(claim, text)))}, "
                         f"and the figure on record is {other.replace('_', ' ')}, another series")
    factor = far_off(claim, finding)
    if factor is not None:
        size = f"{factor:.1f} times" if factor > 1 else f"1/{1 / factor:.1f} of"
        return _withheld(finding, Reason.ambiguous_reading,
                         f"the claim is {size} the store's figure on redline's reading; a number so far off more likely "
                         f"counts something else (a part of the company, another market or series, another period) "
                         f"than the same thing wrongly")
    how = _computed_share(claim, finding)
    if how is not None:
        return _withheld(finding, Reason.computed_only,
                         f"no published share is on record, only redline's own, computed as {how}; markets are "
                         f"counted in several ways (retail or wholesale, passenger cars or all vehicles), so a computed "
                         f"share does not prove a published one wrong")
    weak = [f for f in _facts(finding) if not _trusted(f)]
    if weak:
        sites = sorted({(f.source_url or "no source").split("/")[2] if "//" in (f.source_url or "") else "no source"
                        for f in weak})
        return _withheld(finding, Reason.weak_source_only,
                         f"the figure it rests on comes only from a source redline does not rank as primary or "
                         f"reputable ({', '.join(sites)})")
    return finding
