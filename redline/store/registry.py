"""Look-ups over the metric and entity registries, shared by the store and its snapshots."""

from __future__ import annotations

from ..catalog import Entity, Metric
from ..errors import NotFound


class RegistryLookups:
    """Name and alias resolution on top of ``metrics()`` and ``entities()``."""

    _alias_index: dict[str, str] | None

    def metrics(self) -> dict[str, Metric]:  # pragma: no cover - provided by subclasses
        raise NotImplementedError

    def entities(self) -> dict[str, Entity]:  # pragma: no cover - provided by subclasses
        raise NotImplementedError

    def metric(self, name: str) -> Metric:
        metrics = self.metrics()
        if name in metrics:
            return metrics[name]
        lowered = name.strip().lower().replace(" ", "_")
        if lowered in metrics:
            return metrics[lowered]
        for m in metrics.values():
            if name.strip().lower() in (a.lower() for a in m.aliases):
                return m
        raise NotFound(f"unknown metric {name!r}; known: {', '.join(sorted(metrics))}")

    def alias_index(self) -> dict[str, str]:
        """Lower-cased names and aliases → entity name."""
        if getattr(self, "_alias_index", None) is None:
            index: dict[str, str] = {}
            for e in self.entities().values():
                for alias in e.aliases:
                    index.setdefault(alias.lower(), e.name)
            for e in self.entities().values():
                index[e.name.lower()] = e.name
            self._alias_index = index
        assert self._alias_index is not None
        return self._alias_index

    def entity(self, name: str) -> Entity:
        """Find an entity by name or alias, case-insensitively."""
        found = self.alias_index().get(name.strip().lower())
        if found is None:
            close = [n for n in self.entities() if name.strip().lower() in n.lower()]
            hint = f"; did you mean {', '.join(close[:3])}?" if close else "; see `redline entities list`"
            raise NotFound(f"unknown entity {name!r}{hint}")
        return self.entities()[found]

    def children(self, name: str) -> list[Entity]:
        return [e for e in self.entities().values() if e.parent == name]

    def descendants(self, name: str) -> list[Entity]:
        """Children, their children and so on (each once, even if parents were made to loop)."""
        out: list[Entity] = []
        seen = {name}

        def walk(parent: str) -> None:
            for child in self.children(parent):
                if child.name not in seen:
                    seen.add(child.name)
                    out.append(child)
                    walk(child.name)

        walk(name)
        return out

    def ancestors(self, name: str) -> list[Entity]:
        out: list[Entity] = []
        ents = self.entities()
        current = ents.get(name)
        while current is not None and current.parent and current.parent in ents and len(out) < 20:
            current = ents[current.parent]
            out.append(current)
        return out
