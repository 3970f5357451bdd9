"""Intervals: qualifiers, stated precision, and arithmetic that keeps bounds honest."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from redline.intervals import (
    ABOUT_TOLERANCE,
    ALMOST_TOLERANCE,
    QUALIFIERS,
    Interval,
    from_qualified,
    implied_precision,
    normalise_qualifier,
    rounded_count_precision,
)

INF = math.inf


@pytest.mark.parametrize(
    ("value", "qualifier", "precision", "expected"),
    [
        (108_796, "exact", 0.0, Interval(108_796, 108_796)),
        (173, "exact", 1.0, Interval(172.5, 173.5, False, True)),  # "173%" is [172.5, 173.5)
        (1.6, "exact", 0.1, Interval(1.55, 1.65, False, True)),  # "$1.6 billion"
        (40_000, "over", 0.0, Interval(40_000, INF, True, False)),
        (40_000, "at_least", 0.0, Interval(40_000, INF)),
        (5, "under", 0.0, Interval(0, 5, False, True)),
        (5, "at_most", 0.0, Interval(0, 5)),
        (15, "almost", 0.0, Interval(15 * (1 - ALMOST_TOLERANCE), 15)),
        (1_000, "about", 0.0, Interval(1_000 * (1 - ABOUT_TOLERANCE), 1_000 * (1 + ABOUT_TOLERANCE))),
        (5, "about", 1.0, Interval(4.5, 5.5, False, True)),  # the rounding (±0.5) is wider than 5%
    ],
)
def test_from_qualified(value: float, qualifier: str, precision: float, expected: Interval) -> None:
    got = from_qualified(value, qualifier, precision=precision)
    assert got.low == pytest.approx(expected.low) and got.high == pytest.approx(expected.high)
    assert (got.low_strict, got.high_strict) == (expected.low_strict, expected.high_strict)


def test_under_may_go_negative_when_asked() -> None:
    assert from_qualified(5, "under", nonnegative=False).low == -INF


@pytest.mark.parametrize(
    ("word", "canonical"),
    [("more than", "over"), ("above", "over"), ("Exceeding", "over"), ("below", "under"), ("less than", "under"),
     ("around", "about"), ("roughly", "about"), ("nearly", "almost"), ("up to", "at_most"), ("at least", "at_least"),
     ("", "exact"), (" exactly ", "exact")],
)
def test_qualifier_words(word: str, canonical: str) -> None:
    assert normalise_qualifier(word) == canonical
    assert canonical in QUALIFIERS


def test_unknown_qualifier_is_refused() -> None:
    with pytest.raises(KeyError):
        from_qualified(1, "give or take")


@pytest.mark.parametrize(
    ("value", "precision"),
    [(1_300_000, 100_000), (41_948, 1), (4.9, 0.1), (0.25, 0.01), (350_000, 10_000), (0, 1), (-2_000, 1_000)],
)
def test_implied_precision(value: float, precision: float) -> None:
    assert implied_precision(value) == pytest.approx(precision)


def test_strict_bounds_exclude_their_endpoint() -> None:
    over = from_qualified(40_000, "over")
    assert not over.contains(40_000) and over.contains(40_001)
    assert from_qualified(40_000, "at_least").contains(40_000)
    assert not from_qualified(173, "exact", precision=1).contains(173.5)
    assert from_qualified(173, "exact", precision=1).contains(172.5)


def test_sum_with_an_over_figure_is_a_lower_bound() -> None:
    # Xiaomi 2025 Q1 + Q2 + Q3 (official) + October ("over 40,000")
    total = Interval.point(75_869) + Interval.point(81_302) + Interval.point(108_796) + from_qualified(40_000, "over")
    assert (total.low, total.high, total.low_strict) == (305_967, INF, True)
    assert total.describe() == "over 305,967"
    assert not total.bounded and total.mid is None


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (Interval.point(108_796), "108,796"),
        (Interval(305_967, INF, True), "over 305,967"),
        (Interval(305_967, INF), "at least 305,967"),
        (Interval(0, 5, False, True), "under 5"),
        (Interval(0, 5), "at most 5"),
        (Interval(41_109, 42_787), "41,109 to 42,787"),
        (Interval(-INF, INF), "unknown"),
    ],
)
def test_describe(interval: Interval, text: str) -> None:
    assert interval.describe() == text


def test_overlap_respects_open_ends() -> None:
    assert Interval(1, 2).overlaps(Interval(2, 3))
    assert not Interval(1, 2, False, True).overlaps(Interval(2, 3))
    assert not Interval(1, 2).overlaps(Interval(2, 3, True, False))
    assert not Interval(1, 2).overlaps(Interval(2.5, 3))
    assert Interval(1, INF).overlaps(Interval(100, 200))


def test_within() -> None:
    assert Interval(172.6, 173.4).within(Interval(172.5, 173.5, False, True))
    assert not Interval(172.6, 173.5).within(Interval(172.5, 173.5, False, True))
    assert Interval(172.6, 173.5, False, True).within(Interval(172.5, 173.5, False, True))


def test_ratio_to_zero_is_refused() -> None:
    with pytest.raises(ZeroDivisionError):
        Interval.point(5).ratio(Interval.point(0))


def test_ratio_to_an_interval_touching_zero_is_unbounded_above() -> None:
    r = Interval.point(5).ratio(Interval(0, 10))
    assert r.low == 0.5 and r.high == INF


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
positive = st.floats(min_value=1e-3, max_value=1e9, allow_nan=False)


@st.composite
def intervals(draw: st.DrawFn, values: st.SearchStrategy[float] = finite) -> tuple[Interval, float]:
    """An interval and a value inside it."""
    a, b = sorted((draw(values), draw(values)))
    low_strict = draw(st.booleans()) and a < b
    high_strict = draw(st.booleans()) and a < b
    if draw(st.booleans()):
        iv = Interval(a, b, low_strict, high_strict)
        x = draw(st.floats(min_value=a, max_value=b))
    else:  # open above: "over a"
        iv = Interval(a, INF, low_strict, False)
        x = draw(st.floats(min_value=a, max_value=a + 1e6))
    assume(iv.contains(x))
    return iv, x


@given(intervals(), intervals())
def test_sum_of_intervals_contains_every_sum_of_members(a: tuple[Interval, float], b: tuple[Interval, float]) -> None:
    (ia, x), (ib, y) = a, b
    total = ia + ib
    assert total.low <= x + y <= total.high
    if math.isfinite(total.high):
        assert total.high == pytest.approx(ia.high + ib.high)


@given(intervals(), intervals())
def test_difference_of_intervals_contains_every_difference(a: tuple[Interval, float], b: tuple[Interval, float]) -> None:
    (ia, x), (ib, y) = a, b
    diff = ia - ib
    assert diff.low <= x - y <= diff.high


@given(intervals(positive), intervals(positive))
def test_ratio_of_positive_intervals_contains_every_ratio(a: tuple[Interval, float], b: tuple[Interval, float]) -> None:
    (ia, x), (ib, y) = a, b
    r = ia.ratio(ib)
    q = x / y
    assert r.low <= q * (1 + 1e-9) and q <= r.high * (1 + 1e-9)


@given(st.lists(st.integers(0, 10**7), min_size=1, max_size=12), st.integers(0, 11))
def test_replacing_one_exact_month_by_over_turns_the_sum_into_a_strict_lower_bound(months: list[int], k: int) -> None:
    k = k % len(months)
    parts = [Interval.point(v) for v in months]
    parts[k] = from_qualified(months[k], "over")
    total = Interval.point(0)
    for p in parts:
        total = total + p
    assert total.low == sum(months) and total.low_strict and total.high == INF
    assert not total.contains(sum(months)) and total.contains(sum(months) + 1)


def test_about_tolerance_follows_its_setting() -> None:
    code = "from redline.intervals import from_qualified as f; iv = f(100, 'about'); print(iv.low, iv.high)"
    env = {**os.environ, "REDLINE_ABOUT_TOLERANCE": "0.1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["90.0", "110.0"]


def test_bounds_round_outward_so_the_words_stay_true() -> None:
    from redline.brief.sections import _rate_text
    from redline.intervals import Interval

    below = Interval(0, 0.4517, False, True)
    assert below.describe("{:.2f}") == "under 0.46"
    assert _rate_text(below) == "fewer than 0.46"
    assert Interval(0, 0.45, False, True).describe("{:.2f}") == "under 0.45"
    assert Interval(1.234, float("inf"), True, False).describe("{:.2f}") == "over 1.23"


@pytest.mark.parametrize(("value", "precision"), [
    (36_300, 100),        # rounded to hundreds: 36,250 to 36,350
    (87_000, 870),        # to thousands, but capped at half a percent either way
    (300_000, 3_000),
    (36_279, 0),          # no trailing zeros: as written
    (900, 0),             # small counts are as written
    (36_310, 10),
])
def test_a_whole_count_ending_in_zeros_may_be_rounded(value: float, precision: float) -> None:
    assert rounded_count_precision(value) == pytest.approx(precision)
