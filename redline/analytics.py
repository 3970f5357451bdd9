"""Analytics over the fact store: values, growth, pace to target, share, fleet and rates.

Every function returns a result that carries the facts it used, so a number
can always be traced to its sources. Values are :class:`~redline.intervals.Interval`
objects: a sum that includes "over 40,000" is a lower bound, not a number.

How a value is found (:func:`value`), in order:

1. a **direct** fact for exactly that entity, metric and period (latest version);
2. for cumulative metrics (aggregation ``last``), the **cumulative** count at the
   period's end: the latest fact ending on its last day that counts from its start or earlier;
3. for summable metrics, a **rollup** of finer facts that tile the period
   month by month (months → quarter → year-to-date), preferring exact and coarse facts;
4. for event metrics (fatal incidents, recalls), the **events** on record in the period,
   counting the entity's models and variants too;
5. for summable metrics, the sum of the entity's **children** (SU7 + YU7 → Xiaomi).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from .catalog import Metric, default_series
from .errors import InputError, NotFound
from .intervals import Interval
from .periods import MAX_YEAR, MIN_YEAR, Period, PeriodError, month_end
from .store import Fact, Store

__all__ = [
    "ValueResult",
    "GrowthResult",
    "PaceResult",
    "ShareResult",
    "RateResult",
    "Conflict",
    "value",
    "try_value",
    "growth",
    "pace",
    "share",
    "fleet",
    "incident_rate",
    "retention",
    "conflicts",
    "monthly_series",
    "volume_metric",
]

Method = Literal["direct", "cumulative", "rollup", "events", "children"]


def _interval_dict(iv: Interval) -> dict[str, Any]:
    return {
        "low": None if math.isinf(iv.low) else iv.low,
        "high": None if math.isinf(iv.high) else iv.high,
        "low_strict": iv.low_strict,
        "high_strict": iv.high_strict,
        "text": iv.describe(_fmt(iv)),
    }


def _fmt(iv: Interval) -> str:
    finite = [abs(x) for x in (iv.low, iv.high) if math.isfinite(x)]
    if finite and any(x != int(x) for x in finite):
        if max(finite) < 10:
            return "{:,.2f}"
        if max(finite) < 10_000:
            return "{:,.1f}"
    return "{:,.0f}"


@dataclass(frozen=True)
class ValueResult:
    """A metric's value for an entity and period, and how it was found."""

    entity: str
    metric: str
    period: Period
    interval: Interval
    method: Method
    facts: tuple[Fact, ...]
    as_of: date | None = None
    note: str = ""

    @property
    def value(self) -> float | None:
        """The number, when the evidence pins it down exactly."""
        return self.interval.low if self.interval.is_point else None

    @property
    def exact(self) -> bool:
        return self.interval.is_point

    def describe(self) -> str:
        return self.interval.describe(_fmt(self.interval))

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "metric": self.metric,
            "period": self.period.to_dict(),
            "period_label": self.period.label(),
            "value": self.value,
            "interval": _interval_dict(self.interval),
            "method": self.method,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "note": self.note,
            "facts": [f.to_dict() for f in self.facts],
        }


# -- value ---------------------------------------------------------------------


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _tile(period: Period, facts: list[Fact], *, allow_gaps: bool = False) -> tuple[list[Fact], int] | None:
    """Choose facts that tile ``period`` month by month, fewest and most exact first.

    Returns the chosen facts and the number of months left uncovered (only
    non-zero with ``allow_gaps``), or None when no tiling exists.
    """
    if not period.is_month_aligned:
        return None
    first, n = _month_index(period.start), period.n_months
    by_start: dict[int, list[Fact]] = {}
    for f in facts:
        if f.period.is_month_aligned and period.contains(f.period):
            by_start.setdefault(_month_index(f.period.start) - first, []).append(f)
    inf = float("inf")
    cost = [inf] * (n + 1)
    choice: list[tuple[int, Fact | None] | None] = [None] * (n + 1)
    cost[0] = 0.0
    gap_cost = 1000.0
    for i in range(n):
        if cost[i] == inf:
            continue
        for f in by_start.get(i, ()):
            j = i + f.period.n_months
            c = cost[i] + (1.0 if f.qualifier == "exact" else 5.0)
            if c < cost[j]:
                cost[j], choice[j] = c, (i, f)
        if allow_gaps and cost[i] + gap_cost < cost[i + 1]:
            cost[i + 1], choice[i + 1] = cost[i] + gap_cost, (i, None)
    if cost[n] == inf:
        return None
    chosen: list[Fact] = []
    gaps = 0
    j = n
    while j > 0:
        step = choice[j]
        assert step is not None
        i, f = step
        if f is None:
            gaps += 1
        else:
            chosen.append(f)
        j = i
    return list(reversed(chosen)), gaps


