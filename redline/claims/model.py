"""The claim record: what extraction produces and the audit checks.

The shape follows ../shared/DESIGN.md and the gold annotations: ``text``,
``start``/``end`` character offsets into the plain text, ``entity``,
``metric``, ``kind``, ``period`` and ``base_period``, ``value`` (a number or
``[low, high]``), ``unit`` and ``qualifier``. The remaining fields carry what
the auditor needs to judge a claim fairly (stated precision, the words that
named the metric, a base value given in the same breath).
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

from ..intervals import Interval, from_qualified, rounded_count_precision
from ..periods import Period

__all__ = ["Claim", "ClaimPeriod", "ClaimKind", "Qualifier"]

ClaimKind = Literal["level", "change_pct", "count", "event", "attribute"]
Qualifier = Literal["exact", "about", "almost", "over", "at_least", "under", "at_most"]
EntityBasis = Literal["named", "anaphor", "context"]
PeriodBasis = Literal["stated", "sentence", "discourse", "launch", "default"]


class ClaimPeriod(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: date
    end: date

    @classmethod
    def of(cls, period: Period | None) -> Optional["ClaimPeriod"]:
        return None if period is None else cls(start=period.start, end=period.end)

    def to_period(self) -> Period:
        return Period(self.start, self.end)


class Claim(BaseModel):
    """One quantitative statement found in a text."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable within one document: c1, c2, …")
    text: str = Field(description="The claim's words, exactly text[start:end] of the plain text.")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    entity: Optional[str] = Field(None, description="Canonical entity name from the store's registry, or the name as written when unknown.")
    metric: Optional[str] = Field(None, description="Metric name from the catalog.")
    kind: ClaimKind
    period: Optional[ClaimPeriod] = None
    base_period: Optional[ClaimPeriod] = Field(None, description="For changes: the period compared against.")
    value: Union[float, list[float]] = Field(description="A number, or [low, high] for a range.")
    unit: Optional[str] = Field(None, description="vehicles, orders, percent, percentage_points, USD, CNY, seconds, …")
    qualifier: Qualifier = "exact"
    precision: float = Field(0.0, ge=0, description="Unit of the last significant digit written (1 for '173%', 1e8 for '$1.6 billion'); 0 for an exact count.")
    market: Optional[str] = Field(None, description="For market_share: the market named, when the text names one.")
    metric_phrase: Optional[str] = Field(None, description="The words that named the metric ('cars sold', 'production ramp').")
    generic_volume: bool = Field(False, description="The metric came from a generic volume word (units, cars sold, moved) that fits deliveries or retail sales.")
    entity_basis: Optional[EntityBasis] = Field(None, description="How the entity was found: named in the sentence, an anaphor ('it', 'the company') resolved to a name, or carried from earlier sentences (context).")
    period_basis: Optional[PeriodBasis] = Field(None, description="How the period was found: stated next to the number, given by another figure of the sentence, carried from earlier sentences (discourse), since the launch of the product (orders, events: what an undated figure of these means), or a default (the current year).")
    base_value: Optional[float] = Field(None, description="A starting value given with this one ('from 350,000 to 400,000', 'up from 350,000').")
    sentence_start: int = Field(0, ge=0)
    sentence_end: int = Field(0, ge=0)

    def interval(self) -> Interval:
        """The range of values the claim allows against a fact: :meth:`written_interval`, and a whole count
        ending in zeros ('36,300 units') as the rounding of a figure such as 36,279 (see
        :func:`redline.intervals.rounded_count_precision`)."""
        if self.kind == "level" and self.qualifier == "exact" and isinstance(self.value, float) \
                and self.unit not in ("percent", "percentage_points"):
            rounding = rounded_count_precision(self.value)
            if rounding > self.precision:
                return from_qualified(self.value, "exact", precision=rounding)
        return self.written_interval()

    def written_interval(self) -> Interval:
        """The range of values the claim allows as written, from its qualifier and stated precision
        (the text's own arithmetic compares figures so)."""
        if isinstance(self.value, list):
            lo, hi = self.value
            low = from_qualified(lo, self.qualifier if self.qualifier == "about" else "exact", precision=self.precision)
            high = from_qualified(hi, self.qualifier if self.qualifier == "about" else "exact", precision=self.precision)
            return Interval(low.low, high.high)
        if self.kind == "change_pct" and self.value < 0 and self.qualifier != "exact":
            # "fell almost 36%" is a fall of almost 36: qualify the size, then mirror it
            size = from_qualified(-self.value, self.qualifier, precision=self.precision)
            return Interval(-size.high, -size.low, size.high_strict, size.low_strict)
        return from_qualified(self.value, self.qualifier, precision=self.precision, nonnegative=self.kind != "change_pct")

    def period_obj(self) -> Period | None:
        return self.period.to_period() if self.period else None

    def base_period_obj(self) -> Period | None:
        return self.base_period.to_period() if self.base_period else None
