"""Target-attainment forecast: will an entity reach its annual target, and where will the year end?

The method is a documented Monte Carlo simulation (numpy only, seeded, so the
same inputs give the same numbers):

1. **Monthly history.** :func:`monthly_history` turns the store's facts into
   one estimate per month. Reported monthly figures (``exact`` or ``about``)
   are taken as they are. Months known only as a bound ("over 40,000") or not
   at all are **imputed** from a coarser exact figure that covers them: the
   quarter's (or half's, or year's) total minus the months it already
   explains is shared among the open months in proportion to their bounds
   (equally where there is no bound). A bound month no total explains is
   estimated as ``bound × (1 + u)``, where ``u`` is the median *bound
   uplift* learned from the imputed months (how far the company's "over N"
   statements fell below the totals it later reported); with nothing to
   learn from, ``u`` is 0 and the bound itself is used.

2. **Model.** The logarithm of monthly volume over the last
   :data:`WINDOW` months is fitted with a straight line (a local level and
   trend). Future months follow the line with the trend damped by
   :data:`DAMPING` per month ahead, plus noise.

3. **Uncertainty.** Each of :data:`N_PATHS` simulated paths draws the
   residual variance, the level and the trend from their posterior under a
   flat prior (scaled inverse-chi-square, then normal: the textbook Bayesian
   linear regression), then draws each future month around the damped line.
   Bound months of the year so far draw their uplift from the learned
   uplifts; months of the year with no figure at all are simulated like the
   months ahead.

4. **Answer.** The year's total on each path is the year so far plus the
   simulated months. ``P(target)`` is the share of paths that reach the
   current target; the 80% interval runs from the 10th to the 90th
   percentile of the totals.

:func:`backtest` checks the interval on past years: it forecasts each past
year's total at each month-end of that year as :func:`forecast_year` would
have on that day (the history rebuilt from only the facts published by
then, about periods over by then, so bound months are shared out and the bound
uplift is learned from those facts alone) and counts how often the 80%
interval held the total reported later.

>>> from datetime import date
>>> from redline.store import Store
>>> f = forecast_year(Store(":memory:"), "Xiaomi", as_of=date(2025, 11, 25))
>>> f.target.value, f.last_month
(400000.0, 10)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Literal, Sequence

import numpy as np

from .analytics import target_revisions, try_value, volume_metric
from .errors import NotFound
from .intervals import Interval
from .periods import Period, month_end
from .store import Fact, Store

__all__ = [
    "WINDOW",
    "DAMPING",
    "N_PATHS",
    "LEVEL",
    "MIN_HISTORY",
    "MonthPoint",
    "Forecast",
    "BacktestCase",
    "Backtest",
    "monthly_history",
    "forecast_year",
    "backtest",
]

WINDOW = 12
"""Months of history the trend line is fitted on."""

DAMPING = 0.9
"""Share of the monthly trend kept for each further month ahead."""

N_PATHS = 20_000
"""Simulated paths per forecast."""

LEVEL = 0.8
"""Coverage of the reported interval (10th to 90th percentile)."""

MIN_HISTORY = 4
"""Fewest months with figures a forecast needs."""

DEFAULT_SEED = 20251125

Basis = Literal["reported", "imputed", "bound", "missing"]


@dataclass(frozen=True)
class MonthPoint:
    """One month of a volume series: the best estimate and what the evidence allows.

    ``basis`` says where the estimate comes from: ``reported`` (a monthly figure),
    ``imputed`` (a share of a coarser total), ``bound`` (an "over N" figure
    raised by the learned uplift) or ``missing`` (no estimate).
    """

    period: Period
    estimate: float | None
    interval: Interval | None
    basis: Basis
    facts: tuple[Fact, ...] = ()
    bound: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": str(self.period),
            "estimate": self.estimate,
            "interval": self.interval.to_list() if self.interval else None,
            "basis": self.basis,
            "bound": self.bound,
            "fact_ids": [f.id for f in self.facts],
        }


@dataclass(frozen=True)
class _History:
    points: tuple[MonthPoint, ...]
    uplifts: tuple[float, ...]

    def upto(self, last: int) -> list[MonthPoint]:
        return [p for p in self.points if _mi(p.period.start) <= last]


def _mi(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month(index: int) -> Period:
    return Period.month(index // 12, index % 12 + 1)


def _is_point(f: Fact) -> bool:
    return f.qualifier in ("exact", "about")


def _history(
    store: Store, entity: str, metric: str, *, as_of: date | None = None, through: date | None = None
) -> _History:
    name = store.entity(entity).name
    facts = [
        f for f in store.facts(entity=name, metric=metric, as_of=as_of)
        if f.period.is_month_aligned and f.market is None
    ]
    if through is not None:
        facts = [f for f in facts if f.period.end <= through]
    short = [f for f in facts if f.period.n_months <= 3]
    if not short:
        return _History((), ())
    first = min(_mi(f.period.start) for f in short)
    last = max(_mi(f.period.end) for f in facts)
    est: dict[int, float | None] = {}
    basis: dict[int, Basis] = {}
    used: dict[int, tuple[Fact, ...]] = {}
    bound: dict[int, float | None] = {}
    for i in range(first, last + 1):
        est[i], basis[i], used[i], bound[i] = None, "missing", (), None
    monthly = sorted((f for f in facts if f.period.n_months == 1), key=lambda f: (_is_point(f), f.known_from, f.id))
    for f in monthly:  # points sort last, so a reported figure wins over a bound for the same month
        i = _mi(f.period.start)
        if i < first:
            continue
        if _is_point(f):
            est[i], basis[i], used[i], bound[i] = f.value, "reported", (f,), None
        elif f.qualifier in ("over", "at_least"):
            est[i], basis[i], used[i], bound[i] = None, "bound", (f,), f.value
    uplifts: list[float] = []
    coarse = sorted(
        (f for f in facts if f.period.n_months > 1 and _is_point(f)),
        key=lambda f: (f.period.n_months, f.period.start, -f.known_from.toordinal(), f.id),
    )
    for total in coarse:
        span = range(_mi(total.period.start), _mi(total.period.end) + 1)
        inside = [i for i in span if first <= i <= last]
        open_ = [i for i in inside if basis[i] in ("bound", "missing")]
        if not open_:
            continue
        known = sum(est[i] or 0.0 for i in inside if i not in open_)
        residual = total.value - known
        if residual <= 0:
            continue
        anchors = [bound[i] or est[i] for i in inside if (bound[i] or est[i])]
        typical = sum(anchors) / len(anchors) if anchors else residual / len(open_)
        weights = {i: bound[i] if bound[i] else typical for i in open_}
        scale = residual / sum(weights.values())
        explained = tuple(f for i in inside if i not in open_ for f in used[i])
        for i in open_:
            if bound[i] and bound[i] > 0:
                uplifts.append(weights[i] * scale / bound[i] - 1.0)
            est[i] = weights[i] * scale
            used[i] = (total, *used[i], *explained)
            basis[i] = "imputed"
    positive = sorted(max(u, 0.0) for u in uplifts)
    median_uplift = positive[len(positive) // 2] if positive else 0.0
    points = []
    for i in range(first, last + 1):
        if basis[i] == "bound":
            b = bound[i] or 0.0
            points.append(MonthPoint(_month(i), b * (1 + median_uplift), Interval(b, math.inf, True, False),
                                     "bound", used[i], b))
        elif basis[i] == "missing":
            points.append(MonthPoint(_month(i), None, None, "missing"))
        else:
            e = est[i] or 0.0
            iv = used[i][0].interval() if basis[i] == "reported" else Interval.point(e)
            points.append(MonthPoint(_month(i), e, iv, basis[i], used[i], bound[i]))
    return _History(tuple(points), tuple(positive))


def monthly_history(
    store: Store, entity: str, /, *, metric: str | None = None, as_of: date | None = None
) -> list[MonthPoint]:
    """One estimate per month, from the first monthly or quarterly figure to the last figure held.

    >>> from redline.store import Store
    >>> h = monthly_history(Store(":memory:"), "Xiaomi", as_of=date(2025, 11, 25))
    >>> [(str(p.period), p.basis) for p in h][:3]
    [('2024-04', 'reported'), ('2024-05', 'reported'), ('2024-06', 'imputed')]
    """
    metric = metric or volume_metric(store, entity)
    return list(_history(store, entity, metric, as_of=as_of).points)


# -- the simulation -------------------------------------------------------------


@dataclass(frozen=True)
class _Fit:
    n: int
    beta: np.ndarray
    cov_unscaled: np.ndarray
    s2: float
    origin: int


def _fit(points: Sequence[MonthPoint], origin: int, window: int) -> _Fit | None:
    usable = [p for p in points if p.estimate and p.estimate > 0 and _mi(p.period.start) <= origin]
    usable = usable[-window:]
    if len(usable) < MIN_HISTORY:
        return None
    t = np.array([_mi(p.period.start) - origin for p in usable], dtype=float)
    y = np.log(np.array([p.estimate for p in usable], dtype=float))
    x = np.column_stack([np.ones_like(t), t])
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    resid = y - x @ beta
    n = len(y)
    s2 = float(resid @ resid) / (n - 2)
    return _Fit(n, beta, xtx_inv, max(s2, 1e-6), origin)


def _simulate_months(fit: _Fit, months: Sequence[int], n_paths: int, rng: np.random.Generator, damping: float) -> np.ndarray:
    """Simulated volumes, shape (n_paths, len(months)), from the posterior predictive of the fit."""
    df = fit.n - 2
    sigma2 = fit.s2 * df / rng.chisquare(df, size=n_paths)
    z = rng.standard_normal((n_paths, 2))
    chol = np.linalg.cholesky(fit.cov_unscaled)
    beta = fit.beta[None, :] + (z @ chol.T) * np.sqrt(sigma2)[:, None]
    out = np.empty((n_paths, len(months)))
    for j, m in enumerate(months):
        h = m - fit.origin
        if h > 0:
            reach = damping * (1 - damping**h) / (1 - damping) if damping < 1 else float(h)
        else:
            reach = float(h)
        mu = beta[:, 0] + beta[:, 1] * reach
        out[:, j] = np.exp(mu + rng.standard_normal(n_paths) * np.sqrt(sigma2))
    return out


@dataclass(frozen=True)
class _YearSim:
    totals: np.ndarray
    cumulative: np.ndarray  # (n_paths, 12) cumulative volume through each month of the year
    fit: _Fit
    simulated: tuple[int, ...]


def _simulate_year(
    hist: _History, year: int, origin: int, *, n_paths: int, seed: int, damping: float, window: int
) -> _YearSim | None:
    points = hist.upto(origin)
    fit = _fit(points, origin, window)
    if fit is None:
        return None
    rng = np.random.default_rng(seed)
    by_index = {_mi(p.period.start): p for p in points}
    months = [year * 12 + k for k in range(12)]
    first = min(by_index) if by_index else origin + 1
    monthly = np.zeros((n_paths, 12))
    to_simulate = []
    uplifts = np.array(hist.uplifts) if hist.uplifts else np.zeros(1)
    for k, i in enumerate(months):
        p = by_index.get(i)
        if i < first:
            continue  # before the series starts: nothing sold yet
        if i > origin or p is None or p.basis == "missing":
            to_simulate.append(k)
        elif p.basis == "bound":
            monthly[:, k] = (p.bound or 0.0) * (1 + rng.choice(uplifts, size=n_paths))
        else:
            monthly[:, k] = p.estimate or 0.0
    if to_simulate:
        monthly[:, to_simulate] = _simulate_months(fit, [months[k] for k in to_simulate], n_paths, rng, damping)
    cumulative = np.cumsum(monthly, axis=1)
    return _YearSim(cumulative[:, -1], cumulative, fit, tuple(months[k] for k in to_simulate))


# -- the forecast -----------------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    """Where the year's volume will end, and the chance it reaches the target."""

    entity: str
    metric: str
    year: int
    as_of: date
    last_month: int
    """Last month of the year with a figure known on ``as_of`` (0: none yet)."""
    year_to_date: Interval | None
    target: Fact | None
    p_target: float | None
    median: float
    low: float
    high: float
    level: float
    fan: tuple[dict[str, Any], ...]
    """Per month of the year: cumulative p10/p50/p90 of the simulated total."""
    history_months: int
    simulated_months: tuple[str, ...]
    uplift: float
    n_paths: int
    seed: int
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "metric": self.metric,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "last_month": self.last_month,
            "year_to_date": self.year_to_date.to_list() if self.year_to_date else None,
            "target": self.target.to_dict() if self.target else None,
            "p_target": self.p_target,
            "median": self.median,
            "interval": {"level": self.level, "low": self.low, "high": self.high},
            "fan": list(self.fan),
            "history_months": self.history_months,
            "simulated_months": list(self.simulated_months),
            "bound_uplift": self.uplift,
            "n_paths": self.n_paths,
            "seed": self.seed,
            "method": self.method,
        }


