"""Articles for a batch, read as a stream of records from JSONL, Parquet, a folder or WARC files.

Every reader yields dicts with ``id``, ``url``, ``published``, ``text`` or
``html`` (and ``title`` when known), a few at a time, so memory stays flat
however large the corpus. A line that is not a JSON object becomes a record
with an ``error`` (the batch records it and goes on).

* ``.jsonl`` (or ``.ndjson``): one JSON object a line;
* ``.parquet``: columns ``id``, ``url``, ``published``, ``text`` and/or ``html``;
* a folder: every ``.txt``, ``.html`` or ``.htm`` file below it; the id is the
  path inside the folder; ``url`` and ``published`` come from a sidecar
  ``NAME.json`` beside the file when there is one, else an HTML page's date;
* ``.warc`` / ``.warc.gz``: each HTTP response with an HTML body (warcio).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError

__all__ = ["read_articles", "count_articles", "parse_line", "input_kind", "ARTICLE_FIELDS"]

ARTICLE_FIELDS = ("id", "url", "published", "title", "text", "html")
_PAGE = 500  # Parquet rows fetched at a time


def input_kind(path: Path) -> str:
    """jsonl, parquet, folder or warc; anything else is an InputError."""
    return _kind(path)


def _kind(path: Path) -> str:
    name = path.name.lower()
    if path.is_dir():
        return "folder"
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".warc", ".warc.gz")):
        return "warc"
    raise InputError(f"{path}: not a batch input; give .jsonl, .parquet, .warc(.gz) files or a folder of .txt/.html files")


def _check(paths: list[str]) -> list[Path]:
    out = []
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise InputError(f"{p}: no such file or folder")
        _kind(path)
        out.append(path)
    return out


def read_articles(paths: list[str]) -> Iterator[dict[str, Any]]:
    """Every article record of every input, in order."""
    for path in _check(paths):
        yield from {"jsonl": _jsonl, "parquet": _parquet, "folder": _folder, "warc": _warc}[_kind(path)](path)


def count_articles(paths: list[str]) -> int:
    """How many records :func:`read_articles` will yield (cheap: lines, Parquet metadata, file names)."""
    total = 0
    for path in _check(paths):
        kind = _kind(path)
        if kind == "jsonl":
            with path.open("rb") as fh:
                total += sum(1 for line in fh if line.strip())
        elif kind == "parquet":
            import duckdb

            total += int(duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()[0])
        elif kind == "folder":
            total += sum(1 for _ in _folder_files(path))
        else:
            total += sum(1 for _ in _warc(path))
    return total


def _record(raw: dict[str, Any]) -> dict[str, Any]:
    rec = {k: raw.get(k) for k in ARTICLE_FIELDS}
    for k in ("id", "url", "published", "title"):
        if rec[k] is not None and not isinstance(rec[k], str):
            rec[k] = str(rec[k])
    return rec


def parse_line(name: str, line_no: int, line: str) -> dict[str, Any] | None:
    """One JSONL line as a record (None for a blank line); a line that is not a JSON object is an error record."""
    if not line.strip():
        return None
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": f"{name}:{line_no}", "error": f"{name}:{line_no}: not JSON: {exc.msg}"}
    if not isinstance(raw, dict):
        return {"id": f"{name}:{line_no}", "error": f"{name}:{line_no}: not a JSON object"}
    return _record(raw)


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line_no, line in enumerate(fh, 1):
            rec = parse_line(path.name, line_no, line)
            if rec is not None:
                yield rec


def _parquet(path: Path) -> Iterator[dict[str, Any]]:
    import duckdb

    con = duckdb.connect()
    cols = [r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()]
    if "id" not in cols or not ({"text", "html"} & set(cols)):
        raise InputError(f"{path}: a batch Parquet file needs columns id and text or html (it has {', '.join(cols)})")
    wanted = [c for c in ARTICLE_FIELDS if c in cols]
    cur = con.execute(f"SELECT {', '.join(wanted)} FROM read_parquet(?)", [str(path)])
    while rows := cur.fetchmany(_PAGE):
        for row in rows:
            yield _record(dict(zip(wanted, row)))


def _folder_files(root: Path) -> Iterator[Path]:
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix.lower() in (".txt", ".html", ".htm"):
            yield p


def _folder(root: Path) -> Iterator[dict[str, Any]]:
    for p in _folder_files(root):
        rid = p.relative_to(root).as_posix()
        rec: dict[str, Any] = {"id": rid}
        side = p.with_suffix(".json")
        if side.exists():
            try:
                meta = json.loads(side.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield {"id": rid, "error": f"{side}: not a JSON sidecar: {exc}"}
                continue
            if isinstance(meta, dict):
                rec.update({k: meta[k] for k in ("url", "published", "title") if k in meta})
        data = p.read_bytes()
        if p.suffix.lower() == ".txt":
            rec["text"] = data.decode("utf-8", errors="replace")
        else:
            rec["html"] = data.decode("utf-8", errors="replace")
        yield _record(rec)


def _warc(path: Path) -> Iterator[dict[str, Any]]:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise InputError(f"{path}: reading WARC files needs warcio: pip install 'redline[batch]'") from None
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                continue
            ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
            if "html" not in ctype.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            body = record.content_stream().read()
            yield {"id": record.rec_headers.get_header("WARC-Record-ID") or url, "url": url, "published": None,
                   "title": None, "text": None, "html": body.decode("utf-8", errors="replace")}