def _sum(facts: list[Fact]) -> Interval:
    total = Interval.point(0.0)
    for f in facts:
        total = total + f.interval()
    return total


def _in_series(facts: list[Fact], name: str, metric: str, series: str | None = None) -> list[Fact]:
    """The facts of one series: ``series``, else the metric's default for the entity (retail for
    CPCA sales, wholesale for a factory). Retail, wholesale and exports of one month are different
    figures and must never be summed or mixed; facts that name no series (older stores) stay."""
    wanted = series or default_series(metric, name)
    if wanted is None:
        return facts
    return [f for f in facts if f.series is None or f.series == wanted]


def try_value(
    store: Store,
    entity: str,
    metric: str,
    period: Period,
    /,
    *,
    as_of: date | None = None,
    market: str | None = None,
    children: bool = True,
    series: str | None = None,
) -> ValueResult | None:
    """Like :func:`value` but returns None when the store cannot answer."""
    m = store.metric(metric)
    name = store.entity(entity).name
    facts = store.facts(entity=name, metric=m.name, period=period, as_of=as_of)
    return _resolve(store, name, m, period, facts, as_of=as_of, market=market, children=children, series=series)


def _resolve(
    store: Store,
    name: str,
    m: Metric,
    period: Period,
    facts: list[Fact],
    *,
    as_of: date | None,
    market: str | None = None,
    children: bool = True,
    series: str | None = None,
) -> ValueResult | None:
    """:func:`try_value` over ``facts``: the latest versions of ``name``'s ``m`` facts
    known on ``as_of`` for any span covering ``period`` (extra facts are ignored).

    Lets one query serve several periods (growth's two, pace's year-to-dates).
    """
    facts = [f for f in _in_series(facts, name, m.name, series)
             if f.period.overlaps(period) and (market is None or f.market == market)]
    if market is None and any(f.market is None for f in facts):
        # With no market asked for, the entity's own figures (no market) answer; figures
        # of named markets are other series and must not be mixed into its sums.
        facts = [f for f in facts if f.market is None]
    direct = [f for f in facts if f.period == period]
    if direct:
        best = max(direct, key=lambda f: (f.known_from, f.recorded_at, f.id))
        return ValueResult(name, m.name, period, best.interval(), "direct", (best,), as_of)
    if m.aggregation == "last":
        # A cumulative count (locked orders, cars built since launch) over a period is the count
        # at its end: a fact that ends on the period's last day and counts from its start or earlier.
        at_end = [f for f in facts if f.period.end == period.end and f.period.start <= period.start]
        if not at_end:
            return None
        best = max(at_end, key=lambda f: (f.known_from, f.recorded_at, f.id))
        return ValueResult(name, m.name, period, best.interval(), "cumulative", (best,), as_of,
                           note=f"counted from {best.period.start} to {best.period.end}")
    if m.event_kind:
        names = {name} | {e.name for e in store.descendants(name)}
        events = [
            f
            for n in sorted(names)
            for f in store.facts(entity=n, metric=m.name, within=period, as_of=as_of)
            if f.period.start == f.period.end and (market is None or f.market == market)
        ]
        events.sort(key=lambda f: (f.period.start, f.entity, f.id))
        return ValueResult(
            name, m.name, period, _sum(events), "events", tuple(events), as_of,
            note=f"{len(events)} event(s) on record for {name} and its models",
        )
    if m.summable:
        tiled = None
        for series in sorted({f.market for f in facts}, key=lambda k: (k is not None, k or "")):
            tiled = _tile(period, [f for f in facts if f.market == series])  # one market's figures at a time
            if tiled is not None:
                break
        if tiled is not None:
            parts, _ = tiled
            return ValueResult(name, m.name, period, _sum(parts), "rollup", tuple(parts), as_of,
                               note=f"sum of {len(parts)} finer figure(s)")
        kids = store.children(name)
        # Only models split their brand's volume into disjoint parts; other children (a China
        # retail arm, a factory's wholesale incl. exports) overlap each other and cover only part.
        if children and kids and all(k.kind == "model" for k in kids):
            results = [try_value(store, k.name, m.name, period, as_of=as_of, market=market) for k in kids]
            if all(r is not None for r in results):
                total = Interval.point(0.0)
                used: list[Fact] = []
                for r in results:
                    assert r is not None
                    total = total + r.interval
                    used.extend(r.facts)
                return ValueResult(
                    name, m.name, period, total, "children", tuple(used), as_of,
                    note="sum of " + " + ".join(k.name for k in kids),
                )
    return None


