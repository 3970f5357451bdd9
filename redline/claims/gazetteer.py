"""The gazetteer: what the extractor knows about names, built once from a store.

A :class:`Gazetteer` is plain immutable data (tuples of entities, aliases and
metric phrases) plus lookup structures derived from it on first use. It is
picklable, so a Spark job can broadcast one to every partition, and it never
changes after it is built: extraction is a pure function of (text, date,
gazetteer).

>>> gaz = default_gazetteer()
>>> [(m.name, m.text) for m in gaz.find_entities("The SU7 outsold Tesla's Model 3.")]
[('Xiaomi SU7', 'SU7'), ('Tesla', 'Tesla')]
>>> gaz.entity("Xiaomi SU7").parent
'Xiaomi'
"""

from __future__ import annotations

import csv
import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Iterable

from ..catalog import BUILTIN_METRICS, GENERIC_VOLUME_PHRASES, Metric, launch_date
from ..units import trie_pattern
from .lexicon import CJK_ALIASES, EXTRA_METRIC_PHRASES, GENERIC_WORDS, SKIPPED_CATALOG_ALIASES

if TYPE_CHECKING:
    from ..store import Store
    from ..store.snapshot import Snapshot

__all__ = ["EntityInfo", "EntityMention", "MetricPhrase", "Gazetteer", "default_gazetteer"]

@dataclass(frozen=True, slots=True)
class EntityInfo:
    """An entity as the extractor sees it: name, kind, parent and launch date (from the store's note)."""

    name: str
    kind: str
    parent: str | None = None
    launched: date | None = None


