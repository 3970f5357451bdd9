"""Source tiers (redline/sources.py, redline/data/sources.csv), series and confirming sources on facts."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Callable

import duckdb
import pytest

from redline.analytics import conflicts
from redline.catalog import SERIES
from redline.errors import ImportErrors, InputError, IssueReason
from redline.periods import Period
from redline.sources import domain_of, load_sources, sources, summarize, tier_of
from redline.store import Store, pack_path
from redline.store.records import FACT_COLUMNS

Cli = Any  # the ``cli`` fixture of conftest.py


@pytest.mark.parametrize(
    ("url", "tier"),
    [
        ("https://www.reuters.com/business/autos-transportation/x", 2),
        ("https://graphics.reuters.com/x", 2),
        ("http://en.people.cn/n3/2025/0311/c90000-20287917.html", 2),
        ("https://news.cgtn.com/news/2022-01-12/x", 2),
        ("https://www.hkexnews.hk/listedco/listconews/sehk/2025/x.pdf", 1),
        ("https://ir.nio.com/news-releases/x", 1),
        ("https://cdn2.el-balad.com/?p=343326", 3),
        ("https://example.org/a", 3),   # undeclared
        ("https://notreuters.com/a", 3),  # a suffix match must fall on a label boundary
        ("not a url", 3),
        (None, 3),
    ],
)
def test_tier_of_folds_subdomains_and_defaults_to_3(url: str | None, tier: int) -> None:
    assert tier_of(url) == tier


def test_domain_of_names_the_declared_domain() -> None:
    assert domain_of("https://www.reuters.com/x") == "reuters.com"
    assert domain_of("https://www.example.org/x") == "example.org"


def test_the_declared_table_is_well_formed() -> None:
    table = sources()
    assert {s.tier for s in table.values()} == {1, 2, 3}
    for name in ("cpcaauto.com", "samr.gov.cn", "hkexnews.hk"):
        assert table[name].tier == 1
    # the content farms the issue names are tier 3
    for name in ("cdn2.el-balad.com", "cerveza-artesanal.com", "rideradar.online", "reportify.ai"):
        assert table[name].tier == 3


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("reuters.com,4,wire,", "tier: must be 1, 2 or 3"),
        ("https://reuters.com/,2,wire,", "domain: not a bare domain"),
        ("reuters.com,2,,", "kind: is empty"),
    ],
)
def test_a_bad_sources_row_is_named_by_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "sources.csv"
    path.write_text(f"domain,tier,kind,note\ncnevpost.com,2,auto_press,\n{row}\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"sources.csv:3: {message}"):
        load_sources(path)


def test_every_fact_carries_the_tier_of_its_source(pack: Store) -> None:
    facts = pack.facts()
    assert facts and all(f.tier == tier_of(f.source_url) for f in facts)
    assert all(f.to_dict()["tier"] == f.tier for f in facts[:20])
    el_balad = [f for f in facts if "el-balad" in (f.source_url or "")]
    assert all(f.tier == 3 for f in el_balad)


def test_summary_counts_current_versions_by_tier(pack: Store) -> None:
    s = summarize(pack)
    assert s.facts == len(pack.facts())
    assert sum(s.by_tier.values()) == s.facts == sum(d.facts for d in s.domains)
    assert s.by_tier == {t: sum(1 for f in pack.facts() if f.tier == t) for t in (1, 2, 3)}
    assert s.tier3_only == sum(1 for f in pack.facts() if f.best_tier == 3)


def test_facts_sources_json(cli: Cli) -> None:
    out = cli("facts", "sources", "--json").json()
    assert set(out["by_tier"]) == {"1", "2", "3"}
    assert out["facts"] == sum(out["by_tier"].values())
    text = cli("facts", "sources").stdout
    assert "reputable secondary" in text and "cnevpost.com" in text


# -- series and confirmed_by -----------------------------------------------------------------------

def test_every_volume_fact_of_the_pack_names_its_series() -> None:
    with pack_path().open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for i, row in enumerate(rows, start=2):
        if row["metric"] in ("deliveries", "sales", "production"):
            assert row["series"] in SERIES, f"ev_facts.csv line {i}: series {row['series']!r}"
        else:
            assert row["series"] == "", f"ev_facts.csv line {i}: a {row['metric']} fact has a series"


def test_tesla_china_retail_wholesale_and_exports_are_kept_apart(pack: Store) -> None:
    sept = Period.parse("2025-09")
    retail = pack.facts(entity="Tesla China", metric="sales", period=sept, within=sept)
    wholesale = pack.facts(entity="Tesla Giga Shanghai", metric="sales", period=sept, within=sept)
    assert {f.series for f in retail} == {"retail"}
    assert {f.series for f in wholesale} <= {"wholesale", "exports"}
    assert "wholesale" in {f.series for f in wholesale}


LEGACY = [c for c in FACT_COLUMNS if c not in ("series", "confirmed_by")]
ROW = {"entity": "Tesla Giga Shanghai", "metric": "sales", "period_start": "2026-01-01", "period_end": "2026-01-31",
       "value": "69129", "unit": "vehicles", "qualifier": "exact", "source_url": "https://example.com/jan",
       "published": "2026-02-04"}


def test_a_file_without_the_new_columns_imports_with_default_series(store: Store, write_facts: Callable[..., Path]) -> None:
    result = store.import_file(write_facts([ROW], columns=LEGACY))
    assert result.added == 1
    [f] = store.facts(entity="Tesla Giga Shanghai", period=Period.parse("2026-01"))
    assert (f.series, f.confirmed_by) == ("wholesale", None)
    # the same row again, now naming its (default) series: the same fact, nothing added
    assert store.import_file(write_facts([{**ROW, "series": "wholesale"}], name="again.csv")).added == 0


def test_series_is_part_of_the_key(store: Store, write_facts: Callable[..., Path]) -> None:
    exports = {**ROW, "value": "7000", "series": "exports", "confirmed_by": "https://www.reuters.com/x"}
    store.import_file(write_facts([ROW, exports]))
    found = store.facts(entity="Tesla Giga Shanghai", period=Period.parse("2026-01"))
    assert sorted((f.series, f.value) for f in found) == [("exports", 7000), ("wholesale", 69129)]
    [ex] = [f for f in found if f.series == "exports"]
    assert (ex.tier, ex.best_tier, ex.confirmed_by) == (3, 2, "https://www.reuters.com/x")
    assert store.versions("Tesla Giga Shanghai", "sales", Period.parse("2026-01"))[0].value == 69129
    assert not [c for c in conflicts(store, entity="Tesla Giga Shanghai") if c.period == Period.parse("2026-01")]


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"series": "shipments"}, "series", IssueReason.unknown_series),
        ({"metric": "market_share", "unit": "percent", "market": "China NEV market", "series": "retail"},
         "series", IssueReason.unknown_series),
        ({"confirmed_by": "reuters.com/x"}, "confirmed_by", IssueReason.bad_url),
    ],
)
def test_bad_series_or_confirming_source_is_refused_by_line(
    store: Store, write_facts: Callable[..., Path], change: dict[str, str], field: str, reason: IssueReason
) -> None:
    before = store.count_facts()
    with pytest.raises(ImportErrors) as caught:
        store.import_file(write_facts([ROW, {**ROW, **change}]))
    [issue] = [i for i in caught.value.issues if i.field == field]  # a share row of a volume breaks the 0-100 range too
    assert (issue.line, issue.field, issue.reason) == (3, field, reason)
    assert store.count_facts() == before


def test_a_store_from_before_series_is_migrated_and_keeps_its_facts(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE facts DROP COLUMN series")
    con.execute("ALTER TABLE facts DROP COLUMN confirmed_by")
    con.execute("DELETE FROM migrations WHERE name = '0005_fact_series_confirmed_by'")
    n = int(con.execute("SELECT count(*) FROM facts").fetchone()[0])
    con.close()
    with Store(path, read_only=True) as old:  # read-only: not migrated, still readable
        assert len(old.facts(latest_only=False)) == n
        assert {f.series for f in old.facts()} == {None}
        assert summarize(old).facts > 0
    with Store(path) as migrated:
        assert len(migrated.facts(latest_only=False)) == n