def value(
    store: Store,
    entity: str,
    metric: str,
    period: Period,
    /,
    *,
    as_of: date | None = None,
    market: str | None = None,
    series: str | None = None,
) -> ValueResult:
    """The value of ``metric`` for ``entity`` over ``period``, as known on ``as_of``.

    Volume metrics answer in one series: ``series`` if given (retail, wholesale, exports, …),
    else the metric's default for the entity (see :data:`redline.catalog.DEFAULT_SERIES`).

    >>> s = Store(":memory:")
    >>> value(s, "Xiaomi", "deliveries", Period.parse("2025-Q3")).value
    108796.0
    """
    result = try_value(store, entity, metric, period, as_of=as_of, market=market, series=series)
    if result is None:
        when = f" as known on {as_of}" if as_of else ""
        raise NotFound(f"no {metric} for {entity} in {period.label()}{when}: no direct figure and no finer figures that cover it")
    return result


def volume_metric(store: Store, entity: str) -> str:
    """'deliveries' when the entity reports them, else 'sales'."""
    name = store.entity(entity).name
    for m in ("deliveries", "sales"):
        if store.facts(entity=name, metric=m, limit=1):
            return m
    raise NotFound(f"{name} has no deliveries or sales on record")


def monthly_series(
    store: Store, entity: str, metric: str, period: Period, /, *, as_of: date | None = None
) -> list[tuple[Period, ValueResult | None]]:
    """The value of each month of ``period`` (None where the store has none)."""
    return [(m, try_value(store, entity, metric, m, as_of=as_of, children=False)) for m in period.months()]


# -- growth --------------------------------------------------------------------

Comparison = Literal["yoy", "qoq", "mom", "ytd"]


@dataclass(frozen=True)
class GrowthResult:
    current: ValueResult
    base: ValueResult
    comparison: str
    change_pct: Interval

    @property
    def value(self) -> float | None:
        return self.change_pct.low if self.change_pct.is_point else None

    def describe(self) -> str:
        iv = self.change_pct
        if iv.is_point:
            return f"{iv.low:+.1f}%"
        return iv.describe("{:+.1f}%")

    def to_dict(self) -> dict[str, Any]:
        return {
            "comparison": self.comparison,
            "change_pct": self.value,
            "change_pct_interval": _interval_dict(self.change_pct),
            "text": self.describe(),
            "current": self.current.to_dict(),
            "base": self.base.to_dict(),
        }


def change_pct(current: Interval, base: Interval) -> Interval:
    """Percentage change from ``base`` to ``current``, as an interval.

    Raises :class:`~redline.errors.InputError` when the base is zero: growth from nothing has no rate.
    """
    if base.high <= 0:
        raise InputError(f"no percentage change from a base of {base.describe()}")
    r = current.ratio(base)
    return Interval((r.low - 1) * 100, (r.high - 1) * 100 if math.isfinite(r.high) else math.inf, r.low_strict, r.high_strict)


