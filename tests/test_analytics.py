"""Analytics over the real fact pack: values, rollups, growth, pace, share, fleet, rates, conflicts."""

from __future__ import annotations

import doctest
import json
import math
from datetime import date
from typing import Any

import pytest

import redline.analytics
from redline.catalog import BUILTIN_METRICS
import redline.store
from redline import analytics
from redline.analytics import change_pct, conflicts, growth, monthly_series, pace, share, try_value, value
from redline.catalog import Entity
from redline.errors import InputError, NotFound
from redline.intervals import Interval
from redline.periods import Period
from redline.store import Store
from redline.store.snapshot import Snapshot

P = Period.parse
INF = math.inf


UNITS = {m.name: m.unit for m in BUILTIN_METRICS}


def fact_row(entity: str, metric: str, period: str, value: float, qualifier: str = "exact", *,
             published: str = "2025-12-01", source: str = "https://example.com/a", market: str = "") -> dict[str, Any]:
    p = P(period)
    return {"entity": entity, "metric": metric, "period_start": p.start.isoformat(), "period_end": p.end.isoformat(),
            "value": value, "unit": UNITS.get(metric, "vehicles"), "qualifier": qualifier, "market": market, "source_url": source,
            "published": published}


# -- issue 2's figures, from the bundled pack ----------------------------------------------------


def test_xiaomi_q3_2025_deliveries_are_a_direct_official_figure(pack: Store) -> None:
    r = value(pack, "Xiaomi", "deliveries", P("2025-Q3"))
    assert r.value == 108_796 and r.exact and r.method == "direct"
    [f] = r.facts
    assert f.published == "2025-11-19" and "yicaiglobal.com" in (f.source_url or "")


def test_xiaomi_q3_2025_yoy_is_173_4_percent_against_39_790(pack: Store) -> None:
    g = growth(pack, "Xiaomi", "deliveries", P("2025-Q3"), vs="yoy")
    assert g.base.value == 39_790 and g.base.period == P("2024-Q3")
    assert g.current.value == 108_796
    assert g.value == pytest.approx((108_796 / 39_790 - 1) * 100)
    assert round(g.value, 1) == 173.4 and g.describe() == "+173.4%"


def test_xiaomi_retail_sales_january_to_october_2025_is_a_direct_cpca_figure(pack: Store) -> None:
    r = value(pack, "Xiaomi", "sales", P("2025-01..2025-10"))
    assert (r.value, r.method) == (315_376, "direct")
    assert "CPCA" in (r.facts[0].note or "")


def test_xiaomi_deliveries_january_to_october_2025_is_a_lower_bound_not_a_number(pack: Store) -> None:
    r = value(pack, "Xiaomi", "deliveries", P("2025-01..2025-10"))
    assert r.method == "rollup" and r.value is None and not r.exact
    assert (r.interval.low, r.interval.low_strict, r.interval.high) == (305_967, True, INF)
    assert [str(f.period) for f in r.facts] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-10"]
    assert [f.qualifier for f in r.facts] == ["exact", "exact", "exact", "over"]
    assert r.describe() == "over 305,967"
    assert r.interval.contains(315_376 - 9_000) and not r.interval.contains(305_967)


def test_pace_as_of_2025_11_25_is_against_the_400_000_target(pack: Store) -> None:
    p = pace(pack, "Xiaomi", year=2025, as_of=date(2025, 11, 25))
    assert (p.target.value, p.target.qualifier, p.target.known_from) == (400_000, "at_least", date(2025, 11, 20))
    assert [f.value for f in p.revisions] == [300_000, 350_000, 400_000]
    assert p.delivered is not None and p.delivered.period == P("2025-01..2025-10")
    assert (p.delivered.interval.low, p.delivered.interval.low_strict) == (305_967, True)
    assert (p.months_elapsed, p.months_left) == (10, 2)  # November is not over on the 25th
    assert p.remaining is not None and (p.remaining.low, p.remaining.high) == (0, 400_000 - 305_967)
    assert p.required_monthly is not None and p.required_monthly.high == pytest.approx((400_000 - 305_967) / 2)
    assert p.trailing_3m_monthly is not None and p.trailing_3m_monthly.high == INF
    assert p.status in ("on track", "close")
    json.dumps(p.to_dict())


def test_pace_as_of_2025_06_01_saw_the_350_000_target(pack: Store) -> None:
    p = pace(pack, "Xiaomi", year=2025, as_of=date(2025, 6, 1))
    assert p.target.value == 350_000 and p.target.known_from == date(2025, 3, 18)
    assert [f.value for f in p.revisions] == [300_000, 350_000]
    # May's "over 28,000" was published in June: known on 1 June were Q1 and April
    assert p.delivered is not None and p.delivered.period == P("2025-01..2025-04")
    assert (p.delivered.interval.low, p.delivered.interval.low_strict) == (75_869 + 28_000, True)


