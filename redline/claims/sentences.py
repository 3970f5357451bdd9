"""Sentences and clauses: the windows every claim is read in.

A newline always ends a sentence (headlines and list items stand alone); a
full stop ends one unless it follows an abbreviation or the next word starts
in lower case; a sentence longer than :data:`MAX_SENTENCE` characters is cut
at a space, so every window the extractor reads stays small and the whole
scan stays linear in the size of the text.

>>> text = "Xiaomi sold 40,000 cars. Tesla Inc. sold more.\\nNext line"
>>> [text[a:b] for a, b, _ in split_sentences(text)]
['Xiaomi sold 40,000 cars.', ' Tesla Inc. sold more.', 'Next line']
"""

from __future__ import annotations

import re
from bisect import bisect_left

__all__ = ["MAX_SENTENCE", "split_sentences", "count_between", "mask_notes", "STRONG_BOUNDARY", "COMMA_BOUNDARY"]

MAX_SENTENCE = 1200
"""Sentences longer than this (in characters) are cut at a space."""

_NOTE = r"(?:\[\^[^\]\s]{1,30}\]|\[\d{1,3}(?:\s?[,–-]\s?\d{1,3}){0,5}\])"
_NOTE_REF = re.compile(_NOTE)
"""A Markdown footnote or citation mark: 'cars.[^1]', 'Q3[2]', 'sold 42,013 cars [5].' — a bracketed
label, never a quantity."""
_NOTE_DEF = re.compile(
    r"(?m)^[ \t]{0,3}(?:\[\^[^\]\n]{1,30}\]|\[\d{1,3}\]):[^\n]*"
    r"|^[ \t]{0,3}\[[^\]\n]{1,40}\]:[ \t]*<?(?:https?://|www\.)[^\n]*"
)
"""A footnote or link reference definition line: '[^1]: Xiaomi, 1 October 2025', '[2]: https://…'."""

_SENT_END = re.compile(r"[。！？]+" + _NOTE + r"*|[.!?]+[\"'”’)\]]*" + _NOTE + r"*[\"'”’)\]]*(?=\s|$)|\n")


def mask_notes(text: str) -> str:
    """``text`` with footnote marks and reference definition lines blanked out (offsets kept).

    Neither is article content: '[^1]' after a full stop is not the number 1, and
    '[^1]: …' lines at the foot are citations.

    >>> mask_notes("Xiaomi sold 40,000 cars.[^1] NIO[2] too.\\n[^1]: Xiaomi, 2025.")
    'Xiaomi sold 40,000 cars.     NIO    too.\\n                   '
    """
    if "[" not in text:
        return text
    spans = [(m.start(), m.end()) for m in _NOTE_REF.finditer(text)]
    if "]:" in text:
        spans += [(m.start(), m.end()) for m in _NOTE_DEF.finditer(text)]
    if not spans:
        return text
    spans.sort()
    out, pos = [], 0
    for a, b in spans:
        if b <= pos:
            continue
        a = max(a, pos)
        out.append(text[pos:a])
        out.append(" " * (b - a))
        pos = b
    out.append(text[pos:])
    return "".join(out)


_ABBREV = frozenset(
    "mr mrs ms dr prof st inc corp co ltd plc llc jr sr vs etc e.g i.e u.s u.k approx est no fig "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun dept gov rep sen "
    "a.m p.m u.s.a".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")

STRONG_BOUNDARY = re.compile(
    r";|\s[—–-]{1,2}\s|\(|\)|\[|\]|,\s(?:but|while|whereas|although|though|and)\s|\s(?:but|while|whereas)\s|；|\n"
)
"""Where a clause ends for the purpose of finding what a number is about."""
COMMA_BOUNDARY = re.compile(r",(?!\d{3})|;|:\s|\s[—–-]{1,2}\s|\(|\)|\s(?:but|while|whereas|and)\s|，|；")
"""Finer clause boundaries, commas included (not the ones inside '108,796')."""


def split_sentences(text: str, masked: str | None = None) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) of every sentence, in order.

    Footnote marks stay with the sentence they close ('… in Q3.[^1] Tesla' splits
    after the mark); footnote definition lines are not sentences. ``masked`` is
    :func:`mask_notes` of ``text`` when the caller has it already.
    """
    out: list[tuple[int, int, int]] = []
    blank = mask_notes(text) if masked is None else masked
    start, para = 0, 0
    n = len(text)

    def emit(a: int, b: int, p: int) -> None:
        while b - a > MAX_SENTENCE:
            cut = text.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
            cut = cut if cut > a else a + MAX_SENTENCE
            out.append((a, cut, p))
            a = cut
        if b > a and not blank[a:b].isspace():
            out.append((a, b, p))

    for m in _SENT_END.finditer(text):
        mark = m.group(0)
        if mark == "\n":
            emit(start, m.start(), para)
            start = m.end()
            para += 1
            continue
        if mark[0] == ".":
            line_start = text.rfind("\n", 0, m.start()) + 1
            if text[max(line_start, start):m.start()].strip().isdigit():
                continue  # a list label: '1. Xiaomi SU7: 28,585 units'
            before = _WORD_BEFORE.search(text, max(start, m.start() - 12), m.start() + 1)
            if before:
                word = before.group(1).lower()
                if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                    continue
            nxt = m.end()
            while nxt < n and text[nxt] in " \t":
                nxt += 1
            if nxt < n and text[nxt].islower():
                continue
        emit(start, m.end(), para)
        start = m.end()
    emit(start, n, para)
    return out


def count_between(bounds: list[int], a: int, b: int) -> int:
    """How many boundary positions ``p`` have ``a <= p < b`` (a boundary right after a number counts)."""
    if a > b:
        a, b = b, a
    return bisect_left(bounds, b) - bisect_left(bounds, a)
