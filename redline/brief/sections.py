"""The sections of a brief, as blocks of sentences whose figures point to notes.

Sentence shapes are kept plain on purpose, so the claim extractor reads every
figure with its entity, metric and period: each sentence names the entity,
uses the catalog's word for the metric ("deliveries", "retail sales",
"delivery target", "share of the China NEV market", "fatal crashes",
"recalls") and names its period in full ("in Q3 2025", "in January–October
2025").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Union

from ..analytics import GrowthResult, ValueResult, change_pct
from ..intervals import Interval, round_outward
from ..periods import Period, month_end
from .gather import BriefData
from .insights import Insight, chance_text
from .text import Sentence, count_text, sentence
from .writer import METRIC_NOUN, Writer, day_text

__all__ = ["Paragraph", "Bullets", "ChartRef", "Table", "Section", "build_sections"]


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Bullets:
    items: tuple[Sentence, ...]


@dataclass(frozen=True)
class ChartRef:
    name: str


@dataclass(frozen=True)
class Table:
    """A table of figures; its rows carry no metric words, so each cell's figure stands with its note."""

    header: tuple[str, ...]
    rows: tuple[tuple[Sentence, ...], ...]


Block = Union[Paragraph, Bullets, ChartRef, Table]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: tuple[Block, ...]


def _para(*sentences: Sentence | None) -> Paragraph | None:
    kept = tuple(s for s in sentences if s is not None)
    return Paragraph(kept) if kept else None


def _blocks(*blocks: Block | None) -> tuple[Block, ...]:
    return tuple(b for b in blocks if b is not None and not (isinstance(b, Bullets) and not b.items))


def _verb(metric: str) -> str:
    return "delivered" if metric == "deliveries" else "sold"


def _noun(metric: str, d: BriefData | None = None, who: str | None = None) -> str:
    """'deliveries', or 'retail sales' / 'sales' as the entity's own description says."""
    if metric == "deliveries":
        return "deliveries"
    if d is not None:
        return d.sales_word(who or d.name)
    return "retail sales"


FORECAST_HOW = "simulation of the months left from the monthly history (method and back-test in the data notes)"


def _rnd(x: float) -> str:
    """A simulated total rounded to the nearest hundred: the simulation is not more precise than that."""
    return f"{round(x / 100) * 100:,.0f}"


# -- deliveries trajectory ------------------------------------------------------------


def _level_parts(d: BriefData, w: Writer, fig: Any, p: Period, key: str, exact: bool, offset: int = 0) -> list[Any]:
    """'{E} delivered X vehicles in P', "{E}'s deliveries were X in P" or "… reached X in P" (exact figures only).

    Every variant puts the period right after the figure, which is how the claim extractor ties them.
    """
    noun = _noun(d.metric, d)
    options = ["verb", "were"] + (["reached"] if exact else [])
    form = w.pick(key, options, offset)
    if form == "verb":
        return [f"{d.name} {_verb(d.metric)} ", fig, f" vehicles in {p.label()}"]
    return [f"{d.name}'s {noun} {form} ", fig, f" in {p.label()}"]


def _quarter_sentence(d: BriefData, w: Writer, p: Period, v: ValueResult, g: GrowthResult | None, i: int) -> Sentence | None:
    fig = w.level(v)
    if fig is None:
        return None
    chg = w.change(g)
    base = w.level(g.base) if g is not None else None
    parts = _level_parts(d, w, fig, p, "quarter", v.exact, i)
    if chg is not None and base is not None and g is not None:
        # the change follows its period and names its base right after, so each figure reads with its own period
        parts += [", ", chg, " year on year from ", base, f" in {g.base.period.label()}"]
    parts.append(".")
    return sentence(*parts)


def _sequential(d: BriefData, w: Writer, quarters: list[tuple[Period, ValueResult]]) -> Sentence | None:
    """Quarter-on-quarter change of the latest two quarters, when both are exact."""
    if len(quarters) < 2:
        return None
    (p0, v0), (p1, v1) = quarters[-2], quarters[-1]
    if p1.previous() != p0 or not (v0.exact and v1.exact):
        return None
    g = GrowthResult(v1, v0, "qoq", change_pct(v1.interval, v0.interval))
    fig = w.change(g)
    if fig is None:
        return None
    return sentence(f"{d.name}'s {_noun(d.metric, d)} in {p1.label()} were ", fig, " quarter on quarter.")


