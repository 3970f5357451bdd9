"""The fact store: one DuckDB file holding metrics, entities, facts and events.

Facts are never overwritten. Importing a revised figure adds a new version of
the same key (entity, metric, period, market); every read can be asked "as
known on date D", which sees only facts published by D and picks the latest
version of each key.

All writes go through :meth:`Store._write`, one transaction each. A process
holding the write lock blocks others; opening retries for ``lock_timeout``
seconds and then raises :class:`~redline.errors.StoreLocked`.
"""

from __future__ import annotations

import csv
import json
import os
import time
from contextlib import contextmanager
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

import duckdb

from .. import settings, validation
from ..catalog import BUILTIN_METRICS, ENTITY_KINDS, Entity, Metric, default_series
from ..errors import ImportErrors, ImportIssue, InputError, IssueReason, NotFound, ReadOnly, StoreLocked, StoreUnreadable
from ..markup import FORMULA_START
from ..periods import Period
from .importing import detect_format, insert_staged, stage_file, stage_rows, with_physical_lines
from .records import FACT_COLUMNS, Event, Fact, ImportResult
from .registry import RegistryLookups
from .schema import entity_key, migrate

__all__ = ["Store", "Fact", "Event", "ImportResult", "open_store", "pack_path"]

_FACT_SELECT = (
    "SELECT id, entity, metric, period_start, period_end, value, unit, qualifier, market, "
    "source_url, published, known_from, note, recorded_at, series, confirmed_by FROM facts"
)
# A store older than 0005_fact_series_confirmed_by opened read-only (so not migrated) has neither column.
_FACT_SELECT_BEFORE_SERIES = _FACT_SELECT.replace("series, confirmed_by", "NULL AS series, NULL AS confirmed_by")


_READABLE = "year(known_from) BETWEEN 1 AND 9999 AND year(period_start) >= 1 AND year(period_end) <= 9999"
"""Facts a read can turn into dates (stores from before imports checked years may hold year 0)."""


def pack_path(name: str = "ev_facts.csv") -> Path:
    """Path of a file of the bundled fact pack (``ev_facts.csv``, ``ev_entities.csv``)."""
    return Path(str(resources.files("redline") / "data" / name))


def _fact(row: tuple[Any, ...]) -> Fact:
    return Fact(
        id=row[0],
        entity=row[1],
        metric=row[2],
        period=Period(row[3], row[4]),
        value=row[5],
        unit=row[6],
        qualifier=row[7],
        market=row[8],
        source_url=row[9],
        published=row[10],
        known_from=row[11],
        note=row[12],
        recorded_at=row[13],
        series=row[14],
        confirmed_by=row[15],
    )


def _version_order(f: Fact) -> tuple[Any, ...]:
    """Later versions sort last: known later, then recorded later, then added later."""
    return (f.known_from, f.recorded_at, f.id)


def _fact_order(f: Fact) -> tuple[Any, ...]:
    """The order every fact listing uses, in SQL and here alike."""
    return (f.entity, f.metric, f.period.start, f.period.end, f.known_from, f.id)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text or "locked" in text)


