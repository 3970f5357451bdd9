"""The fact store: the bundled pack, validated imports, versions, time of knowledge, export."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any, Callable

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redline import analytics
from redline.catalog import Entity
from redline.intervals import QUALIFIER_WORDS, QUALIFIERS, normalise_qualifier
from redline.errors import ImportErrors, InputError, IssueReason, NotFound, ReadOnly
from redline.periods import Period
from redline.store import Event, Store, pack_path
from redline.store.records import FACT_COLUMNS
from redline.store.schema import ENTITY_KEY_SQL, MIGRATIONS, entity_key

def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


PACK_ROWS = read_csv(pack_path("ev_facts.csv"))

NEW_FACT = {
    "entity": "Xiaomi", "metric": "deliveries", "period_start": "2026-01-01", "period_end": "2026-01-31",
    "value": "39000", "unit": "vehicles", "qualifier": "over", "market": "",
    "source_url": "https://example.com/xiaomi-january-2026", "published": "2026-02-01", "note": "test row",
}


def snapshot(store: Store) -> list[tuple[Any, ...]]:
    """Every stored fact with its bookkeeping: what 'the store is unchanged' compares."""
    return store.con.execute("SELECT * FROM facts ORDER BY id").fetchall()


# -- the bundled pack -----------------------------------------------------------------


def test_the_pack_is_loaded_whole(pack: Store) -> None:
    assert pack.count_facts() == len(PACK_ROWS) >= 282
    assert len(pack.entities()) == 22
    names = [r[0] for r in pack.con.execute("SELECT name FROM migrations ORDER BY name").fetchall()]
    assert names == [name for name, _ in MIGRATIONS]


def test_entities_resolve_by_alias_case_insensitively(pack: Store) -> None:
    assert pack.entity("Xiaomi Auto").name == "Xiaomi"
    assert pack.entity("  xiaomi ev ").name == "Xiaomi"
    assert pack.entity("小米汽车").name == "Xiaomi"
    assert pack.entity("su7").name == "Xiaomi SU7"
    with pytest.raises(NotFound, match="did you mean Xiaomi"):
        pack.entity("Xiaom")


def test_metrics_resolve_by_alias(pack: Store) -> None:
    assert pack.metric("retail sales").name == "sales"
    assert pack.metric("Delivery Target").name == "delivery_target"
    assert pack.metric("handed over").name == "deliveries"
    with pytest.raises(NotFound, match="unknown metric"):
        pack.metric("happiness")


def test_descendants_walk_the_whole_tree(pack: Store) -> None:
    assert [e.name for e in pack.descendants("Xiaomi")] == ["Xiaomi SU7", "Xiaomi SU7 Ultra", "Xiaomi YU7"]
    assert {e.name for e in pack.descendants("Xiaomi Group")} == {
        "Xiaomi", "Xiaomi SU7", "Xiaomi SU7 Ultra", "Xiaomi YU7", "Redmi Note 13 Pro"}


# -- versions and time of knowledge -------------------------------------------------------


def test_target_revisions_are_versions_of_one_key(pack: Store) -> None:
    versions = pack.versions("Xiaomi", "delivery_target", Period.year(2025))
    assert [(v.value, v.known_from) for v in versions] == [
        (300_000, date(2025, 1, 3)), (350_000, date(2025, 3, 18)), (400_000, date(2025, 11, 20))]
    assert versions[-1].qualifier == "at_least"


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(date(2025, 1, 2), None), (date(2025, 1, 3), 300_000), (date(2025, 6, 1), 350_000),
     (date(2025, 11, 19), 350_000), (date(2025, 11, 20), 400_000), (None, 400_000)],
)
def test_as_of_sees_only_what_was_published_and_the_latest_version_wins(
    pack: Store, as_of: date | None, expected: float | None
) -> None:
    found = pack.facts(entity="Xiaomi", metric="delivery_target", period=Period.year(2025), as_of=as_of)
    found = [f for f in found if f.period == Period.year(2025)]
    assert [f.value for f in found] == ([] if expected is None else [expected])


def test_a_month_only_publication_date_is_known_at_the_month_end(pack: Store) -> None:
    f = next(f for f in pack.facts(entity="Xiaomi", metric="deliveries") if f.period == Period.parse("2024-Q3"))
    assert (f.value, f.published, f.known_from) == (39_790, "2024-11", date(2024, 11, 30))
    q3 = Period.parse("2024-Q3")
    assert not [g for g in pack.facts(entity="Xiaomi", metric="deliveries", as_of=date(2024, 11, 29)) if g.period == q3]


def test_importing_a_revised_figure_adds_a_version(store: Store, write_facts: Callable[..., Path]) -> None:
    q3 = Period.parse("2025-Q3")
    revised = {**NEW_FACT, "period_start": "2025-07-01", "period_end": "2025-09-30", "value": "108800",
               "qualifier": "exact", "published": "2026-03-01", "source_url": "https://example.com/restated"}
    result = store.import_file(write_facts([revised]))
    assert (result.rows, result.added) == (1, 1)
    versions = store.versions("Xiaomi", "deliveries", q3)
    assert [v.value for v in versions] == [108_796, 108_800]
    latest = [f for f in store.facts(entity="Xiaomi", metric="deliveries", period=q3) if f.period == q3]
    assert [f.value for f in latest] == [108_800]
    before = [f for f in store.facts(entity="Xiaomi", metric="deliveries", period=q3, as_of=date(2026, 2, 28))
              if f.period == q3]
    assert [f.value for f in before] == [108_796]
    assert len(store.facts(entity="Xiaomi", metric="deliveries", period=q3, latest_only=False)) > len(
        store.facts(entity="Xiaomi", metric="deliveries", period=q3))


def test_one_entity_reads_agree_with_whole_store_reads(pack: Store) -> None:
    """Reads for one entity choose versions in Python; whole-store reads do it in SQL. Same answer."""
    for as_of in (None, date(2025, 6, 1), date(2025, 11, 25)):
        for latest_only in (True, False):
            everything = pack.facts(as_of=as_of, latest_only=latest_only)
            for name in pack.entities():
                mine = pack.facts(entity=name, as_of=as_of, latest_only=latest_only)
                assert [f.id for f in mine] == [f.id for f in everything if f.entity == name]
    assert len(pack.facts(entity="Xiaomi", limit=3)) == 3


@pytest.mark.parametrize("entity", [None, "Xiaomi"])
@pytest.mark.parametrize("limit", [0, -5, 2.5, True])
def test_facts_limit_must_be_a_whole_number_of_1_or_more(pack: Store, entity: str | None, limit: Any) -> None:
    with pytest.raises(InputError, match="limit must be a whole number of 1 or more"):
        pack.facts(entity=entity, limit=limit)
    assert len(pack.facts(entity=entity, limit=1)) == 1


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_entity_key_is_the_same_in_python_and_sql(name: str) -> None:
    con = duckdb.connect()
    got = con.execute(f"SELECT {ENTITY_KEY_SQL.format(column='?')}", [name]).fetchone()[0]
    con.close()
    assert got == entity_key(name)
    assert 0 <= got < 2**60


def test_an_old_store_is_migrated_and_keeps_its_facts(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    for name, sql in MIGRATIONS[:3]:
        con.execute(sql)
        con.execute("INSERT INTO migrations VALUES (?, now())", [name])
    con.execute("INSERT INTO metrics VALUES ('deliveries', 'vehicles', 'sum', [], '', NULL, NULL)")
    con.execute("INSERT INTO entities VALUES ('Xiaomi SU7 Ultra', 'model', NULL, [], '')")
    con.execute(
        "INSERT INTO facts VALUES (1, 'Xiaomi SU7 Ultra', 'deliveries', DATE '2025-03-01', DATE '2025-03-31', "
        "6000, 'vehicles', 'over', NULL, 'https://example.com', '2025-04', DATE '2025-04-30', NULL, now(), 'x', 'fp')"
    )
    con.close()
    with Store(path, read_only=True) as old:  # read-only: not migrated, still read correctly
        [f] = old.facts(entity="Xiaomi SU7 Ultra", metric="deliveries")
        assert f.value == 6000
        assert [v.value for v in old.versions("Xiaomi SU7 Ultra", "deliveries", Period.parse("2025-03"))] == [6000]
    with Store(path) as store:
        assert "0004_fact_entity_key" in {r[0] for r in store.con.execute("SELECT name FROM migrations").fetchall()}
        [f] = store.facts(entity="Xiaomi SU7 Ultra", metric="deliveries")
        assert (f.value, f.qualifier, f.known_from) == (6000, "over", date(2025, 4, 30))
        assert store.count_facts() == 1  # no pack loaded into an existing store


# -- refused imports -----------------------------------------------------------------------


def bad(**changes: str) -> dict[str, str]:
    return {**NEW_FACT, **changes}


REFUSALS = [
    pytest.param([bad(value="40k+")], None, 2, "value", IssueReason.not_a_number, id="non-numeric value"),
    pytest.param([bad(value="")], None, 2, "value", IssueReason.missing_value, id="empty value"),
    pytest.param([bad(value="inf")], None, 2, "value", IssueReason.not_a_number, id="infinite value"),
    pytest.param([NEW_FACT, bad(period_end="2025-12-31")], None, 3, "period_end", IssueReason.end_before_start,
                 id="end before start"),
    pytest.param([bad(metric="deliverys")], None, 2, "metric", IssueReason.unknown_metric, id="unknown metric"),
    pytest.param([bad(entity="Xiaomi Motors Intl")], None, 2, "entity", IssueReason.unknown_entity, id="unknown entity"),
    pytest.param([bad(period_start="2026-13-01")], None, 2, "period_start", IssueReason.bad_date, id="month 13"),
    pytest.param([bad(period_start="01/01/2026")], None, 2, "period_start", IssueReason.bad_date, id="US date"),
    pytest.param([bad(period_end="2026-02-30")], None, 2, "period_end", IssueReason.bad_date, id="30 February"),
    pytest.param([bad(published="Feb 2026")], None, 2, "published", IssueReason.bad_date, id="published in words"),
    pytest.param([bad(qualifier="roughly-ish")], None, 2, "qualifier", IssueReason.unknown_qualifier,
                 id="unknown qualifier"),
    pytest.param([NEW_FACT], [c for c in FACT_COLUMNS if c != "unit"], 1, "unit", IssueReason.missing_column,
                 id="missing column"),
    pytest.param([bad(source_url="javascript:alert(1)")], None, 2, "source_url", IssueReason.bad_url,
                 id="javascript url"),
]


@pytest.mark.parametrize(("rows", "columns", "line", "field", "reason"), REFUSALS)
@pytest.mark.parametrize("suffix", ["csv", "json", "parquet"])
def test_bad_input_is_refused_naming_file_line_and_field_and_nothing_is_written(
    store: Store, write_facts: Callable[..., Path], rows: list[dict[str, str]], columns: list[str] | None,
    line: int, field: str, reason: IssueReason, suffix: str,
) -> None:
    path = write_facts(rows, f"bad.{suffix}", columns)
    before = snapshot(store)
    with pytest.raises(ImportErrors) as caught:
        store.import_file(path)
    [issue] = caught.value.issues
    # CSV lines count the header; JSON and Parquet count records
    expected_line = line if suffix == "csv" or reason == IssueReason.missing_column else line - 1
    assert (issue.file, issue.line, issue.field, issue.reason) == (str(path), expected_line, field, reason)
    assert str(issue).startswith(f"{path}:{expected_line}: {field}: ")
    assert snapshot(store) == before


def test_every_problem_is_reported_not_just_the_first(store: Store, write_facts: Callable[..., Path]) -> None:
    rows = [NEW_FACT, bad(value="n/a"), NEW_FACT, bad(metric="vibes", period_start="2026-1-1"), bad(unit="")]
    path = write_facts(rows)
    with pytest.raises(ImportErrors) as caught:
        store.import_file(path)
    found = [(i.line, i.field, i.reason) for i in caught.value.issues]
    assert found == [
        (3, "value", IssueReason.not_a_number),
        (5, "metric", IssueReason.unknown_metric),
        (5, "period_start", IssueReason.bad_date),
        (6, "unit", IssueReason.missing_value),
    ]
    assert "4 problem(s); nothing was imported" in str(caught.value)
    assert caught.value.to_dict()["issues"][0] == {
        "file": str(path), "line": 3, "field": "value", "reason": "not_a_number",
        "message": "is not a number: 'n/a'"}


# Every qualifier word facts and claims share, and the underscore spellings files use.
IMPORT_QUALIFIERS = sorted(QUALIFIER_WORDS) + ["more_than", "less_than", "at_least", "at_most", "up_to", "just_shy_of"]


def test_import_accepts_every_qualifier_word_claims_use(store: Store, write_facts: Callable[..., Path]) -> None:
    # each row its own source: one source giving one figure several values in one file is refused
    rows = [{**NEW_FACT, "qualifier": word.upper(), "value": str(1000 + i), "source_url": f"{NEW_FACT['source_url']}?{i}"}
            for i, word in enumerate(IMPORT_QUALIFIERS)]
    result = store.import_file(write_facts(rows))
    assert result.added == len(rows)
    stored = {f.value: f.qualifier for f in store.facts(entity="Xiaomi", metric="deliveries", latest_only=False)
              if (f.source_url or "").startswith(NEW_FACT["source_url"])}
    for i, word in enumerate(IMPORT_QUALIFIERS):
        assert stored[1000 + i] == normalise_qualifier(word.replace("_", " ")), word


def test_an_unknown_qualifier_is_explained_with_every_canonical_name(store: Store, write_facts: Callable[..., Path]) -> None:
    with pytest.raises(ImportErrors) as caught:
        store.import_file(write_facts([bad(qualifier="circa")]))
    [issue] = caught.value.issues
    assert issue.reason == IssueReason.unknown_qualifier
    assert all(q in issue.message for q in QUALIFIERS)  # 'under' was missing


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<b>x</b>", "ftp://example.com/a", "example.com/a",
     "https://", "http:/example.com", "https://example.com/a b", "https://example.com/\tb",
     "https://x.example/a><img src=x onerror=alert(1)>", 'https://example.com/"onmouseover="alert(1)',
     "https://example.com/<script>", "https://example.com/a\x00b"],
)
def test_a_source_that_is_not_an_http_url_is_refused(store: Store, url: str) -> None:
    before = snapshot(store)
    with pytest.raises(ImportErrors) as caught:
        store.add_facts([bad(source_url=url)], source="api")
    [issue] = caught.value.issues
    assert (issue.file, issue.line, issue.field, issue.reason) == ("api", 1, "source_url", IssueReason.bad_url)
    assert "http:// or https://" in issue.message
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "url",
    ["", "https://example.com", "HTTP://EXAMPLE.COM/A", "https://example.com/a?b=c&d=%20e#f",
     "https://cerveza-artesanal.com/go-back?.done=%2Fnews%2Fx.html", "https://example.com/[rival]",
     "  https://example.com/trimmed  "],
)
def test_empty_and_http_sources_are_accepted(store: Store, url: str) -> None:
    assert store.add_facts([bad(source_url=url)]).added == 1
    [f] = store.facts(entity="Xiaomi", metric="deliveries", period=Period.parse("2026-01"))
    assert f.source_url == (url.strip() or None)


def test_every_source_of_the_bundled_pack_is_accepted(tmp_path: Path) -> None:
    with Store(tmp_path / "fresh.duckdb", load_pack=False) as fresh:
        fresh.import_entities(pack_path("ev_entities.csv"))
        assert fresh.import_file(pack_path("ev_facts.csv")).added == len(PACK_ROWS)
        assert all(f.source_url and f.source_url.startswith(("https://", "http://")) for f in fresh.facts())


HEADER = ",".join(c for c in FACT_COLUMNS if c not in ("series", "confirmed_by"))  # the older layout, still accepted
GOOD_LINE = "Xiaomi,deliveries,2026-01-01,2026-01-31,39000,vehicles,over,,https://example.com/x,2026-02-01,"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (f"{HEADER}\n{GOOD_LINE}\nXiaomi,deliveries,2026-02-01,2026-02-28,41000,vehicles\n", 3, "has 6 fields"),
        (f"{HEADER}\n{GOOD_LINE}\n{GOOD_LINE}note,extra\n", 3, "has 12 fields"),
        (f"{HEADER}\n{GOOD_LINE}caf\xe9\n", 2, "not UTF-8"),
    ],
    ids=["too few fields", "too many fields", "latin-1 text"],
)
def test_unreadable_csv_rows_are_named_by_line(store: Store, tmp_path: Path, body: str, line: int, message: str) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(body.encode("latin-1"))
    before = snapshot(store)
    with pytest.raises(ImportErrors) as caught:
        store.import_file(path)
    [issue] = caught.value.issues
    assert (issue.file, issue.line, issue.field) == (str(path), line, "row")
    assert message in issue.message
    assert snapshot(store) == before


def test_lines_are_physical_lines_after_a_multi_line_note(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(
        f"{HEADER}\n"
        'Xiaomi,deliveries,2026-01-01,2026-01-31,39000,vehicles,over,,,2026-02-01,"first line\nsecond line\nthird"\n'
        "Xiaomi,deliveries,2026-02-01,2026-02-28,lots,vehicles,over,,,2026-03-01,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportErrors) as caught:
        store.import_file(path)
    assert [(i.line, i.field) for i in caught.value.issues] == [(5, "value")]


def test_a_header_with_another_separator_is_read(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "semicolons.csv"
    path.write_text(HEADER.replace(",", ";") + "\n" + GOOD_LINE.replace(",", ";") + "\n", encoding="utf-8")
    assert store.import_file(path).added == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("empty.csv", "", "empty"), ("facts.xlsx", "x", "cannot tell the format"), ("nothing.csv", None, "no such file")],
)
def test_unreadable_files_are_refused(store: Store, tmp_path: Path, name: str, content: str | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        store.import_file(path)


def test_json_records_that_are_not_objects_are_named(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text(json.dumps([NEW_FACT, [1, 2], 5]), encoding="utf-8")
    with pytest.raises(ImportErrors) as caught:
        store.import_file(path)
    assert [(i.line, i.field) for i in caught.value.issues] == [(2, "record"), (3, "record")]


def test_json_numbers_and_numeric_strings_both_import(store: Store, tmp_path: Path) -> None:
    rows = [{**NEW_FACT, "value": 39000}, {**NEW_FACT, "period_start": "2026-02-01", "period_end": "2026-02-28",
                                          "value": "41000", "published": 2026}]
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    assert store.import_file(path).added == 2
    got = store.facts(entity="Xiaomi", metric="deliveries", period=Period.parse("2026-01..2026-02"))
    assert [(f.value, f.known_from) for f in got] == [(39_000, date(2026, 2, 1)), (41_000, date(2026, 12, 31))]


def test_importing_the_same_file_twice_adds_nothing(store: Store, write_facts: Callable[..., Path]) -> None:
    path = write_facts([NEW_FACT, {**NEW_FACT, "period_start": "2026-02-01", "period_end": "2026-02-28"}])
    first = store.import_file(path)
    count = store.count_facts()
    second = store.import_file(path)
    assert (first.added, first.duplicates) == (2, 0)
    assert (second.rows, second.added, second.duplicates) == (2, 0, 2)
    assert store.count_facts() == count


def test_the_pack_itself_reimports_as_duplicates(store: Store) -> None:
    result = store.import_file(pack_path("ev_facts.csv"))
    assert (result.rows, result.added) == (len(PACK_ROWS), 0)


def test_duplicate_rows_within_one_file_are_stored_once(store: Store, write_facts: Callable[..., Path]) -> None:
    result = store.import_file(write_facts([NEW_FACT, NEW_FACT]))
    assert (result.rows, result.added, result.duplicates) == (2, 1, 1)


def test_unknown_entities_can_be_added_on_import(store: Store, write_facts: Callable[..., Path]) -> None:
    result = store.import_file(write_facts([bad(entity="Zeekr")]), add_entities=True)
    assert result.added == 1
    assert store.entity("zeekr").kind == "company"


def test_rows_given_as_dictionaries_are_validated_the_same_way(store: Store) -> None:
    before = snapshot(store)
    with pytest.raises(ImportErrors) as caught:
        store.add_facts([NEW_FACT, bad(value="many")], source="extractor")
    [issue] = caught.value.issues
    assert (issue.file, issue.line, issue.field) == ("extractor", 2, "value")
    assert snapshot(store) == before
    assert store.add_facts([NEW_FACT]).added == 1


def test_a_read_only_store_refuses_writes(store_file: Path, write_facts: Callable[..., Path]) -> None:
    with Store(store_file, read_only=True) as ro:
        with pytest.raises(ReadOnly):
            ro.import_file(write_facts([NEW_FACT]))
        assert ro.count_facts() == len(PACK_ROWS)


# -- export --------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["csv", "json", "parquet"])
def test_export_round_trips_through_a_fresh_store(pack: Store, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"facts.{suffix}"
    assert pack.export(path) == len(PACK_ROWS)
    fresh = Store(":memory:", load_pack=False)
    fresh.import_entities(pack_path("ev_entities.csv"))
    result = fresh.import_file(path)
    assert (result.rows, result.added) == (len(PACK_ROWS), len(PACK_ROWS))

    def rows(s: Store) -> list[tuple[Any, ...]]:
        return sorted((*f.to_row().values(), f.known_from) for f in s.facts(latest_only=False))

    assert rows(fresh) == rows(pack)
    assert fresh.import_file(path).added == 0


def test_export_as_of_writes_only_what_was_known(pack: Store, tmp_path: Path) -> None:
    path = tmp_path / "then.csv"
    n = pack.export(path, as_of=date(2025, 6, 1))
    rows = read_csv(path)
    assert n == len(rows) and 0 < n < len(PACK_ROWS)
    targets = [float(r["value"]) for r in rows if r["entity"] == "Xiaomi" and r["metric"] == "delivery_target"
               and r["period_start"] == "2025-01-01"]
    assert targets == [300_000, 350_000]
    assert list(rows[0]) == list(FACT_COLUMNS)


# -- entities --------------------------------------------------------------------------------


def write_entities(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "entities.csv"
    path.write_text("name,kind,parent,aliases,note\n" + text, encoding="utf-8")
    return path


def test_entities_import_with_parents_from_the_store_or_the_file(store: Store, tmp_path: Path) -> None:
    path = write_entities(tmp_path, "Xiaomi YU9,model,Xiaomi,YU9;the YU9,\nXiaomi YU9 Max,model,Xiaomi YU9,,\n")
    assert store.import_entities(path) == 2
    assert store.entity("the yu9").parent == "Xiaomi"
    assert "Xiaomi YU9 Max" in [e.name for e in store.descendants("Xiaomi")]


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("Zeekr 001,model,Zeekr,,\n", 2, "parent", "unknown parent 'Zeekr'"),
        ("Loop A,brand,Loop B,,\nLoop B,brand,Loop A,,\n", 2, "parent", "cycle"),
        ("Zeekr,carmaker,,,\n", 2, "kind", "kind must be one of"),
        (",company,,,\n", 2, "name", "is empty"),
    ],
)
def test_bad_entities_are_refused_and_nothing_is_written(
    store: Store, tmp_path: Path, text: str, line: int, field: str, message: str
) -> None:
    before = dict(store.entities())
    with pytest.raises(ImportErrors) as caught:
        store.import_entities(write_entities(tmp_path, text))
    issue = caught.value.issues[0]
    assert (issue.line, issue.field) == (line, field) and message in issue.message
    assert store.entities() == before


def test_entities_file_without_a_name_column_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "entities.csv"
    path.write_text("title,kind\nZeekr,company\n", encoding="utf-8")
    with pytest.raises(ImportErrors) as caught:
        store.import_entities(path)
    assert [(i.line, i.field) for i in caught.value.issues] == [(1, "name")]


def test_add_entity_checks_kind_parent_and_duplicates(store: Store) -> None:
    with pytest.raises(InputError, match="kind"):
        store.add_entity(Entity("Zeekr", "carmaker"))
    with pytest.raises(NotFound, match="parent"):
        store.add_entity(Entity("Zeekr 001", "model", "Zeekr"))
    with pytest.raises(InputError, match="exists already"):
        store.add_entity(Entity("Xiaomi", "brand"))
    store.add_entity(Entity("Zeekr", "company", None, ("Zeekr Intelligent",)))
    assert store.entity("zeekr intelligent").name == "Zeekr"


def test_csv_export_of_the_pack_reproduces_the_pack_file(pack: Store, tmp_path: Path) -> None:
    path = tmp_path / "pack.csv"
    pack.export(path)
    exported = read_csv(path)
    assert list(exported[0]) == list(FACT_COLUMNS)

    def normal(rows: list[dict[str, str]]) -> list[tuple[Any, ...]]:
        return sorted(tuple(float(v) if k == "value" else v for k, v in r.items()) for r in rows)

    assert normal(exported) == normal(PACK_ROWS)
    assert next(r["value"] for r in exported if r["period_start"] == "2025-07-01" and r["entity"] == "Xiaomi"
                and r["metric"] == "deliveries" and r["period_end"] == "2025-09-30") == "108796"


@pytest.mark.parametrize("as_of", [None, date(2025, 6, 1)])
def test_events_of_an_entity_are_its_and_its_models_one_day_event_facts(pack: Store, as_of: date | None) -> None:
    everything = pack.events(as_of=as_of)
    for name in ("Xiaomi", "Tesla China", "BYD China", "NIO"):
        family = {name} | {e.name for e in pack.descendants(name)}
        for kind in (None, "recall", "fatal_crash"):
            mine = pack.events(entity=name, kind=kind, as_of=as_of)
            assert mine == [e for e in everything if e.entity in family and kind in (None, e.kind)]
    xiaomi = pack.events(entity="Xiaomi", as_of=as_of)
    expected = [("Xiaomi SU7", date(2025, 1, 24), "recall"), ("Xiaomi SU7", date(2025, 3, 29), "fatal_crash"),
                ("Xiaomi SU7", date(2025, 9, 19), "recall"), ("Xiaomi SU7 Ultra", date(2025, 10, 13), "fatal_crash")]
    assert [(e.entity, e.date, e.kind) for e in xiaomi] == [x for x in expected if as_of is None or x[1] < as_of]


def test_export_to_a_missing_directory_is_input_error_and_writes_nothing(pack: Store, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "facts.csv"
    with pytest.raises(InputError, match="cannot write .*facts.csv: no such directory"):
        pack.export(target)
    assert not (tmp_path / "missing").exists()
    with pytest.raises(InputError, match="is a directory"):
        pack.export(tmp_path, format="csv")


def test_a_failed_export_leaves_nothing_half_written(pack: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "facts.csv"
    target.write_text("the previous export\n", encoding="utf-8")

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("redline.store.os.replace", fail)
    with pytest.raises(InputError, match="cannot write .*facts.csv: No space left on device"):
        pack.export(target)
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["facts.csv"]  # no partial file left behind
    monkeypatch.undo()
    assert pack.export(target) == pack.con.execute("SELECT count(*) FROM facts").fetchone()[0]
    assert [p.name for p in tmp_path.iterdir()] == ["facts.csv"]


def test_an_event_added_under_an_alias_is_stored_under_the_canonical_name(store: Store) -> None:
    store.add_event(Event("SU7", date(2024, 3, 28), "launch", {"orders_27min": 50_000}, "https://example.com/launch",
                          "2024-03-28"))
    launches = store.events(entity="Xiaomi SU7", kind="launch")
    assert [(e.entity, e.date) for e in launches] == [("Xiaomi SU7", date(2024, 3, 28))]
    assert [e.entity for e in store.events(entity="Xiaomi", kind="launch")] == ["Xiaomi SU7"]
    with pytest.raises(NotFound):
        store.add_event(Event("SU9", date(2024, 3, 28), "launch"))



@pytest.mark.parametrize(
    "change, field, reason",
    [
        ({"value": "-1e308"}, "value", "out_of_range"),
        ({"value": "-5"}, "value", "out_of_range"),
        ({"value": "1e300"}, "value", "out_of_range"),
        ({"unit": "percent"}, "unit", "wrong_unit"),
    ],
)
def test_values_out_of_range_and_wrong_units_are_refused(store: Store, change: dict, field: str, reason: str) -> None:
    row = {"entity": "Xiaomi", "metric": "deliveries", "period_start": "2026-05-01", "period_end": "2026-05-31",
           "value": "40000", "unit": "vehicles", **change}
    before = store.count_facts()
    with pytest.raises(ImportErrors) as err:
        store.add_facts([row])
    assert [(i.field, i.reason.value) for i in err.value.issues] == [(field, reason)]
    assert store.count_facts() == before


def test_currency_metrics_accept_any_currency(store: Store) -> None:
    row = {"entity": "Redmi Note 13 Pro", "metric": "price_resale", "period_start": "2025-06-01",
           "period_end": "2025-06-30", "value": "189", "unit": "EUR", "source_url": "https://example.com/p"}
    assert store.add_facts([row]).added == 1


# -- the rules every door shares (redline.validation), and retractions -----------------------------


@pytest.mark.parametrize(
    ("changes", "field", "reason", "words"),
    [
        pytest.param({"period_start": "0000-01-01"}, "period_start", IssueReason.bad_year, "years 1900-2100", id="year 0 period"),
        pytest.param({"period_end": "2999-01-31"}, "period_end", IssueReason.bad_year, "years 1900-2100", id="year 2999"),
        pytest.param({"published": "0000-01-01"}, "published", IssueReason.bad_year, "years 1900-2100", id="year 0 published"),
        pytest.param({"published": "0000-02"}, "published", IssueReason.bad_year, "years 1900-2100", id="year 0 month"),
        pytest.param({"metric": "market_share", "unit": "percent", "value": "150"}, "value",
                     IssueReason.out_of_range, "between 0 and 100", id="share of 150%"),
        pytest.param({"entity": "Xiaomi\u202e"}, "entity", IssueReason.bad_name, "U+202E", id="bidi override"),
        pytest.param({"market": "China\x1b[31m"}, "market", IssueReason.bad_name, "U+001B", id="terminal escape"),
    ],
)
def test_the_declared_rules_refuse_a_row_naming_the_rule(
    store: Store, write_facts: Callable[..., Path], changes: dict[str, str], field: str, reason: IssueReason, words: str,
) -> None:
    before = snapshot(store)
    with pytest.raises(ImportErrors) as caught:
        store.import_file(write_facts([bad(**changes)]), add_entities=True)
    [issue] = caught.value.issues
    assert (issue.line, issue.field, issue.reason) == (2, field, reason)
    assert words in issue.message
    assert snapshot(store) == before
    assert "Xiaomi\u202e" not in store.entities()


def test_one_source_giving_one_figure_two_values_is_refused_naming_both_lines(
    store: Store, write_facts: Callable[..., Path]
) -> None:
    rows = [NEW_FACT, {**NEW_FACT, "entity": "NIO"}, {**NEW_FACT, "value": "39500"}]
    with pytest.raises(ImportErrors) as caught:
        store.import_file(write_facts(rows))
    [issue] = caught.value.issues
    assert (issue.line, issue.field, issue.reason) == (4, "value", IssueReason.duplicate_key)
    assert "line 2 gives the same figure" in issue.message and "'39500'" in issue.message


def test_two_sources_that_disagree_are_kept_and_the_later_line_is_the_later_version(
    store: Store, write_facts: Callable[..., Path]
) -> None:
    rows = [NEW_FACT, {**NEW_FACT, "value": "39500", "source_url": "https://example.org/other"}]
    assert store.import_file(write_facts(rows)).added == 2
    [latest] = store.facts(entity="Xiaomi", metric="deliveries", period=Period.parse("2026-01"))
    assert latest.value == 39500
    rows.reverse()
    other = Store(":memory:")
    other.import_file(write_facts(rows, "reversed.csv"))
    [latest] = other.facts(entity="Xiaomi", metric="deliveries", period=Period.parse("2026-01"))
    assert latest.value == 39000


def test_a_retracted_fact_leaves_every_read_but_its_history_stays(store: Store) -> None:
    january = Period.parse("2025-01")
    [fact] = store.facts(entity="Xiaomi", metric="deliveries", period=january, within=january)
    assert fact.id in {f.id for f in analytics.value(store, "Xiaomi", "deliveries", january).facts}
    done = store.retract(fact.id, reason="typo in the source")
    assert done["reason"] == "typo in the source"
    assert fact.id not in {f.id for f in store.facts(latest_only=False)}
    assert store.facts(entity="Xiaomi", metric="deliveries", period=january, within=january) == []
    with pytest.raises(NotFound):
        analytics.value(store, "Xiaomi", "deliveries", january)
    assert [v.id for v in store.versions(*fact.key)] == [fact.id]  # history kept
    assert store.retractions([fact.id])[fact.id]["reason"] == "typo in the source"
    with pytest.raises(InputError, match="retracted already"):
        store.retract(fact.id, reason="again")
    with pytest.raises(NotFound, match="no fact with id 999999"):
        store.retract(999999, reason="x")
    with pytest.raises(InputError, match="needs a reason"):
        store.retract(fact.id, reason="  ")


def test_a_store_holding_a_year_0_fact_is_readable_again_after_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with Store(path) as s:  # make it the store an older redline left: a year-0 fact, no retractions table
        s.con.execute("DROP TABLE retractions")
        s.con.execute("DELETE FROM migrations WHERE name = '0006_fact_retractions'")
        s.con.execute("INSERT INTO facts SELECT 999, entity, metric, DATE '0000-01-01', period_end, value, unit, "
                      "qualifier, market, source_url, published, DATE '0000-02-01', note, recorded_at, import_name, "
                      "'bad', entity_key, series, confirmed_by FROM facts WHERE entity = 'Xiaomi' LIMIT 1")
    with Store(path) as s:
        assert 999 in s.retractions([999])
        assert 999 not in {f.id for f in s.facts(latest_only=False)}
        assert s.facts(entity="Xiaomi")  # the whole store reads again


def test_version_counts_follow_the_rows_asked_for(pack: Store) -> None:
    rows = pack.facts(entity="Xiaomi", metric="delivery_target", latest_only=True)
    counts = pack.version_counts(rows)
    every = pack.facts(entity="Xiaomi", metric="delivery_target", latest_only=False)
    for f in rows:
        assert counts[f.key] == sum(1 for v in every if v.key == f.key)
    early = pack.version_counts(rows, as_of=date(2025, 6, 1))
    assert sum(early.values()) < sum(counts.values())
    assert pack.version_counts([]) == {}


@pytest.mark.parametrize("name", ["Evil\u202eCo", "Evil\x1b[2JCo", "Evil\u200bCo"])
def test_entity_names_refuse_control_and_direction_characters(store: Store, name: str) -> None:
    with pytest.raises(InputError, match="control or text-direction"):
        store.add_entity(Entity(name, "company"))