def test_pace_before_any_target_is_not_found(pack: Store) -> None:
    with pytest.raises(NotFound, match="no 2025 delivery target"):
        pace(pack, "Xiaomi", year=2025, as_of=date(2025, 1, 2))


@pytest.mark.parametrize("year", [0, -1, 10_000, 99_999])
def test_pace_refuses_impossible_years_with_input_error(pack: Store, year: int) -> None:
    with pytest.raises(InputError, match=f"year {year} is out of range"):
        pace(pack, "Xiaomi", year=year, as_of=date(2025, 11, 25))


def test_growth_with_no_base_period_before_year_1_is_input_error(pack: Store) -> None:
    with pytest.raises(InputError, match="no yoy base period for 0001-Q1"):
        growth(pack, "Xiaomi", "deliveries", P("0001-Q1"))


# -- value: direct, rollup, events, children -------------------------------------------------------


def test_as_of_hides_figures_published_later(pack: Store) -> None:
    # On 1 Nov 2025 neither the Q3 total nor September (both published 19 Nov) were known
    assert try_value(pack, "Xiaomi", "deliveries", P("2025-Q3"), as_of=date(2025, 11, 1)) is None
    with pytest.raises(NotFound, match="as known on 2025-11-01"):
        value(pack, "Xiaomi", "deliveries", P("2025-Q3"), as_of=date(2025, 11, 1))
    assert value(pack, "Xiaomi", "deliveries", P("2025-Q3"), as_of=date(2025, 11, 19)).value == 108_796


def test_monthly_series_shows_each_months_evidence(pack: Store) -> None:
    series = monthly_series(pack, "Xiaomi", "deliveries", P("2025-07..2025-10"))
    described = [(str(m), r.describe() if r else None) for m, r in series]
    assert described[:2] == [("2025-07", "30,452"), ("2025-08", "36,396")]
    assert described[3] == ("2025-10", "over 40,000")
    sep = series[2][1]
    assert sep is not None and sep.facts[0].qualifier == "about" and sep.interval.contains(41_948)
    assert not sep.exact


def test_rollup_of_months_matches_the_official_quarter(pack: Store) -> None:
    # Li Auto Q3 2025: 93,211 officially; July + August + September = 93,211
    months = [value(pack, "Li Auto", "deliveries", m).value for m in P("2025-Q3").months()]
    assert sum(months) == value(pack, "Li Auto", "deliveries", P("2025-Q3")).value == 93_211  # type: ignore[arg-type]


def test_rollup_prefers_fewer_and_exact_figures(store: Store) -> None:
    store.add_entity(Entity("Acme", "company"))
    rows = [fact_row("Acme", "deliveries", "2030-Q1", 300), fact_row("Acme", "deliveries", "2030-Q2", 250, "over")]
    rows += [fact_row("Acme", "deliveries", f"2030-{m:02d}", 100) for m in range(1, 7)]
    store.add_facts(rows)
    r = value(store, "Acme", "deliveries", P("2030-H1"))
    # Q1 (one exact figure) beats its three months; April-June (exact) beat Q2's "over 250"
    assert [str(f.period) for f in r.facts] == ["2030-Q1", "2030-04", "2030-05", "2030-06"]
    assert r.value == 600 and r.method == "rollup" and "4 finer" in r.note


def test_rollup_never_mixes_markets(store: Store) -> None:
    store.add_entity(Entity("Acme", "company"))
    store.add_facts([fact_row("Acme", "sales", "2030-01", 100), fact_row("Acme", "sales", "2030-02", 200, market="Europe")])
    assert try_value(store, "Acme", "sales", P("2030-01..2030-02")) is None


def test_a_parent_is_the_sum_of_its_children(store: Store) -> None:
    store.add_entity(Entity("Acme", "company"))
    store.add_entity(Entity("Acme One", "model", "Acme"))
    store.add_entity(Entity("Acme Two", "model", "Acme"))
    store.add_facts([fact_row("Acme One", "deliveries", "2030-Q1", 1_000),
                     fact_row("Acme Two", "deliveries", "2030-01", 200, "over"),
                     fact_row("Acme Two", "deliveries", "2030-02..2030-03", 500)])
    r = value(store, "Acme", "deliveries", P("2030-Q1"))
    assert r.method == "children" and r.note == "sum of Acme One + Acme Two"
    assert (r.interval.low, r.interval.low_strict, r.interval.high) == (1_700, True, INF)
    assert len(r.facts) == 3
    with pytest.raises(NotFound):  # Acme Two has nothing for April
        value(store, "Acme", "deliveries", P("2030-04"))