class Store(RegistryLookups):
    """A fact store in one DuckDB file (or ``":memory:"``).

    >>> store = Store(":memory:")            # loads the bundled fact pack
    >>> store.entity("Xiaomi Auto").name
    'Xiaomi'
    """

    def __init__(
        self,
        path: str | Path | None = None,
        /,
        *,
        read_only: bool = False,
        load_pack: bool = True,
        lock_timeout: float | None = None,
    ) -> None:
        if path is not None and not str(path).strip():
            raise InputError("the store path is empty (--db \"\" or REDLINE_DB=\"\"); give a file path, or "
                             "':memory:' for a scratch store that is not kept")
        self.path = str(path) if path is not None else settings.default_db_path()
        self.read_only = read_only
        timeout = settings.get("lock_timeout") if lock_timeout is None else lock_timeout
        in_memory = self.path == ":memory:"
        if not in_memory:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            if read_only and not Path(self.path).exists():
                # A read-only store must exist first: create it (and load the pack) once.
                Store(self.path, load_pack=load_pack, lock_timeout=timeout).close()
        self.con = self._connect(timeout)
        self._metrics: dict[str, Metric] | None = None
        self._entities: dict[str, Entity] | None = None
        self._alias_index: dict[str, str] | None = None
        if not read_only:
            fresh = "migrations" not in {r[0] for r in self.con.execute("SHOW TABLES").fetchall()}
            migrate(self.con)
            if fresh:
                self._seed_metrics()
                if load_pack:
                    self.load_pack()
        # A store opened read-only is not migrated: one older than 0004_fact_entity_key is still
        # read correctly (by name alone, more slowly) until a read-write open migrates it.
        columns = {r[0] for r in self.con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'facts'"
        ).fetchall()}
        self._keyed = "entity_key" in columns
        self._select = _FACT_SELECT if "series" in columns else _FACT_SELECT_BEFORE_SERIES
        # Likewise a store older than 0006_fact_retractions has no retraction to hide.
        self._retractable = bool(self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'retractions'"
        ).fetchone()[0])

    def _connect(self, timeout: float) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + timeout
        delay = 0.02
        while True:
            try:
                con = duckdb.connect(self.path, read_only=self.read_only)
                # No progress bar: DuckDB would draw it on stdout during long queries, into --json output.
                con.execute("SET enable_progress_bar = false")
                return con
            except duckdb.Error as exc:
                if not _is_lock_error(exc):
                    raise StoreUnreadable(f"{self.path}: cannot open the store: {str(exc).splitlines()[0]} "
                                          "(restore it from a backup, or give another --db)") from None
                if time.monotonic() >= deadline:
                    raise StoreLocked(
                        f"{self.path}: another process holds the store's lock and did not release it within "
                        f"{timeout:g}s. Wait for it to finish (an import, or `redline serve` writing), or raise "
                        f"REDLINE_LOCK_TIMEOUT."
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.25)

    # -- lifecycle ------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The one path every write takes: a transaction that commits whole or not at all."""
        if self.read_only:
            raise ReadOnly(f"{self.path} is open read-only")
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
            self.con.execute("COMMIT")
        except BaseException:
            try:
                self.con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # a failed COMMIT (a full disk) has ended the transaction: report the first error, not this
            raise
        finally:
            self._metrics = self._entities = self._alias_index = None

    # -- registries -------------------------------------------------------------
    def _seed_metrics(self) -> None:
        with self._write() as con:
            for m in BUILTIN_METRICS:
                con.execute(
                    "INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [m.name, m.unit, m.aggregation, list(m.aliases), m.description, m.event_kind, m.target_of],
                )

    def metrics(self) -> dict[str, Metric]:
        if self._metrics is None:
            rows = self.con.execute(
                "SELECT name, unit, aggregation, aliases, description, event_kind, target_of FROM metrics ORDER BY name"
            ).fetchall()
            self._metrics = {
                r[0]: Metric(r[0], r[1], r[2], tuple(r[3]), r[4] or "", r[5], r[6]) for r in rows
            }
        return self._metrics

    def add_metric(self, metric: Metric) -> None:
        if metric.aggregation not in ("sum", "last", "none"):
            raise InputError(f"aggregation must be sum, last or none, not {metric.aggregation!r}")
        with self._write() as con:
            con.execute(
                "INSERT OR REPLACE INTO metrics VALUES (?, ?, ?, ?, ?, ?, ?)",
                [metric.name, metric.unit, metric.aggregation, list(metric.aliases), metric.description,
                 metric.event_kind, metric.target_of],
            )

    def entities(self) -> dict[str, Entity]:
        if self._entities is None:
            rows = self.con.execute("SELECT name, kind, parent, aliases, note FROM entities ORDER BY name").fetchall()
            self._entities = {r[0]: Entity(r[0], r[1], r[2], tuple(r[3]), r[4] or "") for r in rows}
        return self._entities

    def add_entity(self, entity: Entity, *, replace: bool = False) -> None:
        for text in (entity.name, *entity.aliases):
            if problem := validation.name_problem(text):
                raise InputError(f"entity name {text!r} {problem}; remove it")
        if entity.kind not in ENTITY_KINDS:
            raise InputError(f"entity kind must be one of {', '.join(ENTITY_KINDS)}, not {entity.kind!r}")
        if entity.parent and entity.parent not in self.entities():
            raise NotFound(f"parent {entity.parent!r} is not a known entity")
        if not replace and entity.name in self.entities():
            raise InputError(f"entity {entity.name!r} exists already (use --replace to change it)")
        with self._write() as con:
            con.execute(
                "INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?)",
                [entity.name, entity.kind, entity.parent or None, list(entity.aliases), entity.note],
            )

    def import_entities(self, path: str | Path) -> int:
        """Load entities from a CSV with columns name,kind,parent,aliases(;-separated),note; all or nothing.

        A parent must be an entity already in the store or one named in the
        file, and parents may not form a cycle.
        """
        path = Path(path)
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh)
                rows = [(reader.line_num, row) for row in reader]
                header = reader.fieldnames or []
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read: {exc}") from None
        source = str(path)
        missing = [c for c in ("name", "kind") if c not in header]
        if missing:
            raise ImportErrors([
                ImportIssue(source, 1, c, IssueReason.missing_column,
                            f"required column {c!r} is missing (columns: name, kind, parent, aliases, note)")
                for c in missing
            ])
        issues = []
        parents = {name: e.parent for name, e in self.entities().items()}
        parents.update({(row["name"] or "").strip(): (row.get("parent") or "").strip() or None for _, row in rows})
        for line, row in rows:
            name, kind = (row.get("name") or "").strip(), (row.get("kind") or "").strip()
            parent = (row.get("parent") or "").strip()
            for field, text in (("name", name), ("kind", kind)):
                if not text:
                    issues.append(ImportIssue(source, line, field, IssueReason.missing_value, "is empty"))
            for field, text in (("name", name), ("aliases", row.get("aliases") or "")):
                if problem := validation.name_problem(text):
                    issues.append(ImportIssue(source, line, field, IssueReason.bad_name, f"{text!r} {problem}; remove it"))
            if kind and kind not in ENTITY_KINDS:
                issues.append(ImportIssue(source, line, "kind", IssueReason.bad_format,
                                          f"kind must be one of {', '.join(ENTITY_KINDS)}: {kind!r}"))
            if parent and parent not in parents:
                issues.append(ImportIssue(source, line, "parent", IssueReason.unknown_entity,
                                          f"unknown parent {parent!r}: add it first, or earlier in this file"))
            elif parent:
                chain, current = [name], parent
                while current is not None and current not in chain:
                    chain.append(current)
                    current = parents.get(current)
                if current == name:
                    issues.append(ImportIssue(source, line, "parent", IssueReason.bad_format,
                                              "parents form a cycle: " + " → ".join(chain + [name])))
        if issues:
            raise ImportErrors(issues)
        if not rows:
            return 0
        columns: list[list[Any]] = [[], [], [], [], []]
        last = {row["name"].strip(): row for _, row in rows}  # a name given twice: the later row wins
        for row in last.values():
            aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
            for i, v in enumerate((row["name"].strip(), row["kind"].strip(), (row.get("parent") or "").strip() or None,
                                   aliases, (row.get("note") or "").strip())):
                columns[i].append(v)
        with self._write() as con:
            # One statement for the whole file: a thousand entities take milliseconds, not seconds.
            con.execute(
                "INSERT OR REPLACE INTO entities "
                "SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
                "unnest(?::VARCHAR[][]), unnest(?::VARCHAR[])",
                columns,
            )
        return len(rows)

    # -- import / export --------------------------------------------------------
    def load_pack(self) -> ImportResult:
        """Load the bundled fact pack (entities and facts) into this store."""
        self.import_entities(pack_path("ev_entities.csv"))
        return self.import_file(pack_path("ev_facts.csv"))

    def import_file(self, path: str | Path, /, *, format: str | None = None, add_entities: bool = False) -> ImportResult:
        """Import facts from CSV, JSON or Parquet in the ev_facts.csv layout; all or nothing."""
        path = Path(path)
        fmt = detect_format(path, format)
        try:
            with self._write() as con:
                stage_file(con, path, fmt)
                rows, added = insert_staged(
                    con, str(path), record_word="line" if fmt == "csv" else "record", add_entities=add_entities
                )
        except ImportErrors as exc:
            if fmt == "csv":
                raise with_physical_lines(exc, path) from None
            raise
        return ImportResult(str(path), rows, added, rows - added)

    def add_facts(self, rows: list[dict[str, Any]], /, *, source: str = "api", add_entities: bool = False) -> ImportResult:
        """Add facts given as dictionaries in the import layout; all or nothing."""
        with self._write() as con:
            stage_rows(con, rows)
            total, added = insert_staged(con, source, record_word="record", add_entities=add_entities)
        return ImportResult(source, total, added, total - added)

    def export(self, path: str | Path, /, *, format: str | None = None, as_of: date | None = None) -> int:
        """Write facts (every version, or those known on ``as_of``) in the import layout.

        DuckDB writes the file itself (``COPY``), so exporting millions of facts
        takes seconds. Whole numbers are written without a decimal point in CSV.
        """
        path = Path(path)
        fmt = detect_format(path, format)
        if not path.parent.is_dir():
            raise InputError(f"cannot write {path}: no such directory {str(path.parent)!r}; create it first "
                             f"(mkdir -p {path.parent}) or choose another path")
        if path.is_dir():
            raise InputError(f"cannot write {path}: it is a directory; give a file name such as {path / 'facts.csv'}")
        where, params = self._where(as_of=as_of, hide_retracted=self._retractable)
        columns = []
        for c in FACT_COLUMNS:
            if c in ("period_start", "period_end"):
                columns.append(f"strftime({c}, '%Y-%m-%d') AS {c}")
            elif c == "value" and fmt == "csv":
                columns.append(
                    "CASE WHEN value = trunc(value) AND abs(value) < 1e15 THEN CAST(CAST(value AS BIGINT) AS VARCHAR) "
                    "ELSE CAST(value AS VARCHAR) END AS value"
                )
            elif fmt == "csv":
                # a cell a spreadsheet would run ('=HYPERLINK(…)') gets an apostrophe; import takes it off
                columns.append(f"CASE WHEN left({c}, 1) IN ({_FORMULA_SQL}) THEN '''' || {c} ELSE {c} END AS {c}")
            else:
                columns.append(c)
        options = {"csv": "FORMAT csv, HEADER", "json": "FORMAT json, ARRAY true", "parquet": "FORMAT parquet"}[fmt]
        # Written beside the target and renamed over it at the end, so a failed export leaves
        # nothing half-written (and an existing file as it was). The partial name ends with the
        # target's, so DuckDB infers the same compression from it.
        partial = path.with_name(f".redline-partial-{os.getpid()}-{time.monotonic_ns()}-{path.name}")
        try:
            row = self.con.execute(
                f"COPY (SELECT {', '.join(columns)} FROM facts {where} "
                f"ORDER BY entity, metric, period_start, period_end, known_from, id) TO '{_sql_path(partial)}' ({options})",
                params,
            ).fetchone()
            os.replace(partial, path)
        except (duckdb.Error, OSError) as exc:
            partial.unlink(missing_ok=True)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).strip().splitlines()[0]
            raise InputError(f"cannot write {path}: {reason}") from None
        return int(row[0]) if row else 0

    # -- reads ------------------------------------------------------------------
    @staticmethod
    def _where(
        *,
        entity: str | None = None,
        metric: str | None = None,
        period: Period | None = None,
        within: Period | None = None,
        as_of: date | None = None,
        market: str | None = None,
        keyed: bool = True,
        hide_retracted: bool = False,
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if hide_retracted:
            clauses.append("id NOT IN (SELECT fact_id FROM retractions)")
        if entity is not None:
            # The integer key lets DuckDB skip every row group but the entity's.
            if keyed:
                clauses.append("entity_key = ?")
                params.append(entity_key(entity))
            clauses.append("entity = ?")
            params.append(entity)
        if metric is not None:
            clauses.append("metric = ?")
            params.append(metric)
        if period is not None:
            clauses.append("period_start <= ? AND period_end >= ?")
            params += [period.end, period.start]
        if within is not None:
            clauses.append("period_start >= ? AND period_end <= ?")
            params += [within.start, within.end]
        if as_of is not None:
            clauses.append("known_from <= ?")
            params.append(as_of)
        if market is not None:
            clauses.append("market = ?")
            params.append(market)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def facts(
        self,
        *,
        entity: str | None = None,
        metric: str | None = None,
        period: Period | None = None,
        within: Period | None = None,
        as_of: date | None = None,
        market: str | None = None,
        latest_only: bool = True,
        limit: int | None = None,
    ) -> list[Fact]:
        """Facts matching the filters. ``period`` keeps facts overlapping it; ``within`` those inside it.

        With ``latest_only`` (the default) each key keeps only its latest version
        known on ``as_of``; otherwise every version is returned. ``limit`` keeps the
        first that many (1 or more).
        """
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise InputError(f"limit must be a whole number of 1 or more, not {limit!r}")
        where, params = self._where(
            entity=entity, metric=metric, period=period, within=within, as_of=as_of, market=market,
            keyed=self._keyed, hide_retracted=self._retractable,
        )
        sql = f"{self._select} {where}"
        if entity is not None:
            # One entity's facts are few: choosing the latest versions and sorting
            # them here is several times faster than a window and a sort in DuckDB.
            found = [_fact(r) for r in self.con.execute(sql, params).fetchall()]
            if latest_only:
                latest: dict[tuple[Any, ...], Fact] = {}
                for f in found:
                    k = f.key
                    if k not in latest or _version_order(f) > _version_order(latest[k]):
                        latest[k] = f
                found = list(latest.values())
            found.sort(key=_fact_order)
            return found if limit is None else found[:limit]
        if latest_only:
            sql += (
                " QUALIFY row_number() OVER (PARTITION BY entity, metric, period_start, period_end, market"
                + (", series " if self._select is _FACT_SELECT else " ")
                + "ORDER BY known_from DESC, recorded_at DESC, id DESC) = 1"
            )
        sql += " ORDER BY entity, metric, period_start, period_end, known_from, id"
        if limit is not None:
            sql += f" LIMIT {limit:d}"
        return [_fact(r) for r in self.con.execute(sql, params).fetchall()]

    def versions(
        self, entity: str, metric: str, period: Period, market: str | None = None, series: str | None = None
    ) -> list[Fact]:
        """Every version of one key, oldest first, retracted ones included (see :meth:`retractions`);
        no ``series`` means the metric's default series."""
        if series is None:
            series = default_series(metric, entity)
        where, params = self._where(entity=entity, metric=metric, keyed=self._keyed)
        sql = (f"{self._select} {where} AND period_start = ? AND period_end = ? AND market IS NOT DISTINCT FROM ? "
               f"AND {_READABLE}")
        params += [period.start, period.end, market]
        if self._select is _FACT_SELECT:
            sql += " AND series IS NOT DISTINCT FROM ?"
            params.append(series)
        return sorted((_fact(r) for r in self.con.execute(sql, params).fetchall()), key=_version_order)

    def version_counts(self, facts: list[Fact], /, *, as_of: date | None = None) -> dict[tuple[Any, ...], int]:
        """How many versions (known on ``as_of``) the figure of each of these facts has, by :attr:`Fact.key`.

        Counted in SQL for these keys only, so listing 10 facts of a store of millions reads 10 keys.
        """
        keys = list(dict.fromkeys(f.key for f in facts))
        if not keys:
            return {}
        where, params = self._where(as_of=as_of, hide_retracted=self._retractable)
        columns = [[k[0] for k in keys], [k[1] for k in keys], [k[2].start for k in keys], [k[2].end for k in keys],
                   [k[3] for k in keys], [entity_key(k[0]) for k in keys], [k[4] for k in keys]]
        key_filter = "f.entity_key = k.entity_key AND " if self._keyed else ""
        series_filter = " AND f.series IS NOT DISTINCT FROM k.series" if self._select is _FACT_SELECT else ""
        rows = self.con.execute(
            f"""
            WITH k AS (SELECT unnest(?::VARCHAR[]) AS entity, unnest(?::VARCHAR[]) AS metric,
                              unnest(?::DATE[]) AS period_start, unnest(?::DATE[]) AS period_end,
                              unnest(?::VARCHAR[]) AS market, unnest(?::BIGINT[]) AS entity_key,
                              unnest(?::VARCHAR[]) AS series)
            SELECT k.entity, k.metric, k.period_start, k.period_end, k.market, k.series, count(*)
            FROM (SELECT * FROM facts {where}) f JOIN k ON {key_filter}f.entity = k.entity AND f.metric = k.metric
              AND f.period_start = k.period_start AND f.period_end = k.period_end
              AND f.market IS NOT DISTINCT FROM k.market{series_filter}
            GROUP BY ALL
            """,
            columns + params,
        ).fetchall()
        return {(r[0], r[1], Period(r[2], r[3]), r[4], r[5]): int(r[6]) for r in rows}

    def fact(self, fact_id: int) -> Fact:
        row = self.con.execute(f"{self._select} WHERE id = ? AND {_READABLE}", [fact_id]).fetchone()
        if row is None:
            raise NotFound(f"no fact with id {fact_id}")
        return _fact(row)

    def count_facts(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM facts").fetchone()[0])

    def source_counts(self, *, as_of: date | None = None) -> list[tuple[str | None, str | None, int]]:
        """(source_url, confirmed_by, number of facts) over the latest version of each key known on ``as_of``."""
        where, params = self._where(as_of=as_of)
        has_series = self._select is _FACT_SELECT
        series = ", series" if has_series else ""
        confirmed = "confirmed_by" if has_series else "NULL AS confirmed_by"
        sql = (
            f"SELECT source_url, confirmed_by, count(*) FROM (SELECT source_url, {confirmed} FROM facts {where} "
            f"QUALIFY row_number() OVER (PARTITION BY entity, metric, period_start, period_end, market{series} "
            "ORDER BY known_from DESC, recorded_at DESC, id DESC) = 1) GROUP BY ALL ORDER BY ALL"
        )
        return [(r[0], r[1], int(r[2])) for r in self.con.execute(sql, params).fetchall()]

    def retract(self, fact_id: int, /, *, reason: str) -> dict[str, Any]:
        """Withdraw a fact: its row stays (``fact``, ``versions`` still show it, with the retraction),
        but no list, analysis, audit or brief reads it any more. Returns the retraction."""
        reason = (reason or "").strip()
        if not reason:
            raise InputError("a retraction needs a reason (--reason 'the source corrected it', …)")
        if problem := validation.name_problem(reason.replace("\n", " ")):
            raise InputError(f"the reason {problem}")
        if not self._retractable:
            raise ReadOnly(f"{self.path} is open read-only and predates retractions; open it for writing first")
        with self._write() as con:
            if con.execute("SELECT count(*) FROM facts WHERE id = ?", [fact_id]).fetchone()[0] == 0:
                raise NotFound(f"no fact with id {fact_id} (see `redline facts list`)")
            if con.execute("SELECT count(*) FROM retractions WHERE fact_id = ?", [fact_id]).fetchone()[0]:
                raise InputError(f"fact {fact_id} is retracted already")
            con.execute("INSERT INTO retractions VALUES (?, ?, now()::TIMESTAMP)", [fact_id, reason])
        return self.retractions([fact_id])[fact_id]

    def retractions(self, fact_ids: list[int]) -> dict[int, dict[str, Any]]:
        """The retraction of each of these facts that has one: ``{id: {"fact_id", "reason", "recorded_at"}}``."""
        if not fact_ids or not self._retractable:
            return {}
        rows = self.con.execute(
            "SELECT fact_id, reason, recorded_at FROM retractions WHERE fact_id IN (SELECT unnest(?::BIGINT[]))",
            [list(fact_ids)],
        ).fetchall()
        return {r[0]: {"fact_id": r[0], "reason": r[1], "recorded_at": r[2].isoformat(timespec="seconds")} for r in rows}

    def pairs(self) -> set[tuple[str, str]]:
        """The (entity, metric) pairs the store holds facts for."""
        return {(e, m) for e, m in self.con.execute("SELECT DISTINCT entity, metric FROM facts").fetchall()}

    def events(
        self,
        *,
        entity: str | None = None,
        kind: str | None = None,
        as_of: date | None = None,
        include_descendants: bool = True,
    ) -> list[Event]:
        """Dated events: one-day facts of event metrics (crashes, recalls) plus explicit events."""
        names: list[str] | None = None
        if entity is not None:
            names = [entity] + ([e.name for e in self.descendants(entity)] if include_descendants else [])
        event_metrics = {m.name: m.event_kind for m in self.metrics().values() if m.event_kind}
        out: list[Event] = []
        if names is not None:
            # read only these entities' event metrics, not the whole store
            found = [f for n in names for m in event_metrics if kind is None or event_metrics[m] == kind
                     for f in self.facts(entity=n, metric=m, as_of=as_of)]
            found.sort(key=_fact_order)
        else:
            found = self.facts(as_of=as_of)
        for f in found:
            if f.metric not in event_metrics or f.period.start != f.period.end:
                continue
            if names is not None and f.entity not in names:
                continue
            ekind = event_metrics[f.metric]
            if kind is not None and ekind != kind:
                continue
            out.append(Event(f.entity, f.period.start, ekind, {"count": f.value}, f.source_url, f.published, f.note, f.id))
        where, params = [], []
        if names is not None:
            where.append(f"entity IN ({', '.join('?' for _ in names)})")
            params += names
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        if as_of is not None:
            where.append("known_from <= ?")
            params.append(as_of)
        sql = "SELECT entity, date, kind, attributes, source_url, published, note FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        for r in self.con.execute(sql, params).fetchall():
            out.append(Event(r[0], r[1], r[2], json.loads(r[3]) if r[3] else {}, r[4], r[5], r[6]))
        return sorted(out, key=lambda e: (e.date, e.entity, e.kind))

    def recorded_events(self, *, entities: Iterable[str] | None = None) -> list[Event]:
        """The events recorded as such (not one-day facts of event metrics), of these entities or all."""
        sql, params = "SELECT entity, date, kind, attributes, source_url, published, note FROM events", []
        if entities is not None:
            names = sorted(set(entities))
            if not names:
                return []
            sql += f" WHERE entity IN ({', '.join('?' for _ in names)})"
            params = names
        rows = self.con.execute(sql, params).fetchall()
        return [Event(r[0], r[1], r[2], json.loads(r[3]) if r[3] else {}, r[4], r[5], r[6]) for r in rows]

    def add_event(self, event: Event) -> None:
        """Record an event under its entity's canonical name (an alias such as 'SU7' is resolved)."""
        name = self.entity(event.entity).name
        known = event.published or event.date.isoformat()
        from ..periods import parse_known_date

        with self._write() as con:
            con.execute(
                "INSERT INTO events VALUES (nextval('event_ids'), ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, md5(?))",
                [name, event.date, event.kind, json.dumps(event.attributes), event.source_url,
                 event.published, parse_known_date(known), event.note,
                 f"{name}|{event.date}|{event.kind}|{event.source_url}"],
            )


_FORMULA_SQL = ", ".join(f"chr({ord(c)})" for c in FORMULA_START)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def open_store(path: str | Path | None = None, /, *, read_only: bool = False) -> Store:
    """Open (creating and loading the bundled pack on first use) the store at ``path``."""
    return Store(path, read_only=read_only)
