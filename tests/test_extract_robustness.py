"""Untrusted text: no input crashes the extractor, offsets always hold, time grows linearly."""

from __future__ import annotations

import time
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redline.claims.extract import extract
from redline.claims.gazetteer import default_gazetteer

GAZ = default_gazetteer()
DAY = date(2025, 11, 25)

# Words that exercise the grammar: numbers in every shape, qualifiers, periods, names, punctuation.
VOCAB = [
    "Xiaomi", "Tesla", "the SU7", "YU7", "NIO", "BYD", "Zeekr", "it", "they", "the company", "delivered", "sold",
    "deliveries", "sales", "units", "cars", "target", "market share", "pre-orders", "fatal accidents", "price",
    "revenue", "up", "down", "rose", "fell", "from", "to", "between", "and", "almost", "about", "over", "below",
    "at least", "up to", "year-over-year", "YoY", "Q3", "H1", "the third quarter", "first nine months", "in March",
    "January–October", "this year", "last month", "as of September 30", "in 2020", "2025", "108,796", "173%",
    "14.3%", "$200-$220", "$1.6 billion", "RMB113.1 billion", "4万辆", "3.26 million", "4.6mn", "40k", "two",
    "half a million", "two-second", "doubled", "(", ")", ",", ".", ";", ":", "\n", "-", "–", "1.", "10:30",
    "https://x.com/2025/1", "+86 10 6060 6666", "Model 3", "Redmi Note 13 Pro", "同比增长", "10月", "超过",
]


def check(text: str) -> None:
    claims = extract(text, date=DAY, gazetteer=GAZ, include_unresolved=True)
    for c in claims:
        assert text[c.start:c.end] == c.text
        assert 0 <= c.sentence_start <= c.start < c.end <= c.sentence_end <= len(text)
        if c.period is not None:
            assert c.period.start <= c.period.end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text(text: str) -> None:
    check(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(VOCAB), max_size=60).map(" ".join))
def test_news_like_word_salad(text: str) -> None:
    check(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(VOCAB), st.text(max_size=8)), max_size=40).map("".join))
def test_glued_fragments(text: str) -> None:
    check(text)


def test_adversarial_runs_stay_fast() -> None:
    """Long runs that make naive patterns backtrack: digits, commas, capitals, dots, no spaces."""
    cases = [
        "1" * 200_000,
        "1," * 100_000,
        "A " * 100_000,
        "Xiaomi " * 30_000,
        "." * 200_000,
        "a" * 200_000,
        "$" * 100_000,
        "from 1 to " * 20_000,
        "Q3 " * 50_000,
        "万" * 100_000,
        "one two three " * 20_000,
        "Xiaomi delivered 5 cars. " * 20_000,
        "Tesla Model Y sold 1,000 units in Q3, up 5%; " * 10_000,
        "Zeekr sold 1,000 cars, " * 20_000,
        "In 2024 " * 20_000,
    ]
    for text in cases:
        start = time.process_time()
        check(text)
        assert time.process_time() - start < 10, text[:20]


def _news(size: int) -> str:
    base = (
        "Analysts said the price war among Chinese electric-vehicle makers showed no sign of easing, and that "
        "smaller brands would struggle to raise money as buyers waited for the next round of discounts. "
        "The company did not comment on its plans for Europe, where it has yet to open a showroom.\n"
        "Xiaomi delivered more than 40,000 vehicles in October, up 30% from a year earlier, the company said. "
        "Tesla's market share in China fell to 4.5% in the third quarter from 6.8% a year earlier. "
        "The Redmi Note 13 Pro sells for around $200-$220 on resale platforms.\n"
        "NIO guided for 87,000 to 91,000 deliveries in the fourth quarter, while analysts expect fewer. "
        "BYD's sales for the first nine months reached 3.26 million units, short of its 4.6 million target.\n"
    )
    return (base * (size // len(base) + 1))[:size]


def test_ten_megabytes_run_in_linear_time() -> None:
    """10 MB takes about ten times 1 MB, and finishes.

    The bound leaves room for what is not the extractor's doing on a shared machine: the garbage
    collector walks a heap ten times larger, caches miss more. A quadratic step would give ~100.
    """
    small, large = _news(1_000_000), _news(10_000_000)
    extract(small[:10_000], date=DAY, gazetteer=GAZ)  # warm up compiled patterns
    t0 = time.process_time()
    n_small = len(extract(small, date=DAY, gazetteer=GAZ))
    t_small = time.process_time() - t0
    t0 = time.process_time()
    n_large = len(extract(large, date=DAY, gazetteer=GAZ))
    t_large = time.process_time() - t0
    print(f"1 MB: {t_small:.2f}s ({n_small} claims); 10 MB: {t_large:.2f}s ({n_large} claims); "
          f"ratio {t_large / t_small:.1f}")
    assert n_large >= 9 * n_small
    assert t_large / t_small < 16
