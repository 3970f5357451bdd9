"""Import of facts: read a file into a staging table, validate it in SQL, insert it.

Validation runs as SQL over the staged rows, so a file of millions of facts is
checked as fast as it is read. Every problem is reported (file, line, field,
reason); when there is any, nothing is written. Rows already in the store
(same fingerprint) are skipped, so importing a file twice adds nothing.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb

from ..errors import ImportErrors, ImportIssue, InputError, IssueReason
from .. import intervals, validation
from ..intervals import QUALIFIERS
from ..catalog import DEFAULT_SERIES, SERIES
from ..markup import FORMULA_START
from .records import FACT_COLUMNS, REQUIRED_COLUMNS
from .schema import ENTITY_KEY_SQL

FORMATS = ("csv", "json", "parquet")

def _qualifier_words() -> dict[str, str]:
    """Canonical qualifier for every word the import layout accepts.

    The words are the ones facts and claims share (:mod:`redline.intervals`, the one
    declaration), and each word of several also with underscores (``more_than``,
    ``at_least``, ``up_to``), as identifiers in files are often written.
    """
    words = dict(intervals.QUALIFIER_WORDS)
    for word, canonical in intervals.QUALIFIER_WORDS.items():
        words.setdefault(word.replace(" ", "_"), canonical)
    return words


IMPORT_QUALIFIER_WORDS = _qualifier_words()

MAX_VALUE = 1e15
"""Largest value a fact may hold: far above any count or amount, far below what breaks arithmetic."""

STRICT_UNITS = ("vehicles", "orders", "incidents", "campaigns", "percent", "seconds", "stores")
"""Metric units a fact must repeat exactly (currency metrics accept any currency code)."""

_DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
_PUBLISHED_RE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
# A source is an http(s) address with a host, and nothing that could break out of an
# HTML attribute or a Markdown link: no whitespace, control characters, quotes or < >, and no
# backslash (browsers read 'https://\\evil.com' as 'https://evil.com').
_URL_RE = r'^https?://[^\s<>"/?#\\[:cntrl:]]+([/?#][^\s<>"\\[:cntrl:]]*)?$'


def detect_format(path: Path, declared: str | None) -> str:
    if declared:
        fmt = declared.lower()
        if fmt not in FORMATS:
            raise InputError(f"{path}: unknown format {declared!r}; use one of {', '.join(FORMATS)}")
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("csv", "tsv", "txt"):
        return "csv"
    if suffix in ("json", "jsonl", "ndjson"):
        return "json"
    if suffix in ("parquet", "pq"):
        return "parquet"
    raise InputError(f"{path}: cannot tell the format from the file name; pass --format csv|json|parquet")


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _csv_header(path: Path) -> tuple[list[str], str]:
    """The header's column names and the separator (',' unless the header clearly uses ';', tab or '|')."""
    with path.open("rb") as fh:
        first = fh.readline()
    try:
        line = first.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        raise ImportErrors([ImportIssue(str(path), 1, "header", IssueReason.bad_format,
                                        "is not UTF-8 text; save the file as UTF-8")]) from None
    if "\r" in line:
        raise ImportErrors([ImportIssue(str(path), 1, "header", IssueReason.bad_format,
                                        "lines end with a carriage return only (old Mac line endings); save the "
                                        "file with LF or CRLF line endings")])
    delim = "\t" if path.suffix.lower() == ".tsv" else ","
    if delim not in line:
        delim = next((d for d in (";", "\t", "|") if d in line), delim)
    try:
        names = next(csv.reader([line], delimiter=delim))
    except csv.Error as exc:
        raise ImportErrors([ImportIssue(str(path), 1, "header", IssueReason.bad_format,
                                        f"cannot be read as CSV: {exc}")]) from None
    return [n.strip() for n in names], delim