def _month_item(d: BriefData, w: Writer, p: Period, cur: ValueResult | None, prev: ValueResult | None) -> Sentence | None:
    fig = w.level(cur)
    if fig is None:
        return None
    assert cur is not None
    parts: list[Any] = _level_parts(d, w, fig, p, "month", cur.exact, p.start.month)
    base = w.level(prev)
    if base is not None and prev is not None:
        chg = None
        if prev.interval.low > 0:
            chg = w.change(GrowthResult(cur, prev, "yoy", change_pct(cur.interval, prev.interval)))
        if chg is not None:
            parts += [", ", chg, " year on year from ", base, f" in {prev.period.label()}"]
        else:
            parts += [", against ", base, f" in {prev.period.label()}"]
    parts.append(".")
    return sentence(*parts)


def _trajectory(d: BriefData, w: Writer) -> Section:
    current = [(p, v, g) for p, v, g in d.quarters if p.start.year == d.year]
    para = _para(*(_quarter_sentence(d, w, p, v, g, i) for i, (p, v, g) in enumerate(current)),
                 _sequential(d, w, [(p, v) for p, v, _ in d.quarters]))
    items = tuple(s for s in (_month_item(d, w, p, c, b) for p, c, b in d.months) if s is not None)
    retail = None
    if d.retail:
        sents = []
        for f in d.retail:
            if f.period.kind == "month":
                lead = "On the CPCA retail count, a separate series, " if not sents else ""
                sents.append(sentence(f"{lead}{d.name}'s retail sales were ", w.fact(f), f" in {f.period.label()}."))
        retail = _para(*sents)
    intro = None
    if not current and not items:
        intro = _para(sentence(f"No monthly or quarterly {_noun(d.metric, d)} of {d.name} for {d.year} are on record on "
                               f"{day_text(d.as_of)}."))
    return Section("trajectory", f"{_noun(d.metric, d).capitalize()} trajectory",
                   _blocks(intro, para, Bullets(items), retail, ChartRef("monthly") if d.history else None))


# -- year to date and pace -------------------------------------------------------------


