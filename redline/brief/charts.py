"""Charts of a brief, built with Altair and rendered offline to SVG and PNG by vl-convert.

Every chart names its unit on the axis and its sources in its footer, and is
returned with a caption for the brief. Rendering needs no network: vl-convert
bundles Vega and Vega-Lite, and the SVG is embedded inline in the HTML brief.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from typing import Any, Iterable, Sequence
from urllib.parse import urlparse

import altair as alt
import vl_convert as vlc

from ..store import Fact
from .gather import BriefData
from ..markup import is_web_url

__all__ = ["Chart", "build_charts", "render"]

FONT = "Helvetica, Arial, sans-serif"
WIDTH = 560
HEIGHT = 260
COLOURS = {"reported": "#1f5fa8", "estimated": "#9ec3e6", "lower bound": "#9ec3e6"}
PALETTE = ["#1f5fa8", "#d1495b", "#2a9d8f", "#e9a03b", "#6c5b7b", "#8d99ae", "#b5651d", "#3d5a80", "#81b29a", "#e07a5f"]

MAKER_COLOURS = {
    "Xiaomi": "#e07a5f", "BYD": "#1f5fa8", "Tesla": "#d1495b", "Tesla China": "#d1495b", "NIO": "#2a9d8f",
    "XPeng": "#e9a03b", "Li Auto": "#6c5b7b", "Leapmotor": "#81b29a",
}
"""One colour per maker in every chart of every brief, declared here once; other entities get a colour
from a hash of their name (the same in every brief), moved on to the next free one in a chart that
would otherwise show two entities alike."""


def maker_colours(names: Sequence[str]) -> list[str]:
    """The colour of each entity in ``names``, for one chart: its own, and never two alike."""
    used: set[str] = set()
    out = []
    for name in sorted(names, key=lambda n: n not in MAKER_COLOURS):  # declared makers keep theirs
        colour = MAKER_COLOURS.get(name) or PALETTE[zlib.crc32(name.encode("utf-8")) % len(PALETTE)]
        start = PALETTE.index(colour) if colour in PALETTE else 0
        for k in range(len(PALETTE)):
            if colour not in used:
                break
            colour = PALETTE[(start + k + 1) % len(PALETTE)]
        used.add(colour)
        out.append((name, colour))
    by_name = dict(out)
    return [by_name[n] for n in names]


@dataclass(frozen=True)
class Chart:
    """One chart: its Vega-Lite spec, a caption, the facts it draws on, and (once rendered) SVG and PNG."""

    name: str
    title: str
    caption: str
    alt: str
    spec: dict[str, Any]
    facts: tuple[Fact, ...]
    svg: str = ""
    png: bytes = b""

    def sources(self) -> list[str]:
        return _domains(self.facts)


def _domains(facts: Iterable[Fact]) -> list[str]:
    out: dict[str, None] = {}
    for f in facts:
        if is_web_url(f.source_url):  # a javascript: or relative source has no host to name
            host = urlparse(f.source_url).netloc
            out.setdefault(host[4:] if host.startswith("www.") else host, None)
    return sorted(out)


def _footer(facts: Iterable[Fact]) -> str:
    domains = _domains(facts)
    shown = ", ".join(domains[:5]) + (f" and {len(domains) - 5} more" if len(domains) > 5 else "")
    return f"Sources: {shown}" if shown else "Sources: none on record"


def _config(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec = chart.configure(font=FONT).configure_axis(labelFontSize=11, titleFontSize=12).configure_legend(
        labelFontSize=11, titleFontSize=11, orient="bottom").configure_title(fontSize=14, anchor="start",
                                                                               subtitleFontSize=11).configure_view(
        stroke=None).to_dict()
    spec.pop("$schema", None)
    return spec


def _title(text: str, facts: Iterable[Fact]) -> alt.TitleParams:
    return alt.TitleParams(text=text, subtitle=_footer(facts), subtitleColor="#57606a")


# -- monthly volume with the target pace ---------------------------------------------------


def monthly_chart(d: BriefData) -> Chart | None:
    points = [p for p in d.history if p.estimate and p.period.start.year >= d.year - 1]
    if not points:
        return None
    rows = []
    facts: list[Fact] = []
    for p in points:
        label = "reported" if p.basis == "reported" else "lower bound" if p.basis == "bound" else "estimated"
        rows.append({"month": p.period.start.isoformat(), "vehicles": round(p.estimate or 0),
                     "basis": {"reported": "reported", "estimated": "share of a quarterly total",
                               "lower bound": "bound raised by learned uplift"}[label],
                     "bound": p.bound})
        facts.extend(p.facts)
    unit = "Vehicles per month"
    noun = "deliveries" if d.metric == "deliveries" else d.sales_word(d.name)
    basis_domain = ["reported", "share of a quarterly total", "bound raised by learned uplift"]
    bars = alt.Chart(alt.Data(values=rows)).mark_bar(width={"band": 0.8}).encode(
        x=alt.X("month:T", timeUnit="yearmonth", title=None, axis=alt.Axis(format="%b %y", labelAngle=0)),
        y=alt.Y("vehicles:Q", title=unit, axis=alt.Axis(format=",d")),
        color=alt.Color("basis:N", title=None, scale=alt.Scale(domain=basis_domain,
                        range=["#1f5fa8", "#9ec3e6", "#cfe1f2"])),
        tooltip=[alt.Tooltip("month:T", timeUnit="yearmonth", title="Month"),
                 alt.Tooltip("vehicles:Q", format=",d", title="Vehicles"), alt.Tooltip("basis:N", title="Basis")],
    )
    layers: list[Any] = [bars]
    bound_rows = [r for r in rows if r["bound"]]
    if bound_rows:
        layers.append(alt.Chart(alt.Data(values=bound_rows)).mark_tick(color="#1f2328", thickness=2, size=14).encode(
            x=alt.X("month:T", timeUnit="yearmonth"), y=alt.Y("bound:Q"),
            tooltip=[alt.Tooltip("bound:Q", format=",d", title="Stated as more than")]))
    rules = []
    if d.year in d.revisions:
        target = d.revisions[d.year][-1]
        facts.append(target)
        rules.append({"start": f"{d.year}-01-01", "end": f"{d.year}-12-31", "y": target.value / 12,
                      "label": f"target pace: {target.value / 12:,.0f} a month"})
        if d.pace and d.pace.required_monthly is not None and d.pace.months_left:
            need = d.pace.required_monthly.high
            if math.isfinite(need) and need > 0:
                first = 12 - d.pace.months_left + 1
                rules.append({"start": f"{d.year}-{first:02d}-01", "end": f"{d.year}-12-31", "y": need,
                              "label": f"needed: under {math.ceil(need):,}"})
    if rules:
        # extend the x domain to December so the target line shows the months left
        layers.append(alt.Chart(alt.Data(values=rules)).mark_rule(color="#d1495b", strokeDash=[5, 3], size=2).encode(
            x=alt.X("start:T", timeUnit="yearmonth"), x2="end:T", y="y:Q"))
        layers.append(alt.Chart(alt.Data(values=rules)).mark_text(align="left", dy=-7, color="#d1495b", fontSize=11).encode(
            x=alt.X("start:T", timeUnit="yearmonth"), y="y:Q", text="label:N"))
    years = sorted({p.period.start.year for p in points})
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"  # the years drawn, not assumed
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT,
                                         title=_title(f"{d.name}: monthly {noun}, {span}", facts))
    kinds = {r["basis"] for r in rows}
    caption = f"Monthly {noun} of {d.name}. " + (
        "Dark bars are reported monthly figures; lighter bars are estimates (a share of a reported quarterly "
        "total, or a stated lower bound raised by the learned uplift; black ticks mark the bound)."
        if kinds != {"reported"} else "Every bar is a reported monthly figure.")
    if rules:  # say what is drawn, and only that
        caption += " The dashed line is the average monthly pace the current target needs."
    return Chart("monthly", f"{d.name} monthly {noun}", caption,
                 f"Bar chart of {d.name}'s monthly {noun}" + (" with the target pace line" if rules else ""),
                 _config(chart), tuple(facts))


# -- forecast fan ------------------------------------------------------------------------------


def forecast_chart(d: BriefData) -> Chart | None:
    fc = d.forecast
    if fc is None:
        return None
    facts = [f for p in d.history for f in p.facts]
    observed, fan = [], []
    for row in fc.fan:
        month = f"{row['month']}-01"
        if row["observed"]:
            observed.append({"month": month, "vehicles": round(row["median"]), "series": "year to date (estimated where bounds)"})
        if not row["observed"] or len(observed) == fc.last_month and row["month"].endswith(f"{fc.last_month:02d}"):
            fan.append({"month": month, "low": round(row["low"]), "high": round(row["high"]), "median": round(row["median"])})
    y = alt.Y("vehicles:Q", title=f"Cumulative vehicles, {d.year}", axis=alt.Axis(format=",d"))
    layers: list[Any] = []
    if fan:
        base = alt.Chart(alt.Data(values=fan))
        layers.append(base.mark_area(opacity=0.3, color="#1f5fa8").encode(
            x=alt.X("month:T", timeUnit="yearmonth", title=None, axis=alt.Axis(format="%b", labelAngle=0)),
            y=alt.Y("low:Q", title=f"Cumulative vehicles, {d.year}", axis=alt.Axis(format=",d")), y2="high:Q",
            tooltip=[alt.Tooltip("month:T", timeUnit="yearmonth", title="Month"),
                     alt.Tooltip("low:Q", format=",d", title="10th percentile"),
                     alt.Tooltip("median:Q", format=",d", title="Median"),
                     alt.Tooltip("high:Q", format=",d", title="90th percentile")]))
        layers.append(base.mark_line(strokeDash=[4, 3], color="#1f5fa8").encode(
            x=alt.X("month:T", timeUnit="yearmonth"), y="median:Q"))
    if observed:
        layers.append(alt.Chart(alt.Data(values=observed)).mark_line(point=True, color="#1f2328").encode(
            x=alt.X("month:T", timeUnit="yearmonth", title=None, axis=alt.Axis(format="%b", labelAngle=0)), y=y))
    if fc.target is not None:
        facts.append(fc.target)
        t = [{"y": fc.target.value, "label": f"target {fc.target.value:,.0f}", "month": f"{d.year}-01-01"}]
        layers.append(alt.Chart(alt.Data(values=t)).mark_rule(color="#d1495b", strokeDash=[5, 3], size=2).encode(y="y:Q"))
        layers.append(alt.Chart(alt.Data(values=t)).mark_text(align="left", dy=-7, color="#d1495b", fontSize=11).encode(
            x=alt.X("month:T", timeUnit="yearmonth"), y="y:Q", text="label:N"))
    noun = "deliveries" if d.metric == "deliveries" else d.sales_word(d.name)
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT, title=_title(
        f"{d.name}: {d.year} {noun} so far and forecast (80% band)", facts))
    caption = (f"Cumulative {noun} of {d.name} in {d.year}: the solid line is the year so far, the band is the "
               "simulation's 80% interval for the months left and the dashed line its median; the red line is the "
               "current target.")
    return Chart("forecast", f"{d.name} {d.year} forecast", caption,
                 f"Fan chart of {d.name}'s cumulative {d.year} {noun} with the forecast band and the target",
                 _config(chart), tuple(facts))


# -- market share -------------------------------------------------------------------------------


def share_chart(d: BriefData) -> Chart | None:
    rows, facts = [], []
    for who, series in d.shares.items():
        for s in series:
            if s.period.kind != "month":
                continue
            iv = s.share_pct
            if iv.bounded:
                value, kind = (iv.low + iv.high) / 2, "stated or computed"
            elif math.isinf(iv.high) and iv.low > 0:
                value, kind = iv.low, "lower bound"
            else:
                continue
            rows.append({"month": s.period.start.isoformat(), "share": round(value, 2), "entity": who, "kind": kind,
                         "method": s.method})
            facts.extend(s.facts)
    if not any(r["entity"] == d.name for r in rows):
        return None  # a brief's share chart without its subject would be a chart about others
    names = [d.name] + [n for n in dict.fromkeys(r["entity"] for r in rows) if n != d.name]
    _mark_runs(rows)
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("month:T", timeUnit="yearmonth", title=None, axis=alt.Axis(format="%b %y", labelAngle=0)),
        y=alt.Y("share:Q", title=f"Share of the {d.market} (%)"),
        color=alt.Color("entity:N", title=None, scale=alt.Scale(domain=names, range=maker_colours(names))),
        tooltip=[alt.Tooltip("entity:N", title="Entity"), alt.Tooltip("month:T", timeUnit="yearmonth", title="Month"),
                 alt.Tooltip("share:Q", format=".2f", title="Share (%)"), alt.Tooltip("method:N", title="How")],
    )
    chart = alt.layer(
        base.mark_line().encode(detail="run:N"),  # one line per run of consecutive months: a gap stays a gap
        base.mark_point(filled=True, size=40).encode(shape=alt.Shape("kind:N", title=None, scale=alt.Scale(
            domain=["stated or computed", "lower bound"], range=["circle", "triangle-up"]))),
    ).properties(width=WIDTH, height=HEIGHT, title=_title(f"Monthly share of the {d.market}", facts))
    caption = (f"Monthly share of the {d.market} for {', '.join(names)}: a share a source states, or else retail "
               "sales (or deliveries) divided by the market's retail sales; triangles are lower bounds; a "
               "month with no figure is a gap in the line. Entities that never quote a share of this market are "
               "left out.")
    return Chart("share", "Market share", caption, f"Line chart of monthly share of the {d.market}", _config(chart),
                 tuple(facts))


def _mark_runs(rows: list[dict[str, Any]]) -> None:
    """Give each row a ``run``: the entity and the first month of its run of consecutive months."""
    by_entity: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_entity.setdefault(r["entity"], []).append(r)
    for who, series in by_entity.items():
        series.sort(key=lambda r: r["month"])
        run, previous = None, None
        for r in series:
            y, m = int(r["month"][:4]), int(r["month"][5:7])
            if previous is None or (y * 12 + m) - previous != 1:
                run = f"{who}|{r['month']}"
            r["run"], previous = run, y * 12 + m


# -- safety -------------------------------------------------------------------------------------


def safety_chart(d: BriefData) -> Chart | None:
    rows, facts = [], []
    for r in d.rates:
        if r.result is None:
            continue
        iv = r.result.per_100k
        if iv.is_point:
            value, note = iv.low, ""
        elif math.isfinite(iv.high):
            value, note = iv.high, "upper bound"
        else:
            continue
        label = ("≤ " if note else "") + f"{value:.2f}"
        rows.append({"entity": r.entity, "metric": r.metric.replace("_", " "), "rate": round(value, 3),
                     "label": label, "events": r.result.events.describe(), "fleet": r.result.fleet.describe()})
        facts.extend(r.result.events.facts + r.result.fleet.facts)
    if not rows:
        return None
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("entity:N", title=None, sort=[d.name] + [p.name for p in d.peers]),
        x=alt.X("rate:Q", title=f"Events in {d.year} per 100,000 in service"),
        yOffset=alt.YOffset("metric:N"),
        color=alt.Color("metric:N", title=None, scale=alt.Scale(domain=["fatal incidents", "recalls"],
                                                                range=["#d1495b", "#e9a03b"])),
        tooltip=[alt.Tooltip("entity:N"), alt.Tooltip("metric:N"), alt.Tooltip("label:N", title="Per 100,000"),
                 alt.Tooltip("events:N", title="Events"), alt.Tooltip("fleet:N", title="Vehicles in service")],
    )
    chart = alt.layer(base.mark_bar(), base.mark_text(align="left", dx=3, fontSize=11).encode(text="label:N")).properties(
        width=WIDTH - 80, height=max(80, 36 * len({r["entity"] for r in rows})),
        title=_title(f"Fatal incidents and recalls per 100,000 in service, {d.year}", facts))
    caption = ("Rates per 100,000 in service: events on record this year divided by the fleet (cumulative deliveries "
               "or sales since the first month on record). '≤' marks an upper bound (the fleet is a lower bound). "
               "Entities with no events of a kind on record are left out rather than shown as zero.")
    return Chart("safety", "Safety events per 100,000 vehicles", caption,
                 "Bar chart of fatal incidents and recalls per 100,000 in service", _config(chart), tuple(facts))


def timeline_chart(d: BriefData) -> Chart | None:
    rows, facts = [], []
    groups = [(d.name, d.events)] + [(k, v) for k, v in d.peer_events.items()]
    for who, events in groups:
        for e in events:
            rows.append({"date": e.date.isoformat(), "entity": who, "model": e.entity,
                         "kind": {"fatal_crash": "fatal crash", "recall": "recall"}.get(e.kind, e.kind)})
            if e.fact_id in d.event_facts:
                facts.append(d.event_facts[e.fact_id])
    if not rows:
        return None
    chart = alt.Chart(alt.Data(values=rows)).mark_point(filled=True, size=90, opacity=0.85).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0),
                scale=alt.Scale(domain=[min(r["date"] for r in rows), d.as_of.isoformat()])),
        y=alt.Y("entity:N", title=None, sort=[g[0] for g in groups], scale=alt.Scale(domain=[g[0] for g in groups])),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["fatal crash", "recall"], range=["#d1495b", "#e9a03b"])),
        shape=alt.Shape("kind:N", title=None, scale=alt.Scale(domain=["fatal crash", "recall"], range=["diamond", "circle"])),
        tooltip=[alt.Tooltip("date:T", title="Date"), alt.Tooltip("model:N", title="Model or scope"),
                 alt.Tooltip("kind:N", title="Event")],
    ).properties(width=WIDTH, height=max(60, 34 * len(groups)),
                 title=_title("Fatal crashes and recalls on record", facts))
    caption = ("Each mark is one event on record (a recall filed the same day as another may be one mark). "
               "Only events the store holds are shown; an empty row means no record, not no events.")
    return Chart("timeline", "Safety events timeline", caption, "Timeline of fatal crashes and recalls", _config(chart),
                 tuple(facts))


# -- rendering -----------------------------------------------------------------------------------


def build_charts(d: BriefData) -> list[Chart]:
    out = []
    for fn in (monthly_chart, forecast_chart, share_chart, safety_chart, timeline_chart):
        c = fn(d)
        if c is not None:
            out.append(c)
    return out


def render(chart: Chart, *, png: bool = True, scale: float = 2.0) -> Chart:
    """The chart with its SVG (and PNG) rendered offline by vl-convert."""
    svg = vlc.vegalite_to_svg(chart.spec)
    image = vlc.svg_to_png(svg, scale=scale) if png else b""  # from the SVG: same picture, half the time
    return Chart(chart.name, chart.title, chart.caption, chart.alt, chart.spec, chart.facts, svg, image)