def test_events_are_counted_over_the_entity_and_its_models(pack: Store) -> None:
    r = value(pack, "Xiaomi", "fatal_incidents", P("2025"))
    assert r.method == "events" and r.value == 2
    assert [(f.entity, f.period.start) for f in r.facts] == [
        ("Xiaomi SU7", date(2025, 3, 29)), ("Xiaomi SU7 Ultra", date(2025, 10, 13))]
    # a direct figure wins over counting events
    direct = value(pack, "Xiaomi SU7", "fatal_incidents", P("2025"))
    assert direct.method == "direct" and direct.describe() == "at least 2"
    assert value(pack, "Xiaomi", "recalls", P("2025")).value == 2
    assert value(pack, "Xiaomi", "recalls", P("2024")).value == 0


def test_results_serialise_with_the_facts_they_used(pack: Store) -> None:
    d = json.loads(json.dumps(value(pack, "Xiaomi", "deliveries", P("2025-01..2025-10")).to_dict()))
    assert d["value"] is None and d["method"] == "rollup"
    assert d["interval"] == {"low": 305_967, "high": None, "low_strict": True, "high_strict": False,
                             "text": "over 305,967"}
    assert [f["period_start"] for f in d["facts"]] == ["2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01"]
    assert all(f["source_url"] for f in d["facts"])


def test_volume_metric_prefers_deliveries(pack: Store) -> None:
    assert analytics.volume_metric(pack, "Xiaomi") == "deliveries"
    assert analytics.volume_metric(pack, "Tesla China") == "sales"
    with pytest.raises(NotFound):
        analytics.volume_metric(pack, "Redmi Note 13 Pro")


# -- growth ----------------------------------------------------------------------------------------


def test_qoq_compares_with_the_previous_quarter(pack: Store) -> None:
    g = growth(pack, "Xiaomi", "deliveries", P("2025-Q3"), vs="qoq")
    assert g.base.period == P("2025-Q2") and g.base.value == 81_302
    assert g.value == pytest.approx((108_796 / 81_302 - 1) * 100)


def test_ytd_compares_year_to_date_with_the_same_span_a_year_before(pack: Store) -> None:
    g = growth(pack, "Tesla China", "sales", P("2025-11"), vs="ytd")
    assert (g.current.period, g.base.period) == (P("2025-01..2025-11"), P("2024-01..2024-11"))
    assert (g.current.value, g.base.value) == (531_855, 574_175)
    assert g.describe() == "-7.4%"


def test_mom_needs_a_month_and_qoq_a_quarter(pack: Store) -> None:
    with pytest.raises(InputError, match="mom needs a month"):
        growth(pack, "Xiaomi", "deliveries", P("2025-Q3"), vs="mom")
    with pytest.raises(InputError, match="qoq needs a quarter"):
        growth(pack, "Xiaomi", "deliveries", P("2025-09"), vs="qoq")
    with pytest.raises(InputError, match="unknown comparison"):
        growth(pack, "Xiaomi", "deliveries", P("2025-09"), vs="wow")  # type: ignore[arg-type]
    assert growth(pack, "NIO", "deliveries", P("2025-10"), vs="mom").value == pytest.approx((40_397 / 34_749 - 1) * 100)


def test_growth_between_bounds_is_an_interval(pack: Store) -> None:
    # October 2025 "over 40,000" against October 2024 "over 20,000": the change is not a number
    g = growth(pack, "Xiaomi", "deliveries", P("2025-10"))
    assert g.value is None and not g.change_pct.is_point
    assert g.change_pct.high == INF
    json.dumps(g.to_dict())


def test_growth_without_a_base_is_not_found(pack: Store) -> None:
    with pytest.raises(NotFound, match="Q3 2023"):
        growth(pack, "Xiaomi", "deliveries", P("2024-Q3"))


def test_growth_from_zero_is_refused() -> None:
    with pytest.raises(InputError, match="base of 0"):
        change_pct(Interval.point(5), Interval.point(0))
    assert change_pct(Interval.point(150), Interval.point(100)) == Interval.point(50)


# -- share, fleet and rates -------------------------------------------------------------------------


def test_share_is_stated_when_stated(pack: Store) -> None:
    s = share(pack, "Tesla China", P("2025-09"))
    assert s.method == "direct" and s.market == "China NEV market" and s.share_pct == Interval.point(5.52)