def _pace(d: BriefData, w: Writer) -> Section:
    blocks: list[Any] = []
    sents: list[Sentence | None] = []
    if d.ytd is not None and d.last_month:
        fig = w.level(d.ytd)
        if fig is not None:
            parts: list[Any] = [f"{d.name} {_verb(d.metric)} ", fig, f" vehicles in {d.ytd.period.label()}"]
            chg = w.change(d.ytd_growth)
            base = w.level(d.ytd_growth.base) if d.ytd_growth is not None else None
            if chg is not None and base is not None and d.ytd_growth is not None:
                parts += [", ", chg, " year on year from ", base, f" in {d.ytd_growth.base.period.label()}"]
            parts.append(".")
            sents.append(sentence(*parts))
    target = d.revisions.get(d.year, [])
    p = d.pace
    if target:
        t = target[-1]
        sents.append(sentence(f"{d.name}'s {d.year} delivery target is ",
                              w.fact(t, f"{d.name} {d.year} delivery target, set {day_text(t.known_from)}"), "."))
        if len(target) > 1:
            verb = "raised" if t.value > target[-2].value else "cut" if t.value < target[-2].value else "restated"
            sents.append(sentence(f"It was last {verb} on {day_text(t.known_from)}."))
        else:
            sents.append(sentence(f"It was set on {day_text(t.known_from)}."))
        if p is not None and p.remaining is not None and p.months_left and p.required_monthly is not None:
            rest = Period.months_span(d.year, 12 - p.months_left + 1, 12)
            rem = count_text(_whole(p.remaining))
            req = count_text(_whole(p.required_monthly))
            facts = (t, *(p.delivered.facts if p.delivered else ()))
            if rem and req:
                parts = [f"To get there, {d.name} needs ",
                         w.derived(rem, f"{d.name}: still needed in {rest.label()}", facts,
                                   "the target minus the year so far"),
                         f" more in {rest.label()} (",
                         w.derived(req, f"{d.name}: needed a month in {rest.label()}", facts,
                                   "what is still needed, spread evenly over the months left"),
                         " a month)"]
                if p.trailing_3m_monthly is not None and p.delivered is not None:
                    trail = count_text(_whole(p.trailing_3m_monthly))
                    last = p.months_elapsed
                    span = Period.months_span(d.year, last - 2, last)
                    tv = _facts_in(d, span)
                    if trail:
                        parts += [f"; in {span.label()} it averaged ",
                                  w.derived(trail, f"{d.name}: average a month in {span.label()}", tv,
                                            f"the {span.label()} sum spread evenly over its three months"),
                                  " a month"]
                parts.append(".")
                sents.append(sentence(*parts))
    elif d.year in d.revisions or p is None:
        sents.append(sentence(f"No {d.year} delivery target for {d.name} is on record on {day_text(d.as_of)}."))
    fc = d.forecast
    if fc is not None:
        facts = tuple(f for pt in d.history for f in pt.facts)
        lo = w.derived(_rnd(fc.low), f"{d.name} {d.year} total: 80% interval, low end (simulation)", facts, FORECAST_HOW)
        hi = w.derived(_rnd(fc.high), f"{d.name} {d.year} total: 80% interval, high end (simulation)", facts, FORECAST_HOW)
        med = w.derived(_rnd(fc.median), f"{d.name} {d.year} total: median (simulation)", facts, FORECAST_HOW)
        parts = [f"Simulating the rest of {d.year} from the monthly history puts {d.name}'s full-year total between ", lo,
                 " and ", hi, " (an 80% interval), with a median of ", med]
        if fc.p_target is not None and fc.target is not None:
            parts += ["; ", w.derived(chance_text(fc.p_target),
                                      f"{d.name} {d.year}: chance of reaching the target (simulation)", (fc.target,),
                                      "share of simulated paths that end the year at or above the target"),
                      " of the simulated paths end the year at or above the target"]
        parts.append(".")
        sents.append(sentence(*parts))
    elif d.forecast_problem:
        sents.append(sentence(f"No forecast: too little monthly history of {d.name}'s {_noun(d.metric, d)} is known on "
                              f"{day_text(d.as_of)} to fit one."))
    blocks.append(_para(*sents))
    if fc is not None:
        blocks.append(ChartRef("forecast"))
    return Section("pace", "Year to date and pace to target", _blocks(*blocks))


def _whole(iv: Interval) -> Interval:
    """Round a derived count interval outward to whole vehicles."""
    import math

    lo = math.floor(iv.low) if math.isfinite(iv.low) else iv.low
    hi = math.ceil(iv.high) if math.isfinite(iv.high) else iv.high
    return Interval(lo, hi, iv.low_strict and lo == iv.low, iv.high_strict and hi == iv.high)


def _facts_in(d: BriefData, span: Period) -> tuple[Any, ...]:
    facts = []
    for pt in d.history:
        if span.contains(pt.period):
            facts.extend(pt.facts)
    return tuple(facts)


# -- target revisions --------------------------------------------------------------------


def _targets(d: BriefData, w: Writer) -> Section:
    sents: list[Sentence] = []
    for year in sorted(d.revisions, reverse=True):
        versions = d.revisions[year]
        first = versions[0]
        sents.append(sentence(f"On {day_text(first.known_from)}, {d.name} set its {year} delivery target at ",
                              w.fact(first, f"{d.name} {year} delivery target, set {day_text(first.known_from)}"), "."))
        for old, new in zip(versions, versions[1:]):
            verb = "raised" if new.value > old.value else "cut" if new.value < old.value else "restated"
            sents.append(sentence(
                f"On {day_text(new.known_from)}, {d.name} {verb} its {year} delivery target from ",
                w.fact(old, f"{d.name} {year} delivery target, set {day_text(old.known_from)}"), " to ",
                w.fact(new, f"{d.name} {year} delivery target, set {day_text(new.known_from)}"), "."))
    if d.year - 1 in d.revisions and d.previous_year is not None:
        final = d.revisions[d.year - 1][-1]
        iv = d.previous_year.interval
        fig = w.level(d.previous_year)
        if fig is not None:
            if iv.low > final.value or (iv.low == final.value and not iv.low_strict):
                word = "beating"
            elif iv.high < final.value:
                word = "missing"
            else:
                word = "against"
            sents.append(sentence(f"{d.name} {_verb(d.metric)} ", fig, f" vehicles in {d.year - 1}, {word} its final "
                                  f"{d.year - 1} delivery target of ",
                                  w.fact(final, f"{d.name} {d.year - 1} delivery target, set {day_text(final.known_from)}"),
                                  "."))
    if not sents:
        sents.append(sentence(f"No delivery target for {d.name} is on record on {day_text(d.as_of)}."))
    return Section("targets", "Target revision history", _blocks(_para(*sents)))


