"""Claim extraction: the seed article against its gold claims, the annotated passages, and the rules."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from redline.claims.extract import extract, split_sentences
from redline.claims.gazetteer import Gazetteer, default_gazetteer
from redline.claims.model import Claim
from redline.claims.scoring import Score, score

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
SEED = SHARED / "seeds" / "xiaomi-ev-growth-vs-safety.txt"
GOLD = SHARED / "eval" / "seed_claims.json"
PASSAGES = ROOT / "tests" / "data" / "extract_passages.json"

GAZ = default_gazetteer()


def report(request: pytest.FixtureRequest, line: str) -> None:
    """Print to the terminal whether or not pytest captures output (-s not needed)."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)
    print(line)


def claims_of(text: str, day: str = "2025-11-25", **kw: Any) -> list[Claim]:
    return extract(text, date=date.fromisoformat(day), gazetteer=GAZ, **kw)


def one(text: str, day: str = "2025-11-25", **kw: Any) -> Claim:
    found = claims_of(text, day, **kw)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


def period(c: Claim) -> str | None:
    p = c.period_obj()
    return str(p) if p else None


# -- the seed article ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[str, dict[str, Any]]:
    if not SEED.exists() or not GOLD.exists():
        pytest.skip(f"the shared seed and gold are not at {SHARED.resolve()} (a checkout without ../shared)")
    return SEED.read_text(encoding="utf-8"), json.loads(GOLD.read_text(encoding="utf-8"))


def test_seed_f1_over_required_claims(seed: tuple[str, dict[str, Any]], request: pytest.FixtureRequest) -> None:
    text, gold = seed
    claims = claims_of(text, gold["document_date"])
    strict = score(claims, gold["claims"], text=text)
    lenient = score(claims, gold["claims"], text=text, lenient=True)
    report(request, f"seed (strict):  {strict.summary()}")
    report(request, f"seed (lenient): {lenient.summary()}")
    for fp in strict.false_positives:
        report(request, f"  unmatched: {fp['text']!r} {fp['entity']} {fp['metric']} {fp['period']} {fp['value']}")
    for miss in strict.misses:
        report(request, f"  missed: {miss['id']} {miss['quote']!r}")
    assert strict.f1 >= 0.9
    assert strict.recall == 1.0


def test_seed_claims_carry_what_the_auditor_reads(seed: tuple[str, dict[str, Any]]) -> None:
    text, gold = seed
    claims = claims_of(text, gold["document_date"])
    by_text = {c.text: c for c in claims}
    ramp = next(c for c in claims if c.metric == "production")
    assert (ramp.qualifier, ramp.value, ramp.metric_phrase, ramp.precision) == ("almost", 15.0, "production", 1.0)
    target = next(c for c in claims if c.value == 400000 and c.base_value == 350000)
    assert target.metric == "delivery_target" and str(target.period_obj()) == "2025"
    assert by_text["108,796 cars sold"].generic_volume is True
    assert by_text["108,796 cars sold"].precision == 0
    yoy = next(c for c in claims if c.kind == "change_pct" and c.value == 173)
    assert str(yoy.base_period_obj()) == "2024-Q3"
    resale = next(c for c in claims if c.metric == "price_resale")
    assert (resale.value, resale.qualifier, resale.unit) == ([200.0, 220.0], "about", "USD")


def test_bundled_sample_article_reads_sensibly() -> None:
    """redline/data/examples/sample-article.txt: the change, the target and its base are Xiaomi's."""
    text = (ROOT / "redline" / "data" / "examples" / "sample-article.txt").read_text(encoding="utf-8")
    by_text = {c.text: c for c in claims_of(text)}
    assert (by_text["173%"].entity, by_text["173%"].kind) == ("Xiaomi", "change_pct")
    for quote in ("400,000 vehicles", "350,000"):
        assert (by_text[quote].entity, by_text[quote].metric, period(by_text[quote])) == (
            "Xiaomi", "delivery_target", "2025")
    assert by_text["400,000 vehicles"].base_value == 350_000
    assert by_text["108,796 units"].entity == "Xiaomi SU7"  # 'the SU7 alone delivered': named, so the model


# -- the annotated passages -----------------------------------------------------------------


def load_passages() -> dict[str, Any]:
    return json.loads(PASSAGES.read_text(encoding="utf-8"))


