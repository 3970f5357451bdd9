"""Content selection: candidate insights, scored by size and significance.

Each candidate is one headline sentence and a score. The brief's key points
are the best-scoring candidates, best first; the sections below them give
the detail. Scores are plain arithmetic on the size of what was found (see
each function), so the choice is explainable and the same every run:

=====================  ======================================================
insight                score
=====================  ======================================================
target status          2.0; 3.0 when decided (already beaten, P ≥ 95%, P < 10%);
                       2.5 when at risk (10% ≤ P < 40%); 1.5 with no forecast
target revision        1.0 + 0.5 × (size / 10%), capped at +1.5; +0.8 if within
                       60 days of the brief's date
previous-year target   0.8 (beaten or missed)
growth                 0.8 + |YoY %| / 100, capped at 2.8
momentum               0.5 + |change in YoY growth, points| / 40, capped at 2.0
record                 1.3 (quarter) or 1.0 (month), only when it is the latest
share                  0.6 + |change, points| / 1.0, capped at 2.1 (×0.6 for a peer)
safety (fatal)         1.0 + 0.5 per fatal incident this year (cap 2.5),
                       +0.5 if the latest is within 60 days
safety (recalls)       0.8 + 0.2 per recall this year (cap 1.6)
resale                 0.6
=====================  ======================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..analytics import GrowthResult
from ..periods import Period
from .gather import BriefData
from .text import Sentence, sentence
from .writer import Writer, day_text

__all__ = ["Insight", "candidate_insights", "select"]


@dataclass(frozen=True)
class Insight:
    key: str
    section: str
    score: float
    headline: Sentence
    why: str
    about: str | None = None
    """The entity the point is about when it is not the brief's subject (a peer's share)."""

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "section": self.section, "score": round(self.score, 3),
                "headline": self.headline.plain(), "why": self.why}


def _ytd_phrase(d: BriefData) -> str:
    return Period.months_span(d.year, 1, d.last_month).label() if d.last_month else str(d.year)


def chance_text(p: float) -> str:
    """A probability as a whole percentage, never '0%' or '100%' for a simulated event."""
    pct = round(p * 100)
    if pct >= 100:
        return "more than 99%"
    if pct <= 0:
        return "less than 1%"
    return f"{pct}%"


def _target_status(d: BriefData, w: Writer) -> list[Insight]:
    if d.pace is None or d.year not in d.revisions:
        return []
    target = d.revisions[d.year][-1]
    t = w.fact(target, f"{d.name} {d.year} delivery target")
    ytd = w.level(d.ytd)
    verb = "delivered" if d.metric == "deliveries" else "sold"
    if d.pace.status == "target reached" and ytd is not None:
        return [Insight("target_status", "pace", 3.0, sentence(
            f"{d.name} has already beaten its {d.year} delivery target of ", t, f": it {verb} ", ytd,
            f" vehicles in {_ytd_phrase(d)}."), "target already beaten")]
    fc = d.forecast
    if fc is None or fc.p_target is None:
        if ytd is None:
            return []
        status = {"behind": "is behind the pace its", "close": "is close to the pace its",
                  "on track": "is on track for its"}.get(d.pace.status, "is measured against its")
        return [Insight("target_status", "pace", 1.5, sentence(
            f"{d.name} {verb} ", ytd, f" vehicles in {_ytd_phrase(d)} and {status} {d.year} delivery target of ",
            t, " needs."), f"pace status {d.pace.status}")]
    p = fc.p_target
    chance = w.derived(chance_text(p), f"{d.name} {d.year}: chance of reaching the target (simulation)",
                       (target,), "share of simulated paths that end the year at or above the target")
    if p >= 0.95:
        verdict, score = "is all but certain to reach it", 3.0
    elif p >= 0.6:
        verdict, score = "is more likely than not to reach it", 2.0
    elif p >= 0.4:
        verdict, score = "could go either way", 2.0
    elif p >= 0.1:
        verdict, score = "is at risk of missing it", 2.5
    else:
        verdict, score = "is unlikely to reach it", 3.0
    if ytd is not None:
        parts: list[Any] = [f"{d.name} {verb} ", ytd, f" vehicles in {_ytd_phrase(d)}, against a {d.year} delivery target of ",
                            t, f", and {verdict}: in the simulation, ", chance, " of paths end the year at or above it."]
    else:
        parts = [f"Against a {d.year} delivery target of ", t, f", {d.name} {verdict}: in the simulation, ", chance,
                 " of paths end the year at or above it."]
    return [Insight("target_status", "pace", score, sentence(*parts), f"P(target) = {p:.3f}")]


def _target_revision(d: BriefData, w: Writer) -> list[Insight]:
    out = []
    versions = d.revisions.get(d.year, [])
    if len(versions) >= 2:
        old, new = versions[-2], versions[-1]
        if old.value > 0 and new.value != old.value:
            size = new.value / old.value - 1
            days = (d.as_of - new.known_from).days
            score = 1.0 + min(1.5, 0.5 * abs(size) / 0.10) + (0.8 if days <= 60 else 0.0)
            verb = "raised" if size > 0 else "cut"
            a = w.fact(old, f"{d.name} {d.year} delivery target, set {day_text(old.known_from)}")
            b = w.fact(new, f"{d.name} {d.year} delivery target, set {day_text(new.known_from)}")
            out.append(Insight("target_revision", "targets", score, sentence(
                f"On {day_text(new.known_from)}, {d.name} {verb} its {d.year} delivery target from ", a, " to ", b, "."),
                f"revision of {size:+.1%}, {days} days before the brief"))
    prev = d.revisions.get(d.year - 1, [])
    if prev and d.previous_year is not None:
        final = prev[-1]
        total = d.previous_year.interval
        beaten = total.low > final.value or (total.low == final.value and not total.low_strict)
        missed = total.high < final.value
        if beaten or missed:
            t = w.fact(final, f"{d.name} {d.year - 1} delivery target")
            v = w.level(d.previous_year)
            verb = "delivered" if d.metric == "deliveries" else "sold"
            if v is not None:
                word = "beating" if beaten else "missing"
                out.append(Insight("previous_target", "targets", 0.8, sentence(
                    f"In {d.year - 1}, {d.name} {verb} ", v, f" vehicles, {word} its final {d.year - 1} delivery target of ",
                    t, "."), "previous year's target " + ("beaten" if beaten else "missed")))
    return out


def _yoy_point(g: GrowthResult | None) -> float | None:
    return g.change_pct.low if g is not None and g.change_pct.is_point else None


def _growth(d: BriefData, w: Writer) -> list[Insight]:
    out = []
    with_growth = [(p, v, g) for p, v, g in d.quarters if g is not None and _yoy_point(g) is not None]
    noun = "deliveries" if d.metric == "deliveries" else d.sales_word(d.name)
    if with_growth:
        p, v, g = with_growth[-1]
        x = _yoy_point(g)
        assert x is not None
        fig_v, fig_g = w.level(v), w.change(g)
        base = w.level(g.base) if g else None
        if fig_v is not None and fig_g is not None and base is not None:
            verb = "delivered" if d.metric == "deliveries" else "sold"
            s = sentence(f"{d.name} {verb} ", fig_v, f" vehicles in {p.label()}, ", fig_g,
                         " year on year from ", base, f" in {g.base.period.label()}.")
            out.append(Insight("growth", "trajectory", min(2.8, 0.8 + abs(x) / 100), s, f"YoY {x:+.1f}% in {p.label()}"))
        if len(with_growth) >= 2:
            p0, v0, g0 = with_growth[-2]
            x0 = _yoy_point(g0)
            assert x0 is not None
            delta = x - x0
            if abs(delta) >= 5:
                f0, f1 = w.change(g0), w.change(g)
                if f0 is not None and f1 is not None:
                    word = "slowed" if delta < 0 else "accelerated"
                    s = sentence(f"Year-on-year growth in {d.name}'s {noun} {word}: ", f1, f" in {p.label()} after ",
                                 f0, f" in {p0.label()}.")
                    out.append(Insight("momentum", "trajectory", min(2.0, 0.5 + abs(delta) / 40), s,
                                       f"YoY growth moved {delta:+.1f} points"))
    return out


def _record(d: BriefData, w: Writer) -> list[Insight]:
    out = []
    qs = [(p, v) for p, v, _ in d.quarters]
    if d.history:
        # every quarter since the series began must be on record, or "best on record" means little
        first = d.history[0].period.start
        qs_all = [(p, v) for p, v in qs if p.start >= first or p.contains(first)]
        if len(qs_all) >= 3:
            p, v = qs_all[-1]
            if all(v.interval.low > o.interval.high or (v.interval.low == o.interval.high and v.interval.low_strict)
                   for _, o in qs_all[:-1]):
                fig = w.level(v)
                if fig is not None:
                    word = "deliveries" if d.metric == "deliveries" else d.sales_word(d.name)
                    out.append(Insight("record", "trajectory", 1.3, sentence(
                        f"With ", fig, f" {word}, {p.label()} was {d.name}'s strongest quarter on record."),
                        f"{p.label()} above every earlier quarter"))
    return out


def _share(d: BriefData, w: Writer) -> list[Insight]:
    out = []
    for who, series in d.shares.items():
        monthly = [s for s in series if s.period.kind == "month" and s.share_pct.bounded]
        if len(monthly) < 2:
            continue
        last = monthly[-1]
        year_before = [s for s in monthly if s.period == last.period.same_period_last_year()]
        first = year_before[0] if year_before else monthly[0]
        mid = lambda s: (s.share_pct.low + s.share_pct.high) / 2  # noqa: E731
        delta = mid(last) - mid(first)
        if abs(delta) < 0.1:
            continue
        a, b = w.share(first), w.share(last)
        if a is None or b is None:
            continue
        word = "rose" if delta > 0 else "fell"
        score = min(2.1, 0.6 + abs(delta) / 1.0) * (1.0 if who == d.name else 0.6)
        out.append(Insight(f"share:{who}", "market", score, sentence(
            f"{who}'s share of the {d.market} {word} from ", a, f" in {first.period.label()} to ", b,
            f" in {last.period.label()}."), f"share moved {delta:+.2f} points", about=None if who == d.name else who))
    return out


def _safety(d: BriefData, w: Writer) -> list[Insight]:
    out = []
    year = Period.year(d.year)
    fatal = [e for e in d.events if e.kind == "fatal_crash" and year.contains(e.date)]
    recalls = [e for e in d.events if e.kind == "recall" and year.contains(e.date)]
    if fatal:
        n = sum(int(e.attributes.get("count", 1)) for e in fatal)
        latest = fatal[-1]
        days = (d.as_of - latest.date).days
        score = min(2.5, 1.0 + 0.5 * n) + (0.5 if days <= 60 else 0.0)
        count = w.notes.figure(f"{n:,}", f"{d.name} fatal incidents, {d.year} (to {day_text(d.as_of)})",
                               [f for e in fatal for f in _event_facts(d, e)], "events on record for the brand and its models")
        crash = "fatal crash" if n == 1 else "fatal crashes"
        out.append(Insight("safety_fatal", "safety", score, sentence(
            f"In {d.year}, ", count, f" {crash} involving {d.name} cars {'is' if n == 1 else 'are'} on record, the "
            f"latest on {day_text(latest.date)} (a {latest.entity})."), f"{n} fatal incident(s), latest {days} days before"))
    if recalls:
        n = sum(int(e.attributes.get("count", 1)) for e in recalls)
        count = w.notes.figure(f"{n:,}", f"{d.name} recalls, {d.year} (to {day_text(d.as_of)})",
                               [f for e in recalls for f in _event_facts(d, e)], "recall campaigns on record")
        out.append(Insight("safety_recalls", "safety", min(1.6, 0.8 + 0.2 * n), sentence(
            f"{d.name} has ", count, f" {'recall' if n == 1 else 'recalls'} on record in {d.year}, the latest on "
            f"{day_text(recalls[-1].date)}."), f"{n} recall campaign(s)"))
    return out


def _event_facts(d: BriefData, e: Any) -> list[Any]:
    return [d.event_facts[e.fact_id]] if e.fact_id in d.event_facts else []


def _resale(d: BriefData, w: Writer) -> list[Insight]:
    out = []
    for r in d.resale:
        iv = r.retention_pct
        if not iv.bounded:
            continue
        pct = w.derived(f"{(iv.low + iv.high) / 2:.1f}%", f"{r.product} resale retention",
                        (r.resale, r.new), "resale price ÷ list price, same currency")
        out.append(Insight(f"resale:{r.product}", "resale", 0.6, sentence(
            f"On the resale market the {r.product} keeps about ", pct, " of its list price."), "resale retention"))
    return out


def candidate_insights(d: BriefData, w: Writer) -> list[Insight]:
    """Every insight the data supports, unsorted."""
    out: list[Insight] = []
    for fn in (_target_status, _growth, _target_revision, _record, _share, _safety, _resale):
        out += fn(d, w)
    return out


def select(insights: list[Insight], n: int = 5) -> list[Insight]:
    """The ``n`` best, best first (ties: by key, so the order never depends on dict order); points about
    the brief's subject come before points about its peers, so a brief leads with its own entity."""
    return sorted(insights, key=lambda i: (i.about is not None, -round(i.score, 6), i.key))[:n]