def _csv_issue(path: Path, message: str) -> ImportIssue | None:
    """Turn DuckDB's CSV error into an issue naming the line, when it names one."""
    m = re.search(r"CSV Error on Line: (\d+)", message)
    if not m:
        return None
    line = int(m[1])
    if cols := re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message):
        text = f"has {cols[2]} fields but the header has {cols[1]} (a stray comma, or an unquoted value?)"
    elif "unicode" in message.lower() or "utf-8" in message.lower():
        text = "is not UTF-8 text; save the file as UTF-8"
    elif "quote" in message.lower():
        text = "has a quote that is never closed"
    else:
        text = next((ln.strip() for ln in message.splitlines()[2:] if ln.strip()), "cannot be read as CSV")
    return ImportIssue(str(path), line, "row", IssueReason.bad_format, text)


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, fmt: str) -> int:
    """Read ``path`` into the temporary table ``staging_raw`` with a ``line`` column.

    Every value is read as text, so that validation (not a reader's type
    guess) decides what is a number or a date and can name the bad field.
    ``line`` is the physical line for CSV (the header is line 1) and the
    record number for JSON and Parquet.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty")
    con.execute("DROP TABLE IF EXISTS staging_raw")
    try:
        if fmt == "csv":
            names, delim = _csv_header(path)
            if len(set(names)) != len(names) or any(n == "" for n in names):
                dup = next((n for n in names if names.count(n) > 1 or n == ""), "")
                raise ImportErrors([ImportIssue(str(path), 1, dup or "header", IssueReason.bad_format,
                                                f"the header names a column twice or leaves one unnamed: {names}")])
            columns = "{" + ", ".join(f"{_sql_str(n)}: 'VARCHAR'" for n in names) + "}"
            reader = (
                f"read_csv(?, header = true, auto_detect = false, delim = {_sql_str(delim)}, quote = '\"', "
                f"escape = '\"', columns = {columns})"
            )
            # The header is line 1, so record n sits on line n + 1 (see _physical_lines for quoted line breaks).
            con.execute(f"CREATE TEMP TABLE staging_raw AS SELECT row_number() OVER () + 1 AS line, * FROM {reader}",
                        [str(path)])
        elif fmt == "json":
            con.execute(
                "CREATE TEMP TABLE staging_json AS SELECT row_number() OVER () AS line, json "
                "FROM read_json_objects(?, format = 'auto')",
                [str(path)],
            )
            bad = con.execute(
                "SELECT line, json_type(json) FROM staging_json WHERE json_type(json) <> 'OBJECT' ORDER BY line LIMIT 20"
            ).fetchall()
            if bad:
                raise ImportErrors([
                    ImportIssue(str(path), int(line), "record", IssueReason.bad_format,
                                f"record {line}: is a JSON {kind.lower()}, not an object with the fact's fields")
                    for line, kind in bad
                ])
            keys = {r[0] for r in con.execute("SELECT DISTINCT unnest(json_keys(json)) FROM staging_json").fetchall()}
            cols = ", ".join(f"json ->> {_sql_str(c)} AS \"{c}\"" for c in FACT_COLUMNS if c in keys)
            con.execute(f"CREATE TEMP TABLE staging_raw AS SELECT line{', ' + cols if cols else ''} FROM staging_json")
            con.execute("DROP TABLE staging_json")
        else:
            con.execute("CREATE TEMP TABLE staging_raw AS SELECT row_number() OVER () AS line, * FROM read_parquet(?)",
                        [str(path)])
    except duckdb.Error as exc:
        issue = _csv_issue(path, str(exc)) if fmt == "csv" else None
        if issue is not None:
            raise ImportErrors([issue]) from None
        first = str(exc).strip().splitlines()[0]
        raise InputError(f"{path}: cannot read as {fmt}: {first}") from None
    return int(con.execute("SELECT count(*) FROM staging_raw").fetchone()[0])


def physical_lines(path: Path, lines: set[int]) -> dict[int, int]:
    """Map the lines an import reports for a CSV (record n → line n + 1) to physical lines.

    They differ only after a quoted value that spans lines (a multi-line note);
    this re-reads the file, so it runs only when an import is refused.
    """
    _, delim = _csv_header(path)
    out: dict[int, int] = {}
    wanted = max(lines, default=0)
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as fh:
        reader = csv.reader(fh, delimiter=delim)
        start, reported = 1, 0
        for row in reader:
            if row:  # blank lines are not records
                reported += 1
                if reported in lines:
                    out[reported] = start
                if reported >= wanted:
                    break
            start = reader.line_num + 1
    return out


def with_physical_lines(exc: ImportErrors, path: Path) -> ImportErrors:
    """The same issues, with CSV record lines replaced by the file's physical lines."""
    mapping = physical_lines(path, {i.line for i in exc.issues if i.line > 1})
    if all(mapping.get(i.line, i.line) == i.line for i in exc.issues):
        return exc
    return ImportErrors([
        ImportIssue(i.file, mapping.get(i.line, i.line), i.field, i.reason, i.message) for i in exc.issues
    ])