def growth(
    store: Store,
    entity: str,
    metric: str,
    period: Period,
    /,
    *,
    vs: Comparison = "yoy",
    as_of: date | None = None,
) -> GrowthResult:
    """Growth of a metric: year on year, on the previous quarter/month, or YTD vs prior YTD.

    >>> s = Store(":memory:")
    >>> round(growth(s, "Xiaomi", "deliveries", Period.parse("2025-Q3")).value, 1)
    173.4
    """
    if vs not in ("yoy", "qoq", "mom", "ytd"):
        raise InputError(f"unknown comparison {vs!r}; use yoy, qoq, mom or ytd")
    if vs == "qoq" and period.kind != "quarter":
        raise InputError(f"qoq needs a quarter, not {period}")
    if vs == "mom" and period.kind != "month":
        raise InputError(f"mom needs a month, not {period}")
    try:
        if vs == "yoy":
            cur_p, base_p = period, period.same_period_last_year()
        elif vs in ("qoq", "mom"):
            cur_p, base_p = period, period.previous()
        else:
            cur_p = period.year_to_date()
            base_p = cur_p.same_period_last_year()
    except PeriodError as exc:
        # 0001-Q1 has no year before it to compare with
        raise InputError(f"no {vs} base period for {period}: {exc}") from None
    m = store.metric(metric)
    name = store.entity(entity).name
    # One read serves both periods.
    span = Period(min(cur_p.start, base_p.start), max(cur_p.end, base_p.end))
    facts = store.facts(entity=name, metric=m.name, period=span, as_of=as_of)
    current = _resolve(store, name, m, cur_p, facts, as_of=as_of) or value(store, name, m.name, cur_p, as_of=as_of)
    base = _resolve(store, name, m, base_p, facts, as_of=as_of) or value(store, name, m.name, base_p, as_of=as_of)
    return GrowthResult(current, base, vs, change_pct(current.interval, base.interval))


# -- pace to target --------------------------------------------------------------


@dataclass(frozen=True)
class PaceResult:
    """Where an entity stands against its annual target, as known on a date."""

    entity: str
    year: int
    as_of: date
    target: Fact
    revisions: tuple[Fact, ...]
    delivered: ValueResult | None
    months_elapsed: int
    months_left: int
    remaining: Interval | None
    required_monthly: Interval | None
    trailing_3m_monthly: Interval | None
    status: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "target": self.target.to_dict(),
            "revisions": [
                {"value": f.value, "qualifier": f.qualifier, "known_from": f.known_from.isoformat(),
                 "source_url": f.source_url, "note": f.note}
                for f in self.revisions
            ],
            "delivered": self.delivered.to_dict() if self.delivered else None,
            "months_elapsed": self.months_elapsed,
            "months_left": self.months_left,
            "remaining": _interval_dict(self.remaining) if self.remaining else None,
            "required_monthly": _interval_dict(self.required_monthly) if self.required_monthly else None,
            "trailing_3m_monthly": _interval_dict(self.trailing_3m_monthly) if self.trailing_3m_monthly else None,
            "status": self.status,
        }


def target_revisions(store: Store, entity: str, year: int, /, *, as_of: date | None = None, metric: str = "delivery_target") -> list[Fact]:
    """Every version of the annual target known on ``as_of``, oldest first."""
    name = store.entity(entity).name
    versions = store.versions(name, metric, Period.year(year))
    return [f for f in versions if as_of is None or f.known_from <= as_of]


def pace(store: Store, entity: str, /, *, year: int | None = None, as_of: date | None = None) -> PaceResult:
    """Pace to the annual delivery target as known on ``as_of`` (default: today).

    Year-to-date runs to the last month with figures known by ``as_of``; the
    required monthly rate for the rest of the year is compared with the
    average of the last three months.
    """
    as_of = as_of or date.today()
    year = as_of.year if year is None else year
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(f"year {year} is out of range: give a year from {MIN_YEAR} to {MAX_YEAR}, e.g. 2025")
    name = store.entity(entity).name
    revisions = target_revisions(store, name, year, as_of=as_of)
    if not revisions:
        raise NotFound(f"no {year} delivery target for {name} known on {as_of}")
    target = revisions[-1]
    m = store.metric(store.metric("delivery_target").target_of or "deliveries")
    metric = m.name
    # One read of the year's figures serves every year-to-date tried below.
    year_facts = store.facts(entity=name, metric=metric, period=Period.year(year), as_of=as_of)
    delivered: ValueResult | None = None
    last_month = 0
    for month in range(min(12, as_of.month if as_of.year == year else 12), 0, -1):
        if as_of.year == year and month_end(year, month) > as_of and month == as_of.month:
            continue  # the current month is not over
        r = _resolve(store, name, m, Period.months_span(year, 1, month), year_facts, as_of=as_of)
        if r is not None:
            delivered, last_month = r, month
            break
    months_left = 12 - last_month
    remaining = required = trailing = None
    status = "no deliveries on record"
    target_iv = Interval.point(target.value)
    if delivered is not None:
        remaining = (target_iv - delivered.interval).clamp_low(0.0)
        if months_left:
            required = remaining.scale(1 / months_left)
        if last_month >= 3:
            t3 = _resolve(store, name, m, Period.months_span(year, last_month - 2, last_month), year_facts, as_of=as_of)
            if t3 is not None:
                trailing = t3.interval.scale(1 / 3)
        if delivered.interval.low >= target.value and not delivered.interval.low_strict or delivered.interval.low > target.value:
            status = "target reached"
        elif months_left == 0:
            status = "target missed" if delivered.interval.high < target.value else "unclear"
        elif required is not None and trailing is not None:
            if trailing.low >= required.high:
                status = "on track"
            elif trailing.high < required.low:
                status = "behind"
            else:
                status = "close"
        else:
            status = "unclear"
    return PaceResult(name, year, as_of, target, tuple(revisions), delivered, last_month, months_left,
                      remaining, required, trailing, status)