def test_passages_are_annotated_in_varied_styles() -> None:
    data = load_passages()
    assert len(data["passages"]) >= 30
    styles = {p["style"] for p in data["passages"]}
    assert {"wire", "press_release", "blog", "earnings", "chinese", "wan_mn", "traps"} <= styles
    for p in data["passages"]:
        for c in p["claims"]:
            assert c["quote"] in p["text"], (p["id"], c["quote"])


def test_passages_f1_per_style(request: pytest.FixtureRequest) -> None:
    data = load_passages()
    per_style: dict[str, Score] = defaultdict(Score)
    for p in data["passages"]:
        claims = claims_of(p["text"], p["date"])
        per_style[p["style"]] += score(claims, p["claims"], text=p["text"])
    total = Score()
    report(request, "passages: F1 per style")
    for style, s in sorted(per_style.items()):
        report(request, f"  {style:14s} {s.summary()}")
        total += s
    report(request, f"  {'all':14s} {total.summary()}")
    assert total.f1 >= 0.9
    for style, s in per_style.items():
        assert s.f1 >= 0.75, (style, s.summary())


# -- rules, one sentence at a time -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xiaomi delivered almost 15,000 cars in May.", "almost"),
        ("Xiaomi delivered nearly 15,000 cars in May.", "almost"),
        ("Xiaomi delivered just shy of 15,000 cars in May.", "almost"),
        ("Xiaomi delivered about 15,000 cars in May.", "about"),
        ("Xiaomi delivered around 15,000 cars in May.", "about"),
        ("Xiaomi delivered roughly 15,000 cars in May.", "about"),
        ("Xiaomi delivered some 15,000 cars in May.", "about"),
        ("Xiaomi delivered over 15,000 cars in May.", "over"),
        ("Xiaomi delivered more than 15,000 cars in May.", "over"),
        ("Xiaomi delivered above 15,000 cars in May.", "over"),
        ("Xiaomi deliveries were exceeding 15,000 cars in May.", "over"),
        ("Xiaomi delivered below 15,000 cars in May.", "under"),
        ("Xiaomi delivered under 15,000 cars in May.", "under"),
        ("Xiaomi delivered less than 15,000 cars in May.", "under"),
        ("Xiaomi delivered at least 15,000 cars in May.", "at_least"),
        ("Xiaomi delivered up to 15,000 cars in May.", "at_most"),
        ("Xiaomi delivered at most 15,000 cars in May.", "at_most"),
        ("Xiaomi delivered 15,000-plus cars in May.", "over"),
        ("Xiaomi delivered 15,000 cars or more in May.", "at_least"),
        ("Xiaomi delivered exactly 15,000 cars in May.", "exact"),
    ],
)
def test_qualifiers(text: str, expected: str) -> None:
    c = one(text)
    assert (c.qualifier, c.value, c.metric) == (expected, 15000.0, "deliveries")
    assert text[c.start:c.end] == c.text


@pytest.mark.parametrize(
    ("text", "quote", "qualifier"),
    [
        # 'over' as a verb's particle: a delivery of exactly that many
        ("Xiaomi handed over 30,452 vehicles in July 2025.", "30,452 vehicles", "exact"),
        ("Li Auto hands over 31,767 cars to buyers in October.", "31,767 cars", "exact"),
        ("The company carried over 12,000 orders into October, Xiaomi said.", "12,000 orders", "exact"),
        ("NIO took over 4,000 vehicles from its battery-swap partner in March.", "4,000 vehicles", "exact"),
        # 'over' that qualifies the number still does
        ("XPeng handed over more than 30,000 cars in July.", "more than 30,000 cars", "over"),
        ("BYD handed just over 300,000 cars to buyers in July.", "just over 300,000 cars", "over"),
        ("Over 40,000 cars were delivered by Xiaomi in October.", "Over 40,000 cars", "over"),
        ("Xiaomi took over 200,000 orders for the YU7 in its first day.", "over 200,000 orders", "over"),
    ],
)
def test_over_qualifies_only_the_number(text: str, quote: str, qualifier: str) -> None:
    c = one(text)
    assert (c.text, c.qualifier) == (quote, qualifier)


def test_over_a_span_of_time_is_not_a_qualifier() -> None:
    spans = {c.text: c.qualifier for c in claims_of("Xiaomi will invest 10 billion yuan over five years.", include_unresolved=True)}
    assert spans.get("five years") == "exact"
    waited = one("Buyers of the SU7 waited for over two years.", include_unresolved=True)
    assert (waited.text, waited.qualifier) == ("over two years", "over")