def stage_rows(con: duckdb.DuckDBPyConnection, rows: list[dict[str, object]]) -> int:
    """Put rows given as dictionaries (API, extracted facts) into ``staging_raw``."""
    con.execute("DROP TABLE IF EXISTS staging_raw")
    cols = ", ".join(f'"{c}" VARCHAR' for c in FACT_COLUMNS)
    con.execute(f"CREATE TEMP TABLE staging_raw (line BIGINT, {cols})")
    if rows:
        placeholders = ", ".join("?" for _ in range(len(FACT_COLUMNS) + 1))
        data = []
        for i, row in enumerate(rows, start=1):
            values: list[object] = [i]
            for c in FACT_COLUMNS:
                v = row.get(c)
                values.append(None if v is None else str(v))
            data.append(values)
        con.executemany(f"INSERT INTO staging_raw VALUES ({placeholders})", data)
    return len(rows)


_FORMULA_CLASS = "[" + "".join({"\t": "\\t", "\r": "\\r", "-": "\\-"}.get(c, c) for c in FORMULA_START) + "]"


def _cell_sql(column: str) -> str:
    """SQL for a staged text cell: trimmed, and without the apostrophe a CSV export (ours, or a
    spreadsheet's) puts before a formula character to keep the cell from running ('=HYPERLINK(…)')."""
    return f"regexp_replace(trim(CAST(\"{column}\" AS VARCHAR)), '^''({_FORMULA_CLASS})', '\\1')"


def _first_line_sql(reason: str) -> str:
    """SQL for the earlier line a duplicate row repeats (NULL for every other problem)."""
    if reason != IssueReason.duplicate_key.value:
        return "NULL"
    return ("(SELECT min(a.line) FROM staging a WHERE a.line < staging.line AND a.entity = staging.entity "
            "AND a.metric = staging.metric AND a.period_start = staging.period_start "
            "AND a.period_end = staging.period_end AND coalesce(a.market, '') = coalesce(staging.market, '') "
            "AND coalesce(a.published, '') = coalesce(staging.published, '') "
            "AND coalesce(a.source_url, '') = coalesce(staging.source_url, '') "
            "AND lower(coalesce(a.series, '')) = lower(coalesce(staging.series, '')))")