# -- share -----------------------------------------------------------------------


@dataclass(frozen=True)
class ShareResult:
    entity: str
    market: str
    period: Period
    share_pct: Interval
    method: str
    facts: tuple[Fact, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "market": self.market,
            "period": self.period.to_dict(),
            "share_pct": _interval_dict(self.share_pct),
            "method": self.method,
            "facts": [f.to_dict() for f in self.facts],
        }


def share(
    store: Store, entity: str, period: Period, /, *, market: str | None = None, as_of: date | None = None
) -> ShareResult:
    """Share of a market: a direct market_share fact, else entity volume / market volume."""
    name = store.entity(entity).name
    direct = [
        f for f in store.facts(entity=name, metric="market_share", as_of=as_of)
        if f.period == period and (market is None or f.market == market)
    ]
    if direct:
        best = max(direct, key=lambda f: (f.known_from, f.id))
        return ShareResult(name, best.market or "", period, best.interval(), "direct", (best,))
    if market is None:
        known = [f.market for f in store.facts(entity=name, metric="market_share") if f.market]
        if not known:
            raise NotFound(f"no market share for {name} in {period.label()}; pass a market to compute one")
        market = max(set(known), key=known.count)
    market_name = store.entity(market).name
    for metric in ("sales", "deliveries"):
        mine = try_value(store, name, metric, period, as_of=as_of)
        total = try_value(store, market_name, "sales", period, as_of=as_of)
        if mine and total:
            iv = mine.interval.ratio(total.interval).scale(100)
            return ShareResult(name, market_name, period, iv, f"{metric} / market sales", mine.facts + total.facts)
    raise NotFound(f"no share of {market_name} for {name} in {period.label()}: volumes missing")


# -- fleet and rates ---------------------------------------------------------------


def fleet(store: Store, entity: str, on: date, /, *, as_of: date | None = None) -> ValueResult:
    """Vehicles in service on ``on``: cumulative deliveries (or sales) through the last full month.

    Months with no figure count as unknown, so the fleet is then a lower bound.
    """
    name = store.entity(entity).name
    metric = volume_metric(store, name)
    facts = _in_series(store.facts(entity=name, metric=metric, as_of=as_of), name, metric)
    aligned = [f for f in facts if f.period.is_month_aligned]
    if not aligned:
        raise NotFound(f"no monthly, quarterly or annual {metric} for {name}")
    start = min(f.period.start for f in aligned)
    # the last complete month on `on`: its own month if `on` is a month end, else the one before
    end_month = on if on == month_end(on.year, on.month) else Period.month(on.year, on.month).previous().end
    if end_month < start:
        raise NotFound(f"no {metric} for {name} before {on}")
    span = Period(start, end_month)
    tiled = _tile(span, aligned, allow_gaps=True)
    assert tiled is not None
    parts, gaps = tiled
    total = _sum(parts)
    note = f"cumulative {metric} {span.label()}"
    if gaps:
        total = Interval(total.low, math.inf, total.low_strict, False)
        note += f"; {gaps} month(s) without figures, so this is a lower bound"
    return ValueResult(name, metric, span, total, "rollup", tuple(parts), as_of, note)


@dataclass(frozen=True)
class RateResult:
    entity: str
    kind: str
    period: Period
    events: ValueResult
    fleet: ValueResult
    per_100k: Interval

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "kind": self.kind,
            "period": self.period.to_dict(),
            "events": self.events.to_dict(),
            "fleet": self.fleet.to_dict(),
            "per_100k": _interval_dict(self.per_100k),
        }