# -- market position -----------------------------------------------------------------------


def _market(d: BriefData, w: Writer) -> Section:
    blocks: list[Any] = []
    if d.comparison_period is not None and len(d.peer_volumes) > 1:
        p = d.comparison_period
        sents = []
        for pv in d.peer_volumes:
            fig = w.level(pv.value)
            if fig is None:
                continue
            parts: list[Any] = [f"{pv.entity} {_verb(pv.metric)} ", fig, f" vehicles in {p.label()}"]
            chg = w.change(pv.growth)
            if chg is not None:
                parts += [", ", chg, " year on year"]
            parts.append(".")
            sents.append(sentence(*parts))
        ranked = sorted(d.peer_volumes, key=lambda pv: -(pv.value.interval.low))
        above = [pv.entity for pv in ranked if pv.value.interval.low > _high(d, d.name)]
        below = [pv.entity for pv in ranked if pv.value.interval.high < _low(d, d.name)]
        if above or below:
            bits = []
            if above:
                bits.append("behind " + _join(above))
            if below:
                bits.append("ahead of " + _join(below))
            sents.append(sentence(f"By volume in {p.label()}, {d.name} was " + " and ".join(bits) + "."))
        dl = [pv.entity for pv in d.peer_volumes if pv.metric == "deliveries"]
        sl = [pv for pv in d.peer_volumes if pv.metric != "deliveries"]
        if dl and sl:
            what = "; ".join(f"{pv.entity}'s figure is {d.sales_word(pv.entity)}" for pv in sl)
            sents.append(sentence(f"{_join(dl)} {'reports' if len(dl) == 1 else 'report'} deliveries; {what}; so the "
                                  "comparison is indicative."))
        blocks.append(_para(*sents))
    elif d.peers:
        blocks.append(_para(sentence(f"No period with volumes for {d.name} and all its peers is on record on "
                                     f"{day_text(d.as_of)}.")))
    if d.shares and d.market:
        sents = []
        for who, series in d.shares.items():
            monthly = [s for s in series if s.period.kind == "month" and s.share_pct.bounded]
            annual = [s for s in series if s.period.kind != "month"]
            for s in annual:
                fig = w.share(s)
                if fig is not None:
                    sents.append(sentence(f"{who} held ", fig, f" of the {d.market} in {s.period.label()}."))
            if monthly:
                last = monthly[-1]
                fig = w.share(last)
                if w.pick(f"share-{who}", ("held", "share")) == "held":
                    parts: list[Any] = [f"In {last.period.label()}, {who} held ", fig, f" of the {d.market}"]
                else:
                    parts = [f"In {last.period.label()}, {who}'s share of the {d.market} was ", fig]
                before = [s for s in monthly if s.period == last.period.same_period_last_year()]
                if before:
                    f0 = w.share(before[0])
                    if f0 is not None:
                        parts += [", against ", f0, f" in {before[0].period.label()}"]
                parts.append(".")
                if fig is not None:
                    sents.append(sentence(*parts))
        if sents:
            blocks.append(_para(*sents))
        blocks.append(ChartRef("share"))
    elif d.peers or d.market is None:
        blocks.append(_para(sentence(f"No market share for {d.name} or its peers can be checked against the store.")))
    return Section("market", "Market position", _blocks(*blocks))