def _validate(con: duckdb.DuckDBPyConnection, source: str, record_word: str) -> list[ImportIssue]:
    present = {row[0] for row in con.execute("DESCRIBE staging_raw").fetchall()}
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if missing:
        found = ", ".join(sorted(present - {"line"})) or "none"
        return [
            ImportIssue(source, 1, c, IssueReason.missing_column,
                        f"required column {c!r} is missing (columns needed: {', '.join(REQUIRED_COLUMNS)}; "
                        f"found: {found})")
            for c in missing
        ]
    select = ["line"] + [
        f'{_cell_sql(c)} AS "{c}"' if c in present else f'NULL::VARCHAR AS "{c}"' for c in FACT_COLUMNS
    ]
    con.execute("DROP TABLE IF EXISTS staging")
    con.execute(f"CREATE TEMP TABLE staging AS SELECT {', '.join(select)} FROM staging_raw")
    words = ", ".join(f"({_sql_str(k)}, {_sql_str(v)})" for k, v in IMPORT_QUALIFIER_WORDS.items())
    con.execute("DROP TABLE IF EXISTS qualifier_words")
    con.execute("CREATE TEMP TABLE qualifier_words (word VARCHAR, canonical VARCHAR)")
    con.execute(f"INSERT INTO qualifier_words VALUES {words}")

    checks: list[tuple[str, str, str]] = []
    for c in REQUIRED_COLUMNS:
        checks.append((c, IssueReason.missing_value.value, f'"{c}" IS NULL OR "{c}" = \'\''))
    checks += [
        ("value", IssueReason.not_a_number.value,
         "value <> '' AND (TRY_CAST(value AS DOUBLE) IS NULL OR NOT isfinite(TRY_CAST(value AS DOUBLE)))"),
        ("period_start", IssueReason.bad_date.value,
         f"period_start <> '' AND (NOT regexp_matches(period_start, '{_DATE_RE}') OR TRY_CAST(period_start AS DATE) IS NULL)"),
        ("period_end", IssueReason.bad_date.value,
         f"period_end <> '' AND (NOT regexp_matches(period_end, '{_DATE_RE}') OR TRY_CAST(period_end AS DATE) IS NULL)"),
        ("value", IssueReason.out_of_range.value,
         f"isfinite(TRY_CAST(value AS DOUBLE)) AND (TRY_CAST(value AS DOUBLE) < 0 "
         f"OR TRY_CAST(value AS DOUBLE) > {MAX_VALUE:.0f})"),
        ("unit", IssueReason.wrong_unit.value,
         "coalesce(unit, '') <> '' AND EXISTS (SELECT 1 FROM metrics m WHERE m.name = staging.metric "
         f"AND m.unit IN ({', '.join(repr(u) for u in STRICT_UNITS)}) AND m.unit <> staging.unit)"),
        ("period_end", IssueReason.end_before_start.value,
         "TRY_CAST(period_end AS DATE) < TRY_CAST(period_start AS DATE)"),
        ("metric", IssueReason.unknown_metric.value,
         "metric <> '' AND metric NOT IN (SELECT name FROM metrics)"),
        ("entity", IssueReason.unknown_entity.value,
         "entity <> '' AND entity NOT IN (SELECT name FROM entities)"),
        ("qualifier", IssueReason.unknown_qualifier.value,
         "lower(coalesce(qualifier, '')) NOT IN (SELECT word FROM qualifier_words)"),
        ("source_url", IssueReason.bad_url.value,
         f"coalesce(source_url, '') <> '' AND NOT regexp_matches(source_url, '{_URL_RE}', 'i')"),
        ("confirmed_by", IssueReason.bad_url.value,
         f"coalesce(confirmed_by, '') <> '' AND NOT regexp_matches(confirmed_by, '{_URL_RE}', 'i')"),
        ("series", IssueReason.unknown_series.value,
         f"coalesce(series, '') <> '' AND lower(series) NOT IN ({', '.join(_sql_str(s) for s in SERIES)})"),
        ("series", IssueReason.unknown_series.value,
         "coalesce(series, '') <> '' AND metric IN (SELECT name FROM metrics WHERE NOT "
         "(unit = 'vehicles' AND aggregation = 'sum' AND event_kind IS NULL))"),
        ("published", IssueReason.bad_date.value,
         f"coalesce(published, '') <> '' AND (NOT regexp_matches(published, '{_PUBLISHED_RE}') "
         "OR TRY_CAST(CASE length(published) WHEN 4 THEN published || '-01-01' WHEN 7 THEN published || '-01' "
         "ELSE published END AS DATE) IS NULL)"),
    ]
    # The declared rules every door shares (redline.validation): years, names, value ranges.
    for c in ("period_start", "period_end", "published"):
        checks.append((c, IssueReason.bad_year.value, f"coalesce({c}, '') <> '' AND {validation.year_sql(c)}"))
    for c in ("entity", "market"):
        checks.append((c, IssueReason.bad_name.value,
                       f"regexp_matches(coalesce({c}, ''), '{validation.NAME_FORBIDDEN_SQL}')"))
    for metric, (low, high) in validation.VALUE_RANGES.items():
        checks.append(("value", "share_range",
                       f"metric = {_sql_str(metric)} AND isfinite(TRY_CAST(value AS DOUBLE)) "
                       f"AND TRY_CAST(value AS DOUBLE) NOT BETWEEN {low!r} AND {high!r}"))
    # Two rows of one figure (entity, metric, period, market, series) from one source, published on the same
    # date, with different values: neither is the later version, so the file is refused, naming both
    # lines. (Two sources that disagree are kept, as a conflict: the later line is the later version.)
    checks.append(("value", IssueReason.duplicate_key.value,
                   "line IN (SELECT b.line FROM staging a JOIN staging b ON a.line < b.line "
                   "AND a.entity = b.entity AND a.metric = b.metric AND a.period_start = b.period_start "
                   "AND a.period_end = b.period_end AND coalesce(a.market, '') = coalesce(b.market, '') "
                   "AND coalesce(a.published, '') = coalesce(b.published, '') "
                   "AND coalesce(a.source_url, '') = coalesce(b.source_url, '') "
                   "AND lower(coalesce(a.series, '')) = lower(coalesce(b.series, '')) "
                   "AND TRY_CAST(a.value AS DOUBLE) IS NOT NULL AND TRY_CAST(b.value AS DOUBLE) IS NOT NULL "
                   "AND (TRY_CAST(a.value AS DOUBLE), lower(coalesce(a.qualifier, ''))) "
                   "IS DISTINCT FROM (TRY_CAST(b.value AS DOUBLE), lower(coalesce(b.qualifier, ''))))"))
    union = " UNION ALL ".join(
        f"SELECT line, '{field}' AS field, '{reason}' AS reason, "
        f"CAST(\"{field}\" AS VARCHAR) AS raw, {_first_line_sql(reason)} AS first FROM staging WHERE {cond}"
        for field, reason, cond in checks
    )
    rows = con.execute(f"SELECT * FROM ({union}) ORDER BY line, field LIMIT 1000").fetchall()
    explain = {
        "missing_value": "is empty",
        "not_a_number": "is not a number: {raw!r}",
        "out_of_range": "must be between 0 and " + f"{MAX_VALUE:,.0f}" + " (every metric here is a count, share, price or amount): {raw!r}",
        "wrong_unit": "unit {raw!r} does not match the metric's unit (see `redline metrics list`)",
        "bad_date": "is not a date (YYYY-MM-DD; published may also be YYYY-MM or YYYY): {raw!r}",
        "end_before_start": "period ends before it starts ({raw!r})",
        "unknown_metric": "unknown metric {raw!r} (see `redline metrics list`)",
        "bad_url": "is not a web address: {raw!r} (give an http:// or https:// URL with no spaces, quotes or < >, "
                   "or leave it empty)",
        "unknown_series": "series {raw!r} is not one of " + ", ".join(SERIES)
                          + ", or is given for a metric that is not a volume of vehicles (leave it empty there)",
        "unknown_entity": "unknown entity {raw!r} (add it with `redline entities add`, or import with --add-entities)",
        "bad_year": "{raw!r} is outside " + validation.YEAR_RULE + " (a period or publication date before "
                    f"{validation.MIN_YEAR} or after {validation.MAX_YEAR} is a typo)",
        "bad_name": "{raw!r} {problem}; remove it (names are shown in terminals, pages and briefs)",
        "share_range": "a share is a percentage between 0 and 100: {raw!r}",
        "duplicate_key": "{word} {first} gives the same figure (entity, metric, period, market, series, published, "
                         "source) another value: {raw!r}; keep one row, or give the revision its own published date",
        "unknown_qualifier": "unknown qualifier {raw!r} (use " + ", ".join(QUALIFIERS)
                             + ", or a word for one such as 'around', 'more than' or 'below'; empty means exact)",
    }
    issues = []
    for line, field, reason, raw, first in rows:
        problem = validation.name_problem(raw or "") if reason == "bad_name" else None
        message = explain[reason].format(raw=raw, first=first, problem=problem, word=record_word)
        reason = IssueReason.out_of_range.value if reason == "share_range" else reason
        if record_word != "line":
            message = f"{record_word} {line}: {message}"
        issues.append(ImportIssue(source, int(line), field, IssueReason(reason), message))
    return issues


