"""The verdict policy: when redline may raise a red flag.

A red flag (``contradicted`` or ``misleading``) is a promise to an editor:
"this number is wrong, here is the proof". The verifier proposes verdicts;
this module decides, in one place, whether a proposed flag keeps that
promise. A flag stands only when

1. the **reading is unambiguous**: the text names the entity in the claim's
   own sentence (or refers to it with "it", "the company") and gives the
   period in that sentence, rather than redline carrying them over from
   earlier sentences or assuming a default (:data:`AMBIGUOUS_BASES`);
2. the **evidence is trusted**: every fact it rests on comes from a primary or
   reputable source (tier 1 or 2 in ``redline/data/sources.csv``), or is
   confirmed by a second source, or the flag rests on the text's own arithmetic.

Otherwise the claim is ``unverifiable``, with a reason a user can act on
(``ambiguous_reading``, ``weak_source_only``) and what the store shows on
the reading redline took, so the user can check that reading.

The verifier itself keeps the other rules of the policy where the evidence is
chosen (see docs/audit.md): a figure with no period is never contradicted by
another period's figure, and ``misleading`` needs the claim's own key on
record with a different value, or a framing rule.
"""

from __future__ import annotations

from typing import Iterable

from ..sources import tier_of
from ..store import Fact
from .model import Claim
from .verify import Finding, Reason

__all__ = ["review", "ambiguity", "AMBIGUOUS_BASES", "TRUSTED_TIERS"]

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

TRUSTED_TIERS = frozenset({1, 2})
"""Source tiers a contradiction may rest on alone (1 primary, 2 reputable secondary)."""


def ambiguity(claim: Claim) -> str | None:
    """Why the reading of ``claim`` is open, in words, or None when the text fixes it."""
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
    return bool(confirmed) and tier_of(confirmed) in TRUSTED_TIERS | {3} and confirmed != fact.source_url


def _facts(finding: Finding) -> Iterable[Fact]:
    for ev in finding.evidence:
        yield from ev.facts


def _withheld(finding: Finding, reason: Reason, why: str) -> Finding:
    said = finding.explanation.rstrip(".")
    return Finding("unverifiable", (reason,),
                   f"Not flagged: {why}. On that reading the store says: {said}.", finding.evidence)


def review(claim: Claim, finding: Finding) -> Finding:
    """The verdict the policy allows for ``finding`` on ``claim`` (a flag, or unverifiable with the reason)."""
    if finding.verdict not in FLAGS:
        return finding
    why = ambiguity(claim)
    if why is not None:
        return _withheld(finding, Reason.ambiguous_reading, why)
    weak = [f for f in _facts(finding) if not _trusted(f)]
    if weak:
        sites = sorted({(f.source_url or "no source").split("/")[2] if "//" in (f.source_url or "") else "no source"
                        for f in weak})
        return _withheld(finding, Reason.weak_source_only,
                         f"the figure it rests on comes only from a source redline does not rank as primary or "
                         f"reputable ({', '.join(sites)})")
    return finding
