"""Period: the grammar, its round trip, and the derived periods analytics rely on."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redline.periods import Period, PeriodError, month_end, parse_known_date


@pytest.mark.parametrize(
    ("text", "start", "end", "canonical", "kind"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "2025", "year"),
        ("2025-Q3", date(2025, 7, 1), date(2025, 9, 30), "2025-Q3", "quarter"),
        ("2025q1", date(2025, 1, 1), date(2025, 3, 31), "2025-Q1", "quarter"),
        ("2025-H1", date(2025, 1, 1), date(2025, 6, 30), "2025-H1", "half"),
        ("2025-H2", date(2025, 7, 1), date(2025, 12, 31), "2025-H2", "half"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024-02", "month"),
        ("2025-06-26", date(2025, 6, 26), date(2025, 6, 26), "2025-06-26", "day"),
        ("2025-01..2025-10", date(2025, 1, 1), date(2025, 10, 31), "2025-01..2025-10", "months"),
        (" 2025-01 .. 2025-03 ", date(2025, 1, 1), date(2025, 3, 31), "2025-Q1", "quarter"),
        ("2025-Q1..2025-Q2", date(2025, 1, 1), date(2025, 6, 30), "2025-H1", "half"),
        ("2024-03-28..2025-11-25", date(2024, 3, 28), date(2025, 11, 25), "2024-03-28..2025-11-25", "span"),
        ("2024-07-01..2024-09-30", date(2024, 7, 1), date(2024, 9, 30), "2024-Q3", "quarter"),
    ],
)
def test_parse_reads_the_grammar_and_str_writes_the_shortest_form(
    text: str, start: date, end: date, canonical: str, kind: str
) -> None:
    p = Period.parse(text)
    assert (p.start, p.end) == (start, end)
    assert p.kind == kind
    assert str(p) == canonical
    assert Period.parse(str(p)) == p


@pytest.mark.parametrize(
    "text",
    ["2025-13", "2025-00", "2025-Q5", "2025-H3", "2025-02-30", "25", "Q3 2025", "next year", "", "2025-10..2025-01",
     "2025-1", "2025/10"],
)
def test_parse_refuses_what_is_not_a_period(text: str) -> None:
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_parse_refuses_non_text() -> None:
    with pytest.raises(PeriodError, match="must be text"):
        Period.parse(2025)  # type: ignore[arg-type]


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(PeriodError, match="before it starts"):
        Period(date(2025, 2, 1), date(2025, 1, 31))


days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@st.composite
def periods(draw: st.DrawFn) -> Period:
    a, b = draw(days), draw(days)
    return Period(min(a, b), max(a, b))


@st.composite
def short_periods(draw: st.DrawFn) -> Period:
    start = draw(st.dates(min_value=date(1, 1, 1), max_value=date(9990, 12, 31)))
    return Period(start, start + timedelta(days=draw(st.integers(0, 3000))))


@st.composite
def month_spans(draw: st.DrawFn, years: tuple[int, int] = (1, 9995)) -> Period:
    year = draw(st.integers(*years))
    first = draw(st.integers(1, 12))
    n = draw(st.integers(1, 36))
    start = date(year, first, 1)
    end_index = year * 12 + first - 1 + n - 1
    return Period(start, month_end(end_index // 12, end_index % 12 + 1))


@given(periods())
def test_str_round_trips_any_period(p: Period) -> None:
    assert Period.parse(str(p)) == p


@given(month_spans())
def test_month_aligned_periods_round_trip_and_keep_their_shape(p: Period) -> None:
    assert p.is_month_aligned
    q = Period.parse(str(p))
    assert q == p and q.kind == p.kind
    assert q.kind != "span"


@given(short_periods())
def test_months_tile_the_period_without_gaps(p: Period) -> None:
    months = p.months()
    assert months[0].start == p.start and months[-1].end == p.end
    assert len(months) == p.n_months
    for a, b in zip(months, months[1:]):
        assert b.start == a.end + timedelta(days=1)
    assert sum(m.n_days for m in months) == p.n_days


@given(month_spans(years=(10, 9990)), st.integers(-48, 48))
def test_shifting_months_keeps_month_alignment_and_length(p: Period, n: int) -> None:
    q = p.shift_months(n)
    assert q.is_month_aligned and q.n_months == p.n_months
    assert q.shift_months(-n) == p


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-Q3", "2024-Q3"),
        ("2025-01..2025-10", "2024-01..2024-10"),
        ("2024-02", "2023-02"),
        ("2024-02-29", "2023-02-28"),  # a day stays a day
        ("2025-02-28", "2024-02-28"),  # not 28-29 Feb 2024
    ],
)
def test_same_period_last_year(text: str, expected: str) -> None:
    assert Period.parse(text).same_period_last_year() == Period.parse(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-Q1", "2024-Q4"),
        ("2025-Q3", "2025-Q2"),
        ("2025-03", "2025-02"),
        ("2025-01", "2024-12"),
        ("2025-H2", "2025-H1"),
        ("2025-06-10..2025-06-19", "2025-05-31..2025-06-09"),
    ],
)
def test_previous_is_the_same_length_just_before(text: str, expected: str) -> None:
    assert Period.parse(text).previous() == Period.parse(expected)


def test_year_to_date_runs_from_january_to_the_end() -> None:
    assert Period.parse("2025-Q3").year_to_date() == Period.parse("2025-01..2025-09")
    assert Period.parse("2025-10").year_to_date() == Period.parse("2025-01..2025-10")


def test_quarters_and_years_touched() -> None:
    p = Period.parse("2024-11..2025-04")
    assert [str(q) for q in p.quarters()] == ["2024-Q4", "2025-Q1", "2025-Q2"]
    assert [str(y) for y in p.years()] == ["2024", "2025"]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2025-Q3", "Q3 2025"),
        ("2025-10", "October 2025"),
        ("2025-01..2025-10", "January–October 2025"),
        ("2024-11..2025-02", "Nov 2024–Feb 2025"),
        ("2025", "2025"),
        ("2025-H1", "H1 2025"),
        ("2025-06-26", "26 June 2025"),
    ],
)
def test_labels(text: str, label: str) -> None:
    assert Period.parse(text).label() == label


def test_contains_and_overlaps() -> None:
    q3 = Period.parse("2025-Q3")
    assert q3.contains(Period.parse("2025-08"))
    assert q3.contains(date(2025, 9, 30))
    assert not q3.contains(Period.parse("2025-09..2025-10"))
    assert q3.overlaps(Period.parse("2025-09..2025-10"))
    assert not q3.overlaps(Period.parse("2025-10"))


@pytest.mark.parametrize(
    ("text", "known"),
    [
        ("2025-11-19", date(2025, 11, 19)),
        ("2025-11", date(2025, 11, 30)),  # known only to the month: its last day
        ("2024-02", date(2024, 2, 29)),
        ("2025", date(2025, 12, 31)),
        (" 2026-01 ", date(2026, 1, 31)),
    ],
)
def test_publication_dates_known_only_to_the_month_count_from_its_end(text: str, known: date) -> None:
    assert parse_known_date(text) == known


def test_constructors_check_their_arguments() -> None:
    with pytest.raises(PeriodError):
        Period.quarter(2025, 0)
    with pytest.raises(PeriodError):
        Period.half(2025, 3)
    with pytest.raises(PeriodError):
        Period.month(2025, 13)
    assert Period.months_span(2025, 1, 10) == Period.parse("2025-01..2025-10")


@pytest.mark.parametrize("text", ["0000", "0000-Q1", "0000-H2", "0000-10", "0000-01-01", "0000-01..2025-01"])
def test_parse_refuses_year_zero_with_a_period_error(text: str) -> None:
    with pytest.raises(PeriodError, match="out of range"):
        Period.parse(text)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Period.year(0),
        lambda: Period.year(10_000),
        lambda: Period.quarter(0, 1),
        lambda: Period.half(10_000, 1),
        lambda: Period.month(-1, 5),
        lambda: Period.months_span(0, 1, 3),
        lambda: month_end(0, 1),
        lambda: Period.parse("0001-Q1").same_period_last_year(),
        lambda: Period.parse("9999-12").shift_months(1),
        lambda: Period.parse("0001-01-01..0001-01-10").previous(),
        lambda: parse_known_date("0000-05"),
    ],
)
def test_out_of_range_years_raise_period_error_not_a_bare_value_error(make: Any) -> None:
    with pytest.raises(PeriodError, match="out of range"):
        make()


def test_the_first_and_last_years_still_work() -> None:
    assert str(Period.parse("0001-Q1")) == "0001-Q1"
    assert Period.parse("9999").end == date(9999, 12, 31)
    assert Period.parse("0002-Q1").same_period_last_year() == Period.parse("0001-Q1")
