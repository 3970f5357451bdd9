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


def test_a_count_rounded_by_the_writer_is_the_figure_it_rounds(snapshot: Snapshot) -> None:
    # Xiaomi delivered 108,796 cars in Q3 2025: news copy writes 108,800
    assert _item(snapshot, "Xiaomi delivered 108,800 vehicles in the third quarter of 2025.", "108,800").verdict == "supported"
    # but a round figure is not read as a wide range: 110,000 is not 108,796
    assert _item(snapshot, "Xiaomi delivered 110,000 vehicles in the third quarter of 2025.", "110,000").verdict == "contradicted"


@pytest.mark.parametrize(("text", "quote", "size"), [
    ("Xiaomi delivered 18,796 vehicles in the third quarter of 2025.", "18,796", "1/5.8 of"),
    ("Xiaomi delivered 318,796 vehicles in the third quarter of 2025.", "318,796", "2.9 times"),
])
def test_a_figure_far_from_the_record_is_more_likely_another_quantity(snapshot: Snapshot, text: str, quote: str, size: str) -> None:
    item = _item(snapshot, text, quote)
    assert item.verdict == "unverifiable"
    assert [r.value for r in item.reasons] == ["ambiguous_reading"]
    assert f"the claim is {size} the store's figure" in item.explanation and "108,796" in item.explanation


def test_a_share_redline_computes_does_not_prove_a_published_share_wrong(snapshot: Snapshot) -> None:
    # no published share of Xiaomi for Q2 2025 is on record: only deliveries over the market's sales
    item = _item(snapshot, "Xiaomi's market share in China's NEV market was 3.5% in the second quarter of 2025.", "3.5%")
    assert item.verdict == "unverifiable"
    assert [r.value for r in item.reasons] == ["computed_only"]
    assert "deliveries / market sales" in item.explanation


def test_a_change_needs_what_it_is_measured_against(snapshot: Snapshot) -> None:
    unstated = _item(snapshot, "Xiaomi's deliveries rose 50% in the third quarter of 2025.", "50%")
    assert unstated.verdict == "unverifiable" and "measured against" in unstated.explanation
    stated = _item(snapshot, "Xiaomi's deliveries rose 50% year on year in the third quarter of 2025.", "50%")
    assert stated.verdict == "contradicted" and "+173.4%" in stated.explanation


def test_plain_units_after_a_pronoun_may_be_a_part_of_the_total(snapshot: Snapshot) -> None:
    # BYD's battery-electric cars in May 2025 were 204,369 of its 382,476 vehicles
    item = _item(snapshot, "BYD reported a record May. It sold 204,369 units in May 2025.", "204,369")
    assert item.verdict == "unverifiable" and "pronoun" in item.explanation
    named = _item(snapshot, "BYD sold 304,369 vehicles in May 2025.", "304,369")
    assert named.verdict == "contradicted"


def test_a_figure_of_another_series_is_no_proof(snapshot: Snapshot) -> None:
    # Giga Shanghai shipped 83,192 cars in August 2025, 26,040 of them abroad: exports are not wholesale
    item = _item(snapshot, "Tesla's Shanghai factory exported 36,040 vehicles in August 2025.", "36,040")
    assert item.verdict == "unverifiable"
    assert [r.value for r in item.reasons] == ["other_series_on_record"]
    assert "counts exports" in item.explanation and "wholesale" in item.explanation
    same = _item(snapshot, "Tesla's Shanghai factory sold 73,192 vehicles wholesale in August 2025.", "73,192")
    assert same.verdict == "contradicted"


def test_an_analysts_forecast_is_not_the_companys_target(snapshot: Snapshot) -> None:
    forecast = _item(snapshot, "Analysts at Morgan Stanley expect Xiaomi to deliver 450,000 vehicles in 2025.", "450,000")
    assert forecast.verdict == "unverifiable" and "forecast" in forecast.explanation
    # the company's own goal, named as such, is checked against its target
    assert _item(snapshot, "Xiaomi aims to deliver 450,000 vehicles in 2025.", "450,000").verdict == "contradicted"


def test_a_models_figure_said_of_its_maker_is_no_misframing(snapshot: Snapshot) -> None:
    # 289,000 were the YU7's orders in its first hour: said of Xiaomi, loose but not wrong
    text = "Xiaomi received 289,000 orders within the first hour of the YU7 launch on June 26, 2025."
    item = _item(snapshot, text, "289,000")
    assert item.verdict == "unverifiable" and "Xiaomi YU7, a part of Xiaomi" in item.explanation


def test_a_share_of_an_unnamed_market_is_open(snapshot: Snapshot) -> None:
    item = _item(snapshot, "Tesla China's market share was 7.1 percent in August 2025.", "7.1 percent")
    assert item.verdict == "unverifiable" and "which market" in item.explanation
