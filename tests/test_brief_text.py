"""The words of a brief: figures written as the evidence allows, note labels, insight order."""

from __future__ import annotations

import math

import pytest

from redline.brief.insights import chance_text
from redline.brief.render import md_label
from redline.brief.text import NoteBook, change_text, count_text
from redline.intervals import Interval


@pytest.mark.parametrize("iv,text", [
    (Interval.point(108796), "108,796"),
    (Interval(305967, math.inf, True, False), "more than 305,967"),
    (Interval(400000, math.inf), "at least 400,000"),
    (Interval(2590067.41, math.inf), "more than 2,590,067"),      # a bound is rounded outward
    (Interval(2590067.41, math.inf, True, False), "more than 2,590,067"),
    (Interval(0, 94033, False, True), "fewer than 94,033"),
    (Interval(0, 47016.5, False, True), "fewer than 47,017"),
    (Interval(0, 12), "at most 12"),
    (Interval(39851, 44045), None),                               # a range is not one figure
    (Interval(-math.inf, math.inf), None),
])
def test_count_text(iv: Interval, text: str | None) -> None:
    assert count_text(iv) == text


@pytest.mark.parametrize("iv,text", [
    (Interval.point(173.38), "up 173.4%"),
    (Interval.point(-6.92), "down 6.9%"),
    (Interval.point(0.01), "unchanged"),
    (Interval(296.74, math.inf, True, False), "up more than 296.7%"),  # floored: never more than the evidence
    (Interval(-20, 40), None),
])
def test_change_text(iv: Interval, text: str | None) -> None:
    assert change_text(iv) == text


def test_chance_never_says_certain() -> None:
    assert [chance_text(p) for p in (0.0, 0.004, 0.50185, 0.996, 1.0)] == [
        "less than 1%", "less than 1%", "50%", "more than 99%", "more than 99%"]


def test_markdown_labels_are_letters() -> None:
    assert [md_label(n) for n in (1, 2, 26, 27, 52, 53, 702, 703)] == ["a", "b", "z", "aa", "az", "ba", "zz", "aaa"]


def test_notebook_reuses_a_note_for_the_same_evidence() -> None:
    book = NoteBook()
    a = book.figure("1", "label", ())
    b = book.figure("1", "label", ())
    c = book.figure("2", "other", ())
    assert a.note == b.note != c.note
    numbered = book.numbered([c.note, a.note, c.note])
    assert [(n.key, n.number) for n in numbered] == [(c.note, 1), (a.note, 2)]