def _low(d: BriefData, name: str) -> float:
    return next(pv.value.interval.low for pv in d.peer_volumes if pv.entity == name)


def _high(d: BriefData, name: str) -> float:
    return next(pv.value.interval.high for pv in d.peer_volumes if pv.entity == name)


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# -- safety -------------------------------------------------------------------------------


def _safety(d: BriefData, w: Writer) -> Section:
    blocks: list[Any] = []
    items = []
    for e in d.events:
        f = d.event_facts.get(e.fact_id or -1)
        what = {"fatal_crash": "fatal crash", "recall": "recall"}.get(e.kind, e.kind.replace("_", " "))
        article = "a" if what[0] not in "aeiou" else "an"
        if f is None:
            continue
        date_fig = w.notes.figure(day_text(e.date), f"{e.entity} {what}, {day_text(e.date)}", (f,))
        the = "the " if d.entity_kinds.get(e.entity) == "model" else ""
        items.append(sentence(date_fig, f": {article} {what} involving {the}{e.entity}."))
    blocks.append(Bullets(tuple(items)))
    year = Period(date(d.year, 1, 1), min(d.as_of, month_end(d.year, 12)))
    sents: list[Sentence] = []
    for kind, metric, one, many in (("fatal_crash", "fatal_incidents", "fatal crash", "fatal crashes"),
                                    ("recall", "recalls", "recall", "recalls")):
        evs = [e for e in d.events if e.kind == kind and year.contains(e.date)]
        if not any(e.kind == kind for e in d.events):
            continue
        n = sum(int(e.attributes.get("count", 1)) for e in evs)
        facts = [d.event_facts[e.fact_id] for e in evs if e.fact_id in d.event_facts]
        fig = w.notes.figure(f"{n:,}", f"{d.name} {metric.replace('_', ' ')}, {d.year} (to {day_text(d.as_of)})", facts,
                             "events on record for the brand and its models")
        if kind == "fatal_crash":
            sents.append(sentence(f"In {d.year}, ", fig, f" {one if n == 1 else many} involving {d.name} cars "
                                  f"{'is' if n == 1 else 'are'} on record."))
        else:
            sents.append(sentence(f"{d.name} has ", fig, f" {one if n == 1 else many} on record in {d.year}."))
    if not d.events:
        sents.append(sentence(f"No fatal crashes or recalls involving {d.name} are on record on {day_text(d.as_of)}."))
    blocks.append(_para(*sents))
    # rates per 100,000 vehicles in service: a table, since a rate is redline's arithmetic, not a quoted figure
    by_entity: dict[str, list[Any]] = {}
    for r in d.rates:
        by_entity.setdefault(r.entity, []).append(r)
    missing: dict[str, list[str]] = {}
    understated: list[str] = []
    rows: list[tuple[Sentence, ...]] = []
    for who, rs in by_entity.items():
        have = {r.metric: r for r in rs if r.result is not None}
        for r in rs:
            if r.result is None:
                missing.setdefault(r.metric.replace("_", " "), []).append(who)
        if not have:
            continue
        first = next(iter(have.values())).result
        assert first is not None
        fl = first.fleet
        fleet_text = count_text(fl.interval) or fl.describe()
        fleet_fig = w.derived(fleet_text, f"{who} fleet, {fl.period.label()}", fl.facts,
                              "the sum of the figures listed" + ("; months without figures make it a lower bound"
                                                                  if "lower bound" in fl.note else ""))
        if fl.period.start.year >= d.year:
            understated.append(f"{who} (from {fl.period.start:%B %Y})")
        cells: list[Sentence] = [sentence(who)]
        for metric in ("fatal_incidents", "recalls"):
            r = have.get(metric)
            if r is None or r.result is None:
                cells.append(sentence("none on record"))
                continue
            res = r.result
            cells.append(sentence(w.notes.figure(count_text(res.events.interval) or res.events.describe(),
                                                 f"{who} {metric.replace('_', ' ')}, {d.year} (to {day_text(d.as_of)})",
                                                 res.events.facts, "events on record for the entity and its models")))
        cells.append(sentence(fleet_fig, f" ({fl.period.label()})"))
        for metric in ("fatal_incidents", "recalls"):
            r = have.get(metric)
            text = _rate_text(r.result.per_100k) if r is not None and r.result is not None else None
            if r is None or r.result is None or text is None:
                cells.append(sentence("no rate"))
                continue
            res = r.result
            what = "fatal crash" if metric == "fatal_incidents" else "recall"
            cells.append(sentence(w.derived(text, f"{who} {what} rate, {d.year}", res.events.facts + res.fleet.facts,
                                            "events on record this year ÷ fleet × 100,000")))
        rows.append(tuple(cells))
    if rows:
        blocks.append(_para(sentence(
            f"The table sets the events on record in {d.year} against each fleet: vehicles in service, counted as "
            "cumulative deliveries or sales since the first month on record."),
            sentence("Rates are per 100,000 in service.")))
        blocks.append(Table(("Entity", f"Fatal crashes, {d.year}", f"Recalls, {d.year}", "Vehicles in service",
                             "Fatal crash rate", "Recall rate"), tuple(rows)))
    rate_sents = []
    if understated:
        rate_sents.append(sentence(
            "Vehicles in service start at the first month on record, which falls in this year for " + _join(understated)
            + ": earlier sales are missing, so those fleets are understated and their rates overstated."))
    for what, whos in missing.items():
        rate_sents.append(sentence(f"No {what} are on record for {_join(whos)}; that is a gap in the store, "
                                   "not evidence that there were none."))
    if rate_sents:
        blocks.append(_para(*rate_sents))
    if any(r.result is not None for r in d.rates):
        blocks.append(ChartRef("safety"))
    if d.events or any(d.peer_events.values()):
        blocks.append(ChartRef("timeline"))
    return Section("safety", "Safety record", _blocks(*blocks))


