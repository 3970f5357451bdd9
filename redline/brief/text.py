"""The words of a brief: sentences whose numbers point to notes, and the notes themselves.

A brief never holds a bare number. Every figure in a sentence is a
:class:`Figure` that carries the id of a :class:`Note`, and every note lists
the facts (with their sources) the figure was read or computed from. The
renderers turn a figure into ``108,796[^3]`` in Markdown and into a link to
note 3 in HTML.

Figures are written the way the claim extractor reads them unambiguously:
thousands separators ("108,796"), one decimal for percentages ("173.4%"), and
the evidence's qualifier for bounds ("more than 305,967").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Union

from ..intervals import Interval
from ..periods import Period
from ..store import Fact

__all__ = [
    "Figure",
    "Sentence",
    "Note",
    "NoteBook",
    "count_text",
    "pct_text",
    "change_text",
    "fact_text",
    "sentence",
]


@dataclass(frozen=True)
class Note:
    """What a figure rests on: the facts used and, for derived figures, how they were combined.

    ``key`` identifies the note while the brief is built; ``number`` is given
    when the brief is assembled, in order of first use, so notes of insights
    that were not selected never appear.
    """

    key: str
    label: str
    facts: tuple[Fact, ...]
    how: str = ""
    number: int = 0

    def sources(self) -> list[str]:
        return list(dict.fromkeys(f.source_url for f in self.facts if f.source_url))


@dataclass(frozen=True)
class Figure:
    """A number in a sentence, and the note it points to.

    ``checkable`` is False for figures the store cannot confirm on its own
    (a forecast, a rate per 100,000 vehicles); the renderers keep those out
    of the text the self-audit reads.
    """

    text: str
    note: str
    checkable: bool = True


Part = Union[str, Figure]


@dataclass(frozen=True)
class Sentence:
    parts: tuple[Part, ...]

    def figures(self) -> list[Figure]:
        return [p for p in self.parts if isinstance(p, Figure)]

    def plain(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)


def sentence(*parts: Part) -> Sentence:
    return Sentence(tuple(p for p in parts if p != ""))


@dataclass
class NoteBook:
    """Notes by key; asking twice for the same evidence gives the same note."""

    notes: dict[str, Note] = field(default_factory=dict)
    _index: dict[tuple[str, tuple[int, ...], str], str] = field(default_factory=dict)

    def add(self, label: str, facts: Iterable[Fact], how: str = "") -> str:
        facts = tuple(sorted(dict.fromkeys(facts), key=lambda f: (f.period.start, f.period.end, f.entity, f.id)))
        index = (label, tuple(f.id for f in facts), how)
        if index not in self._index:
            key = f"k{len(self.notes) + 1}"
            self.notes[key] = Note(key, label, facts, how)
            self._index[index] = key
        return self._index[index]

    def figure(self, text: str, label: str, facts: Iterable[Fact], how: str = "", *, checkable: bool = True) -> Figure:
        return Figure(text, self.add(label, facts, how), checkable)

    def numbered(self, keys_in_order: Iterable[str]) -> list[Note]:
        """The notes used, numbered 1, 2, … in the order given (first use in the document)."""
        out: list[Note] = []
        seen: set[str] = set()
        for key in keys_in_order:
            if key in seen or key not in self.notes:
                continue
            seen.add(key)
            n = self.notes[key]
            out.append(Note(n.key, n.label, n.facts, n.how, len(out) + 1))
        return out


# -- number wording -------------------------------------------------------------------


def _int(x: float) -> str:
    return f"{x:,.0f}"


def count_text(iv: Interval) -> str | None:
    """A count as the evidence allows it: '108,796', 'more than 305,967', 'at least 400,000'.

    Bounds are rounded outward to whole numbers (a lower bound of 2,590,067.4
    is written 'at least 2,590,067'), so the words never claim more than the
    evidence. Returns None when the interval says nothing useful (unbounded
    both ways, or bounded on both sides by different numbers: a range is not
    written as one figure).
    """
    lo, hi = iv.low, iv.high
    if iv.is_point:
        return _int(lo)
    if math.isinf(hi) and math.isfinite(lo):
        whole = math.floor(lo)
        return ("more than " if iv.low_strict or whole != lo else "at least ") + _int(whole)
    if (math.isinf(lo) or lo == 0) and math.isfinite(hi):
        whole = math.ceil(hi)
        return ("fewer than " if iv.high_strict or whole != hi else "at most ") + _int(whole)
    return None

def fact_text(f: Fact) -> str:
    """A fact's value with its qualifier, as the source gave it."""
    if f.unit == "percent":
        v = f"{f.value:.1f}" if f.value == round(f.value, 1) else f"{f.value:,g}"  # '6.0%', '5.52%'
    else:
        v = _int(f.value) if f.value == int(f.value) else f"{f.value:,g}"
    unit = "%" if f.unit == "percent" else ""
    words = {"exact": "", "over": "more than ", "about": "about ", "at_least": "at least ",
             "under": "under ", "at_most": "at most ", "almost": "almost "}
    return f"{words.get(f.qualifier, '')}{v}{unit}"


def pct_text(x: float) -> str:
    """A share or percentage to one decimal: '3.7%'."""
    return f"{x:.1f}%"


def change_text(iv: Interval) -> str | None:
    """'up 173.4%', 'down 4.8%', 'up more than 12.0%'; None when the change is not pinned down."""
    if iv.is_point:
        x = iv.low
        if abs(x) < 0.05:
            return "unchanged"
        return f"{'up' if x > 0 else 'down'} {abs(x):.1f}%"
    if math.isinf(iv.high) and math.isfinite(iv.low) and iv.low > 0:
        return f"up more than {math.floor(iv.low * 10) / 10:.1f}%"
    return None


def period_words(p: Period) -> str:
    """The period as a sentence names it: 'Q3 2025', 'October 2025', 'January–October 2025'."""
    return p.label()
