"""Time expressions and comparisons, resolved against the document date."""

from __future__ import annotations

from datetime import date

import pytest

from redline.claims.phrases import find_bases, find_comparisons, find_periods, resolve_phrase

DOC = date(2025, 11, 25)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Q3", "2025-Q3"),
        ("the third quarter", "2025-Q3"),
        ("third-quarter", "2025-Q3"),
        ("Q4", "2024-Q4"),  # the latest Q4 that ended before 25 November 2025
        ("Q3 2024", "2024-Q3"),
        ("3Q24", "2024-Q3"),
        ("2025 Q2", "2025-Q2"),
        ("Q4'24", "2024-Q4"),
        ("the fourth quarter of 2024", "2024-Q4"),
        ("H1", "2025-H1"),
        ("H2", "2024-H2"),
        ("the first half of 2025", "2025-H1"),
        ("first nine months", "2025-01..2025-09"),
        ("the first 10 months of 2024", "2024-01..2024-10"),
        ("the first three quarters", "2025-01..2025-09"),
        ("nine months to September", "2025-01..2025-09"),
        ("January–October", "2025-01..2025-10"),
        ("Jan.-Oct.", "2025-01..2025-10"),
        ("Between January and October", "2025-01..2025-10"),
        ("January to October 2024", "2024-01..2024-10"),
        ("in March", "2025-03"),
        ("in December", "2024-12"),  # December 2025 has not begun
        ("March 2024", "2024-03"),
        ("in 2020", "2020"),
        ("FY2025", "2025"),
        ("this year", "2025"),
        ("last year", "2024"),
        ("next year", "2026"),
        ("last month", "2025-10"),
        ("this month", "2025-11"),
        ("last quarter", "2025-Q3"),
        ("year to date", "2025-01..2025-10"),
        ("so far this year", "2025-01..2025-10"),
        ("as of September 30", "2025-09-30"),
        ("September 30", "2025-09-30"),
        ("29 March 2025", "2025-03-29"),
        ("2025-03-29", "2025-03-29"),
        ("the past 12 months", "2024-11..2025-10"),
        ("full-year", "2025"),
        ("前三季度", "2025-01..2025-09"),
        ("第三季度", "2025-Q3"),
        ("1-10月", "2025-01..2025-10"),
        ("上半年", "2025-H1"),
        ("今年", "2025"),
        ("去年", "2024"),
        ("上月", "2025-10"),
    ],
)
def test_resolve(phrase: str, expected: str) -> None:
    assert str(resolve_phrase(phrase, today=DOC)) == expected


def test_chinese_month_takes_the_year_written_before_it() -> None:
    assert [str(m.period) for m in find_periods("2024年10月", today=DOC)] == ["2024", "2024-10"]


def test_a_bare_quarter_is_the_latest_one_that_ended() -> None:
    assert str(resolve_phrase("Q3", today=date(2025, 8, 1))) == "2024-Q3"
    assert str(resolve_phrase("Q3", today=date(2025, 10, 1))) == "2025-Q3"


def test_a_sentence_opening_with_a_year_gives_it_to_the_rest() -> None:
    found = find_periods("In 2024, deliveries peaked in the third quarter.", today=DOC)
    assert [str(m.period) for m in found] == ["2024", "2024-Q3"]


@pytest.mark.parametrize("text", ["May I ask?", "Sales may rise.", "in the market", "a 2,025-unit batch"])
def test_not_periods(text: str) -> None:
    assert [m.text for m in find_periods(text, today=DOC)] == []


def test_may_needs_a_cue() -> None:
    assert [m.text for m in find_periods("deliveries in May rose", today=DOC)] == ["May"]


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("up 173% year-over-year", "yoy"),
        ("up 173% year-on-year", "yoy"),
        ("up 173% YoY", "yoy"),
        ("up 173% y/y", "yoy"),
        ("up 25% from a year earlier", "yoy"),
        ("up 16.7% on last year", "yoy"),
        ("up 25.6% from the prior-year period", "yoy"),
        ("up 5% quarter-on-quarter", "qoq"),
        ("up 5% sequentially", "qoq"),
        ("up 5% month-on-month", "mom"),
        ("up 5% MoM", "mom"),
        ("同比增长", "yoy"),
        ("环比增长", "qoq"),
    ],
)
def test_comparisons(text: str, basis: str) -> None:
    assert [c.basis for c in find_comparisons(text)] == [basis]


def test_mom_the_word_is_not_a_comparison() -> None:
    assert find_comparisons("my mom bought one") == []


def test_bases() -> None:
    assert [b[2] for b in find_bases("39,790 a year earlier, the same period last year, the same quarter of 2024")] == [
        "yoy", "yoy", "yoy"
    ]
