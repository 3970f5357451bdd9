"""Score extracted claims against gold annotations (the rules of ../shared/eval/seed_claims.json).

A predicted claim *matches* a gold claim when its character span overlaps the
gold quote's span and entity, metric (after folding sales / cars sold / units
moved → deliveries), kind, period and value agree. Gold claims marked
``required: false`` are neither rewarded nor penalised: a prediction that
matches one is set aside, and missing one costs nothing. Matching is one to
one (a maximum bipartite matching, so the order of claims does not matter).

Two readings of "neither rewarded nor penalised" are reported:

- ``strict`` (the headline figure): a prediction that overlaps an optional
  gold quote but disagrees with it is an ordinary false positive;
- ``lenient``: any prediction overlapping an optional quote is set aside.

>>> gold = [{"quote": "40,000", "entity": "NIO", "metric": "sales", "kind": "level",
...          "period": None, "value": 40000, "required": True}]
>>> pred = [{"start": 4, "end": 10, "entity": "NIO", "metric": "deliveries", "kind": "level",
...          "period": None, "value": 40000.0}]
>>> score(pred, gold, text="NIO 40,000 cars").f1
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from ..units import SCALED_UNITS, in_base_unit

__all__ = ["Score", "score", "locate", "agrees", "same_value", "METRIC_FOLDS"]

METRIC_FOLDS: dict[str, str] = {"sales": "deliveries"}
"""Synonym folding applied to both sides: generic volume words fit deliveries or sales."""


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    set_aside: int = 0
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.set_aside + other.set_aside,
                     self.false_positives + other.false_positives, self.misses + other.misses)

    def summary(self) -> str:
        return f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} (tp={self.tp} fp={self.fp} fn={self.fn})"


def locate(text: str, quote: str, occurrence: int = 1) -> tuple[int, int]:
    """Span of the ``occurrence``-th appearance of ``quote`` in ``text``."""
    pos = -1
    for _ in range(max(1, occurrence)):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            raise ValueError(f"quote not found in text: {quote!r}")
    return pos, pos + len(quote)


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _period(p: Any) -> tuple[str, str] | None:
    if p is None:
        return None
    start, end = _get(p, "start"), _get(p, "end")
    return (str(start), str(end))


def _fold(metric: Any) -> Any:
    return METRIC_FOLDS.get(metric, metric) if isinstance(metric, str) else metric


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        if not (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple))) or len(a) != len(b):
            return False
        return all(_same_value(x, y) for x, y in zip(a, b))
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)


def _same_entity(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return str(a).casefold() == str(b).casefold()


def agrees(pred: Any, gold: Mapping[str, Any]) -> bool:
    """Entity, folded metric, kind, period and value all agree."""
    return (
        _same_entity(_get(pred, "entity"), gold.get("entity"))
        and _fold(_get(pred, "metric")) == _fold(gold.get("metric"))
        and _get(pred, "kind") == gold.get("kind")
        and _period(_get(pred, "period")) == _period(gold.get("period"))
        and same_value(pred, gold)
    )


def _value_in_base(record: Any) -> Any:
    """A record's value in its unit's base unit (20.6 CNY_bn is 20.6e9 CNY), so that a figure read as
    yuan and annotated in billions of yuan is the same value."""
    value, unit = _get(record, "value"), _get(record, "unit")
    if unit not in SCALED_UNITS:
        return value
    if isinstance(value, (list, tuple)):
        return [in_base_unit(float(v), unit)[0] for v in value]
    try:
        return in_base_unit(float(value), unit)[0]
    except (TypeError, ValueError):
        return value


def same_value(pred: Any, gold: Mapping[str, Any]) -> bool:
    """The value alone agrees (for extraction scored on values)."""
    return _same_value(_value_in_base(pred), _value_in_base(gold))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _gold_span(gold: Mapping[str, Any], text: str | None) -> tuple[int, int]:
    if gold.get("start") is not None and gold.get("end") is not None:
        return int(gold["start"]), int(gold["end"])
    if text is None:
        raise ValueError("gold claims without offsets need the text to locate their quotes")
    return locate(text, gold["quote"], int(gold.get("occurrence", 1)))


def _max_matching(edges: list[list[int]], n_right: int) -> dict[int, int]:
    """Kuhn's algorithm: left index → right index."""
    match_right: dict[int, int] = {}

    def try_assign(u: int, seen: set[int]) -> bool:
        for v in edges[u]:
            if v in seen:
                continue
            seen.add(v)
            if v not in match_right or try_assign(match_right[v], seen):
                match_right[v] = u
                return True
        return False

    for u in range(len(edges)):
        try_assign(u, set())
    return {u: v for v, u in match_right.items()}


def score(
    predicted: Iterable[Any],
    gold: Iterable[Mapping[str, Any]],
    *,
    text: str | None = None,
    lenient: bool = False,
    agree: Callable[[Any, Mapping[str, Any]], bool] = agrees,
) -> Score:
    """Precision, recall and F1 of ``predicted`` claims against ``gold`` annotations.

    ``agree`` decides when an overlapping prediction reads a gold claim right:
    :func:`agrees` (the whole claim) by default, :func:`same_value` for values alone.
    """
    preds = list(predicted)
    golds = list(gold)
    spans = [_gold_span(g, text) for g in golds]
    required = [i for i, g in enumerate(golds) if g.get("required", True)]
    optional = [i for i, g in enumerate(golds) if not g.get("required", True)]
    pspans = [(int(_get(p, "start")), int(_get(p, "end"))) for p in preds]

    edges = [[k for k, gi in enumerate(required) if _overlaps(pspans[pi], spans[gi]) and agree(preds[pi], golds[gi])]
             for pi in range(len(preds))]
    matched = _max_matching(edges, len(required))
    result = Score()
    for pi, p in enumerate(preds):
        if pi in matched:
            result.tp += 1
            continue
        aside = any(
            _overlaps(pspans[pi], spans[gi]) and (lenient or agree(p, golds[gi])) for gi in optional
        )
        if aside:
            result.set_aside += 1
            continue
        result.fp += 1
        result.false_positives.append(_describe(p))
    hit = set(matched.values())
    for k, gi in enumerate(required):
        if k not in hit:
            result.fn += 1
            result.misses.append(dict(golds[gi]))
    return result


def _describe(p: Any) -> dict[str, Any]:
    keys = ("text", "start", "end", "entity", "metric", "kind", "period", "value", "unit", "qualifier")
    out = {}
    for k in keys:
        v = _get(p, k)
        if k == "period" and v is not None:
            v = _period(v)
        out[k] = v
    return out