METHOD = (
    f"Monte Carlo simulation ({N_PATHS:,} paths, fixed seed) of a local linear trend on log monthly volume, "
    f"fitted on the last {WINDOW} months, trend damped by {DAMPING:g} per month ahead, parameters drawn "
    "from their posterior under a flat prior; bound months use the learned bound uplift."
)


def _last_known_month(hist: _History, year: int, as_of: date) -> int:
    """Index of the last month of ``year`` that is over on ``as_of`` and has an estimate (or year start - 1)."""
    last = year * 12 - 1
    for p in hist.points:
        i = _mi(p.period.start)
        if p.period.start.year == year and p.period.end <= as_of and p.basis != "missing":
            last = max(last, i)
    return last


def forecast_year(
    store: Store,
    entity: str,
    /,
    *,
    as_of: date,
    year: int | None = None,
    metric: str | None = None,
    target: float | None = None,
    n_paths: int = N_PATHS,
    seed: int = DEFAULT_SEED,
    damping: float = DAMPING,
    window: int = WINDOW,
) -> Forecast:
    """Forecast the year's total volume and the chance of reaching the annual target.

    Sees only facts known on ``as_of``. Raises :class:`~redline.errors.NotFound`
    when the entity has fewer than :data:`MIN_HISTORY` months with figures.
    """
    name = store.entity(entity).name
    year = year or as_of.year
    metric = metric or volume_metric(store, name)
    hist = _history(store, name, metric, as_of=as_of)
    origin = _last_known_month(hist, year, as_of)
    sim = _simulate_year(hist, year, origin, n_paths=n_paths, seed=seed, damping=damping, window=window)
    if sim is None:
        have = sum(1 for p in hist.points if p.estimate)
        raise NotFound(
            f"too little monthly history to forecast {name}'s {year} {metric}: {have} month(s) with figures "
            f"known on {as_of}, {MIN_HISTORY} needed"
        )
    revisions = target_revisions(store, name, year, as_of=as_of)
    target_fact = revisions[-1] if revisions else None
    goal = target if target is not None else (target_fact.value if target_fact else None)
    last_month = origin - year * 12 + 1
    ytd = None
    if last_month > 0:
        r = try_value(store, name, metric, Period.months_span(year, 1, last_month), as_of=as_of)
        ytd = r.interval if r else None
    lo_q, hi_q = (1 - LEVEL) / 2, 1 - (1 - LEVEL) / 2
    fan = []
    for k in range(12):
        col = sim.cumulative[:, k]
        fan.append({
            "month": f"{year}-{k + 1:02d}",
            "observed": k < last_month,
            "low": float(np.quantile(col, lo_q)),
            "median": float(np.quantile(col, 0.5)),
            "high": float(np.quantile(col, hi_q)),
        })
    return Forecast(
        entity=name,
        metric=metric,
        year=year,
        as_of=as_of,
        last_month=max(last_month, 0),
        year_to_date=ytd,
        target=target_fact,
        p_target=float(np.mean(sim.totals >= goal)) if goal is not None else None,
        median=float(np.quantile(sim.totals, 0.5)),
        low=float(np.quantile(sim.totals, lo_q)),
        high=float(np.quantile(sim.totals, hi_q)),
        level=LEVEL,
        fan=tuple(fan),
        history_months=sim.fit.n,
        simulated_months=tuple(str(_month(i)) for i in sim.simulated),
        uplift=hist.uplifts[len(hist.uplifts) // 2] if hist.uplifts else 0.0,
        n_paths=n_paths,
        seed=seed,
        method=METHOD,
    )


# -- back-test --------------------------------------------------------------------

Outcome = Literal["covered", "missed", "undetermined"]


@dataclass(frozen=True)
class BacktestCase:
    entity: str
    metric: str
    year: int
    origin: str
    low: float
    high: float
    actual: Interval
    outcome: Outcome
    data_through: str | None = None
    """Last month with a figure known on the forecast's month-end ``origin`` (figures come out after the month)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "metric": self.metric,
            "year": self.year,
            "origin": self.origin,
            "data_through": self.data_through,
            "low": self.low,
            "high": self.high,
            "actual": self.actual.to_list(),
            "outcome": self.outcome,
        }


@dataclass(frozen=True)
class Backtest:
    """How often the 80% interval held the reported year total, forecasting from each past month-end."""

    cases: tuple[BacktestCase, ...]
    level: float
    as_of: date | None
    years: tuple[tuple[str, int], ...] = field(default=())

    @property
    def determined(self) -> list[BacktestCase]:
        return [c for c in self.cases if c.outcome != "undetermined"]

    @property
    def covered(self) -> int:
        return sum(1 for c in self.cases if c.outcome == "covered")

    @property
    def coverage(self) -> float | None:
        d = self.determined
        return self.covered / len(d) if d else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "forecasts": len(self.cases),
            "determined": len(self.determined),
            "covered": self.covered,
            "coverage": self.coverage,
            "years": [f"{e} {y}" for e, y in self.years],
            "cases": [c.to_dict() for c in self.cases],
        }


def _outcome(actual: Interval, low: float, high: float) -> Outcome:
    window = Interval(low, high)
    if actual.within(window):
        return "covered"
    if not actual.overlaps(window):
        return "missed"
    return "undetermined"


def backtest(
    store: Store,
    /,
    *,
    entities: Iterable[str] | None = None,
    as_of: date | None = None,
    n_paths: int = 4_000,
    seed: int = DEFAULT_SEED,
    damping: float = DAMPING,
    window: int = WINDOW,
) -> Backtest:
    """Forecast every past year total the store holds from each month-end of that year.

    A year counts when its total is known on ``as_of`` (a stated annual figure,
    or months that add up to it) and the year is over by then. The forecast
    made at a month-end sees only what was known that day: the history is
    rebuilt from the facts published by then about periods over by then (so a
    month whose figure came out later is simulated, a quarter total published
    later shares out nothing, and the bound uplift is learned from earlier
    totals only). It is the forecast :func:`forecast_year` makes on that
    month-end with seed ``seed + month``, save that any figure for a period
    not over by then is left out. A total known only as a bound
    ("over 410,000") is ``undetermined`` unless the interval misses it or
    holds all of it; coverage counts the rest.
    """
    if entities is None:
        entities = sorted(
            {f.entity for f in store.facts(as_of=as_of) if f.metric in ("deliveries", "sales") and f.period.n_months == 1}
        )
    cases: list[BacktestCase] = []
    years: list[tuple[str, int]] = []
    lo_q, hi_q = (1 - LEVEL) / 2, 1 - (1 - LEVEL) / 2
    for entity in entities:
        name = store.entity(entity).name
        metric = volume_metric(store, name)
        hist = _history(store, name, metric, as_of=as_of)
        if not hist.points:
            continue
        first_year = hist.points[0].period.start.year
        last_year = hist.points[-1].period.start.year
        for year in range(first_year, last_year + 1):
            if as_of is not None and month_end(year, 12) > as_of:
                continue
            actual = try_value(store, name, metric, Period.year(year), as_of=as_of, children=False)
            if actual is None or not math.isfinite(actual.interval.low) or actual.interval.low <= 0:
                continue
            truth = Interval.point(actual.facts[0].value) if actual.method == "direct" and actual.facts[0].qualifier == "about" else actual.interval
            added = False
            for m in range(1, 12):
                # The forecast made on this month-end sees what was known that day, about periods over by then:
                # no later total to share out among bound months, no uplift learned from later years.
                made = month_end(year, m)
                known = _history(store, name, metric, as_of=made, through=made)
                origin = _last_known_month(known, year, made)
                sim = _simulate_year(known, year, origin, n_paths=n_paths, seed=seed + m, damping=damping, window=window)
                if sim is None:
                    continue
                low, high = (float(np.quantile(sim.totals, q)) for q in (lo_q, hi_q))
                cases.append(BacktestCase(name, metric, year, str(_month(_mi(made))), low, high, truth,
                                          _outcome(truth, low, high), str(_month(origin))))
                added = True
            if added:
                years.append((name, year))
    return Backtest(tuple(cases), LEVEL, as_of, tuple(years))
