"""Typed records read out of the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..intervals import FACT_ABOUT_TOLERANCE, Interval, from_qualified, implied_precision
from ..catalog import SERIES
from ..periods import Period
from ..sources import tier_of

__all__ = ["Fact", "Event", "ImportResult", "FACT_COLUMNS", "REQUIRED_COLUMNS", "SERIES"]

FACT_COLUMNS = (
    "entity",
    "metric",
    "period_start",
    "period_end",
    "value",
    "unit",
    "qualifier",
    "market",
    "source_url",
    "published",
    "note",
    "series",
    "confirmed_by",
)
"""The import layout. ``series`` and ``confirmed_by`` came later: files without them still import."""
REQUIRED_COLUMNS = ("entity", "metric", "period_start", "period_end", "value", "unit")



@dataclass(frozen=True, slots=True)
class Fact:
    """One version of one figure, with its source."""

    id: int
    entity: str
    metric: str
    period: Period
    value: float
    unit: str
    qualifier: str
    market: str | None
    source_url: str | None
    published: str | None
    known_from: date
    note: str | None
    recorded_at: datetime
    series: str | None = None
    confirmed_by: str | None = None

    @property
    def key(self) -> tuple[str, str, Period, str | None, str | None]:
        """What versions share: entity, metric, period, market and series."""
        return (self.entity, self.metric, self.period, self.market, self.series)

    @property
    def tier(self) -> int:
        """1 primary, 2 reputable secondary, 3 aggregator or unknown: from the source's domain."""
        return tier_of(self.source_url)

    @property
    def best_tier(self) -> int:
        """The better of the tiers of the source and of the confirming source."""
        return min(self.tier, tier_of(self.confirmed_by)) if self.confirmed_by else self.tier

    def interval(self) -> Interval:
        """The range this fact allows: 'over 40,000' is (40,000, +inf)."""
        precision = implied_precision(self.value) if self.qualifier == "about" else 0.0
        return from_qualified(self.value, self.qualifier, precision=precision, about_tolerance=FACT_ABOUT_TOLERANCE)

    def describe_value(self) -> str:
        v = f"{self.value:,.0f}" if self.value == int(self.value) else f"{self.value:,g}"
        words = {
            "exact": "",
            "over": "over ",
            "about": "about ",
            "at_least": "at least ",
            "under": "under ",
            "at_most": "at most ",
            "almost": "almost ",
        }
        return f"{words.get(self.qualifier, '')}{v}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "entity": self.entity,
            "metric": self.metric,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "value": self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "market": self.market,
            "source_url": self.source_url,
            "published": self.published,
            "known_from": self.known_from.isoformat(),
            "note": self.note,
            "recorded_at": self.recorded_at.isoformat(timespec="seconds"),
            "series": self.series,
            "confirmed_by": self.confirmed_by,
            "tier": self.tier,
        }

    def to_row(self) -> dict[str, Any]:
        """The fact in the import layout (ev_facts.csv columns)."""
        d = self.to_dict()
        return {c: d[c] for c in FACT_COLUMNS}


@dataclass(frozen=True, slots=True)
class Event:
    """A dated occurrence: a fatal crash, a recall, a launch, a target revision."""

    entity: str
    date: date
    kind: str
    attributes: dict[str, Any] = field(default_factory=dict)
    source_url: str | None = None
    published: str | None = None
    note: str | None = None
    fact_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "date": self.date.isoformat(),
            "kind": self.kind,
            "attributes": self.attributes,
            "source_url": self.source_url,
            "published": self.published,
            "note": self.note,
            "fact_id": self.fact_id,
        }


@dataclass(frozen=True)
class ImportResult:
    source: str
    rows: int
    added: int
    duplicates: int

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "rows": self.rows, "added": self.added, "duplicates": self.duplicates}
