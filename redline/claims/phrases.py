"""Periods and comparisons as written in news, resolved against a document date.

:func:`find_periods` reads every time expression in a stretch of text with one
compiled pattern and resolves it onto :class:`~redline.periods.Period`:

>>> from datetime import date
>>> [str(m.period) for m in find_periods("Q3 sales and January–October deliveries", today=date(2025, 11, 25))]
['2025-Q3', '2025-01..2025-10']
>>> str(resolve_phrase("last month", today=date(2025, 11, 25)))
'2025-10'

Rules for expressions without a year (see docs/extraction.md):

- a quarter, half, span of months or "first N months" is the latest one that
  ended before the document date (a bare "Q3" on 2025-11-25 is 2025-Q3, on
  2025-08-01 it is 2024-Q3);
- a month is the latest one that began on or before the document date;
- a day ("September 30") is the latest such day on or before it;
- "this year", "last month", "last quarter", "year to date" count from the
  document date; "a year earlier" / "the same period last year" are
  comparison bases, not periods of their own.

:func:`find_comparisons` finds the words that say what a change is measured
against: year-over-year, quarter-on-quarter, month-on-month.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ..periods import Period, PeriodError, month_end

__all__ = [
    "PeriodIndex",
    "PeriodMention",
    "Comparison",
    "find_periods",
    "find_comparisons",
    "resolve_phrase",
    "MONTHS",
]

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}

_SMALL: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "first": 1, "second": 2, "third": 3,
    "fourth": 4, "final": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "十": 10, "十一": 11, "十二": 12,
}

_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?(?![A-Za-z])"
)
_YEAR = r"(?:19[5-9]\d|20\d\d)(?![\d])"
_N = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_CN_N = r"(?:\d{1,2}|十[一二]?|[一二两三四五六七八九])"
_OF_YEAR = rf"(?:,?\s+(?:of\s+)?(?:the\s+)?(?:fiscal\s+)?(?:year\s+)?(?P<{{0}}>{_YEAR})|\s+of\s+(?:the|this)\s+year)?"

_PATTERN = rf"""
 (?P<between>(?i:between)\s+(?P<bt_m1>{_MON})(?:\s+(?P<bt_y1>{_YEAR}))?\s+(?i:and)\s+(?P<bt_m2>{_MON})(?:,?\s+(?P<bt_y2>{_YEAR}))?)
