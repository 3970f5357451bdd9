"""Intervals: how redline represents a figure together with its uncertainty.

A fact "over 40,000" is not the number 40,000: it is the interval
(40,000, +inf). A claim "173%" is not 173 either: written to the unit it
covers [172.5, 173.5). Sums and ratios of intervals are intervals, so a
year-to-date built from "over" months is itself a lower bound.

Qualifier rules (the same for facts and claims):

=============  ==========================================  =====================
qualifier      meaning                                     interval for value v
=============  ==========================================  =====================
exact          as written, to its stated precision p       [v - p/2, v + p/2]
about          within ABOUT_TOLERANCE (or the precision)   [v - t, v + t]
almost         just under v, by at most ALMOST_TOLERANCE   [v(1 - a), v]
over           strictly more than v                        (v, +inf)
at_least       v or more                                   [v, +inf)
under          strictly less than v                        (-inf, v)
at_most        v or less                                   (-inf, v]
=============  ==========================================  =====================

with t = max(p/2, ABOUT_TOLERANCE * |v|) and a = ALMOST_TOLERANCE.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from . import settings

__all__ = [
    "Interval",
    "QUALIFIERS",
    "ABOUT_TOLERANCE",
    "ALMOST_TOLERANCE",
    "FACT_ABOUT_TOLERANCE",
    "normalise_qualifier",
    "QUALIFIER_WORDS",
    "from_qualified",
    "implied_precision",
    "ROUNDED_COUNT_TOLERANCE",
    "rounded_count_precision",
]

ABOUT_TOLERANCE: float = settings.get("about_tolerance", lenient=True)  # a bad value: the CLI/web refuse to start
"""'about', 'around', 'roughly': within 5% of the value (or its stated precision, if wider).

