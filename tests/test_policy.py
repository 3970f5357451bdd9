"""The verdict policy: each gate that withholds a red flag, and the flags it lets through."""

from __future__ import annotations

import dataclasses

import pytest

from redline.claims.audit import audit, audit_snapshot
from redline.claims.policy import _trusted
from redline.store import Store
from redline.store.snapshot import Snapshot

DATE = "2025-11-25"


@pytest.fixture(scope="module")
def snapshot(pack: Store) -> Snapshot:
    return audit_snapshot(pack)


def _item(snapshot: Snapshot, text: str, quote: str, date: str = DATE):  # type: ignore[no-untyped-def]
    report = audit(text, date=date, snapshot=snapshot)
    start = text.index(quote)
    hits = [i for i in report.items if i.claim.start < start + len(quote) and start < i.claim.end]
    assert hits, f"no claim at {quote!r}: {[i.claim.text for i in report.items]}"
    return hits[0]


def test_a_wrong_maker_total_is_flagged(snapshot: Snapshot) -> None:
    # the control for the gates below: the same figure, said of the maker's total, is contradicted
    assert _item(snapshot, "Xiaomi delivered 118,796 vehicles in the third quarter of 2025.", "118,796").verdict == "contradicted"


@pytest.mark.parametrize("text", [
    "Xiaomi delivered 11,796 pure electric SUVs in the third quarter of 2025.",
    "Xiaomi delivered 11,796 units of commercial vehicles in the third quarter of 2025.",
    "In the third quarter of 2025, Xiaomi's commercial vehicle sales were 11,796.",
])
def test_a_kind_of_vehicle_is_not_the_makers_total(snapshot: Snapshot, text: str) -> None:
    item = _item(snapshot, text, "11,796")
    assert item.verdict == "unverifiable"
    assert [r.value for r in item.reasons] == ["ambiguous_reading"]
    assert "one kind of vehicle" in item.explanation


def test_the_revenue_of_one_part_of_a_company_is_not_its_total(snapshot: Snapshot) -> None:
    text = "Xiaomi's smartphone revenue was 12.1 billion yuan in the third quarter of 2025."
    item = _item(snapshot, text, "12.1 billion")
    assert item.verdict != "contradicted" and item.verdict != "misleading"


def test_a_goal_the_text_calls_a_goal_is_no_misframing(snapshot: Snapshot) -> None:
    text = "Xiaomi had aimed to deliver 350,000 vehicles in 2025."
    assert _item(snapshot, text, "350,000").verdict not in ("contradicted", "misleading")


def test_figures_carried_from_another_sentence_flag_nothing(snapshot: Snapshot) -> None:
    # Acme is unknown to the store: only the text's own arithmetic speaks, and across two sentences
    # the relation between the figures is redline's reading, not the text's
    text = ("Acme Motors delivered 20,000 cars in July 2025, 20,000 in August 2025 and 20,000 in September 2025. "
            "Acme Motors delivered 70,000 cars in the third quarter of 2025.")
    item = _item(snapshot, text, "70,000")
    assert item.verdict == "unverifiable"
    assert "ambiguous_reading" in [r.value for r in item.reasons] and "60,000" in item.explanation


def test_figures_in_one_sentence_are_checked_on_their_own(snapshot: Snapshot) -> None:
    text = "Acme Motors delivered 60,000 cars in October 2025, up 30% from 50,000 in September."
    item = _item(snapshot, text, "30%")
    assert item.verdict == "contradicted"
    assert "arithmetic_error" in [r.value for r in item.reasons]


def test_a_confirming_source_must_be_another_site(pack: Store) -> None:
    [fact] = pack.facts(entity="Xiaomi", metric="deliveries", period=None, limit=1)
    weak = dataclasses.replace(fact, source_url="https://aggregator.example/a?id=1")
    assert not _trusted(weak)
    assert not _trusted(dataclasses.replace(weak, confirmed_by="https://aggregator.example/a?id=2"))
    assert not _trusted(dataclasses.replace(weak, confirmed_by="n/a"))
    assert _trusted(dataclasses.replace(weak, confirmed_by="https://another.example/b"))


def test_a_projection_is_not_a_delivery_count(snapshot: Snapshot) -> None:
    text = "Xiaomi beat its initial projection of 300,000 units for 2025."
    assert _item(snapshot, text, "300,000").verdict not in ("contradicted", "misleading")


def test_an_unknown_subject_is_not_replaced_by_an_earlier_maker(snapshot: Snapshot) -> None:
    text = ("Li Auto delivered 33,181 vehicles in November 2025. "
            "HIMA, part of the Huawei alliance, reported 81,864 deliveries in November 2025, a record for the brand.")
    item = _item(snapshot, text, "81,864")
    assert item.verdict == "unverifiable"
