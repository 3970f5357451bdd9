"""Batch results on disk: claim and article rows, written a chunk at a time, never half-written.

Layout of ``OUT`` (a folder)::

    OUT/claims/month=2025-11/claims-<chunk>-0.parquet     one row per claim (Parquet, partitioned by month)
    OUT/articles/month=2025-11/articles-<chunk>-0.parquet one row per article
    OUT/claims/claims-<chunk>-0.jsonl, OUT/articles/articles-<chunk>-0.jsonl   (with --format jsonl)

A chunk's files are written under ``OUT/.partial/`` and moved into place,
claims first and the article rows last, so the article rows say which articles
are done: a rerun skips their ids, and removes claim files left by a chunk
whose article rows never arrived.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from ..errors import InputError
from .rows import ARTICLE_COLUMNS, CLAIM_COLUMNS

__all__ = ["ResultsDir", "FORMATS", "read_results"]

FORMATS = ("parquet", "jsonl")


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _q(path: Path) -> str:
    """A path as an SQL string literal."""
    return "'" + path.as_posix().replace("'", "''") + "'"


def _columns_sql(columns: tuple[tuple[str, str], ...]) -> str:
    return "{" + ", ".join(f"'{name}': '{sqltype}'" for name, sqltype in columns) + "}"


class ResultsDir:
    """The output folder of a batch: which articles are done, and where a chunk's rows go."""

    def __init__(self, path: str | Path, *, format: str = "parquet"):
        if format not in FORMATS:
            raise InputError(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
        self.path, self.format = Path(path), format
        self.partial = self.path / ".partial"

    def prepare(self) -> None:
        """Create the folder; clear what an interrupted run left (unfinished chunks, orphan claim files)."""
        if self.path.exists() and not self.path.is_dir():
            raise InputError(f"--out {self.path}: is a file; give a folder for the results")
        other = "jsonl" if self.format == "parquet" else "parquet"
        if any((self.path / "articles").rglob(f"*.{other}")):
            raise InputError(f"--out {self.path}: holds {other} results; resume with --format {other} "
                             "or choose another folder")
        for sub in ("claims", "articles"):
            (self.path / sub).mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.partial, ignore_errors=True)
        done = {self._chunk(p, "articles") for p in (self.path / "articles").rglob(f"articles-*.{self.format}")}
        for p in (self.path / "claims").rglob(f"claims-*.{self.format}"):
            if self._chunk(p, "claims") not in done:
                p.unlink()

    def finish(self) -> None:
        """Remove the staging folder once every chunk is in place."""
        shutil.rmtree(self.partial, ignore_errors=True)

    @staticmethod
    def _chunk(p: Path, prefix: str) -> str:
        return p.name[len(prefix) + 1:].split(".")[0].rsplit("-", 1)[0]  # claims-<chunk>-<i>.parquet

    def done_ids(self) -> set[str]:
        """Ids of the articles already in the results (audited, or recorded as errors)."""
        files = sorted((self.path / "articles").rglob(f"articles-*.{self.format}"))
        if not files:
            return set()
        if self.format == "jsonl":
            ids = set()
            for f in files:
                with f.open(encoding="utf-8") as fh:
                    ids.update(json.loads(line)["article_id"] for line in fh if line.strip())
            return ids
        import duckdb

        rows = duckdb.connect().execute("SELECT article_id FROM read_parquet(?)", [[str(f) for f in files]]).fetchall()
        return {r[0] for r in rows}

    def write(self, chunk: str, claims: list[dict[str, Any]], articles: list[dict[str, Any]]) -> None:
        """Write one chunk's rows whole: staged under .partial/, then moved in (claims, then articles)."""
        stage = self.partial / chunk
        stage.mkdir(parents=True)
        moves: list[tuple[Path, Path]] = []
        for table, rows, columns in (("claims", claims, CLAIM_COLUMNS), ("articles", articles, ARTICLE_COLUMNS)):
            if not rows:
                continue
            if self.format == "jsonl":
                target = stage / f"{table}-{chunk}-0.jsonl"
                with target.open("w", encoding="utf-8") as fh:
                    for row in rows:
                        fh.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
                moves.append((target, self.path / table / target.name))
            else:
                moves += self._parquet(stage, table, chunk, rows, columns)
        for src, dst in moves:
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
        shutil.rmtree(stage, ignore_errors=True)

    def _parquet(self, stage: Path, table: str, chunk: str, rows: list[dict[str, Any]],
                 columns: tuple[tuple[str, str], ...]) -> list[tuple[Path, Path]]:
        import duckdb

        staged_json = stage / f"{table}.jsonl"
        with staged_json.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
        names = ", ".join(f'"{n}"' for n, _ in columns)
        out_dir = stage / table
        con = duckdb.connect()
        con.execute(
            f"COPY (SELECT {names} FROM read_json(?, columns = {_columns_sql(columns)}, format = 'newline_delimited') "
            f"ORDER BY article_id) TO {_q(out_dir)} "
            f"(FORMAT parquet, PARTITION_BY (month), FILENAME_PATTERN '{table}-{chunk}-{{i}}')",
            [str(staged_json)],
        )
        con.close()
        return [(p, self.path / table / p.relative_to(out_dir)) for p in out_dir.rglob("*.parquet")]


def read_results(path: str | Path, table: str = "claims") -> str:
    """A DuckDB table expression over a results folder's claims or articles (Parquet or JSONL)."""
    root = Path(path)
    if any((root / table).rglob("*.parquet")):
        return f"read_parquet({_q(root / table / '**' / '*.parquet')}, hive_partitioning = true, hive_types_autocast = false)"
    if any((root / table).rglob("*.jsonl")):
        columns = CLAIM_COLUMNS if table == "claims" else ARTICLE_COLUMNS
        return f"read_json({_q(root / table / '*.jsonl')}, columns = {_columns_sql(columns)}, format = 'newline_delimited')"
    raise InputError(f"{path}: no batch results here (expected {table}/ with Parquet or JSONL files from `redline audit-batch`)")