def _rate_text(iv: Interval) -> str | None:
    import math

    if iv.is_point:
        return f"{iv.low:.2f}"
    if (iv.low <= 0 or math.isinf(iv.low)) and math.isfinite(iv.high):
        return f"{'fewer than' if iv.high_strict else 'at most'} {round_outward(iv.high, 2, up=True):.2f}"
    if math.isinf(iv.high) and iv.low > 0:
        return f"more than {round_outward(iv.low, 2, up=False):.2f}"
    if iv.bounded:
        return f"{(iv.low + iv.high) / 2:.2f}"
    return None


# -- resale ----------------------------------------------------------------------------------


def _resale(d: BriefData, w: Writer) -> Section:
    sents = []
    for r in d.resale:
        iv = r.retention_pct
        if not iv.bounded:
            continue
        pct = w.derived(f"{(iv.low + iv.high) / 2:.1f}%", f"{r.product} resale retention", (r.resale, r.new),
                        "resale price ÷ list price, same currency")
        sents.append(sentence(f"The {r.product}'s resale price of ", w.fact(r.resale), f" {r.resale.unit} in "
                              f"{r.resale.period.label()} is ", pct, f" of its list price of ", w.fact(r.new),
                              f" {r.new.unit}."))
    if not sents:
        sents.append(sentence(f"No resale prices are on record for {d.name} or its models, so resale retention "
                              "cannot be computed."))
    return Section("resale", "Resale signal", _blocks(_para(*sents)))


# -- data notes -------------------------------------------------------------------------------


