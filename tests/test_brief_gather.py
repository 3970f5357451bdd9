"""What the brief gathers: growth through the analytics layer, safety rates on any day of the month."""

from __future__ import annotations

from datetime import date

import pytest

from redline import analytics
from redline.analytics import GrowthResult
from redline.brief.gather import _growth, gather
from redline.periods import Period
from redline.store import Store

AS_OF = date(2025, 11, 25)


def test_growth_is_analytics_growth(pack: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The brief's year-on-year rates are :func:`redline.analytics.growth`'s, not a second implementation."""
    made: list[GrowthResult] = []
    real = analytics.growth

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(analytics, "growth", spy)
    d = gather(pack, "Tesla China", as_of=AS_OF, peers=["Xiaomi", "NIO"])
    used = [g for _, _, g in d.quarters if g is not None] + [v.growth for v in d.peer_volumes if v.growth]
    assert d.ytd_growth is not None and len(used) >= 3
    for g in [d.ytd_growth, *used]:
        assert any(g is m for m in made)
        assert g.comparison == "yoy"


def test_growth_keeps_its_behaviour(pack: Store) -> None:
    q3 = _growth(pack, "Xiaomi", "deliveries", Period.quarter(2025, 3), AS_OF)
    assert q3 is not None and round(q3.value, 1) == 173.4
    assert q3.base.period == Period.quarter(2024, 3)
    # no base figure (Xiaomi delivered nothing before April 2024): no rate, not an error
    assert _growth(pack, "Xiaomi", "deliveries", Period.quarter(2025, 1), AS_OF) is None
    assert _growth(pack, "XPeng", "deliveries", Period.quarter(2025, 3), AS_OF) is None


def test_rates_on_the_first_of_a_month_count_that_day(store: Store) -> None:
    """A brief dated the 1st counts the events of that day; the fleet is still the months complete by then."""
    store.add_facts([{"entity": "Xiaomi SU7", "metric": "recalls", "period_start": "2025-11-01",
                      "period_end": "2025-11-01", "value": 1, "unit": "campaigns", "qualifier": "exact",
                      "source_url": "https://example.com/recall", "published": "2025-11-01"}])
    on = date(2025, 11, 1)
    d = gather(store, "Xiaomi", as_of=on)
    (recalls,) = [r for r in d.rates if r.entity == "Xiaomi" and r.metric == "recalls"]
    assert recalls.result is not None
    assert recalls.result.period == Period(date(2025, 1, 1), on)
    assert recalls.result.events.interval.low == 3  # 24 January, 19 September and 1 November
    assert recalls.result.fleet.period.end == date(2025, 10, 31)
    same = analytics.incident_rate(store, "Xiaomi", "recalls", on=on, since=date(2025, 1, 1), as_of=on)
    assert recalls.result.per_100k == same.per_100k
