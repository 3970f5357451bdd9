"""An in-memory, read-only copy of a store's facts and registries.

Extraction and verification are pure functions of (text, snapshot): a
snapshot holds no database connection, so it can be pickled and broadcast
(for example to Spark executors) and audits over it need no I/O. It answers
the same read calls as :class:`~redline.store.Store` (``facts``,
``versions``, ``events``, ``entity``, ``metric``…), so every analytics
function accepts either.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, Callable, Iterable, Literal, TypeVar

from ..catalog import Entity, Metric
from ..periods import Period
from .records import Event, Fact
from .registry import RegistryLookups

if TYPE_CHECKING:
    from . import Store


def _version_key(f: Fact) -> tuple[object, ...]:
    return (f.known_from, f.recorded_at, f.id)


Knowledge = Literal["latest", "earliest"]
T = TypeVar("T")


def earliest_known(f: Fact, *, forward_looking: bool = False) -> date:
    """The first day a fact may have been known.

    A figure published "2025-11" may be known from 1 November, but a measured
    figure never before its period ends (a milestone reached on 20 November
    is not known on the 3rd). Forward-looking figures (targets) can be.
    """
    p = (f.published or "").strip()
    if len(p) == 7 and p[4] == "-":
        first = date(int(p[:4]), int(p[5:7]), 1)
    elif len(p) == 4 and p.isdigit():
        first = date(int(p), 1, 1)
    else:
        return f.known_from
    if not forward_looking:
        first = max(first, f.period.end)
    return min(first, f.known_from)


def earliest_or_latest(published: str, knowledge: Knowledge) -> date:
    """When a publication date (YYYY, YYYY-MM or YYYY-MM-DD) makes a figure known."""
    from ..periods import Period as _Period

    span = _Period.parse(published.strip())
    return span.start if knowledge == "earliest" else span.end


class Snapshot(RegistryLookups):
    """Facts (every version), metrics and entities, held in memory."""

    def __init__(
        self,
        facts: Iterable[Fact],
        metrics: dict[str, Metric],
        entities: dict[str, Entity],
        *,
        knowledge: Knowledge = "latest",
        events: Iterable[Event] = (),
    ):
        if knowledge == "earliest":
            ahead = {m.name for m in metrics.values() if m.target_of}
            facts = [dataclasses.replace(f, known_from=earliest_known(f, forward_looking=f.metric in ahead)) for f in facts]
        self.knowledge = knowledge
        self._events = [e for e in events if e.fact_id is None]
        self._metrics = dict(metrics)
        self._entities = dict(entities)
        self._alias_index = None
        self._by_pair: dict[tuple[str, str], list[Fact]] = {}
        self._all: list[Fact] = []
        for f in sorted(facts, key=lambda f: (f.entity, f.metric, f.period.start, f.period.end, f.known_from, f.id)):
            self._by_pair.setdefault((f.entity, f.metric), []).append(f)
            self._all.append(f)
        self._by_entity: dict[str, list[Fact]] = {}
        for f in self._all:
            self._by_entity.setdefault(f.entity, []).append(f)
        self._children: dict[str, list[Entity]] = {}
        for e in self._entities.values():
            if e.parent:
                self._children.setdefault(e.parent, []).append(e)
        self._event_metrics = {m.name: m.event_kind for m in self._metrics.values() if m.event_kind}
        self._derived: dict[str, object] = {}

    @classmethod
    def from_store(
        cls, store: "Store", /, *, entities: Iterable[str] | None = None, knowledge: Knowledge = "latest"
    ) -> "Snapshot":
        """Copy the store (or only the given entities' facts) into memory.

        ``knowledge`` says when a fact published with only a month (or year)
        counts as known: at its end (``latest``, the strict default of "as of"
        queries) or at its start (``earliest``, the auditor's benefit of the
        doubt: an article of 25 November may cite a figure published "2025-11").
        """
        names = None if entities is None else sorted(set(entities))
        if names is None:
            facts = store.facts(latest_only=False)
        else:
            facts = [f for name in names for f in store.facts(entity=name, latest_only=False)]
        explicit = store.recorded_events(entities=names)
        return cls(facts, store.metrics(), store.entities(), knowledge=knowledge, events=explicit)

    # -- registries ------------------------------------------------------------
    def metrics(self) -> dict[str, Metric]:
        return self._metrics

    def entities(self) -> dict[str, Entity]:
        return self._entities

    def children(self, name: str) -> list[Entity]:
        return list(self._children.get(name, ()))

    def derived(self, key: str, build: Callable[["Snapshot"], T]) -> T:
        """A value computed once from this snapshot (a gazetteer, say) and kept with it.

        The snapshot never changes, so anything built from it stays valid; two
        threads racing on the first call both build it, and one copy is kept.
        """
        if key not in self._derived:
            self._derived[key] = build(self)
        return self._derived[key]  # type: ignore[return-value]

    def pairs(self) -> set[tuple[str, str]]:
        """The (entity, metric) pairs the snapshot holds facts for."""
        return set(self._by_pair)

    # -- reads -----------------------------------------------------------------
    def facts(
        self,
        *,
        entity: str | None = None,
        metric: str | None = None,
        period: Period | None = None,
        within: Period | None = None,
        as_of: date | None = None,
        market: str | None = None,
        latest_only: bool = True,
        limit: int | None = None,
    ) -> list[Fact]:
        if entity is not None and metric is not None:
            pool: list[Fact] = self._by_pair.get((entity, metric), [])
        elif entity is not None:
            pool = self._by_entity.get(entity, [])
        else:
            pool = self._all
        out = []
        for f in pool:
            if metric is not None and f.metric != metric:
                continue
            if period is not None and not f.period.overlaps(period):
                continue
            if within is not None and not within.contains(f.period):
                continue
            if as_of is not None and f.known_from > as_of:
                continue
            if market is not None and f.market != market:
                continue
            out.append(f)
        if latest_only:
            best: dict[tuple[object, ...], Fact] = {}
            for f in out:
                k = f.key
                if k not in best or _version_key(f) > _version_key(best[k]):
                    best[k] = f
            keep = {id(f) for f in best.values()}
            out = [f for f in out if id(f) in keep]
        if limit is not None:
            out = out[:limit]
        return out

    def versions(self, entity: str, metric: str, period: Period, market: str | None = None) -> list[Fact]:
        found = [f for f in self._by_pair.get((entity, metric), []) if f.period == period and f.market == market]
        return sorted(found, key=_version_key)

    def count_facts(self) -> int:
        return len(self._all)

    def events(
        self,
        *,
        entity: str | None = None,
        kind: str | None = None,
        as_of: date | None = None,
        include_descendants: bool = True,
    ) -> list[Event]:
        names: set[str] | None = None
        if entity is not None:
            names = {entity} | ({e.name for e in self.descendants(entity)} if include_descendants else set())
        wanted = [m for m, k in self._event_metrics.items() if kind is None or k == kind]
        if names is None:
            pool = [f for m in wanted for f in self.facts(metric=m, as_of=as_of)]
        else:  # only the entity and its children: the cost follows them, not the size of the store
            pool = [f for n in sorted(names) for m in wanted for f in self.facts(entity=n, metric=m, as_of=as_of)]
        out = []
        for f in pool:
            if f.period.start != f.period.end:
                continue
            ekind = self._event_metrics[f.metric]
            out.append(Event(f.entity, f.period.start, ekind or "", {"count": f.value}, f.source_url, f.published, f.note, f.id))
        for e in self._events:
            if names is not None and e.entity not in names:
                continue
            if kind is not None and e.kind != kind:
                continue
            known = earliest_or_latest(e.published, self.knowledge) if e.published else e.date
            if as_of is not None and max(known, e.date) > as_of:
                continue
            out.append(e)
        return sorted(out, key=lambda e: (e.date, e.entity, e.kind))