def test_share_is_computed_from_volumes_when_not_stated(pack: Store) -> None:
    s = share(pack, "Tesla China", P("2025-10"), market="China NEV market")
    market = next(f for f in s.facts if f.entity == "China NEV market")
    assert s.method == "sales / market sales" and market.qualifier == "about"
    expected = Interval.point(26_006).ratio(market.interval()).scale(100)
    assert s.share_pct == expected and s.share_pct.contains(26_006 / 1_300_000 * 100)


def test_fleet_and_incidents_per_100k(pack: Store) -> None:
    on = date(2025, 11, 25)
    f = analytics.fleet(pack, "Xiaomi", on, as_of=on)
    assert f.period == P("2024-01..2025-10")
    assert (f.interval.low, f.interval.low_strict, f.interval.high) == (136_854 + 265_967 + 40_000, True, INF)
    rate = analytics.incident_rate(pack, "Xiaomi", "fatal_incidents", on=on, as_of=on)
    assert rate.events.value == 2
    # the fleet is a lower bound, so the rate is an upper bound
    assert rate.per_100k.low == 0 and rate.per_100k.high == pytest.approx(2 / 442_821 * 100_000)
    with pytest.raises(InputError, match="after"):
        analytics.incident_rate(pack, "Xiaomi", "recalls", on=on, since=date(2026, 1, 1), as_of=on)


# -- conflicts -------------------------------------------------------------------------------------


def test_the_pack_has_no_conflicts(pack: Store) -> None:
    assert conflicts(pack) == []


def test_target_revisions_are_not_conflicts(store: Store) -> None:
    store.add_facts([fact_row("Xiaomi", "delivery_target", "2025", 420_000, source="https://example.com/t")])
    assert conflicts(store) == []


def test_sources_disagreeing_beyond_their_precision_conflict(store: Store) -> None:
    store.add_facts([
        fact_row("Xiaomi", "deliveries", "2025-Q3", 108_000, source="https://example.com/rival"),
        # "about 108,800" allows 108,796: no conflict with the official figure
        fact_row("Xiaomi", "deliveries", "2025-Q2", 81_000, "about", source="https://example.com/rounded"),
    ])
    found = conflicts(store)
    # the rival's 108,000 disagrees with the official 108,796 and, being the latest version,
    # with July + August + "about" September (108,377 to 109,216) as well
    assert [(c.kind, str(c.period)) for c in found] == [("restatement", "2025-Q3"), ("rollup", "2025-Q3")]
    c = found[0]
    assert {f.value for f in c.figures} == {108_796, 108_000}
    assert "108,796" in c.explanation and "https://example.com/rival" in c.explanation
    assert [str(f.period) for f in found[1].figures] == ["2025-Q3", "2025-07", "2025-08", "2025-09"]
    assert conflicts(store, entity="Li Auto") == []


def test_parts_that_do_not_add_up_to_the_total_conflict(store: Store) -> None:
    # a later source restates Li Auto's July 2025 as 35,000: July-September no longer make 93,211
    store.add_facts([fact_row("Li Auto", "deliveries", "2025-07", 35_000, published="2026-02-01",
                              source="https://example.com/july")])
    found = conflicts(store, entity="Li Auto")
    assert sorted((c.kind, str(c.period)) for c in found) == [("restatement", "2025-07"), ("rollup", "2025-Q3")]
    rollup = next(c for c in found if c.kind == "rollup")
    assert "93,211 stated" in rollup.explanation and "97,480" in rollup.explanation
    # as known before the restatement, all was consistent
    assert conflicts(store, entity="Li Auto", as_of=date(2026, 1, 15)) == []


# -- the same answers from an in-memory snapshot, and the docstring examples -----------------------------


def test_a_snapshot_answers_like_the_store(pack: Store) -> None:
    snap = Snapshot.from_store(pack)
    for entity, metric, period in [("Xiaomi", "deliveries", "2025-Q3"), ("Xiaomi", "deliveries", "2025-01..2025-10"),
                                   ("Xiaomi", "sales", "2025-11"), ("Xiaomi", "fatal_incidents", "2025"),
                                   ("Li Auto", "deliveries", "2025-H2")]:
        a, b = value(pack, entity, metric, P(period)), value(snap, entity, metric, P(period))  # type: ignore[arg-type]
        assert (a.interval, a.method, [f.id for f in a.facts]) == (b.interval, b.method, [f.id for f in b.facts])
    on = date(2025, 11, 25)
    assert pace(pack, "Xiaomi", year=2025, as_of=on).to_dict() == pace(snap, "Xiaomi", year=2025, as_of=on).to_dict()  # type: ignore[arg-type]


