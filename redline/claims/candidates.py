"""From a press release's claims to candidate facts for the store.

`redline facts extract FILE --source URL` runs the same extractor as
`redline extract` and turns each claim that can be a fact into a row in the
``ev_facts.csv`` layout. A claim is kept when it names a known entity and
metric, one period and one value in the metric's unit; the others are listed
with the reason they were set aside (a change, a range, an unknown entity…).

>>> from datetime import date
>>> from redline.claims.extract import extract
>>> from redline.claims.gazetteer import default_gazetteer
>>> claims = extract("NIO delivered 40,397 vehicles in October 2025.", date=date(2025, 11, 1),
...                  gazetteer=default_gazetteer())
>>> [c.row["value"] for c in candidate_facts(claims, source_url="https://example.com/nio", published=date(2025, 11, 1),
...                                          gazetteer=default_gazetteer()) if c.row]
[40397.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from typing import Any, Iterable

from .gazetteer import Gazetteer
from .model import Claim

__all__ = ["Candidate", "Proposal", "candidate_facts", "propose_facts"]

_SCALES = {"_bn": 1e9, "_mn": 1e6, "_k": 1e3}


@dataclass(frozen=True)
class Candidate:
    """A claim and the fact row it would become (``row`` is None when it was set aside, with ``reason``)."""

    claim: Claim
    row: dict[str, Any] | None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"claim": self.claim.model_dump(mode="json"), "row": self.row, "reason": self.reason}


def _convert(value: float, unit: str | None, metric_unit: str | None) -> tuple[float | None, str | None]:
    """The value in the metric's unit, or (None, reason)."""
    if metric_unit is None or unit is None or unit == metric_unit:
        return value, None
    for suffix, scale in _SCALES.items():
        if metric_unit.endswith(suffix) and metric_unit[: -len(suffix)] == unit:
            return value / scale, None
    return None, f"unit {unit} differs from the metric's unit {metric_unit}"


def candidate_facts(
    claims: Iterable[Claim],
    /,
    *,
    source_url: str,
    published: Date | None,
    gazetteer: Gazetteer,
) -> list[Candidate]:
    """Every claim, with the fact row it would add or the reason it would not."""
    out: list[Candidate] = []
    seen: set[tuple[Any, ...]] = set()
    for c in claims:
        reason = None
        row = None
        if c.entity is None or gazetteer.entity(c.entity) is None:
            reason = f"entity {c.entity!r} is not in the store (add it with `redline entities add`)"
        elif c.metric is None or gazetteer.metric_unit(c.metric) is None:
            reason = "no known metric"
        elif c.kind == "change_pct":
            reason = "a change, not a level: store the figures it compares"
        elif c.kind == "count" and gazetteer.is_event_metric(c.metric):
            reason = "a count of events: events are stored one fact each"
        elif isinstance(c.value, list):
            reason = "a range, not one figure"
        elif c.period is None:
            reason = "no period"
        else:
            value, why = _convert(float(c.value), c.unit, gazetteer.metric_unit(c.metric))
            if value is None:
                reason = why
            else:
                row = {
                    "entity": c.entity,
                    "metric": c.metric,
                    "period_start": c.period.start.isoformat(),
                    "period_end": c.period.end.isoformat(),
                    "value": value,
                    "unit": gazetteer.metric_unit(c.metric),
                    "qualifier": c.qualifier,
                    "market": c.market,
                    "source_url": source_url,
                    "published": published.isoformat() if published else None,
                    "note": f"extracted: “{c.text}”",
                }
                key = tuple(row[k] for k in ("entity", "metric", "period_start", "period_end", "value", "qualifier"))
                if key in seen:
                    row, reason = None, "repeats an earlier candidate"
                else:
                    seen.add(key)
        out.append(Candidate(c, row, reason))
    return out


@dataclass(frozen=True)
class Proposal:
    """The claims of a press release and the facts they would add."""

    extraction: Any
    candidates: list[Candidate]

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [c.row for c in self.candidates if c.row is not None]

    def to_dict(self) -> dict[str, Any]:
        ex = self.extraction
        return {
            "document": ex.document,
            "document_date": ex.document_date.isoformat(),
            "date_source": ex.date_source,
            "warnings": list(ex.warnings),
            "candidates": [c.to_dict() for c in self.candidates if c.row is not None],
            "set_aside": [c.to_dict() for c in self.candidates if c.row is None],
        }


def propose_facts(
    doc: Any,
    /,
    *,
    gazetteer: Gazetteer,
    source_url: str,
    date: Date | None = None,
    today: Date | None = None,
) -> Proposal:
    """Extract a read document (:func:`~redline.claims.document.read_document`) and propose its facts.

    The publication date of each fact is the document date (``date``, else the
    HTML's, else today with a warning).
    """
    from .extract import extract_document

    extraction = extract_document(doc, gazetteer=gazetteer, date=date, today=today)
    candidates = candidate_facts(extraction.claims, source_url=source_url, published=extraction.document_date,
                                 gazetteer=gazetteer)
    return Proposal(extraction, candidates)