@pytest.mark.parametrize(
    ("text", "value", "unit", "precision"),
    [
        ("Xiaomi sold 108,796 cars in Q3.", 108796, "vehicles", 0),
        ("BYD sold 3.26 million vehicles in the first nine months.", 3_260_000, "vehicles", 10_000),
        ("BYD sold 3.26mn vehicles in the first nine months.", 3_260_000, "vehicles", 10_000),
        ("BYD sold 40k vehicles in March.", 40_000, "vehicles", 1_000),
        ("BYD sold two million vehicles last year.", 2_000_000, "vehicles", 1_000_000),
        ("BYD sold half a million vehicles last year.", 500_000, "vehicles", 100_000),
        ("Xiaomi Group revenue was RMB113.1 billion in Q3.", 113_100_000_000, "CNY", 100_000_000),
        ("Tesla revenue was $28.1bn in Q3.", 28_100_000_000, "USD", 100_000_000),
        ("Xiaomi Group revenue was 1131亿元 in Q3.", 113_100_000_000, "CNY", 100_000_000),
        ("The SU7 is priced at 21.59万元.", 215_900, "CNY", 100),
        ("The SU7 is priced at ¥215,900.", 215_900, "CNY", 0),
        ("The YU7 is priced at 253,500 yuan.", 253_500, "CNY", 0),
        ("The YU7 is priced at €45,000.", 45_000, "EUR", 0),
        ("Redmi Note 13 Pro sells for HK$1,599 refurbished.", 1_599, "HKD", 0),
        ("Redmi Note 13 Pro sells for US$199 refurbished.", 199, "USD", 0),
    ],
)
def test_numbers_scales_and_currencies(text: str, value: float, unit: str, precision: float) -> None:
    c = one(text)
    assert c.value == pytest.approx(value)
    assert c.unit == unit
    assert c.precision == pytest.approx(precision)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The Redmi Note 13 Pro sells for $200-$220 on resale platforms.", [200, 220]),
        ("Xiaomi expects between 40,000 and 45,000 deliveries in December.", [40_000, 45_000]),
        ("NIO guided for 87,000 to 91,000 deliveries in the fourth quarter.", [87_000, 91_000]),
        ("Leapmotor's 2025 sales target is 500k-600k units.", [500_000, 600_000]),
        ("Xiaomi's revenue will be $1.2-1.5 billion in December.", [1.2e9, 1.5e9]),
    ],
)
def test_ranges(text: str, value: list[float]) -> None:
    c = one(text)
    assert c.value == pytest.approx(value)


def test_from_to_gives_both_levels_with_the_base() -> None:
    found = claims_of("Xiaomi raised its 2025 delivery target from 350,000 to 400,000 vehicles.")
    old, new = found
    assert (old.value, new.value, new.base_value) == (350_000, 400_000, 350_000)
    assert {c.metric for c in found} == {"delivery_target"}
    assert {period(c) for c in found} == {"2025"}


def test_up_from_is_a_base_of_the_same_target() -> None:
    found = claims_of("Lei Jun raised Xiaomi's 2025 delivery target to 400,000 vehicles (up from 350,000).")
    assert [(c.value, c.base_value, period(c)) for c in found] == [(400_000, 350_000, "2025"), (350_000, None, "2025")]


def test_up_from_a_year_earlier_dates_the_base() -> None:
    new, old = claims_of("Xiaomi delivered 108,796 vehicles in Q3, up from 39,790 a year earlier.")
    assert (period(new), period(old), new.base_value) == ("2025-Q3", "2024-Q3", 39_790)


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("NIO's deliveries rose 25% year-over-year in October.", "2024-10"),
        ("NIO's deliveries rose 25% year-on-year in October.", "2024-10"),
        ("NIO's deliveries rose 25% YoY in October.", "2024-10"),
        ("NIO's deliveries rose 25% in October compared with a year earlier.", "2024-10"),
        ("NIO's deliveries rose 25% quarter-on-quarter in Q3.", "2025-Q2"),
        ("NIO's deliveries rose 25% month-on-month in October.", "2025-09"),
    ],
)
def test_changes_and_their_base_periods(text: str, basis: str) -> None:
    c = one(text)
    assert (c.kind, c.value, c.metric) == ("change_pct", 25.0, "deliveries")
    assert str(c.base_period_obj()) == basis


