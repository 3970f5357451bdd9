"""The bundled fact pack is consistent with itself.

* months and quarters add up to the quarters, halves and years the pack states, within
  their stated precision (``redline conflicts`` finds none);
* a factory's wholesale is its domestic retail plus its exports, month by month, wherever
  the pack has all three;
* brands add up to their group where the pack has every brand of a period;
* a maker's share of a market agrees with its volume over the market's total;
* no two sources of one key disagree beyond their precision.

The exceptions this test allows are listed in ALLOWED, each with its reason.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from redline.analytics import conflicts
from redline.periods import Period
from redline.store import Store

ALLOWED: dict[tuple[str, str], str] = {
    # (entity, period label): why the check does not hold there
}


def test_the_pack_has_no_conflicts(pack: Store) -> None:
    found = [c for c in conflicts(pack) if (c.entity, c.period.label()) not in ALLOWED]
    assert not found, "\n".join(c.explanation for c in found)


def test_wholesale_is_retail_plus_exports(pack: Store) -> None:
    """Giga Shanghai's wholesale = Tesla China's retail + exports, in every month the pack has all three."""
    wholesale = {f.period: f for f in pack.facts(entity="Tesla Giga Shanghai", metric="sales") if f.series == "wholesale"}
    exports = {f.period: f for f in pack.facts(entity="Tesla Giga Shanghai", metric="sales") if f.series == "exports"}
    retail = {f.period: f for f in pack.facts(entity="Tesla China", metric="sales") if f.series == "retail"}
    months = sorted(p for p in wholesale.keys() & exports.keys() & retail.keys() if p.n_months == 1)
    assert len(months) >= 8
    for p in months:
        assert retail[p].value + exports[p].value == wholesale[p].value, p.label()


def test_brands_add_up_to_the_group(pack: Store) -> None:
    nio = {f.period: f.value for f in pack.facts(entity="NIO", metric="deliveries")}
    parts: dict[Period, list[float]] = defaultdict(list)
    for brand in ("NIO brand", "ONVO"):
        for f in pack.facts(entity=brand, metric="deliveries"):
            parts[f.period].append(f.value)
    complete = [p for p, values in parts.items() if len(values) == 2 and p in nio]
    assert complete
    for p in complete:
        assert sum(parts[p]) == nio[p], p.label()


@pytest.mark.parametrize("entity", ["Tesla China"])
def test_monthly_shares_match_volume_over_the_market(pack: Store, entity: str) -> None:
    market = {f.period: f for f in pack.facts(entity="China NEV market", metric="sales") if f.period.n_months == 1}
    volume = {f.period: f for f in pack.facts(entity=entity, metric="sales") if f.series == "retail"}
    shares = [f for f in pack.facts(entity=entity, metric="market_share", market="China NEV market")
              if f.period in market and f.period in volume]
    assert len(shares) >= 5
    for s in shares:
        computed = 100 * volume[s.period].value / market[s.period].value
        # market totals are rounded to thousands ("about"), so allow half a point
        assert abs(computed - s.value) < 0.5, f"{s.period.label()}: {computed:.2f}% vs {s.value}%"


def test_every_volume_fact_is_in_one_series(pack: Store) -> None:
    volume = [f for f in pack.facts() if f.metric in ("deliveries", "sales", "production")]
    assert volume and all(f.series for f in volume)
    assert not [f for f in pack.facts() if f.series and f.metric not in ("deliveries", "sales", "production")]


def test_sums_stay_within_one_series(pack: Store) -> None:
    from redline.analytics import value

    spring = Period.parse("2024-03..2024-04")
    assert value(pack, "Tesla Giga Shanghai", "sales", spring).value == 89_064 + 62_167  # wholesale, the default
    assert value(pack, "Tesla Giga Shanghai", "sales", spring, series="exports").value == 26_666 + 30_746
    assert value(pack, "BYD passenger cars", "sales", Period.parse("2024")).facts[0].series == "wholesale"
