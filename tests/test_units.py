"""The number grammar: numerals, scales, word numbers, currencies, percents and stated precision."""

from __future__ import annotations

import pytest

from redline.units import parse_quantity, parse_word_number, scan_numbers


@pytest.mark.parametrize(
    ("text", "value", "precision", "unit"),
    [
        ("108,796", 108_796, 0, None),
        ("400,000", 400_000, 0, None),
        ("173%", 173, 1, "percent"),
        ("14.3%", 14.3, 0.1, "percent"),
        ("5 per cent", 5, 1, "percent"),
        ("2.3 percentage points", 2.3, 0.1, "percentage_points"),
        ("1.5pp", 1.5, 0.1, "percentage_points"),
        ("$1.6 billion", 1.6e9, 1e8, "USD"),
        ("US$200", 200, 0, "USD"),
        ("HK$3.5bn", 3.5e9, 1e8, "HKD"),
        ("RMB 113.1 bn", 113.1e9, 1e8, "CNY"),
        ("RMB113.1 billion", 113.1e9, 1e8, "CNY"),
        ("¥215,900", 215_900, 0, "CNY"),
        ("€45,000", 45_000, 0, "EUR"),
        ("300,000 yuan", 300_000, 0, "CNY"),
        ("40k", 40_000, 1_000, None),
        ("3.26 million", 3_260_000, 10_000, None),
        ("4.6mn", 4_600_000, 100_000, None),
        ("2 trillion", 2e12, 1e12, None),
        ("4万", 40_000, 10_000, None),
        ("10.88万", 108_800, 100, None),
        ("1131亿", 113_100_000_000, 100_000_000, None),
        ("三万", 30_000, 10_000, None),
        ("21.59万元", 215_900, 100, "CNY"),
        ("0.5", 0.5, 0.1, None),
        ("two", 2, 0, None),
        ("a dozen", 12, 0, None),
        ("twenty-five thousand", 25_000, 1_000, None),
        ("two million", 2_000_000, 1_000_000, None),
        ("half a million", 500_000, 100_000, None),
    ],
)
def test_parse_quantity(text: str, value: float, precision: float, unit: str | None) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert q.value == pytest.approx(value)
    assert q.precision == pytest.approx(precision)
    assert q.unit == unit


def test_values_are_exact_decimals() -> None:
    assert parse_quantity("10.88万").value == 108_800.0  # type: ignore[union-attr]
    assert parse_quantity("$28.1 billion").value == 28_100_000_000.0  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["SU7", "Q3", "3Q25", "F-150", "5G", "100km", "abc"])
def test_not_numbers(text: str) -> None:
    assert parse_quantity(text) is None or text in ("100km",) and parse_quantity(text) is None


def test_ordinals_are_marked() -> None:
    assert parse_quantity("1st").ordinal  # type: ignore[union-attr]
    assert parse_quantity("100,000th").ordinal  # type: ignore[union-attr]


def test_word_numbers() -> None:
    assert parse_word_number("one hundred and twenty") == (120.0, 0.0)
    assert parse_word_number("half a million") == (500_000.0, 100_000.0)
    assert parse_word_number("banana") is None


def test_scan_reads_each_number_once() -> None:
    found = [m.group(0) for m in scan_numbers("3.26 million units, 500k-600k, RMB29.0 billion, two million and 4万辆")]
    assert found == ["3.26 million", "500k", "600k", "RMB29.0 billion", "two million", "4万"]


def test_scan_skips_numbers_inside_words() -> None:
    assert [m.group(0) for m in scan_numbers("SU7 YU7 Q3 H1 F-150 COVID-19 P7+")] == []