def test_decreases_are_negative_and_share_levels_are_not_changes() -> None:
    drop, share = claims_of("BYD's sales fell 5.5% in September, and its market share slipped to 30%.", "2025-10-02")
    assert (drop.kind, drop.value) == ("change_pct", -5.5)
    assert (share.kind, share.value, share.metric) == ("level", 30.0, "market_share")


def test_doubled_and_tripled() -> None:
    doubled = one("Leapmotor's deliveries more than doubled in June from a year earlier.", "2025-07-02")
    assert (doubled.kind, doubled.value, doubled.qualifier) == ("change_pct", 100.0, "over")
    tripled = one("XPeng's deliveries tripled in the first half.", "2025-07-02")
    assert tripled.value == 200.0


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("in Q3", "2025-Q3"),
        ("in the third quarter", "2025-Q3"),
        ("in H1", "2025-H1"),
        ("in the first nine months", "2025-01..2025-09"),
        ("from January to October", "2025-01..2025-10"),
        ("in January–October", "2025-01..2025-10"),
        ("in March", "2025-03"),
        ("in 2020", "2020"),
        ("this year", "2025"),
        ("last month", "2025-10"),
        ("in October 2024", "2024-10"),
        ("in Q3 2024", "2024-Q3"),
    ],
)
def test_periods_resolve_against_the_document_date(phrase: str, expected: str) -> None:
    c = one(f"Xiaomi delivered 40,000 vehicles {phrase}.")
    assert period(c) == expected


def test_between_months_opens_a_sentence() -> None:
    c = one("Between January and October, they moved 315,376 units.\n", "2025-11-25")
    assert period(c) == "2025-01..2025-10"


def test_pronouns_and_descriptions_resolve_to_the_last_salient_entity() -> None:
    text = "Xiaomi is growing fast. The company delivered 40,000 cars in October. It expects more in November."
    assert one(text).entity == "Xiaomi"
    assert one("NIO had a good month. They delivered 40,397 vehicles in October.").entity == "NIO"


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        # a change attached to a level is the level's
        ("Xiaomi delivered 108,796 vehicles in the third quarter of 2025, up 173% year on year, "
         "as the YU7 joined the SU7 on the road.", ["Xiaomi", "Xiaomi"]),
        ("BYD sold 396,270 vehicles in September, down 5.5% year on year, after Tesla China cut prices again.",
         ["BYD", "BYD"]),
        ("XPeng's deliveries reached 42,013 units in October, a rise of 76% from a year earlier, "
         "which Li Auto could not match.", ["XPeng", "XPeng"]),
        # the subject before the number wins over a name in a later subordinate clause
        ("Xiaomi said on Monday that in the three months to September deliveries reached 108,796 units, "
         "as demand for the YU7 grew.", ["Xiaomi"]),
        # a name between the level and the change starts another subject
        ("Xiaomi delivered 40,000 cars in October and NIO's deliveries rose 30% on the year.", ["Xiaomi", "NIO"]),
        # an aside in parentheses is not a clause boundary
        ("In May, XPeng (小鹏汽车) delivered 33,525 vehicles while NIO (蔚来) handed over 23,231; "
         "Li Auto (理想汽车) led the trio with 40,856.", ["XPeng", "NIO", "Li Auto"]),
    ],
)
def test_entity_is_the_subject_of_the_numbers_clause(text: str, entities: list[str]) -> None:
    assert [c.entity for c in claims_of(text)] == entities


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Xiaomi delivered 108,796 vehicles in the third quarter of 2025, up 173% year on year, as the YU7 joined "
         "the SU7 on the road. The company has now raised its 2025 delivery target to 400,000 vehicles.", "Xiaomi"),
        # up the parent chain: SU7 Ultra → SU7 → Xiaomi
        ("The SU7 Ultra went on sale in February. The automaker delivered 40,000 cars in March.", "Xiaomi"),
        # a model the store does not list: the brand written before it
        ("BYD sold 300,000 cars. Tesla's Model Y led the segment again. The EV maker delivered 497,099 vehicles in Q3.",
         "Tesla"),
        ("The YU7 is selling fast, and the brand said it delivered 40,000 vehicles in October.", "Xiaomi"),
        ("After the YU7 launch in June, it raised its 2025 delivery target to 350,000 vehicles.", "Xiaomi"),
    ],
)
def test_company_descriptions_resolve_to_a_brand_never_a_model(text: str, entity: str) -> None:
    assert claims_of(text)[-1].entity == entity