def incident_rate(
    store: Store, entity: str, metric: str, /, *, on: date, since: date | None = None, as_of: date | None = None
) -> RateResult:
    """Events (fatal incidents, recalls) per 100,000 vehicles in service on ``on``."""
    name = store.entity(entity).name
    fl = fleet(store, name, on, as_of=as_of)
    start = since or fl.period.start
    if start > on:
        raise InputError(f"since ({start}) is after on ({on})")
    period = Period(start, on)
    events = value(store, name, metric, period, as_of=as_of)
    if fl.interval.high <= 0:
        raise NotFound(f"{name} has no vehicles in service on {on}, so there is no rate per 100,000")
    rate = events.interval.ratio(fl.interval).scale(100_000)
    return RateResult(name, metric, period, events, fl, rate)


def retention(store: Store, product: str, /, *, as_of: date | None = None) -> tuple[Interval, Fact, Fact]:
    """Resale retention: latest resale price over the launch list price (same currency only)."""
    name = store.entity(product).name
    resale = store.facts(entity=name, metric="price_resale", as_of=as_of)
    new = store.facts(entity=name, metric="price_new", as_of=as_of)
    pairs = [(r, n) for r in resale for n in new if r.unit == n.unit]
    if not pairs:
        raise NotFound(f"no resale and new prices in one currency for {name}")
    r, n = max(pairs, key=lambda p: (p[0].period.end, p[0].id))
    return r.interval().ratio(n.interval()).scale(100), r, n


# -- conflicts -------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """Two figures for the same thing that cannot both be right."""

    kind: Literal["restatement", "rollup"]
    entity: str
    metric: str
    period: Period
    figures: tuple[Fact, ...]
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "entity": self.entity,
            "metric": self.metric,
            "period": self.period.to_dict(),
            "explanation": self.explanation,
            "facts": [f.to_dict() for f in self.figures],
        }


def conflicts(store: Store, /, *, as_of: date | None = None, entity: str | None = None) -> list[Conflict]:
    """Sources that disagree beyond their stated precision.

    * restatement: two versions of one key whose intervals do not overlap
      (targets are excluded: their versions are revisions, not conflicts);
    * rollup: a quarterly or annual figure that the finer figures tiling it contradict.
    """
    out: list[Conflict] = []
    metrics = store.metrics()
    every = store.facts(as_of=as_of, latest_only=False, entity=store.entity(entity).name if entity else None)
    by_key: dict[tuple[Any, ...], list[Fact]] = {}
    for f in every:
        by_key.setdefault(f.key, []).append(f)
    for (ent, met, period, _market, _series), versions in by_key.items():
        if metrics[met].target_of or len(versions) < 2:
            continue
        for i, a in enumerate(versions):
            for b in versions[i + 1:]:
                if not a.interval().overlaps(b.interval()):
                    out.append(Conflict(
                        "restatement", ent, met, period, (a, b),
                        f"{ent} {met} {period.label()}: {a.describe_value()} ({a.source_url}) vs "
                        f"{b.describe_value()} ({b.source_url})",
                    ))
    # the latest version of each key, as store.facts(latest_only=True) would give (without a second read)
    latest = [max(versions, key=lambda f: (f.known_from, f.recorded_at, f.id)) for versions in by_key.values()]
    groups: dict[tuple[str, str, str | None, str | None], list[Fact]] = {}
    for f in latest:
        if metrics[f.metric].summable and not metrics[f.metric].event_kind:
            groups.setdefault((f.entity, f.metric, f.market, f.series), []).append(f)
    for (ent, met, _market, _series), facts in groups.items():
        totals = [f for f in facts if f.period.is_month_aligned and f.period.n_months >= 2]
        if not totals:
            continue  # only single months: nothing to add up
        facts = sorted(facts, key=lambda g: g.period.start)
        starts = [g.period.start for g in facts]
        for f in totals:
            lo, hi = bisect_left(starts, f.period.start), bisect_right(starts, f.period.end)
            finer = [g for g in facts[lo:hi] if f.period.contains(g.period) and g.period != f.period]
            tiled = _tile(f.period, finer)
            if tiled is None:
                continue
            parts, _ = tiled
            total = _sum(parts)
            if not total.overlaps(f.interval()):
                out.append(Conflict(
                    "rollup", ent, met, f.period, (f, *parts),
                    f"{ent} {met} {f.period.label()}: {f.describe_value()} stated, but its "
                    f"{len(parts)} parts add up to {total.describe()}",
                ))
    return out