@dataclass(frozen=True, slots=True)
class EntityMention:
    start: int
    end: int
    name: str
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class MetricPhrase:
    """A phrase that names a metric. ``generic`` phrases (units, cars sold) fit deliveries or sales."""

    phrase: str
    metric: str
    generic: bool = False


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@dataclass(frozen=True)
class Gazetteer:
    """Entities, their aliases and parents, and metric phrases: immutable, picklable."""

    entities: tuple[EntityInfo, ...]
    aliases: tuple[tuple[str, str], ...]
    """(alias as written, canonical entity name); canonical names are included."""
    metric_phrases: tuple[MetricPhrase, ...]
    metric_units: tuple[tuple[str, str], ...] = ()
    event_metrics: tuple[str, ...] = ()
    holders: tuple[tuple[str, str], ...] = ()
    """(entity, metric) pairs the store holds facts for: where a figure usually belongs."""
    searched: tuple[str, ...] | None = None
    """The aliases the entity pattern looks for, when not all of them (see :meth:`for_text`)."""

    # -- construction -----------------------------------------------------------
    @classmethod
    def build(
        cls,
        entities: Iterable[tuple[str, str, str | None, Iterable[str], str]],
        metrics: Iterable[Metric],
        holders: Iterable[tuple[str, str]] = (),
    ) -> "Gazetteer":
        """From (name, kind, parent, aliases, note) rows and metric declarations."""
        infos: list[EntityInfo] = []
        aliases: dict[str, str] = {}
        names = set()
        rows = list(entities)
        for name, kind, parent, alias_list, note in rows:
            infos.append(EntityInfo(name, kind, parent or None, launch_date(note)))
            names.add(name)
            for alias in alias_list:
                alias = alias.strip()
                if alias.lower().startswith("the "):
                    alias = alias[4:]
                if alias and alias.lower() not in aliases:
                    aliases[alias.lower()] = name
        for name, *_ in rows:
            aliases[name.lower()] = name
        for alias, name in CJK_ALIASES.items():
            if name in names:
                aliases.setdefault(alias.lower(), name)
        phrases: dict[str, MetricPhrase] = {}
        metric_list = list(metrics)
        generic = {p.lower() for p in GENERIC_VOLUME_PHRASES} | set(GENERIC_WORDS)
        for phrase, metric in EXTRA_METRIC_PHRASES.items():
            phrases[phrase] = MetricPhrase(phrase, metric, metric == "deliveries" and phrase in generic)
        for m in metric_list:
            for alias in (m.name.replace("_", " "),) + tuple(m.aliases):
                a = alias.lower().strip()
                if not a or a in SKIPPED_CATALOG_ALIASES or a in phrases:
                    continue
                if a in generic:
                    phrases[a] = MetricPhrase(a, "deliveries", True)
                else:
                    phrases[a] = MetricPhrase(a, m.name, False)
        for a in generic:
            phrases.setdefault(a, MetricPhrase(a, "deliveries", True))
        return cls(
            entities=tuple(sorted(infos, key=lambda e: e.name)),
            aliases=tuple(sorted(aliases.items())),
            metric_phrases=tuple(sorted(phrases.values(), key=lambda p: p.phrase)),
            metric_units=tuple(sorted((m.name, m.unit) for m in metric_list)),
            event_metrics=tuple(sorted(m.name for m in metric_list if m.event_kind)),
            holders=tuple(sorted(set(holders))),
        )

    @classmethod
    def from_store(cls, store: "Store") -> "Gazetteer":
        """Entities and aliases from the store's registry; metric phrases from its catalog."""
        rows = [(e.name, e.kind, e.parent, e.aliases, e.note) for e in store.entities().values()]
        pairs = getattr(store, "pairs", None)
        holders = pairs() if pairs is not None else {(f.entity, f.metric) for f in store.facts(latest_only=False)}
        return cls.build(rows, store.metrics().values(), holders)

    @classmethod
    def of(cls, snapshot: "Snapshot") -> "Gazetteer":
        """The snapshot's gazetteer, built on first use and kept with the snapshot (not rebuilt per audit)."""
        return snapshot.derived("gazetteer", cls.from_store)

    def for_text(self, text: str) -> "Gazetteer":
        """This gazetteer searching ``text`` only for the aliases that occur in it (case-folded): the same
        matches, from a pattern of a handful of names rather than every name of a large registry. Name
        look-ups (:meth:`resolve`) still know every alias."""
        folded = text.casefold()
        return dataclasses.replace(self, searched=tuple(a for a, _ in self.aliases if a.casefold() in folded))

    # -- derived lookups (computed once, never changed) ---------------------------
    @cached_property
    def _by_name(self) -> dict[str, EntityInfo]:
        return {e.name: e for e in self.entities}

    @cached_property
    def _alias_map(self) -> dict[str, str]:
        return dict(self.aliases)

    @cached_property
    def _entity_re(self) -> re.Pattern[str]:
        names = [a for a, _ in self.aliases] if self.searched is None else list(self.searched)
        latin = [a for a in names if not _is_cjk(a)]
        cjk = [a for a in names if _is_cjk(a)]
        parts = []
        if latin:
            parts.append(r"(?<![A-Za-z0-9_&])(?:" + trie_pattern(latin) + r")(?:'s|’s|s)?(?![A-Za-z0-9_&])")
        if cjk:
            parts.append("(?:" + trie_pattern(cjk) + ")")
        return re.compile("|".join(parts) or r"(?!x)x", re.IGNORECASE)

    @cached_property
    def _phrase_map(self) -> dict[str, MetricPhrase]:
        return {p.phrase: p for p in self.metric_phrases}

    @cached_property
    def _metric_re(self) -> re.Pattern[str]:
        latin = [p.phrase for p in self.metric_phrases if not _is_cjk(p.phrase)]
        cjk = [p.phrase for p in self.metric_phrases if _is_cjk(p.phrase)]
        parts = [r"(?<![a-z0-9])(?:" + trie_pattern(latin) + r")(?![a-z0-9])"]
        if cjk:
            parts.append("(?:" + trie_pattern(cjk) + ")")
        return re.compile("|".join(parts))

    @cached_property
    def _units(self) -> dict[str, str]:
        return dict(self.metric_units)

    @cached_property
    def _holders(self) -> frozenset[tuple[str, str]]:
        return frozenset(self.holders)

    @cached_property
    def _children(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for e in self.entities:
            if e.parent:
                out.setdefault(e.parent, []).append(e.name)
        return {k: tuple(v) for k, v in out.items()}

    # -- queries ------------------------------------------------------------------
    def entity(self, name: str) -> EntityInfo | None:
        return self._by_name.get(name)

    def resolve(self, alias: str) -> str | None:
        """Canonical name for an alias or name, case-insensitively."""
        return self._alias_map.get(alias.strip().lower())

    def metric_unit(self, metric: str) -> str | None:
        return self._units.get(metric)

    def is_event_metric(self, metric: str | None) -> bool:
        return metric in self.event_metrics

    def brand_of(self, name: str) -> str:
        """The company or brand a model or product belongs to (the entity itself if it is one)."""
        seen = 0
        info = self._by_name.get(name)
        while info is not None and info.kind in ("model", "product") and info.parent and seen < 5:
            info = self._by_name.get(info.parent)
            seen += 1
        return info.name if info else name

    def car_brand_of(self, name: str) -> str:
        """A company's one car brand ('Xiaomi Group' → 'Xiaomi'), for 'EV revenue', 'the EV business'."""
        info = self._by_name.get(name)
        if info is None or info.kind != "company":
            return name
        brands = [k for k in self._children.get(name, ()) if self._by_name[k].kind == "brand"]
        return brands[0] if len(brands) == 1 else name

    def child_named(self, name: str, suffix: str) -> str | None:
        """'Tesla' + 'China' → 'Tesla China' when the store holds such an entity with that parent."""
        candidate = f"{name} {suffix}"
        info = self._by_name.get(candidate)
        return candidate if info is not None and info.parent == name else None

    def holds(self, entity: str, metric: str) -> bool:
        """Does the store hold facts of ``metric`` (deliveries and sales count as one) for ``entity``?"""
        family = ("deliveries", "sales") if metric in ("deliveries", "sales") else (metric,)
        return any((entity, m) in self._holders for m in family)

    def holder_of(self, entity: str, metric: str) -> str:
        """The entity a figure of ``metric`` said of ``entity`` belongs to.

        When the store holds no such facts for ``entity`` but does for exactly one
        of its children, the child is meant: a group's deliveries are its car
        brand's, Tesla's market share in the pack is Tesla China's.
        """
        if not self._holders or self.holds(entity, metric):
            return entity
        kids = [k for k in self._children.get(entity, ()) if self.holds(k, metric)]
        return kids[0] if len(kids) == 1 else entity

    def find_entities(self, text: str, start: int = 0, end: int | None = None) -> list[EntityMention]:
        """Every alias of a known entity in ``text[start:end]`` (longest match first, case-insensitive).

        A match written all in lower case is skipped ('nio' in a URL slug, 'li auto'
        in running text is rare), unless the alias is CJK.
        """
        end = len(text) if end is None else end
        out = []
        amap = self._alias_map
        for m in self._entity_re.finditer(text, start, end):
            written = m.group(0)
            key = written.lower()
            name = amap.get(key)
            if name is None:
                for suffix in ("'s", "’s", "s"):
                    if key.endswith(suffix) and key[: -len(suffix)] in amap:
                        name = amap[key[: -len(suffix)]]
                        written = written[: -len(suffix)]
                        break
            if name is None:
                continue
            if written == written.lower() and not _is_cjk(written):
                continue
            info = self._by_name[name]
            out.append(EntityMention(m.start(), m.start() + len(written), name, info.kind, written))
        return out

    def find_metric_phrases(self, lowered: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, MetricPhrase]]:
        """Metric phrases in an already lower-cased text (longest match wins)."""
        end = len(lowered) if end is None else end
        pmap = self._phrase_map
        return [(m.start(), m.end(), pmap[m.group(0)]) for m in self._metric_re.finditer(lowered, start, end) if m.group(0) in pmap]


def _pack_holders() -> set[tuple[str, str]]:
    from ..store import pack_path

    with open(pack_path("ev_facts.csv"), newline="", encoding="utf-8") as fh:
        return {(row["entity"].strip(), row["metric"].strip()) for row in csv.DictReader(fh)}


def _pack_rows() -> list[tuple[str, str, str | None, list[str], str]]:
    from ..store import pack_path

    rows = []
    with open(pack_path("ev_entities.csv"), newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
            rows.append((row["name"].strip(), row["kind"].strip(), (row.get("parent") or "").strip() or None,
                         aliases, (row.get("note") or "").strip()))
    return rows


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the bundled fact pack (its entities) and the built-in metric catalog.

    Equal to ``Gazetteer.from_store(Store(":memory:"))`` without opening a database.
    """
    return Gazetteer.build(_pack_rows(), BUILTIN_METRICS, _pack_holders())