def test_models_are_reached_by_naming_them() -> None:
    assert one("The SU7 is Xiaomi's first car. The sedan had 88,898 orders in its first day.").entity == "Xiaomi SU7"
    price = claims_of("The SU7 Ultra costs 529,900 yuan. Its price was cut in March to 499,900 yuan.")
    assert [c.entity for c in price] == ["Xiaomi SU7 Ultra", "Xiaomi SU7 Ultra"]


def test_models_map_to_themselves_with_their_parent() -> None:
    c = one("The SU7 had 88,898 orders in its first day.")
    assert c.entity == "Xiaomi SU7"
    assert GAZ.entity("Xiaomi SU7").parent == "Xiaomi"  # type: ignore[union-attr]
    assert str(c.period_obj()) == "2024-03-28"  # pre-orders: the launch day in the store


def test_tesla_in_china_is_tesla_china() -> None:
    c = one("Tesla's market share in China fell to 4.5% in October.")
    assert c.entity == "Tesla China"


def test_unknown_companies_are_named_as_written() -> None:
    c = one("Zeekr delivered 25,000 vehicles in October.")
    assert c.entity == "Zeekr"


NOT_NUMBERS = [
        "The Redmi Note 13 Pro and the SU7 were on show in 2025.",
        "Tesla's Model 3 and Model Y are the best sellers; the iPhone 16 Pro is not a car.",
        "The event starts at 10:30 a.m. on March 29, 2025.",
        "See https://www.example.com/2025/10/xiaomi-40000-deliveries for more.",
        "Call +86 10 6060 6666 or 400-100-5678 for details.",
        "1. Xiaomi\n2. Tesla\n3. BYD",
        "Xiaomi was founded in 2010 and listed in Hong Kong in July 2018.",
        "The 31-year-old driver was one of two people in the car.",
        "Xiaomi ranked No. 3 and sits in the top 10 of Fortune 500 lists.",
        "Chapter 11 filings rose, said the 24/7 news desk.",
]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_years_names_times_urls_phones_and_labels_are_not_numbers(text: str) -> None:
    """Not even with include_unresolved: these are not quantities at all."""
    found = claims_of(text, include_unresolved=True)
    assert [c.text for c in found if "people" not in c.text] == []


@pytest.mark.parametrize("text", NOT_NUMBERS + ["Dozens of reports say one of them is safe.", "It is the first time."])
def test_not_claims(text: str) -> None:
    assert claims_of(text) == []


def test_footnote_marks_are_not_claims_and_close_their_sentence() -> None:
    text = "Xiaomi delivered 108,796 cars in Q3 2025.[^1] Tesla China sold 26,006 cars in October 2025.[^2]"
    found = claims_of(text, include_unresolved=True)
    assert [(c.text, c.entity, period(c)) for c in found] == [
        ("108,796 cars", "Xiaomi", "2025-Q3"), ("26,006 cars", "Tesla China", "2025-10")]
    assert [text[a:b] for a, b, _ in split_sentences(text)] == [
        "Xiaomi delivered 108,796 cars in Q3 2025.[^1]", " Tesla China sold 26,006 cars in October 2025.[^2]"]
    assert found[1].sentence_start == text.index(" Tesla")


def test_citation_marks_and_footnote_definitions_are_not_read() -> None:
    text = ("NIO delivered 40,397 vehicles[1] in October, up 92.6%[2][3] year-on-year.[4] "
            "XPeng sold 42,013 cars [5, 6].[^note]\n\n"
            "[^note]: XPeng, monthly deliveries, 1 November 2025; 12 pages.\n"
            "[1]: https://ir.nio.com/news/2025-11-01 (40 rows)\n")
    found = claims_of(text, "2025-11-02", include_unresolved=True)
    assert [c.text for c in found] == ["40,397 vehicles", "92.6%", "42,013 cars"]
    assert found[1].entity == "NIO" and found[2].entity == "XPeng"
    for c in found:
        assert text[c.start:c.end] == c.text
    assert [text[a:b].strip() for a, b, _ in split_sentences(text)] == [
        "NIO delivered 40,397 vehicles[1] in October, up 92.6%[2][3] year-on-year.[4]",
        "XPeng sold 42,013 cars [5, 6].[^note]"]