@pytest.mark.parametrize("entity", [None, "Xiaomi Group", "Xiaomi", "Tesla", "NIO"])
@pytest.mark.parametrize("kind", [None, "fatal_crash"])
def test_snapshot_events_and_children_match_the_store(pack: Store, entity: str | None, kind: str | None) -> None:
    # the snapshot looks events up per entity and its children, never walking the whole store
    snap = Snapshot.from_store(pack)
    on = date(2025, 11, 25)
    assert [e.to_dict() for e in snap.events(entity=entity, kind=kind, as_of=on)] == \
        [e.to_dict() for e in pack.events(entity=entity, kind=kind, as_of=on)]
    if entity:
        assert [e.name for e in snap.descendants(entity)] == [e.name for e in pack.descendants(entity)]
    assert any(snap.events(entity="Xiaomi Group", kind="fatal_crash", as_of=on))


def test_a_snapshot_builds_its_gazetteer_once(pack: Store) -> None:
    from redline.claims.audit import audit
    from redline.claims.gazetteer import Gazetteer

    snap = Snapshot.from_store(pack)
    first = Gazetteer.of(snap)
    assert Gazetteer.of(snap) is first and first == Gazetteer.from_store(pack)
    audit("Xiaomi delivered 108,796 cars in Q3 2025.", date="2025-11-25", snapshot=snap)
    assert Gazetteer.of(snap) is first


@pytest.mark.parametrize("module", [redline.analytics, redline.store])
def test_docstring_examples_run(module: Any) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("on", ["2025-11-01", "2025-11-25", "2025-10-31"])
def test_fleet_counts_complete_months_only(pack: Store, on: str) -> None:
    result = analytics.fleet(pack, "Xiaomi", date.fromisoformat(on), as_of=date(2025, 11, 25))
    assert result.period.end == date(2025, 10, 31)
    assert result.period.is_month_aligned


# -- cumulative counts (aggregation "last") ------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity", "metric", "period", "as_of", "expected", "fact_period"),
    [
        ("SU7", "locked_orders", "2024-04", None, 88_063, "2024-03-28..2024-04-30"),
        ("SU7", "locked_orders", "2024-04-30", None, 88_063, "2024-03-28..2024-04-30"),
        ("SU7", "locked_orders", "2024-04-24", None, 75_723, "2024-03-28..2024-04-24"),
        ("Xiaomi", "milestone_cumulative_production", "2024-11-13", None, 100_000, "2024-03-28..2024-11-13"),
        ("Xiaomi", "milestone_cumulative_production", "2025-11-20", date(2025, 11, 30), 500_000,
         "2024-03-28..2025-11-20"),
    ],
)
def test_a_cumulative_count_over_a_period_is_the_count_at_its_end(
    pack: Store, entity: str, metric: str, period: str, as_of: date | None, expected: float, fact_period: str
) -> None:
    r = value(pack, entity, metric, P(period), as_of=as_of)
    assert (r.method, r.value) == ("cumulative", expected)
    assert [str(f.period) for f in r.facts] == [fact_period]
    assert r.note == f"counted from {P(fact_period).start} to {P(fact_period).end}"


@pytest.mark.parametrize(
    ("entity", "metric", "period", "as_of"),
    [
        ("SU7", "locked_orders", "2024-05", None),  # no count ends on 31 May
        ("SU7", "locked_orders", "2024-03-01..2024-04-30", None),  # the count starts after the period does
        ("Xiaomi", "milestone_cumulative_production", "2024", None),  # nothing counted to 31 December
        # the 500,000th car (20 Nov 2025) was published "2025-11": not known on the 25th
        ("Xiaomi", "milestone_cumulative_production", "2025-11-20", date(2025, 11, 25)),
        ("Xiaomi", "delivery_target", "2025-H2", None),  # aggregation "none": only a direct fact answers
    ],
)
def test_no_cumulative_count_without_a_count_ending_on_the_period_end(
    pack: Store, entity: str, metric: str, period: str, as_of: date | None
) -> None:
    assert try_value(pack, entity, metric, P(period), as_of=as_of) is None


def test_the_latest_cumulative_count_known_wins(store: Store) -> None:
    store.add_facts([fact_row("Xiaomi SU7", "locked_orders", "2024-03-28..2024-04-30", 88_500,
                              published="2024-06-01", source="https://example.com/restated")])
    assert value(store, "SU7", "locked_orders", P("2024-04")).value == 88_500
    assert value(store, "SU7", "locked_orders", P("2024-04"), as_of=date(2024, 5, 31)).value == 88_063