|(?P<span>(?<![A-Za-z])(?P<sp_m1>{_MON})(?:\s+(?P<sp_y1>{_YEAR}))?\s*(?:-|–|—|/|\s(?i:to|through|thru|until|till)\s)\s*(?P<sp_m2>{_MON})(?:,?\s+(?P<sp_y2>{_YEAR}))?)
|(?P<firstn>(?<![A-Za-z])(?i:(?:the\s+)?(?:first|initial|opening)\s+(?P<fn_n>{_N})\s+months)(?:\s+(?i:of)\s+(?:(?i:the|this)\s+(?i:year)|(?P<fn_y>{_YEAR}))|,?\s+(?P<fn_y2>{_YEAR}))?)
|(?P<firstq>(?<![A-Za-z])(?i:(?:the\s+)?first\s+(?P<fq_n>two|three|2|3)\s+quarters)(?:\s+(?i:of)\s+(?:(?i:the|this)\s+(?i:year)|(?P<fq_y>{_YEAR}))|,?\s+(?P<fq_y2>{_YEAR}))?)
|(?P<monthsto>(?<![A-Za-z0-9])(?P<mt_n>{_N})\s+(?i:months)\s+(?i:to|ended|ending|through|until)\s+(?P<mt_m>{_MON})(?:\s+\d{{1,2}})?(?:,?\s+(?P<mt_y>{_YEAR}))?)
|(?P<qa>(?<![A-Za-z0-9])[Qq](?P<qa_n>[1-4])(?![0-9])(?:\s?'(?P<qa_y2>\d\d)(?!\d)|\s?(?:FY|fy)\s?'?(?P<qa_y3>\d\d(?:\d\d)?)(?!\d)|,?\s+(?:of\s+)?(?P<qa_y>{_YEAR}))?)
|(?P<qb>(?<![A-Za-z0-9])(?P<qb_n>[1-4])Q(?P<qb_y>\d\d(?:\d\d)?)?(?![A-Za-z0-9]))
|(?P<qc>(?<![\d])(?P<qc_y>{_YEAR})\s?[Qq](?P<qc_n>[1-4])(?![0-9]))
|(?P<qd>(?<![A-Za-z])(?i:(?:the\s+)?(?P<qd_o>first|second|third|fourth|final|1st|2nd|3rd|4th)[\s-]+quarter)(?![A-Za-z]){_OF_YEAR.format("qd_y")})
|(?P<ha>(?<![A-Za-z0-9])H(?P<ha_n>[12])(?![0-9])(?:\s?'(?P<ha_y2>\d\d)(?!\d)|,?\s+(?:of\s+)?(?P<ha_y>{_YEAR}))?)
|(?P<hb>(?<![A-Za-z0-9])(?P<hb_n>[12])H(?P<hb_y>\d\d(?:\d\d)?)?(?![A-Za-z0-9]))
|(?P<hc>(?<![\d])(?P<hc_y>{_YEAR})\s?H(?P<hc_n>[12])(?![0-9]))
|(?P<hd>(?<![A-Za-z])(?i:(?:the\s+)?(?P<hd_o>first|second)[\s-]+half)(?![A-Za-z]){_OF_YEAR.format("hd_y")})
|(?P<ytd>(?<![A-Za-z])(?i:year[\s-]to[\s-]date|ytd|so\s+far\s+this\s+year|so\s+far\s+in\s+(?:the\s+year|{_YEAR})|(?:since|from)\s+the\s+(?:start|beginning)\s+of\s+(?:the|this)\s+year)(?![A-Za-z]))
|(?P<asof>(?<![A-Za-z])(?i:as\s+(?:of|at)|by|through|until|to)\s+(?:(?i:the\s+end\s+of)\s+|(?i:end)[\s-])?(?P<ao_m>{_MON})(?:\s+(?P<ao_d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d))?(?:,?\s+(?P<ao_y>{_YEAR}))?)
|(?P<yearend>(?<![A-Za-z])(?i:(?:by|as\s+of|at)\s+(?:the\s+)?end(?:\s+of|-)\s*)(?P<ye_y>{_YEAR}))
|(?P<iso>(?<![\d])(?P<iso_y>{_YEAR})-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)(?!\d))
|(?P<datea>(?<![A-Za-z])(?P<da_m>{_MON})\s+(?P<da_d>[0-3]?\d)(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<da_d2>[0-3]?\d)(?:st|nd|rd|th)?(?=[\s,.;:)]|$))?(?![\d%]|,\d{{3}}|\.\d)(?:,?\s+(?P<da_y>{_YEAR}))?)
|(?P<dateb>(?<![\d,.$])(?P<db_d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<db_m>{_MON})(?:,?\s+(?P<db_y>{_YEAR}))?)
|(?P<monthyear>(?<![A-Za-z])(?P<my_m>{_MON})(?:,?\s+|\s+of\s+)(?P<my_y>{_YEAR}))
|(?P<month>(?<![A-Za-z])(?P<mo_m>{_MON}))
|(?P<fiscal>(?<![A-Za-z])(?:FY|(?i:fiscal(?:\s+year)?))\s?'?(?P<fy_y>(?:19|20)?\d\d)(?!\d))
|(?P<yearspan>(?<![\d,.$])(?P<ys_y1>{_YEAR})\s?[-–/]\s?(?P<ys_y2>(?:19|20)?\d\d)(?![\d%]))
|(?P<year>(?<![\d,.$€£¥])(?P<yr>{_YEAR})(?![%]|,\d{{3}}|\.\d)(?:\s?年)?)
|(?P<fullyear>(?<![A-Za-z])(?i:full[\s-]year|whole[\s-]year|annual|this\s+year's)(?![A-Za-z])(?:\s+(?P<fu_y>{_YEAR}))?)
|(?P<rel>(?<![A-Za-z])(?i:(?P<rel_which>this|the\s+current|last|the\s+previous|the\s+prior|the\s+preceding|next|the\s+past|the\s+last)\s+(?P<rel_unit>year|quarter|month|week))(?![A-Za-z]))
|(?P<past>(?<![A-Za-z])(?i:(?:the\s+)?(?:past|last|previous|trailing)\s+(?P<pa_n>{_N})\s+months)(?![A-Za-z]))
|(?P<day>(?<![A-Za-z])(?i:today|yesterday)(?![A-Za-z]))
|(?P<cn_span>(?P<cs_m1>\d{{1,2}})\s?[-—–至到~]\s?(?P<cs_m2>\d{{1,2}})\s?月(?:份)?)
|(?P<cn_firstn>前(?P<cf_n>{_CN_N})个?月)
|(?P<cn_firstq>前(?P<cfq_n>[二两三2-3])(?:个)?季度)
|(?P<cn_quarter>(?:第)?(?P<cq_n>[一二三四1-4])季度)
|(?P<cn_half>(?P<ch_w>上|下)半年)
|(?P<cn_month>(?<![\d])(?P<cm_m>1[0-2]|0?[1-9])\s?月(?:份)?)
|(?P<cn_rel>今年|去年|明年|上个?月|本月|这个月|上季度|上个季度|本季度)
"""

_PERIOD_RE = re.compile(_PATTERN, re.VERBOSE)
"""The whole grammar in one pattern (kept for reference and tests; scans use the split below)."""


def _alternatives(pattern: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in pattern.strip().splitlines():
        body = line.strip().lstrip("|")
        m = re.match(r"\(\?P<(\w+)>", body)
        if m:
            out[m.group(1)] = body
    return out


_ALTS = _alternatives(_PATTERN)
_LEAD_WORDS = (
    "between the first initial opening one two three four five six seven eight nine ten eleven twelve second "
    "third fourth final year ytd so since from as by through until to at fy fiscal full whole annual this last "
    "next past previous trailing today yesterday"
).split()
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("[JFMASOND]", ("span", "datea", "monthyear", "month")),
    ("[0-9]", ("monthsto", "qb", "qc", "qd", "hb", "hc", "iso", "dateb", "yearspan", "year")),
    ("[QqH]", ("qa", "ha")),
    (None, ("between", "firstn", "firstq", "monthsto", "qd", "hd", "ytd", "asof", "yearend", "fiscal", "fullyear",
            "rel", "past", "day")),
)
_CJK_GROUP = ("cn_span", "cn_firstn", "cn_firstq", "cn_quarter", "cn_half", "cn_month", "cn_rel")


def _compile_group(lead: str | None, names: tuple[str, ...]) -> re.Pattern[str]:
    from ..units import trie_pattern  # the same trie folding the number grammar uses

    if lead:
        head = f"(?={lead})(?<![A-Za-z0-9])"
    else:
        first = sorted({w[0] for w in _LEAD_WORDS})
        charset = "[" + "".join(first) + "".join(c.upper() for c in first) + "]"
        head = f"(?<![A-Za-z0-9])(?={charset})(?=(?i:" + trie_pattern(_LEAD_WORDS) + ")(?![a-z]))"
    return re.compile(head + r"(?:" + "|".join(_ALTS[n] for n in names) + ")", re.VERBOSE)


# The grammar split by how an expression starts (a month, a digit, Q/H, a keyword, a CJK
# character): each scan is led by a character class or a trie of words, which lets Python's
# engine skip most positions. Overlaps are resolved leftmost-longest.
_SCANS = tuple(_compile_group(lead, names) for lead, names in _GROUPS)
_CJK_SCAN = re.compile(r"(?=[今去明上本这前第一二两三四五六七八九十0-9])(?:" + "|".join(_ALTS[n] for n in _CJK_GROUP) + ")",
                       re.VERBOSE)
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")


def _scan_periods(text: str, start: int, end: int) -> list[re.Match[str]]:
    found: list[re.Match[str]] = []
    for scan in _SCANS:
        found += scan.finditer(text, start, end)
    if _HAS_CJK.search(text, start, end):
        found += _CJK_SCAN.finditer(text, start, end)
    found.sort(key=lambda m: (m.start(), -m.end()))
    out: list[re.Match[str]] = []
    last = -1
    for m in found:
        if m.start() >= last:
            out.append(m)
            last = m.end()
    return out

_BASE_RE = re.compile(
    r"(?i)(?=(?:a|one|the|same|year|prior|previous|preceding)(?![a-z]))"
    r"(?<![A-Za-z])(?:a|one)\s+(?P<unit>year|quarter|month)\s+(?:earlier|ago|before|prior)(?![A-Za-z])"
    r"|(?i:the\s+)?(?i:same\s+(?:period|quarter|month|time))\s+(?i:(?:last|a|of\s+the\s+previous|of\s+last)\s+year)"
    r"|(?i:the\s+)?(?i:year[\s-](?:earlier|ago))(?:\s+(?i:period|quarter|month|level|figure))?"
    r"|(?i:the\s+)?(?i:prior|previous|preceding)[\s-]year\s+(?i:period|quarter|month)"
    r"|(?i:the\s+)?(?i:same\s+(?:period|quarter|month|time|half))\s+(?i:of|in)\s+(?:19|20)\d\d"
)

_COMPARISON_RE = re.compile(
    r"(?i)(?=(?:year|yoy|y|quarter|qoq|q|month|mom|m|on|from|compared|versus|vs|over|than|sequential|sequentially)(?![a-z])|同比|环比)"
    r"(?<![A-Za-z])(?:"
    r"(?P<yoy>year[\s-]*(?:over|on)[\s-]*year|y[\s-]?o[\s-]?y|y/y|on[\s-]year|from\s+(?:a|one)\s+year\s+(?:earlier|ago|before)"
    r"|(?:compared\s+(?:with|to)|versus|vs\.?|over|from)\s+(?:the\s+)?same\s+(?:period|quarter|month|time)\s+(?:last|a|of\s+the\s+previous|of\s+last)\s+year"
    r"|(?:from|over|compared\s+(?:with|to))\s+(?:the\s+)?year[\s-](?:earlier|ago)(?:\s+(?:period|quarter|month|level))?"
    r"|(?:from|than|compared\s+(?:with|to)|over)\s+(?:a|one)\s+year\s+(?:earlier|ago|before)"
    r"|(?:on|from|than|over|versus|vs\.?|compared\s+(?:with|to))\s+(?:last|the\s+previous|the\s+prior)\s+year(?:'s)?"
    r"|(?:from|than|over|versus|compared\s+(?:with|to))\s+(?:the\s+)?(?:prior|previous|preceding)[\s-]year(?:\s+(?:period|quarter|month))?"
    r")"
    r"|(?P<qoq>quarter[\s-]*(?:over|on)[\s-]*quarter|q[\s-]?o[\s-]?q|q/q|sequential(?:ly)?|on[\s-]quarter"
    r"|(?:from|than|compared\s+(?:with|to)|over)\s+(?:the\s+)?(?:previous|prior|preceding|last)\s+quarter"
    r"|(?:from|than|compared\s+(?:with|to))\s+(?:a|one)\s+quarter\s+(?:earlier|ago|before))"
    r"|(?P<mom>month[\s-]*(?:over|on)[\s-]*month|m[\s-]?o[\s-]?m|m/m|on[\s-]month"
    r"|(?:from|than|compared\s+(?:with|to)|over)\s+(?:the\s+)?(?:previous|prior|preceding|last)\s+month"
    r"|(?:from|than|compared\s+(?:with|to))\s+(?:a|one)\s+month\s+(?:earlier|ago|before))"
    r")(?![A-Za-z])"
    r"|(?P<cn_yoy>同比)|(?P<cn_qoq>环比)"
)

Kind = Literal["year", "quarter", "half", "months", "month", "day", "ytd", "as_of", "relative", "span"]


@dataclass(frozen=True, slots=True)
class PeriodMention:
    """A time expression found in a text, with the period it resolves to."""

    start: int
    end: int
    text: str
    period: Period | None
    kind: str
    explicit_year: bool = False
    as_of: bool = False


@dataclass(frozen=True, slots=True)
class Comparison:
    """Words saying what a change is measured against."""

    start: int
    end: int
    text: str
    basis: Literal["yoy", "qoq", "mom"]


def _month(text: str) -> int:
    return MONTHS[text.rstrip(".").lower()]


def _year(text: str | None) -> int | None:
    if not text:
        return None
    y = int(text)
    return 2000 + y if y < 100 else y


def _n(text: str) -> int:
    t = text.lower()
    return int(t) if t.isdigit() else _SMALL[t]


def _latest_ended(make, today: date) -> Period | None:  # type: ignore[no-untyped-def]
    """The latest period ``make(year)`` that ended before ``today``."""
    for year in (today.year, today.year - 1, today.year - 2):
        try:
            p = make(year)
        except (PeriodError, ValueError):
            return None
        if p.end < today:
            return p
    return None


def _latest_begun(make, today: date) -> Period | None:  # type: ignore[no-untyped-def]
    for year in (today.year, today.year - 1):
        try:
            p = make(year)
        except (PeriodError, ValueError):
            return None
        if p.start <= today:
            return p
    return None


def _with_year(make, year: int | None, today: date, *, begun: bool = False) -> tuple[Period | None, bool]:  # type: ignore[no-untyped-def]
    if year is not None:
        try:
            return make(year), True
        except (PeriodError, ValueError):
            return None, True
    return (_latest_begun(make, today) if begun else _latest_ended(make, today)), False


def _quarter_of(d: date) -> Period:
    return Period.quarter(d.year, (d.month - 1) // 3 + 1)


def _year_to_date(year: int, today: date) -> Period:
    """Year to date: a past year whole, this one to the last complete month (figures are reported by month);
    in January, to the day. The extractor ends it earlier at a month or quarter named in the sentence."""
    if year < today.year:
        return Period(date(year, 1, 1), date(year, 12, 31))
    if today.month == 1 or year > today.year:
        return Period(date(today.year, 1, 1), today)
    return Period(date(year, 1, 1), month_end(year, today.month - 1))


def _resolve(m: re.Match[str], today: date) -> tuple[Period | None, str, bool, bool]:
    """(period, kind, explicit_year, as_of) for one match of the period pattern."""
    g = m.group
    kind = m.lastgroup or ""
    try:
        if kind == "between" or kind == "span":
            p = "bt" if kind == "between" else "sp"
            m1, m2 = _month(g(p + "_m1")), _month(g(p + "_m2"))
            y2 = _year(g(p + "_y2"))
            y1 = _year(g(p + "_y1")) or (y2 if m1 <= m2 else (y2 - 1 if y2 else None))
            if y1 is not None and y2 is None:
                y2 = y1 if m1 <= m2 else y1 + 1
            if y1 is not None and y2 is not None:
                return Period(date(y1, m1, 1), month_end(y2, m2)), "months", True, False
            if m1 <= m2:
                per, _ = _with_year(lambda y: Period.months_span(y, m1, m2), None, today)
            else:
                per, _ = _with_year(lambda y: Period(date(y - 1, m1, 1), month_end(y, m2)), None, today)
            return per, "months", False, False
        if kind == "firstn":
            n = _n(g("fn_n"))
            if not 1 <= n <= 12:
                return None, "months", False, False
            per, explicit = _with_year(lambda y: Period.months_span(y, 1, n), _year(g("fn_y") or g("fn_y2")), today)
            return per, "months", explicit, False
        if kind == "firstq":
            n = _n(g("fq_n"))
            per, explicit = _with_year(lambda y: Period.months_span(y, 1, 3 * n), _year(g("fq_y") or g("fq_y2")), today)
            return per, "months", explicit, False
        if kind == "monthsto":
            n, last = _n(g("mt_n")), _month(g("mt_m"))
            if not 1 <= n <= 24:
                return None, "months", False, False

            def make(y: int) -> Period:
                return Period(Period.month(y, last).shift_months(-(n - 1)).start, month_end(y, last))

            per, explicit = _with_year(make, _year(g("mt_y")), today)
            return per, "months", explicit, False
        if kind in ("qa", "qb", "qc", "qd"):
            if kind == "qa":
                n, y = int(g("qa_n")), _year(g("qa_y") or g("qa_y2") or g("qa_y3"))
            elif kind == "qb":
                n, y = int(g("qb_n")), _year(g("qb_y"))
            elif kind == "qc":
                n, y = int(g("qc_n")), _year(g("qc_y"))
            else:
                n, y = _n(g("qd_o")), _year(g("qd_y"))
            per, explicit = _with_year(lambda yy: Period.quarter(yy, n), y, today)
            return per, "quarter", explicit, False
        if kind in ("ha", "hb", "hc", "hd"):
            if kind == "ha":
                n, y = int(g("ha_n")), _year(g("ha_y") or g("ha_y2"))
            elif kind == "hb":
                n, y = int(g("hb_n")), _year(g("hb_y"))
            elif kind == "hc":
                n, y = int(g("hc_n")), _year(g("hc_y"))
            else:
                n, y = _n(g("hd_o")), _year(g("hd_y"))
            per, explicit = _with_year(lambda yy: Period.half(yy, n), y, today)
            return per, "half", explicit, False
        if kind == "ytd":
            ym = re.search(r"(19|20)\d\d", m.group(0))
            if ym:
                y = int(ym.group(0))
                return _year_to_date(y, today), "ytd", True, False
            return _year_to_date(today.year, today), "ytd", False, False
        if kind == "asof":
            mon = _month(g("ao_m"))
            y = _year(g("ao_y"))
            day = int(g("ao_d")) if g("ao_d") else None

            def make_day(yy: int) -> Period:
                d = date(yy, mon, day) if day else month_end(yy, mon)
                return Period.day(d)

            if y is not None:
                return make_day(y), "as_of", True, True
            per = None
            for yy in (today.year, today.year - 1):
                cand = make_day(yy)
                if cand.start <= today:
                    per = cand
                    break
            return per, "as_of", False, True
        if kind == "yearend":
            y = int(g("ye_y"))
            return Period.day(date(y, 12, 31)), "as_of", True, True
        if kind == "iso":
            return Period.day(date(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))), "day", True, False
        if kind in ("datea", "dateb"):
            p = "da" if kind == "datea" else "db"
            mon, day, y = _month(g(p + "_m")), int(g(p + "_d")), _year(g(p + "_y"))
            last = int(g("da_d2")) if kind == "datea" and g("da_d2") else day  # 'November 10-16'
            if not 1 <= day <= last <= 31:
                return None, "day", False, False
            if y is not None:
                return Period(date(y, mon, day), date(y, mon, last)), "day", True, False
            for yy in (today.year, today.year - 1):
                try:
                    d = date(yy, mon, day)
                    e = date(yy, mon, last)
                except ValueError:
                    continue
                if d <= today:
                    return Period(d, e), "day", False, False
            return None, "day", False, False
        if kind == "monthyear":
            return Period.month(int(g("my_y")), _month(g("my_m"))), "month", True, False
        if kind == "month":
            mon = _month(g("mo_m"))
            per, _ = _with_year(lambda y: Period.month(y, mon), None, today, begun=True)
            return per, "month", False, False
        if kind == "fiscal":
            return Period.year(_year(g("fy_y")) or today.year), "year", True, False
        if kind == "yearspan":
            y1 = int(g("ys_y1"))
            y2 = _year(g("ys_y2")) or y1
            if y2 < 100:
                y2 += (y1 // 100) * 100
            if y2 <= y1 or y2 - y1 > 30:
                return None, "span", True, False
            return Period(date(y1, 1, 1), date(y2, 12, 31)), "span", True, False
        if kind == "year":
            return Period.year(int(g("yr"))), "year", True, False
        if kind == "fullyear":
            y = _year(g("fu_y"))
            return Period.year(y or today.year), "year", y is not None, False
        if kind == "rel":
            which = " ".join(g("rel_which").lower().split())
            unit = g("rel_unit").lower()
            step = {"this": 0, "the current": 0, "last": -1, "the previous": -1, "the prior": -1,
                    "the preceding": -1, "next": 1, "the past": -1, "the last": -1}[which]
            if unit == "year":
                return Period.year(today.year + step), "relative", False, False
            if unit == "quarter":
                return _quarter_of(today).shift_months(3 * step), "relative", False, False
            if unit == "month":
                return Period.month(today.year, today.month).shift_months(step), "relative", False, False
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=step)
            return Period(monday, monday + timedelta(days=6)), "relative", False, False
        if kind == "past":
            n = _n(g("pa_n"))
            if not 1 <= n <= 36:
                return None, "relative", False, False
            last = Period.month(today.year, today.month).shift_months(-1)
            first = last.shift_months(-(n - 1))
            return Period(first.start, last.end), "relative", False, False
        if kind == "day":
            word = m.group(0).lower()
            return Period.day(today if word == "today" else today - timedelta(days=1)), "day", False, False
        if kind == "cn_span":
            m1, m2 = int(g("cs_m1")), int(g("cs_m2"))
            if not (1 <= m1 <= m2 <= 12):
                return None, "months", False, False
            y = _cn_year_before(m, today)
            per, explicit = _with_year(lambda yy: Period.months_span(yy, m1, m2), y, today)
            return per, "months", explicit, False
        if kind == "cn_firstn":
            n = _n(g("cf_n"))
            if not 1 <= n <= 12:
                return None, "months", False, False
            per, explicit = _with_year(lambda yy: Period.months_span(yy, 1, n), _cn_year_before(m, today), today)
            return per, "months", explicit, False
        if kind == "cn_firstq":
            n = _n(g("cfq_n"))
            per, explicit = _with_year(lambda yy: Period.months_span(yy, 1, 3 * n), _cn_year_before(m, today), today)
            return per, "months", explicit, False
        if kind == "cn_quarter":
            n = _n(g("cq_n"))
            per, explicit = _with_year(lambda yy: Period.quarter(yy, n), _cn_year_before(m, today), today)
            return per, "quarter", explicit, False
        if kind == "cn_half":
            n = 1 if g("ch_w") == "上" else 2
            per, explicit = _with_year(lambda yy: Period.half(yy, n), _cn_year_before(m, today), today)
            return per, "half", explicit, False
        if kind == "cn_month":
            mon = int(g("cm_m"))
            y = _cn_year_before(m, today)
            if y is not None:
                return Period.month(y, mon), "month", True, False
            per, _ = _with_year(lambda yy: Period.month(yy, mon), None, today, begun=True)
            return per, "month", False, False
        if kind == "cn_rel":
            word = m.group(0)
            if word == "今年":
                return Period.year(today.year), "relative", False, False
            if word == "去年":
                return Period.year(today.year - 1), "relative", False, False
            if word == "明年":
                return Period.year(today.year + 1), "relative", False, False
            this_month = Period.month(today.year, today.month)
            if word in ("上月", "上个月"):
                return this_month.shift_months(-1), "relative", False, False
            if word in ("本月", "这个月"):
                return this_month, "relative", False, False
            if word in ("上季度", "上个季度"):
                return _quarter_of(today).shift_months(-3), "relative", False, False
            return _quarter_of(today), "relative", False, False
    except (PeriodError, ValueError, KeyError):
        return None, kind, False, False
    return None, kind, False, False  # pragma: no cover


_CN_YEAR_BEFORE = re.compile(r"((?:19|20)\d\d)\s?年(?:的)?\s?$|(今年|去年)(?:的)?\s?$")


def _cn_year_before(m: re.Match[str], today: date) -> int | None:
    """A Chinese month or quarter reads its year from a '2025年' / '今年' written just before it."""
    s = m.string
    before = s[max(0, m.start() - 8):m.start()]
    y = _CN_YEAR_BEFORE.search(before)
    if not y:
        return None
    if y.group(1):
        return int(y.group(1))
    return today.year if y.group(2) == "今年" else today.year - 1


_MAY_CUE = re.compile(r"(?i)(?:in|during|for|since|of|last|this|early|late|mid|until|through|from|by|between|and|to)[\s-]+$")
_LEADING_IN_YEAR = re.compile(r"(?i)\W*(?:in|during|for|throughout)\s+((?:19|20)\d\d)\b")
_MONTH_NOUN_AFTER = re.compile(r"\s+(?:sales|deliveries|orders|figures|data|numbers)")


def _mentions(text: str, matches: list[re.Match[str]], start: int, end: int, today: date,
              cache: dict[int, tuple[Period | None, str, bool, bool]] | None = None) -> list[PeriodMention]:
    out: list[PeriodMention] = []
    context_year: int | None = None
    lead = _LEADING_IN_YEAR.match(text, start, end)
    if lead:
        context_year = int(lead.group(1))
    for m in matches:
        kind = m.lastgroup or ""
        if kind == "month" and m.group("mo_m").rstrip(".") in ("May", "Mar", "Jan", "Jun", "Dec", "Aug"):
            before = text[max(start, m.start() - 12):m.start()]
            after = text[m.end():m.end() + 14]
            if not (_MAY_CUE.search(before) or _MONTH_NOUN_AFTER.match(after)):
                continue
        if cache is not None and m.start() in cache:
            period, pkind, explicit, as_of = cache[m.start()]
        else:
            period, pkind, explicit, as_of = _resolve(m, today)
            if cache is not None:
                cache[m.start()] = (period, pkind, explicit, as_of)
        if context_year is not None and not explicit and period is not None and pkind in ("quarter", "half", "months", "month", "day"):
            shift = context_year - period.end.year
            if shift:
                try:
                    period = period.shift_years(shift)
                except PeriodError:
                    pass
        out.append(PeriodMention(m.start(), m.end(), m.group(0), period, pkind, explicit, as_of))
    return out


def find_periods(text: str, start: int = 0, end: int | None = None, *, today: date) -> list[PeriodMention]:
    """Every time expression in ``text[start:end]``, resolved against ``today`` (the document date).

    A sentence that opens with "In 2024, …" gives its year to the month, quarter
    and span expressions in it that have none of their own.
    """
    end = len(text) if end is None else end
    return _mentions(text, _scan_periods(text, start, end), start, end, today)


class PeriodIndex:
    """The time expressions of a whole document: scanned once, resolved per sentence on demand.

    ``index.mentions(start, end)`` equals ``find_periods(text, start, end, today=...)`` for a
    sentence, without scanning each sentence again.
    """

    def __init__(self, text: str, *, today: date) -> None:
        self.text = text
        self.today = today
        self._matches = _scan_periods(text, 0, len(text))
        self._starts = [m.start() for m in self._matches]
        self._resolved: dict[int, tuple[Period | None, str, bool, bool]] = {}

    def mentions(self, start: int, end: int) -> list[PeriodMention]:
        lo = bisect_left(self._starts, start)
        hi = bisect_left(self._starts, end)
        inside = [m for m in self._matches[lo:hi] if m.end() <= end]
        if not inside:
            return []
        return _mentions(self.text, inside, start, end, self.today, self._resolved)


def find_bases(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Comparison bases written as time: 'a year earlier', 'the same period last year' → (start, end, basis)."""
    end = len(text) if end is None else end
    out = []
    for m in _BASE_RE.finditer(text, start, end):
        unit = (m.groupdict().get("unit") or "year").lower()
        out.append((m.start(), m.end(), {"year": "yoy", "quarter": "qoq", "month": "mom"}[unit]))
    return out


def find_comparisons(text: str, start: int = 0, end: int | None = None) -> list[Comparison]:
    """Every 'year-over-year', 'YoY', 'quarter-on-quarter', 'from a year earlier', '同比'… in the span."""
    end = len(text) if end is None else end
    out = []
    for m in _COMPARISON_RE.finditer(text, start, end):
        kind = m.lastgroup or ""
        basis = {"yoy": "yoy", "qoq": "qoq", "mom": "mom", "cn_yoy": "yoy", "cn_qoq": "qoq"}[kind]
        if m.group(0) == "mom":  # the word, not the abbreviation
            continue
        out.append(Comparison(m.start(), m.end(), m.group(0), basis))  # type: ignore[arg-type]
    return out


def resolve_phrase(phrase: str, *, today: date) -> Period | None:
    """The period one expression stands for ('Q3', 'the first nine months', '上月'), or None."""
    found = find_periods(phrase, today=today)
    return found[0].period if found else None
