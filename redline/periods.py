"""The Period value type: an inclusive span of calendar days.

Periods are written in a small ISO-like grammar::

    2025            the year
    2025-Q3         a quarter
    2025-H1         a half-year
    2025-10         a month
    2025-06-26      a single day
    2025-01..2025-10            a span of whole months
    2024-03-28..2025-11-25      any span of days

``Period.parse`` reads that grammar and ``str(period)`` writes the shortest
form that names the same span, so ``Period.parse(str(p)) == p`` always holds.
Natural-language phrases ("the third quarter", "last month") are resolved by
the claim extractor onto this type.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator

from .errors import InputError

__all__ = ["Period", "PeriodError", "MIN_YEAR", "MAX_YEAR", "month_end", "parse_known_date"]


class PeriodError(InputError, ValueError):
    """A period or date string that cannot be read, or a date outside years 1-9999."""


MIN_YEAR, MAX_YEAR = 1, 9999
"""Periods run from year 1 to year 9999 (the range of :class:`datetime.date`)."""


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"year {year} is out of range: periods run from year {MIN_YEAR} to {MAX_YEAR}")


def _date(year: int, month: int, day: int) -> date:
    """``date(year, month, day)``, raising :class:`PeriodError` (not a bare ValueError) when there is no such day."""
    _check_year(year)
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise PeriodError(f"not a real date: {year:04d}-{month:02d}-{day:02d} ({exc})") from None


def _plus_days(d: date, days: int) -> date:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        raise PeriodError(f"{d} moved by {days} day(s) is out of range: periods run from year "
                          f"{MIN_YEAR} to {MAX_YEAR}") from None


def month_end(year: int, month: int) -> date:
    _check_year(year)
    if not 1 <= month <= 12:
        raise PeriodError(f"month must be 1-12, not {month}")
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.I)
_HALF = re.compile(r"^(\d{4})-?H([12])$", re.I)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _parse_date(text: str) -> date:
    m = _DAY.match(text)
    if not m:
        raise PeriodError(f"not an ISO date (YYYY-MM-DD): {text!r}")
    year = int(m[1])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"not a real date: {text!r} (year {year} is out of range: periods run from year "
                          f"{MIN_YEAR} to {MAX_YEAR})")
    try:
        return date(year, int(m[2]), int(m[3]))
    except ValueError as exc:
        raise PeriodError(f"not a real date: {text!r} ({exc})") from None


def parse_known_date(text: str) -> date:
    """Read a publication date: ``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY``.

    A date known only to the month (or year) is taken as the *last* day of it:
    a figure published "in 2025-11" is only certainly known at the end of
    November, so "as of" queries never see it early.
    """
    text = text.strip()
    return Period.parse(text).end


@dataclass(frozen=True, order=True)
class Period:
    """An inclusive span of days, ``start`` to ``end``."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(f"period ends ({self.end}) before it starts ({self.start})")

    # -- constructors -------------------------------------------------------
    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(_date(year, 1, 1), _date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        if not 1 <= quarter <= 4:
            raise PeriodError(f"quarter must be 1-4, not {quarter}")
        first = 3 * (quarter - 1) + 1
        return cls(_date(year, first, 1), month_end(year, first + 2))

    @classmethod
    def half(cls, year: int, half: int) -> "Period":
        if half not in (1, 2):
            raise PeriodError(f"half must be 1 or 2, not {half}")
        first = 1 if half == 1 else 7
        return cls(_date(year, first, 1), month_end(year, first + 5))

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        if not 1 <= month <= 12:
            raise PeriodError(f"month must be 1-12, not {month}")
        return cls(_date(year, month, 1), month_end(year, month))

    @classmethod
    def months_span(cls, year: int, first: int, last: int) -> "Period":
        return cls(_date(year, first, 1), month_end(year, last))

    @classmethod
    def day(cls, day: date) -> "Period":
        return cls(day, day)

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Read ``2025``, ``2025-Q3``, ``2025-H1``, ``2025-10``, ``2025-06-26`` or ``A..B``."""
        if not isinstance(text, str):
            raise PeriodError(f"period must be text, not {type(text).__name__}")
        raw = text.strip()
        if ".." in raw:
            left, _, right = raw.partition("..")
            a, b = cls.parse(left), cls.parse(right)
            return cls(a.start, b.end)
        if m := _YEAR.match(raw):
            return cls.year(int(m[1]))
        if m := _QUARTER.match(raw):
            return cls.quarter(int(m[1]), int(m[2]))
        if m := _HALF.match(raw):
            return cls.half(int(m[1]), int(m[2]))
        if m := _MONTH.match(raw):
            month = int(m[2])
            if not 1 <= month <= 12:
                raise PeriodError(f"not a real month: {text!r}")
            return cls.month(int(m[1]), month)
        if _DAY.match(raw):
            return cls.day(_parse_date(raw))
        raise PeriodError(
            f"cannot read period {text!r}: use 2025, 2025-Q3, 2025-H1, 2025-10, "
            "2025-06-26 or START..END"
        )

    # -- shape --------------------------------------------------------------
    @property
    def is_month_aligned(self) -> bool:
        return self.start.day == 1 and self.end == month_end(self.end.year, self.end.month)

    @property
    def n_months(self) -> int:
        """Number of calendar months touched (whole or not)."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def kind(self) -> str:
        """One of year, half, quarter, month, day, months, span."""
        if self.start == self.end:
            return "day"
        if not self.is_month_aligned:
            return "span"
        n, first = self.n_months, self.start.month
        if n == 12 and first == 1:
            return "year"
        if n == 6 and first in (1, 7):
            return "half"
        if n == 3 and first in (1, 4, 7, 10):
            return "quarter"
        if n == 1:
            return "month"
        return "months"

    def __str__(self) -> str:
        kind, s = self.kind, self.start
        # Years are written with four digits, as the grammar reads them (year 999 is '0999').
        if kind == "year":
            return f"{s.year:04d}"
        if kind == "half":
            return f"{s.year:04d}-H{1 if s.month == 1 else 2}"
        if kind == "quarter":
            return f"{s.year:04d}-Q{(s.month - 1) // 3 + 1}"
        if kind == "month":
            return f"{s.year:04d}-{s.month:02d}"
        if kind == "day":
            return s.isoformat()
        if kind == "months":
            return f"{s.year:04d}-{s.month:02d}..{self.end.year:04d}-{self.end.month:02d}"
        return f"{s.isoformat()}..{self.end.isoformat()}"

    def label(self) -> str:
        """A human label: 'Q3 2025', 'October 2025', 'January-October 2025'."""
        kind, s, e = self.kind, self.start, self.end
        if kind == "year":
            return str(s.year)
        if kind == "half":
            return f"H{1 if s.month == 1 else 2} {s.year}"
        if kind == "quarter":
            return f"Q{(s.month - 1) // 3 + 1} {s.year}"
        if kind == "month":
            return f"{calendar.month_name[s.month]} {s.year}"
        if kind == "day":
            return f"{s.day} {calendar.month_name[s.month]} {s.year}"
        if kind == "months":
            if s.year == e.year:
                return f"{calendar.month_name[s.month]}–{calendar.month_name[e.month]} {s.year}"
            return f"{calendar.month_abbr[s.month]} {s.year}–{calendar.month_abbr[e.month]} {e.year}"
        return f"{s.isoformat()} to {e.isoformat()}"

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    # -- relations ----------------------------------------------------------
    def contains(self, other: "Period | date") -> bool:
        if isinstance(other, date):
            return self.start <= other <= self.end
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: "Period") -> bool:
        return self.start <= other.end and other.start <= self.end

    # -- derived periods ----------------------------------------------------
    def months(self) -> list["Period"]:
        """The calendar months this period touches, clipped to it."""
        out = []
        y, m = self.start.year, self.start.month
        for _ in range(self.n_months):
            month = Period.month(y, m)
            out.append(Period(max(month.start, self.start), min(month.end, self.end)))
            y, m = _add_months(y, m, 1)
        return out

    def quarters(self) -> list["Period"]:
        seen: dict[tuple[int, int], Period] = {}
        for month in self.months():
            key = (month.start.year, (month.start.month - 1) // 3 + 1)
            seen.setdefault(key, Period.quarter(*key))
        return list(seen.values())

    def years(self) -> list["Period"]:
        return [Period.year(y) for y in range(self.start.year, self.end.year + 1)]

    def shift_months(self, n: int) -> "Period":
        """The same shape moved by ``n`` months (month ends stay month ends)."""
        def move(d: date, is_end: bool) -> date:
            y, m = _add_months(d.year, d.month, n)
            last = month_end(y, m).day  # PeriodError when the move leaves years 1-9999
            if is_end and d == month_end(d.year, d.month):
                return date(y, m, last)
            return date(y, m, min(d.day, last))

        if self.start == self.end:
            # a single day stays a single day (28 Feb 2025 a year back is 28 Feb 2024, not 28-29 Feb)
            day = move(self.start, False)
            return Period(day, day)
        return Period(move(self.start, False), move(self.end, True))

    def shift_years(self, n: int) -> "Period":
        return self.shift_months(12 * n)

    def same_period_last_year(self) -> "Period":
        return self.shift_years(-1)

    def previous(self) -> "Period":
        """The period of the same length just before this one (quarter → previous quarter)."""
        if self.is_month_aligned:
            return self.shift_months(-self.n_months)
        return Period(_plus_days(self.start, -self.n_days), _plus_days(self.start, -1))

    def year_to_date(self) -> "Period":
        """From 1 January of the end's year to the end of this period."""
        return Period(_date(self.end.year, 1, 1), self.end)

    def iter_days(self) -> Iterator[date]:
        for n in range(self.n_days):
            yield self.start + timedelta(days=n)