def _data_notes(d: BriefData, w: Writer) -> Section:
    items: list[Sentence] = []
    noun = _noun(d.metric, d)
    items.append(sentence(
        "Definitions: deliveries are vehicles handed to customers as the company reports them; retail sales are "
        "CPCA retail counts; a market share is a share stated by a source, or else the entity's retail sales "
        "(or deliveries) divided by the market's retail sales; vehicles in service are cumulative deliveries "
        "(or sales) since the first month on record, so months without figures make them a lower bound."))
    bound_months = [p.period for p in d.history if p.basis == "bound" or (p.basis == "imputed" and p.bound)]
    if bound_months:
        items.append(sentence(
            f"Months known only as bounds: {_month_list(bound_months)}. The text quotes the bounds as the sources "
            "give them. Where a quarterly total covers such months, the charts and the forecast share the total "
            "among them in proportion to their bounds; elsewhere they raise the bound by the median amount by which "
            "earlier bounds fell short of the totals reported later."))
    missing = [p.period for p in d.history if p.basis == "missing"]
    if missing:
        items.append(sentence(f"Months with no {noun} figure on record: {_month_list(missing)}."))
    late = _published_late(d)
    if late:
        items.append(sentence(
            f"Figures published in {d.as_of:%B %Y} without a day ({late}) count as known only from "
            f"{day_text(month_end(d.as_of.year, d.as_of.month))} and are left out."))
    items.append(sentence(
        f"Forecast: a Monte Carlo simulation of the months left in {d.year}. A straight line is fitted to the "
        "logarithm of monthly volume over the last year of history; each simulated path draws the line's level, "
        "trend and noise from their posterior under a flat prior, damps the trend month by month, and adds the "
        "simulated months to the months already known. The interval runs from the tenth to the ninetieth "
        "percentile of the simulated totals. The simulation is seeded, so the same facts give the same figures."))
    bt = d.backtest
    if bt.cases and bt.coverage is not None:
        held = w.derived(f"{bt.covered:,}", "back-test: intervals that held the reported total", (),
                         f"{len(bt.cases)} forecasts made at month-ends; " + "; ".join(f"{e} {y}" for e, y in bt.years))
        n = w.derived(f"{len(bt.determined):,}", "back-test: forecasts with a known outcome", (),
                      "forecasts of past year totals made at each month-end of the year, each from only the facts "
                      "published by that day about periods over by then (bound months shared out and the bound "
                      "uplift learned from those facts alone)")
        cov = w.derived(f"{bt.coverage * 100:.0f}%", "back-test: observed coverage of the 80% interval", (),
                        "intervals that held the reported total ÷ forecasts with a known outcome")
        years = _join([f"{e} {y}" for e, y in bt.years])
        items.append(sentence(
            "Back-test: forecasting each past year's total at each of its month-ends, from only the figures "
            "published by that day, the 80% interval held the reported total in ", held, " of ", n, " forecasts (", cov,
            f" observed coverage), over {years}."))
    elif not bt.cases:
        items.append(sentence("Back-test: no past year with a known total and enough monthly history is on record on "
                              f"{day_text(d.as_of)}, so the interval's coverage cannot be checked yet."))
    for gap in d.gaps:
        items.append(sentence(gap))
    if d.other_metrics:
        items.append(sentence(f"The store also holds {_join(d.other_metrics)} figures for {d.name}, which this brief "
                              "does not cover."))
    if not d.resale:
        items.append(sentence(f"No resale prices are on record for {d.name} or its models."))
    return Section("data-notes", "Data notes", _blocks(Bullets(tuple(items))))


def _month_list(periods: list[Period]) -> str:
    """'January–June 2025, October 2025': runs of consecutive months, each named once."""
    runs: list[list[Period]] = []
    for p in periods:
        if runs and runs[-1][-1].shift_months(1) == p:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ", ".join(r[0].label() if len(r) == 1 else Period(r[0].start, r[-1].end).label() for r in runs)


def _published_late(d: BriefData) -> str:
    labels = [f"{d.name}'s {METRIC_NOUN.get(f.metric, f.metric)} for {f.period.label()}" for f in d.late]
    return "; ".join(dict.fromkeys(labels))


# -- assembly ---------------------------------------------------------------------------------


def key_points(d: BriefData, insights: list[Insight]) -> Section:
    if not insights:
        return Section("key-points", "Key points", (Paragraph((sentence(
            f"Too few figures on {d.name} are on record on {day_text(d.as_of)} to single out key points; the sections "
            "below say what is there and what is missing."),)),))
    return Section("key-points", "Key points", (Bullets(tuple(i.headline for i in insights)),))


def build_sections(d: BriefData, w: Writer, top: list[Insight]) -> list[Section]:
    return [
        key_points(d, top),
        _trajectory(d, w),
        _pace(d, w),
        _targets(d, w),
        _market(d, w),
        _safety(d, w),
        _resale(d, w),
        _data_notes(d, w),
    ]

