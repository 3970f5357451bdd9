"""What redline knows about: metrics and entities.

A :class:`Metric` says how a figure behaves over time (its aggregation), what
it is measured in, and which phrases name it. An :class:`Entity` is a
company, brand, model, market or product, with a parent and aliases.

The built-in metrics below seed every new store; both registries live in the
database afterwards and can be extended from the CLI (``redline entities add``,
``redline metrics add``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = [
    "Aggregation",
    "Metric",
    "Entity",
    "launch_date",
    "ENTITY_KINDS",
    "BUILTIN_METRICS",
    "GENERIC_VOLUME_PHRASES",
    "VOLUME_METRICS",
    "SERIES",
    "DEFAULT_SERIES",
    "default_series",
]

Aggregation = Literal["sum", "last", "none"]
ENTITY_KINDS = ("company", "brand", "model", "market", "product")


@dataclass(frozen=True)
class Metric:
    """A measured quantity.

    ``aggregation`` decides how finer facts roll up: ``sum`` for flows over
    time (deliveries, sales, recalls), ``last`` for cumulative counts
    (cumulative production, locked orders: a period's value is the count at
    its end, from a fact ending that day and counting from the period's start
    or earlier), ``none`` for levels that never add up (market share, prices,
    targets). ``event_kind`` marks metrics whose
    facts are individual dated events (a fatal crash, a recall campaign): a
    count over any span is the number of events on record in it.
    """

    name: str
    unit: str
    aggregation: Aggregation
    aliases: tuple[str, ...] = ()
    description: str = ""
    event_kind: str | None = None
    target_of: str | None = None

    @property
    def summable(self) -> bool:
        return self.aggregation == "sum"


@dataclass(frozen=True)
class Entity:
    name: str
    kind: str
    parent: str | None = None
    aliases: tuple[str, ...] = field(default=())
    note: str = ""

    @property
    def launched(self) -> date | None:
        """The launch date its note declares ('launched 2025-06-26'), if any."""
        return launch_date(self.note)


_LAUNCHED = re.compile(r"launched\s+(\d{4}-\d{2}-\d{2})", re.I)


def launch_date(note: str | None) -> date | None:
    """The date in 'launched YYYY-MM-DD' within an entity's note, or None."""
    found = _LAUNCHED.search(note or "")
    if found is None:
        return None
    try:
        return date.fromisoformat(found.group(1))
    except ValueError:
        return None


VOLUME_METRICS = ("deliveries", "sales")
"""Metrics a generic volume word ("units", "cars sold", "moved") may mean."""

SERIES = {
    "deliveries": "vehicles handed to customers, as the company reports them",
    "retail": "sales to end customers in a market (CPCA retail)",
    "wholesale": "shipments from factories to dealers, exports included (CPCA wholesale, a company's 'sales')",
    "exports": "vehicles shipped abroad from a country's factories",
    "insurance_registrations": "new insurance registrations (weekly or monthly counts)",
    "production": "vehicles built",
}
"""The volume series a fact may belong to; each volume fact is in exactly one (empty for other metrics)."""

DEFAULT_SERIES: dict[tuple[str, str | None], str] = {
    ("deliveries", None): "deliveries",
    ("production", None): "production",
    ("sales", None): "retail",
    ("sales", "Tesla Giga Shanghai"): "wholesale",
    ("sales", "BYD"): "wholesale",
    ("sales", "BYD passenger cars"): "wholesale",
    ("sales", "China NEV market (CAAM)"): "wholesale",
}
"""The series a volume fact is in when its row names none: (metric, entity) first, then (metric, None).

A company's own monthly "sales" (BYD's filings) are shipments, exports included; CPCA's
series for a maker or the market are retail unless the entity is a factory (Giga Shanghai).
"""


def default_series(metric: str, entity: str | None = None) -> str | None:
    """The series of a ``metric`` fact of ``entity`` whose row names none (None for non-volume metrics)."""
    return DEFAULT_SERIES.get((metric, entity)) or DEFAULT_SERIES.get((metric, None))


GENERIC_VOLUME_PHRASES = (
    "cars sold",
    "vehicles sold",
    "units sold",
    "units",
    "sold",
    "moved",
    "volume",
    "volumes",
    "cars",
    "vehicles",
)


BUILTIN_METRICS: tuple[Metric, ...] = (
    Metric(
        "deliveries",
        "vehicles",
        "sum",
        ("deliveries", "delivered", "handed over", "handovers", "deliver"),
        "Vehicles delivered to customers, as the company reports them.",
    ),
    Metric(
        "sales",
        "vehicles",
        "sum",
        ("retail sales", "retail", "sales", "registrations", "insurance registrations", "shipments", "wholesale"),
        "Vehicles sold as counted by an industry body (CPCA retail, wholesale) or the company's 'sales'.",
    ),
    Metric(
        "production",
        "vehicles",
        "sum",
        ("production", "produced", "output", "built", "manufactured", "rolled off"),
        "Vehicles produced.",
    ),
    Metric(
        "delivery_target",
        "vehicles",
        "none",
        ("delivery target", "sales target", "target", "goal", "guidance", "delivery goal", "sales goal"),
        "A stated annual goal; every revision is kept as a version.",
        target_of="deliveries",
    ),
    Metric(
        "market_share",
        "percent",
        "none",
        ("market share", "share of the market", "share", "penetration"),
        "Share of a named market (the fact's market column says which).",
    ),
    Metric(
        "pre_orders",
        "orders",
        "none",
        ("pre-orders", "preorders", "pre-order", "reservations", "orders", "bookings"),
        "Refundable orders or reservations within a stated window.",
    ),
    Metric(
        "locked_orders",
        "orders",
        "last",
        ("locked orders", "lock-in orders", "firm orders", "locked-in orders", "non-refundable orders"),
        "Non-refundable orders, cumulative to the period end.",
    ),
    Metric("price_new", "CNY", "none", ("price", "priced at", "starting price", "base price", "costs", "retail price"), "List price of a new product."),
    Metric("price_resale", "USD", "none", ("resale price", "resale", "refurbished", "used price", "sells for"), "Price on resale or refurbished markets."),
    Metric("revenue", "CNY_bn", "sum", ("revenue", "revenues", "sales revenue", "turnover"), "Revenue, billions of yuan unless the unit says otherwise."),
    Metric(
        "fatal_incidents",
        "incidents",
        "sum",
        ("fatal accidents", "fatal accident", "fatal crashes", "fatal crash", "deadly crashes", "fatalities", "deaths", "fatal incidents"),
        "Crashes with at least one death; each on-record event is a one-day fact.",
        event_kind="fatal_crash",
    ),
    Metric(
        "recalls",
        "campaigns",
        "sum",
        ("recalls", "recall", "recall campaigns"),
        "Recall campaigns filed with a regulator; each is a one-day fact.",
        event_kind="recall",
    ),
    Metric(
        "vehicles_recalled",
        "vehicles",
        "none",
        ("vehicles recalled", "cars recalled", "units recalled", "recalling"),
        "Vehicles covered by a recall; the period is the build window.",
    ),
    Metric(
        "milestone_cumulative_production",
        "vehicles",
        "last",
        ("cumulative production", "th car", "th vehicle", "rolled off the line"),
        "Cumulative vehicles produced since launch, at the period end.",
    ),
    Metric("adas_warning_lead_time", "seconds", "none", ("warning",), "Lead time of a driver-assistance warning before impact."),
    Metric("share_price", "percent", "none", ("shares", "stock", "share price"), "Share price or its change."),
    Metric("store_closures", "stores", "none", ("stores", "closing"), "Stores closed."),
)
