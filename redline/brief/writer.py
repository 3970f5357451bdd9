"""Figures with notes, made from analytics results: the one place numbers become words."""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from datetime import date
from typing import Sequence, TypeVar

from ..analytics import GrowthResult, ShareResult, ValueResult
from ..store import Fact
from .text import Figure, NoteBook, change_text, count_text, fact_text, pct_text

__all__ = ["Writer", "METRIC_NOUN", "day_text"]

T = TypeVar("T")

METRIC_NOUN = {
    "deliveries": "deliveries",
    "sales": "retail sales",
    "delivery_target": "delivery target",
    "market_share": "market share",
    "fatal_incidents": "fatal incidents",
    "recalls": "recalls",
    "price_resale": "resale price",
    "price_new": "list price",
}


def day_text(d: date) -> str:
    """'20 November 2025'."""
    return f"{d.day} {d:%B %Y}"


def _volume_text(vr: ValueResult) -> str | None:
    if vr.method == "direct" and vr.facts and vr.facts[0].qualifier == "about":
        return fact_text(vr.facts[0])
    return count_text(vr.interval)


@dataclass
class Writer:
    """Turns results into :class:`Figure` objects, registering one note per piece of evidence."""

    notes: NoteBook
    entity: str

    def pick(self, key: str, options: Sequence[T], offset: int = 0) -> T:
        """A phrasing chosen by a stable hash of the entity and the slot: varied, but the same every run.

        ``offset`` rotates through the options for consecutive items of a list, so a list never repeats one form.
        """
        return options[(zlib.crc32(f"{self.entity}|{key}".encode()) + offset) % len(options)]

    def level(self, vr: ValueResult | None) -> Figure | None:
        if vr is None:
            return None
        text = _volume_text(vr)
        if text is None:
            return None
        noun = METRIC_NOUN.get(vr.metric, vr.metric.replace("_", " "))
        how = "" if vr.method == "direct" else vr.note
        return self.notes.figure(text, f"{vr.entity} {noun}, {vr.period.label()}", vr.facts, how)

    def change(self, g: GrowthResult | None) -> Figure | None:
        if g is None:
            return None
        text = change_text(g.change_pct)
        if text is None:
            return None
        noun = METRIC_NOUN.get(g.current.metric, g.current.metric)
        how = (f"change from {g.base.period.label()} ({g.base.describe()}) to "
               f"{g.current.period.label()} ({g.current.describe()})")
        return self.notes.figure(text, f"{g.current.entity} {noun}, {g.current.period.label()} against "
                                 f"{g.base.period.label()}", g.current.facts + g.base.facts, how)

    def share(self, s: ShareResult) -> Figure | None:
        iv = s.share_pct
        if s.method == "direct":
            text = fact_text(s.facts[0])
            how = ""
        else:
            how = s.method.replace(" / ", " ÷ ")
            if iv.bounded:
                text = pct_text((iv.low + iv.high) / 2)
            elif math.isinf(iv.high) and iv.low > 0:
                text = f"more than {math.floor(iv.low * 10) / 10:.1f}%"
            else:
                return None
        return self.notes.figure(text, f"{s.entity} share of the {s.market}, {s.period.label()}", s.facts, how)

    def fact(self, f: Fact, label: str | None = None) -> Figure:
        noun = METRIC_NOUN.get(f.metric, f.metric.replace("_", " "))
        return self.notes.figure(fact_text(f), label or f"{f.entity} {noun}, {f.period.label()}", (f,))

    def derived(self, text: str, label: str, facts: Sequence[Fact], how: str) -> Figure:
        """A figure the store cannot confirm by itself: a forecast, a rate, a required pace."""
        return self.notes.figure(text, label, facts, how, checkable=False)