def test_numbers_in_headlines_are_claims() -> None:
    c = claims_of("Xiaomi Raises 2025 Delivery Target To 400,000 Vehicles\nThe company said so on Monday.")
    assert [(x.value, x.metric, period(x)) for x in c] == [(400_000, "delivery_target", "2025")]


def test_chinese_text() -> None:
    level, change = claims_of("比亚迪9月新能源汽车销量为396,270辆，同比下降5.5%。", "2025-10-02")
    assert (level.entity, level.value, level.unit, period(level)) == ("BYD", 396_270, "vehicles", "2025-09")
    assert (change.kind, change.value, str(change.base_period_obj())) == ("change_pct", -5.5, "2024-09")
    over = one("小米汽车10月交付量超过4万辆。", "2025-11-01")
    assert (over.entity, over.value, over.qualifier, over.precision) == ("Xiaomi", 40_000, "over", 10_000)


def test_offsets_slice_the_text_and_sentences() -> None:
    text = "Xiaomi delivered 40,000 cars in October.  NIO delivered 40,397 vehicles, up 92.6% year-on-year."
    for c in claims_of(text):
        assert text[c.start:c.end] == c.text
        assert c.sentence_start <= c.start < c.end <= c.sentence_end
    assert [c.id for c in claims_of(text)] == ["c1", "c2", "c3"]


def test_unresolved_numbers_are_kept_on_request() -> None:
    text = "Xiaomi's gross margin was 25.5% in the third quarter."
    assert claims_of(text) == []
    [c] = claims_of(text, include_unresolved=True)
    assert (c.metric, c.value, c.unit) == (None, 25.5, "percent")


def test_extraction_is_pure_and_deterministic() -> None:
    text = SEED.read_text(encoding="utf-8") if SEED.exists() else "Xiaomi delivered 40,000 cars in October."
    first = [c.model_dump() for c in claims_of(text)]
    second = [c.model_dump() for c in claims_of(text)]
    assert first == second


def test_gazetteer_from_a_store_equals_the_default(pack: Any) -> None:
    built = Gazetteer.from_store(pack)
    default = default_gazetteer()
    assert built.entities == default.entities
    assert built.aliases == default.aliases
    assert built.metric_phrases == default.metric_phrases
    assert built.holders == default.holders


def test_gazetteer_is_picklable() -> None:
    import pickle

    gaz = pickle.loads(pickle.dumps(default_gazetteer()))
    assert one("NIO delivered 40,397 vehicles in October.").model_dump() == extract(
        "NIO delivered 40,397 vehicles in October.", date=date(2025, 11, 25), gazetteer=gaz
    )[0].model_dump()


def test_a_change_against_a_named_period_a_year_back_is_about_that_period_a_year_on() -> None:
    # the period is not the first quarter the previous sentence named, but December 2025
    text = "BYD's first quarter was strong. BYD's sales were down 18.3 per cent compared with December 2024."
    [c] = [c for c in extract(text, date=date(2026, 1, 5), gazetteer=default_gazetteer()) if c.kind == "change_pct"]
    assert (str(c.period.start), str(c.base_period.start)) == ("2025-12-01", "2024-12-01")
    assert c.period_basis == "sentence"


@pytest.mark.parametrize(("text", "quote"), [
    # dev: azovpromstal.com (CPCA, November 2025), people.cn (CPCA, November 2025)
    ("In the given month, retail sales of new energy passenger vehicles were estimated at 1.354 million units.", "1.354 million"),
    ("In November, production of new-energy passenger vehicles reached around 1.76 million units.", "1.76 million"),
    ("The NEV market penetration rate in November was 59.8 percent.", "59.8 percent"),
])
def test_a_count_of_a_whole_kind_of_vehicle_is_the_markets(text: str, quote: str) -> None:
    [c] = [c for c in claims_of(text) if quote in c.text]
    assert c.entity == "China NEV market" and c.entity_basis == "named"


def test_a_period_after_since_dates_nothing_it_is_near() -> None:
    # dev: cbtnews.com (September 2025 deliveries)
    text = ("Xpeng delivered 41,581 vehicles in September, a 10% monthly rise, surpassing the 40,000-unit threshold "
            "for the first time since last November. Nio recorded 34,749 deliveries.")
    claims = {c.text.split()[0]: c for c in claims_of(text, "2025-10-02")}
    assert period(claims["10%"]) == period(claims["41,581"]) == "2025-09"
    assert period(claims["34,749"]) == "2025-09"