Set by the ``about_tolerance`` setting (environment ``REDLINE_ABOUT_TOLERANCE``), read when redline is imported.
"""

FACT_ABOUT_TOLERANCE = 0.01
"""An 'about' fact in the store (a rounded report of a precise figure): within 1% or its rounding."""

ROUNDED_COUNT_TOLERANCE = 0.005
"""A count written with trailing zeros ('36,300 units', '87,000') may be rounded to its last non-zero
digit, as news copy rounds: it stands for a range as wide as that rounding, but no wider than half a
percent of the figure either way (so '300,000' is not read as 250,000 to 350,000)."""

ALMOST_TOLERANCE = 0.10
"""'almost', 'nearly', 'just shy of': below the value by at most 10% of it."""

QUALIFIERS = ("exact", "about", "almost", "over", "at_least", "under", "at_most")

QUALIFIER_WORDS: dict[str, str] = {  # every word a text or an import may use → canonical qualifier
    "": "exact",
    "exact": "exact",
    "exactly": "exact",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "approx": "about",
    "almost": "almost",
    "nearly": "almost",
    "just shy of": "almost",
    "over": "over",
    "more than": "over",
    "above": "over",
    "exceeding": "over",
    "at_least": "at_least",
    "at least": "at_least",
    "under": "under",
    "below": "under",
    "less than": "under",
    "at_most": "at_most",
    "at most": "at_most",
    "up to": "at_most",
    "up_to": "at_most",
}


def normalise_qualifier(word: str) -> str:
    """Map a qualifier word ('below', 'more than') to its canonical name, or raise KeyError."""
    return QUALIFIER_WORDS[word.strip().lower()]


def implied_precision(value: float) -> float:
    """The unit of the last non-zero digit of a figure with no written precision.

    Used for 'about' facts stored as plain numbers: 1,300,000 → 100,000;
    41,948 → 1; 4.9 → 0.1.
    """
    if value == 0 or not math.isfinite(value):
        return 1.0
    v = abs(value)
    if v == int(v):
        n, p = int(v), 1
        while n % 10 == 0:
            n //= 10
            p *= 10
        return float(p)
    text = f"{v:.10f}".rstrip("0")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 10.0 ** -decimals


def rounded_count_precision(value: float) -> float:
    """The precision a written whole count such as 36,300 may carry: its rounding (100), capped by
    :data:`ROUNDED_COUNT_TOLERANCE`; 0 for a count with no trailing zeros or under 1,000."""
    if not math.isfinite(value) or value != int(value) or abs(value) < 1000:
        return 0.0
    rounding = implied_precision(value)
    if rounding < 10:
        return 0.0
    return min(rounding, 2 * ROUNDED_COUNT_TOLERANCE * abs(value))


@dataclass(frozen=True)
class Interval:
    """A closed-or-open range [low, high]; ``math.inf`` marks an open side."""

    low: float
    high: float
    low_strict: bool = False
    high_strict: bool = False

    @classmethod
    def point(cls, value: float) -> "Interval":
        return cls(value, value)

    @property
    def is_point(self) -> bool:
        return self.low == self.high

    @property
    def bounded(self) -> bool:
        return math.isfinite(self.low) and math.isfinite(self.high)

    @property
    def mid(self) -> float | None:
        if self.bounded:
            return (self.low + self.high) / 2
        return None

    def contains(self, x: float) -> bool:
        above = x > self.low if self.low_strict else x >= self.low
        below = x < self.high if self.high_strict else x <= self.high
        return above and below

    def within(self, other: "Interval") -> bool:
        """True when every value of self lies in other."""
        lo_ok = self.low > other.low or (
            self.low == other.low and (not other.low_strict or self.low_strict)
        )
        hi_ok = self.high < other.high or (
            self.high == other.high and (not other.high_strict or self.high_strict)
        )
        return lo_ok and hi_ok

    def overlaps(self, other: "Interval") -> bool:
        lo = max(self.low, other.low)
        hi = min(self.high, other.high)
        if lo < hi:
            return True
        if lo > hi:
            return False
        # touching at one point: both sides must include it
        strict = (self.low_strict and self.low == lo) or (other.low_strict and other.low == lo)
        strict = strict or (self.high_strict and self.high == hi) or (other.high_strict and other.high == hi)
        return not strict

    def __add__(self, other: "Interval") -> "Interval":
        return Interval(
            self.low + other.low,
            self.high + other.high,
            self.low_strict or other.low_strict,
            self.high_strict or other.high_strict,
        )

    def __sub__(self, other: "Interval") -> "Interval":
        return Interval(
            self.low - other.high,
            self.high - other.low,
            self.low_strict or other.high_strict,
            self.high_strict or other.low_strict,
        )

    def scale(self, k: float) -> "Interval":
        if k >= 0:
            return Interval(self.low * k, self.high * k, self.low_strict, self.high_strict)
        return Interval(self.high * k, self.low * k, self.high_strict, self.low_strict)

    def ratio(self, other: "Interval") -> "Interval":
        """self / other for positive intervals (volumes, counts).

        Raises ZeroDivisionError when ``other`` is exactly zero: nothing can be
        said of a ratio to nothing.
        """
        if other.high <= 0:
            raise ZeroDivisionError(f"ratio to {other.describe()}: the divisor is zero")
        if other.low <= 0:
            hi = math.inf
        else:
            hi = self.high / other.low
        lo = self.low / other.high if math.isfinite(other.high) else 0.0
        return Interval(lo, hi, self.low_strict or other.high_strict, self.high_strict or other.low_strict)

    def clamp_low(self, floor: float) -> "Interval":
        """The part of the interval at or above ``floor`` ([floor, floor] if it lies wholly below)."""
        if self.high < floor:
            return Interval(floor, floor)
        if self.low < floor:
            return Interval(floor, self.high, False, self.high_strict)
        return self

    def describe(self, fmt: str = "{:,.0f}") -> str:
        """'108,796', 'over 305,967', 'under 5', '41,109 to 42,787'.

        Bounds are rounded outward to the format's decimals, so the words stay true: a rate below
        0.4517 is 'under 0.46', never 'under 0.45'.
        """
        if self.is_point:
            return fmt.format(self.low)
        decimals = _decimals(fmt)
        lo, hi = round_outward(self.low, decimals, up=False), round_outward(self.high, decimals, up=True)
        if math.isinf(hi) and math.isinf(lo):
            return "unknown"
        if math.isinf(hi):
            return ("over " if self.low_strict else "at least ") + fmt.format(lo)
        if math.isinf(lo) or lo == 0:
            return ("under " if self.high_strict else "at most ") + fmt.format(hi)
        return f"{fmt.format(lo)} to {fmt.format(hi)}"

    def to_list(self) -> list[float | None]:
        return [
            None if math.isinf(self.low) else self.low,
            None if math.isinf(self.high) else self.high,
        ]


def _decimals(fmt: str) -> int:
    m = re.search(r"\.(\d+)[f%]", fmt)
    return int(m[1]) if m else 0


def round_outward(x: float, decimals: int, *, up: bool) -> float:
    """``x`` rounded to ``decimals`` places away from the inside of an interval: up for an upper bound,
    down for a lower one (a value already at that precision, such as 0.45, is kept)."""
    if math.isinf(x) or math.isnan(x):
        return x
    scale = 10 ** decimals
    scaled = round(x * scale, 6)  # 0.45 * 100 is 45.00000000000001: not a reason to round up
    return (math.ceil(scaled) if up else math.floor(scaled)) / scale


def from_qualified(
    value: float,
    qualifier: str,
    *,
    precision: float = 0.0,
    nonnegative: bool = True,
    about_tolerance: float = ABOUT_TOLERANCE,
) -> Interval:
    """The interval a value with a qualifier and a stated precision stands for."""
    q = normalise_qualifier(qualifier)
    half = precision / 2
    floor = 0.0 if nonnegative else -math.inf
    if q == "exact":
        return Interval(value - half, value + half, False, half > 0)
    if q == "about":
        t = max(half, about_tolerance * abs(value))
        # when the rounding is the wider side, keep its half-open upper end: "about 15" is [14.5, 15.5)
        return Interval(value - t, value + t, False, t == half and half > 0)
    if q == "almost":
        return Interval(value * (1 - ALMOST_TOLERANCE), value, False, False)
    if q == "over":
        return Interval(value, math.inf, True, False)
    if q == "at_least":
        return Interval(value, math.inf)
    if q == "under":
        return Interval(floor, value, False, True)
    if q == "at_most":
        return Interval(floor, value)
    raise KeyError(qualifier)