def insert_staged(
    con: duckdb.DuckDBPyConnection,
    source: str,
    *,
    record_word: str = "line",
    add_entities: bool = False,
) -> tuple[int, int]:
    """Validate ``staging_raw`` and insert its new rows. Returns (rows, added).

    Must run inside the caller's transaction; raises :class:`ImportErrors`
    (and writes nothing) when any row is bad.
    """
    if add_entities:
        present = {row[0] for row in con.execute("DESCRIBE staging_raw").fetchall()}
        if "entity" in present:
            con.execute(
                f"INSERT INTO entities SELECT DISTINCT {_cell_sql('entity')}, 'company', NULL, [], "
                f"'added by import of ' || ? FROM staging_raw WHERE coalesce({_cell_sql('entity')}, '') <> '' "
                f"AND {_cell_sql('entity')} NOT IN (SELECT name FROM entities)",
                [source],
            )
    issues = _validate(con, source, record_word)
    if issues:
        raise ImportErrors(issues)
    total = int(con.execute("SELECT count(*) FROM staging").fetchone()[0])
    con.execute("CREATE OR REPLACE TEMP TABLE series_defaults (metric VARCHAR, entity VARCHAR, series VARCHAR)")
    con.executemany("INSERT INTO series_defaults VALUES (?, ?, ?)",
                    [[m, e, s] for (m, e), s in DEFAULT_SERIES.items()])
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE staging_series AS
        SELECT s.*, coalesce(nullif(lower(s.series), ''), by_entity.series, by_metric.series) AS resolved_series,
               coalesce(by_entity.series, by_metric.series) AS default_series
        FROM staging s
        LEFT JOIN series_defaults by_entity ON by_entity.metric = s.metric AND by_entity.entity = s.entity
        LEFT JOIN series_defaults by_metric ON by_metric.metric = s.metric AND by_metric.entity IS NULL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE staged AS
        SELECT entity, {entity_key} AS entity_key, metric,
               CAST(period_start AS DATE) AS period_start,
               CAST(period_end AS DATE) AS period_end,
               CAST(value AS DOUBLE) AS value,
               unit,
               q.canonical AS qualifier,
               nullif(market, '') AS market,
               nullif(source_url, '') AS source_url,
               nullif(published, '') AS published,
               CASE
                 WHEN coalesce(published, '') = '' THEN current_date
                 WHEN length(published) = 4 THEN CAST(published || '-12-31' AS DATE)
                 WHEN length(published) = 7 THEN last_day(CAST(published || '-01' AS DATE))
                 ELSE CAST(published AS DATE)
               END AS known_from,
               nullif(note, '') AS note,
               resolved_series AS series,
               nullif(confirmed_by, '') AS confirmed_by,
               s.line AS line,
               -- series (when not the default) and confirmed_by join the fingerprint only when
               -- there, so a row of an older file keeps the fingerprint it always had
               md5(concat_ws('|', entity, metric, period_start, period_end,
                             CAST(CAST(value AS DOUBLE) AS VARCHAR), unit, q.canonical,
                             coalesce(market, ''), coalesce(source_url, ''), coalesce(published, ''))
                   || CASE WHEN resolved_series IS NOT DISTINCT FROM default_series THEN ''
                           ELSE '|series=' || coalesce(resolved_series, '') END
                   || CASE WHEN coalesce(confirmed_by, '') = '' THEN '' ELSE '|confirmed_by=' || confirmed_by END
               ) AS fingerprint
        FROM staging_series s JOIN qualifier_words q ON lower(coalesce(s.qualifier, '')) = q.word
        """.format(entity_key=ENTITY_KEY_SQL.format(column="entity"))
    )
    before = int(con.execute("SELECT count(*) FROM facts").fetchone()[0])
    con.execute(
        """
        INSERT INTO facts
        SELECT nextval('fact_ids'), entity, metric, period_start, period_end, value, unit, qualifier,
               market, source_url, published, known_from, note, now()::TIMESTAMP, ?, fingerprint, entity_key,
               series, confirmed_by
        FROM (
            SELECT * FROM staged
            WHERE fingerprint NOT IN (SELECT fingerprint FROM facts)
            QUALIFY row_number() OVER (PARTITION BY fingerprint) = 1
            ORDER BY entity_key, metric, period_start, period_end, line
        )
        """,
        [source],
    )
    after = int(con.execute("SELECT count(*) FROM facts").fetchone()[0])
    for t in ("staging_raw", "staging", "staging_series", "series_defaults", "staged", "qualifier_words"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    return total, after - before
