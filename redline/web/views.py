"""What the pages show, computed from the store: the home page's latest figures and trend lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..catalog import ENTITY_KINDS, VOLUME_METRICS
from ..store import Fact, Store

__all__ = ["EntityRow", "Trend", "overview"]


@dataclass(frozen=True)
class Trend:
    """A small line chart of a monthly (or quarterly) series, as SVG polyline points."""

    metric: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    width: int = 140
    height: int = 32

    @property
    def points(self) -> str:
        lo, hi = min(self.values), max(self.values)
        span = (hi - lo) or 1.0
        n = len(self.values)
        step = (self.width - 4) / max(n - 1, 1)
        return " ".join(
            f"{2 + i * step:.1f},{self.height - 3 - (v - lo) / span * (self.height - 6):.1f}"
            for i, v in enumerate(self.values)
        )

    @property
    def last_point(self) -> tuple[str, str]:
        x, y = self.points.split(" ")[-1].split(",")
        return x, y

    @property
    def summary(self) -> str:
        return f"{self.metric}, {self.labels[0]} to {self.labels[-1]}: " + ", ".join(
            f"{label} {value:,.0f}" for label, value in zip(self.labels, self.values)
        )


@dataclass(frozen=True)
class EntityRow:
    name: str
    kind: str
    parent: str | None
    latest: Fact | None
    trend: Trend | None
    n_facts: int


def _trend(facts: list[Fact], metric: str, *, points: int = 12) -> Trend | None:
    for kind in ("month", "quarter"):
        series = sorted((f for f in facts if f.metric == metric and f.period.kind == kind and f.qualifier == "exact"),
                        key=lambda f: f.period.start)
        if len(series) >= 3:
            tail = series[-points:]
            return Trend(metric, tuple(f.period.label() for f in tail), tuple(f.value for f in tail))
    return None


def overview(store: Store, /, *, as_of: date | None = None) -> list[EntityRow]:
    """Every entity with facts: its latest volume figure (or latest figure) and a trend of its volume."""
    by_entity: dict[str, list[Fact]] = {}
    for f in store.facts(as_of=as_of):
        by_entity.setdefault(f.entity, []).append(f)
    rows = []
    for entity in store.entities().values():
        facts = by_entity.get(entity.name, [])
        if not facts:
            continue
        volume = next((m for m in VOLUME_METRICS if any(f.metric == m for f in facts)), None)
        pool = [f for f in facts if f.metric == volume] if volume else facts
        latest = max(pool, key=lambda f: (f.period.end, -f.period.n_days, f.known_from, f.id))
        rows.append(EntityRow(entity.name, entity.kind, entity.parent, latest,
                              _trend(facts, volume) if volume else None, len(facts)))
    order = {k: i for i, k in enumerate(ENTITY_KINDS)}
    return sorted(rows, key=lambda r: (order.get(r.kind, 99), r.name.lower()))
