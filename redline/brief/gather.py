"""Everything a brief says, computed first: values, growth, pace, forecast, shares, safety, resale.

:func:`gather` asks the analytics layer (and the forecast) for each piece the
brief may use, as known on the brief's date, and records what is missing.
Nothing here writes words; :mod:`redline.brief.insights` and
:mod:`redline.brief.sections` turn this into sentences.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from .. import analytics
from ..analytics import GrowthResult, PaceResult, RateResult, ShareResult, ValueResult, try_value
from ..catalog import Entity
from ..errors import InputError, NotFound, RedlineError
from ..forecast import Backtest, Forecast, MonthPoint, backtest, forecast_year, monthly_history
from ..intervals import Interval
from ..periods import Period, month_end
from ..store import Event, Fact, Store
from ..store.snapshot import Snapshot

__all__ = ["BriefData", "PeerVolume", "Rate", "Resale", "gather"]

SAFETY_METRICS = ("fatal_incidents", "recalls")


@dataclass(frozen=True)
class PeerVolume:
    entity: str
    metric: str
    value: ValueResult
    growth: GrowthResult | None


@dataclass(frozen=True)
class Rate:
    """A safety rate, or why there is none."""

    entity: str
    metric: str
    result: RateResult | None
    reason: str = ""


@dataclass(frozen=True)
class Resale:
    product: str
    retention_pct: Interval
    resale: Fact
    new: Fact


@dataclass
class BriefData:
    entity: Entity
    as_of: date
    year: int
    metric: str
    peers: list[Entity]
    peer_metrics: dict[str, str]
    last_month: int
    history: list[MonthPoint]
    months: list[tuple[Period, ValueResult | None, ValueResult | None]]
    quarters: list[tuple[Period, ValueResult, GrowthResult | None]]
    ytd: ValueResult | None
    ytd_growth: GrowthResult | None
    previous_year: ValueResult | None
    pace: PaceResult | None
    revisions: dict[int, list[Fact]]
    forecast: Forecast | None
    forecast_problem: str
    backtest: Backtest
    comparison_period: Period | None
    peer_volumes: list[PeerVolume]
    market: str | None
    shares: dict[str, list[ShareResult]]
    events: list[Event]
    peer_events: dict[str, list[Event]]
    rates: list[Rate]
    resale: list[Resale]
    retail: list[Fact]
    event_facts: dict[int, Fact] = field(default_factory=dict)
    late: list[Fact] = field(default_factory=list)
    other_metrics: list[str] = field(default_factory=list)
    entity_notes: dict[str, str] = field(default_factory=dict)
    entity_kinds: dict[str, str] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.entity.name

    def sales_word(self, who: str) -> str:
        """'retail sales' for entities whose sales series is a retail count, else 'sales'."""
        return "retail sales" if "retail" in self.entity_notes.get(who, "").lower() else "sales"


def _last_month(store: Store, entity: str, metric: str, year: int, as_of: date) -> int:
    """Last month of ``year`` over by ``as_of`` whose year-to-date total the store can give (0: none)."""
    top = 12 if as_of.year > year else as_of.month
    for m in range(top, 0, -1):
        if month_end(year, m) > as_of:
            continue
        r = try_value(store, entity, metric, Period.months_span(year, 1, m), as_of=as_of)
        if r is not None:
            return m
    return 0


def _growth(store: Store, entity: str, metric: str, period: Period, as_of: date) -> GrowthResult | None:
    """Year-on-year growth from :func:`redline.analytics.growth`, or None where the brief cannot state a rate.

    None when either period has no figure, when the base is zero (analytics raises for both), and when the
    base is an open bound from zero ("over 0"), which allows any rate.
    """
    try:
        g = analytics.growth(store, entity, metric, period, vs="yoy", as_of=as_of)
    except (NotFound, InputError):
        return None
    base = g.base.interval
    if base.low <= 0 and math.isinf(base.high):
        return None
    return g


def _market(store: Store, names: list[str]) -> str | None:
    counts: Counter[str] = Counter()
    for n in names:
        counts.update(f.market for f in store.facts(entity=n, metric="market_share") if f.market)
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _share_series(store: Store, name: str, market: str, months: list[Period], annual: list[Period], as_of: date) -> list[ShareResult]:
    """Shares of ``market`` the auditor can check: the entity must quote shares of that market somewhere."""
    if not any(f.market == market for f in store.facts(entity=name, metric="market_share")):
        return []
    out = []
    for p in annual + months:
        try:
            s = analytics.share(store, name, p, market=market, as_of=as_of)
        except RedlineError:
            continue
        iv = s.share_pct
        if not math.isfinite(iv.low) or (math.isinf(iv.high) and iv.low <= 0):
            continue
        out.append(s)
    return out


def _rates(store: Store, names: list[str], year: int, as_of: date) -> list[Rate]:
    """Events of ``year`` (to ``as_of``) per 100,000 vehicles in service, where the store records such events."""
    out = []
    for name in names:
        for metric in SAFETY_METRICS:
            kind = store.metric(metric).event_kind
            on_record = store.events(entity=name, kind=kind, as_of=as_of)
            if not on_record:
                out.append(Rate(name, metric, None, "no events on record"))
                continue
            if as_of < date(year, 1, 1):
                out.append(Rate(name, metric, None, f"{year} has not started"))
                continue
            try:
                r = analytics.incident_rate(store, name, metric, on=as_of, since=date(year, 1, 1), as_of=as_of)
            except RedlineError as exc:
                out.append(Rate(name, metric, None, str(exc)))
                continue
            out.append(Rate(name, metric, r))
    return out


def _resale(store: Store, entity: Entity, as_of: date) -> list[Resale]:
    out = []
    for e in [entity, *store.descendants(entity.name)]:
        try:
            pct, resale, new = analytics.retention(store, e.name, as_of=as_of)
        except NotFound:
            continue
        out.append(Resale(e.name, pct, resale, new))
    return out


def gather(
    store: Store | Snapshot,
    entity: str,
    /,
    *,
    as_of: date,
    peers: tuple[str, ...] | list[str] = (),
    events_from: Store | Snapshot | None = None,
) -> BriefData:
    """Compute what a brief on ``entity`` may say, as known on ``as_of``.

    ``store`` may be a :class:`~redline.store.snapshot.Snapshot` (what
    :func:`~redline.brief.write_brief` passes: its reads are in memory);
    ``events_from`` is where dated events are read (the store itself, whose
    events table a snapshot does not copy).
    """
    events_source = events_from or store
    import time

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    ent = store.entity(entity)
    name = ent.name
    peer_entities = []
    for p in peers:
        pe = store.entity(p)
        if pe.name != name and pe not in peer_entities:
            peer_entities.append(pe)
    gaps: list[str] = []
    try:
        metric = analytics.volume_metric(store, name)
    except NotFound:
        metric = "deliveries"
    year = as_of.year
    last = _last_month(store, name, metric, year, as_of)
    if last == 0 and as_of.month <= 2:
        year -= 1
        last = _last_month(store, name, metric, year, as_of)
    history = monthly_history(store, name, metric=metric, as_of=as_of) if store.facts(entity=name, metric=metric, limit=1) else []

    months = []
    for m in range(1, (last or 0) + 1):
        p = Period.month(year, m)
        cur = try_value(store, name, metric, p, as_of=as_of, children=False)
        prev = try_value(store, name, metric, p.same_period_last_year(), as_of=as_of, children=False)
        months.append((p, cur, prev))

    quarters = []
    for y in (year - 1, year):
        for q in range(1, 5):
            p = Period.quarter(y, q)
            if p.end > as_of:
                continue
            r = try_value(store, name, metric, p, as_of=as_of)
            if r is None:
                continue
            quarters.append((p, r, _growth(store, name, metric, p, as_of)))

    ytd = ytd_growth = None
    if last:
        span = Period.months_span(year, 1, last)
        ytd = try_value(store, name, metric, span, as_of=as_of)
        ytd_growth = _growth(store, name, metric, span, as_of)
    previous_year = try_value(store, name, metric, Period.year(year - 1), as_of=as_of)
    timings["values"] = time.perf_counter() - t0

    pace = None
    try:
        pace = analytics.pace(store, name, year=year, as_of=as_of)
    except NotFound:
        pass
    revisions = {}
    for y in (year - 1, year):
        versions = analytics.target_revisions(store, name, y, as_of=as_of)
        if versions:
            revisions[y] = versions

    t1 = time.perf_counter()
    fc: Forecast | None = None
    problem = ""
    try:
        fc = forecast_year(store, name, as_of=as_of, year=year, metric=metric)
    except NotFound as exc:
        problem = str(exc)
    bt = backtest(store, as_of=as_of)
    timings["forecast"] = time.perf_counter() - t1

    # Peers: each one's volume in the latest complete quarter (or month) every one of them has.
    peer_metrics = {}
    for pe in peer_entities:
        try:
            peer_metrics[pe.name] = analytics.volume_metric(store, pe.name)
        except NotFound:
            gaps.append(f"{pe.name} has no deliveries or retail sales on record.")
    comparison: Period | None = None
    peer_volumes: list[PeerVolume] = []
    candidates = [Period.quarter(y, q) for y in (year, year - 1) for q in (4, 3, 2, 1)]
    candidates += [Period.month(year, m) for m in range(12, 0, -1)]
    for p in candidates:
        if p.end > as_of:
            continue
        got = []
        for who, met in [(name, metric), *peer_metrics.items()]:
            r = try_value(store, who, met, p, as_of=as_of)
            if r is None or not (r.interval.is_point or math.isfinite(r.interval.low)):
                break
            got.append(PeerVolume(who, met, r, _growth(store, who, met, p, as_of)))
        else:
            if got:
                comparison, peer_volumes = p, got
                break

    everyone = [name, *peer_metrics]
    market = _market(store, everyone)
    shares: dict[str, list[ShareResult]] = {}
    if market:
        share_months = [Period.month(y, m) for y in (year - 1, year) for m in range(1, 13) if month_end(y, m) <= as_of]
        annual = [Period.year(year - 1)]
        if last:
            annual.append(Period.months_span(year, 1, last))
        for who in everyone:
            series = _share_series(store, who, market, share_months, annual, as_of)
            if series:
                shares[who] = series
            else:
                gaps.append(f"No share of the {market} can be checked for {who}: it quotes no share of that market.")

    events = events_source.events(entity=name, as_of=as_of)
    peer_events = {pe: events_source.events(entity=pe, as_of=as_of) for pe in peer_metrics}
    rates = _rates(store, everyone, year, as_of)
    wanted = {e.fact_id for e in events + [e for evs in peer_events.values() for e in evs] if e.fact_id is not None}
    event_facts = {f.id: f for f in store.facts(latest_only=False) if f.id in wanted}
    resale = _resale(store, ent, as_of)
    retail = []
    if metric == "deliveries":
        retail = [f for f in store.facts(entity=name, metric="sales", as_of=as_of) if f.period.is_month_aligned]
    late = [
        f for f in store.facts(entity=name)
        if f.metric in ("deliveries", "sales", "market_share", "delivery_target") and f.period.end <= as_of < f.known_from and (f.published or "").startswith(f"{as_of:%Y-%m}")
        and len(f.published or "") == 7
    ]
    entity_notes = {e: store.entity(e).note for e in everyone}
    covered = {"deliveries", "sales", "delivery_target", "market_share", "fatal_incidents", "recalls",
               "price_resale"}
    words = {m.name: (m.aliases[0] if m.aliases else m.name.replace("_", " ")) for m in store.metrics().values()}
    other_metrics = sorted({words.get(f.metric, f.metric) for f in store.facts(entity=name, as_of=as_of)
                            if f.metric not in covered})
    timings["total"] = time.perf_counter() - t0

    return BriefData(
        entity=ent, as_of=as_of, year=year, metric=metric, peers=peer_entities, peer_metrics=peer_metrics,
        last_month=last, history=history, months=months, quarters=quarters, ytd=ytd, ytd_growth=ytd_growth,
        previous_year=previous_year, pace=pace, revisions=revisions, forecast=fc, forecast_problem=problem,
        backtest=bt, comparison_period=comparison, peer_volumes=peer_volumes, market=market, shares=shares,
        events=events, peer_events=peer_events, rates=rates, resale=resale, retail=retail, event_facts=event_facts, late=late, other_metrics=other_metrics,
        entity_notes=entity_notes, entity_kinds={e.name: e.kind for e in store.entities().values()}, gaps=gaps,
        timings=timings,
    )

