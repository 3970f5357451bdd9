"""Rules found in review: model codes and thousands, guidance, fatal counts, change bases, year to date."""

from __future__ import annotations

from datetime import date
from typing import Any

from redline.claims.extract import extract
from redline.claims.gazetteer import default_gazetteer
from redline.claims.model import Claim

GAZ = default_gazetteer()


def claims_of(text: str, day: str = "2025-11-25", **kw: Any) -> list[Claim]:
    return extract(text, date=date.fromisoformat(day), gazetteer=GAZ, **kw)


def period(p: Any) -> str | None:
    return f"{p.start}..{p.end}" if p else None


def test_a_model_code_does_not_swallow_a_thousands_group() -> None:
    text = "In the week of November 10-16, Xiaomi registered 8,900 vehicles, Tesla 13,600 and XPeng 7,300."
    found = claims_of(text)
    assert [(c.entity, c.value) for c in found] == [("Xiaomi", 8900), ("Tesla", 13600), ("XPeng", 7300)]
    assert {period(c.period) for c in found} == {"2025-11-10..2025-11-16"}  # a range of days
    found = claims_of("Registrations: Tesla 13,600, XPeng 7,300, NIO 3,000.")
    assert [(c.entity, c.value) for c in found] == [("Tesla", 13600), ("XPeng", 7300), ("NIO", 3000)]


def test_a_model_code_before_a_thousands_group_variant() -> None:
    found = claims_of("October deliveries: Li Auto 31,767, Tesla 61,497 and NIO 40,397.")
    assert [(c.entity, c.value) for c in found] == [("Li Auto", 31767), ("Tesla", 61497), ("NIO", 40397)]
    assert {c.metric for c in found} == {"deliveries"}
    # a real model code with a number is still a model
    assert {c.entity for c in claims_of("Tesla Model 3 sales rose 20% in October.")} == {"Tesla Model 3"}
    assert [c.entity for c in claims_of("XPeng G6 1,200 units were sold in October.")] == ["XPeng G6"]


def test_guidance_and_aims_are_targets_for_the_coming_period() -> None:
    [c] = claims_of("XPeng expects Q4 deliveries of 125,000 to 132,000 units.")
    assert (c.entity, c.metric, period(c.period), c.value) == (
        "XPeng", "delivery_target", "2025-10-01..2025-12-31", [125000, 132000])
    [c] = claims_of("Xiaomi aims to hand over 350,000 cars this year.")
    assert (c.entity, c.metric, period(c.period)) == ("Xiaomi", "delivery_target", "2025-01-01..2025-12-31")


def test_guidance_variants_and_actuals_after_an_aside() -> None:
    [c] = claims_of("NIO guides for Q1 deliveries of 80,000 to 85,000 vehicles.", day="2025-12-20")
    assert (c.metric, period(c.period)) == ("delivery_target", "2026-01-01..2026-03-31")
    [c] = claims_of("Li Auto plans to sell 150,000 vehicles in the fourth quarter.", day="2025-11-25")
    assert (c.metric, period(c.period)) == ("delivery_target", "2025-10-01..2025-12-31")
    # an expectation met or an aim in an aside leaves the actual an actual
    [c] = claims_of("As expected, NIO delivered 40,397 vehicles in October.")
    assert c.metric == "deliveries"
    found = claims_of("Xiaomi, which aims to deliver 350,000 cars this year, delivered 40,000 in October.")
    assert [(c.metric, c.value) for c in found] == [("delivery_target", 350000), ("deliveries", 40000)]


def test_deaths_are_not_fatal_incidents() -> None:
    # deaths are no catalog metric: fatal_incidents counts crashes
    assert claims_of("Three people died after a Xiaomi SU7 crashed on October 13, 2025.") == []
    assert claims_of("The crash killed 3 people.") == []
    assert claims_of("Two drivers were killed when the SU7 hit a barrier.") == []


def test_fatal_crash_phrasings_are_counts_of_fatal_incidents() -> None:
    for text, value in [
        ("There have been two fatal crashes involving the Xiaomi SU7.", 2),
        ("The SU7 has been involved in 3 fatal accidents.", 3),
        ("The SU7 was involved in two deadly crashes this year.", 2),
        ("There were 4 crashes that killed drivers of the SU7.", 4),
        ("Regulators counted 5 fatal incidents involving the SU7.", 5),
        ("Two fatal car crashes involving the SU7 were reported.", 2),
        ("The SU7 was involved in 2 accidents that claimed lives.", 2),
    ]:
        [c] = claims_of(text)
        assert (c.entity, c.metric, c.kind, c.value, c.unit) == (
            "Xiaomi SU7", "fatal_incidents", "count", value, "incidents"), text
    # a crash nobody died in is not fatal
    assert not [c for c in claims_of("The SU7 has been involved in three crashes in which nobody was hurt.")
                if c.metric == "fatal_incidents"]


def test_a_change_takes_the_period_of_its_base() -> None:
    found = claims_of("NIO delivered 36,928 vehicles in Q3 2025, up 40.8% from 26,227 in Q2")
    [c] = [c for c in found if c.kind == "change_pct"]
    assert (period(c.period), period(c.base_period)) == ("2025-07-01..2025-09-30", "2025-04-01..2025-06-30")
    found = claims_of("Xiaomi delivered 40,000 cars in October, up 20% from 33,000 in September.")
    [c] = [c for c in found if c.kind == "change_pct"]
    assert (period(c.period), period(c.base_period)) == ("2025-10-01..2025-10-31", "2025-09-01..2025-09-30")


def test_a_period_after_from_is_the_base_not_the_period() -> None:
    found = claims_of("XPeng delivered 42,013 units last month, up 4% from September")
    [c] = [c for c in found if c.kind == "change_pct"]
    assert (period(c.period), period(c.base_period)) == ("2025-10-01..2025-10-31", "2025-09-01..2025-09-30")
    found = claims_of("BYD sold 440,000 vehicles in October, down 12% compared with September.")
    [c] = [c for c in found if c.kind == "change_pct"]
    assert (c.value, period(c.period), period(c.base_period)) == (
        -12, "2025-10-01..2025-10-31", "2025-09-01..2025-09-30")
    # year on year still shifts a year
    found = claims_of("NIO delivered 40,397 vehicles in October, up 92.6% year-on-year.")
    [c] = [c for c in found if c.kind == "change_pct"]
    assert period(c.base_period) == "2024-10-01..2024-10-31"


def test_year_to_date_ends_at_the_month_named_in_the_sentence() -> None:
    found = claims_of("NIO delivered 40,397 vehicles in October 2025, bringing its year-to-date total to 241,216")
    [c] = [c for c in found if c.value == 241216]
    assert period(c.period) == "2025-01-01..2025-10-31"
    found = claims_of("BYD sold 1.1 million vehicles in the third quarter, bringing year-to-date sales to 3.26 million.")
    [c] = [c for c in found if c.value == 3260000]
    assert period(c.period) == "2025-01-01..2025-09-30"


def test_year_to_date_without_a_month_ends_with_the_last_complete_month() -> None:
    [c] = claims_of("Year-to-date, Xiaomi has delivered over 300,000 cars.")
    assert period(c.period) == "2025-01-01..2025-10-31"
    [c] = claims_of("Year-to-date, Xiaomi has delivered over 300,000 cars.", day="2025-01-20")
    assert period(c.period) == "2025-01-01..2025-01-20"
