"""Corpus audits: `redline audit-batch` (local and Spark engines) and `redline report`.

The corpus is made of the real audit passages (tests/data/audit_passages.json)
three to an article, under a few outlets and dates, with a few bad records.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import duckdb
import pytest

from redline.batch import audit_batch
from redline.batch.output import read_results
from redline.batch.rows import ARTICLE_COLUMNS, CLAIM_COLUMNS, audit_record
from redline.batch.spark import spark_available
from redline.claims.audit import audit, audit_snapshot
from redline.store import Store
from redline.store.snapshot import Snapshot

ROOT = Path(__file__).resolve().parents[1]
PASSAGES = json.loads((ROOT / "tests" / "data" / "audit_passages.json").read_text(encoding="utf-8"))["passages"]
OUTLETS = ["https://cnevpost.com", "https://www.reuters.com", "https://electrek.co"]
BAD = [
    "this line is not JSON",
    json.dumps({"id": "no-date", "text": "Xiaomi delivered 108,796 cars in Q3 2025."}),
    json.dumps({"id": "no-text", "published": "2025-11-25"}),
    json.dumps({"id": "bad-date", "published": "25/11/2025", "text": "x"}),
]


def articles(n: int, seed: int = 15) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [{"id": f"a{i:04d}", "url": f"{rng.choice(OUTLETS)}/story/{i}",
             "published": rng.choice(["2025-10-15", "2025-11-25", "2025-12-02"]),
             "text": "\n\n".join(p["text"] for p in rng.sample(PASSAGES, 3))} for i in range(n)]


def write_jsonl(path: Path, rows: list[dict[str, Any]], bad: list[str] = BAD) -> Path:
    path.write_text("\n".join([json.dumps(r) for r in rows] + bad) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def snapshot(pack: Store) -> Snapshot:
    return audit_snapshot(pack)


def rows(out: Path, table: str = "claims") -> list[tuple[Any, ...]]:
    """Every row, columns in their declared order (Parquet puts the partition column last), sorted."""
    columns = ", ".join(f'"{n}"' for n, _ in (CLAIM_COLUMNS if table == "claims" else ARTICLE_COLUMNS))
    return duckdb.connect().execute(f"SELECT {columns} FROM {read_results(out, table)} ORDER BY ALL").fetchall()


def test_one_record_gives_the_audit_s_rows(snapshot: Snapshot) -> None:
    art = articles(1)[0]
    claims, article = audit_record(art, snapshot)
    report = audit(art["text"], date=art["published"], snapshot=snapshot)
    assert [(c["quote"], c["verdict"]) for c in claims] == [(i.claim.text, i.verdict) for i in report.items]
    assert article["claims"] == len(claims) > 0 and article["error"] is None
    assert article["outlet"] in {"cnevpost.com", "reuters.com", "electrek.co"} and article["month"] == art["published"][:7]
    assert sum(article[v] for v in ("supported", "misleading", "contradicted", "unverifiable")) == len(claims)


def test_a_batch_writes_rows_by_month_records_errors_and_resumes(tmp_path: Path, snapshot: Snapshot) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", articles(12))
    out = tmp_path / "out"
    seen: list[tuple[int, int | None]] = []
    first = audit_batch([str(src)], out, snapshot=snapshot, workers=1, chunk=5, progress=lambda d, t: seen.append((d, t)))
    assert (first.articles, first.errors, first.skipped) == (16, 4, 0)
    assert seen[-1] == (16, 16)
    months = sorted(p.name for p in (out / "claims").iterdir())
    assert set(months) <= {"month=2025-10", "month=2025-11", "month=2025-12"} and months
    errors = {r[0]: r[-2] for r in duckdb.connect().execute(
        f"SELECT article_id, error, month FROM {read_results(out, 'articles')} WHERE error IS NOT NULL ORDER BY 1").fetchall()}
    assert set(errors) == {"in.jsonl:1" if False else "in.jsonl:13", "no-date", "no-text", "bad-date"}
    assert "not JSON" in errors["in.jsonl:13"] and "published" in errors["no-date"] and "no text" in errors["no-text"]
    assert len(rows(out)) == first.claims
    # a rerun skips everything done; more input adds only the new articles
    again = audit_batch([str(src)], out, snapshot=snapshot, workers=1)
    assert (again.articles, again.skipped) == (0, 16)
    write_jsonl(src, articles(14), bad=[])
    more = audit_batch([str(src)], out, snapshot=snapshot, workers=1)
    assert (more.articles, more.skipped) == (2, 12)
    ids = [r[0] for r in duckdb.connect().execute(f"SELECT article_id FROM {read_results(out, 'articles')}").fetchall()]
    assert len(ids) == len(set(ids)) == 18


def test_claims_of_an_unfinished_chunk_are_removed_and_redone(tmp_path: Path, snapshot: Snapshot) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", articles(4), bad=[])
    out = tmp_path / "out"
    audit_batch([str(src)], out, snapshot=snapshot, workers=1)
    before = rows(out)
    # as if killed between moving a chunk's claims and its article rows
    for p in (out / "articles").rglob("*.parquet"):
        p.unlink()
    (out / ".partial" / "x").mkdir(parents=True)
    redo = audit_batch([str(src)], out, snapshot=snapshot, workers=1)
    assert redo.articles == 4 and rows(out) == before and not (out / ".partial").exists()


def test_two_workers_write_what_one_does(tmp_path: Path, snapshot: Snapshot) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", articles(10))
    audit_batch([str(src)], tmp_path / "one", snapshot=snapshot, workers=1, chunk=3)
    audit_batch([str(src)], tmp_path / "two", snapshot=snapshot, workers=2, chunk=3)
    for table in ("claims", "articles"):
        assert rows(tmp_path / "one", table) == rows(tmp_path / "two", table)


def test_parquet_folder_and_jsonl_inputs_and_outputs(tmp_path: Path, snapshot: Snapshot) -> None:
    arts = articles(3)
    con = duckdb.connect()
    con.execute("CREATE TABLE a (id VARCHAR, url VARCHAR, published VARCHAR, text VARCHAR)")
    con.executemany("INSERT INTO a VALUES (?, ?, ?, ?)", [[a["id"], a["url"], a["published"], a["text"]] for a in arts])
    con.execute(f"COPY a TO '{tmp_path / 'in.parquet'}' (FORMAT parquet)")
    folder = tmp_path / "folder"
    folder.mkdir()
    for a in arts:
        (folder / f"{a['id']}.txt").write_text(a["text"], encoding="utf-8")
        (folder / f"{a['id']}.json").write_text(json.dumps({"url": a["url"], "published": a["published"]}), encoding="utf-8")
    (folder / "page.html").write_text("<html><head><title>T</title><meta property='article:published_time' "
                                      "content='2025-11-25'></head><body><article><p>Xiaomi delivered 108,796 vehicles "
                                      "in the third quarter of 2025, the company said in its results statement today."
                                      "</p></article></body></html>", encoding="utf-8")
    audit_batch([str(tmp_path / "in.parquet")], tmp_path / "p", snapshot=snapshot, workers=1)
    audit_batch([str(folder)], tmp_path / "f", snapshot=snapshot, workers=1, format="jsonl")
    # article_id, url, outlet, published, month, title, claims, supported, …: the same from Parquet and the folder
    by_parquet = {r[0]: r[1:5] + r[6:] for r in rows(tmp_path / "p", "articles")}
    by_folder = {r[0]: r[1:5] + r[6:] for r in rows(tmp_path / "f", "articles")}
    assert by_parquet == {k.removesuffix(".txt"): v for k, v in by_folder.items() if k.endswith(".txt")}
    assert all(v[4] > 0 for v in by_parquet.values())  # claims
    page = by_folder["page.html"]  # date and title from the page itself; one claim, supported
    assert (page[2].isoformat(), page[4], page[5]) == ("2025-11-25", 1, 1)
    assert list((tmp_path / "f" / "claims").glob("*.jsonl"))


@pytest.mark.parametrize(("args", "message"), [
    (["nowhere.jsonl"], "no such file"),
    (["in.csv"], "not a batch input"),
    (["in.jsonl", "--engine", "hadoop"], "--engine must be one of"),
    (["in.jsonl", "--format", "csv"], "--format must be one of"),
])
def test_bad_batch_arguments_are_one_line_errors(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "in.jsonl", articles(1))
    (tmp_path / "in.csv").write_text("id,text\n", encoding="utf-8")
    result = cli("audit-batch", *args, "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_batch_then_report(cli: Any, tmp_path: Path) -> None:
    arts = articles(9)
    # one wrong figure in articles of two outlets, and an outlet name that is markup
    wrong = "Xiaomi delivered 118,796 vehicles in the third quarter of 2025."
    arts += [{"id": "w1", "url": "https://cnevpost.com/w1", "published": "2025-11-25", "text": wrong},
             {"id": "w2", "url": "https://electrek.co/w2", "published": "2025-11-26", "text": wrong},
             {"id": "w3", "url": "https://<b>x</b>.example/w3", "published": "2025-11-26", "text": wrong}]
    src = write_jsonl(tmp_path / "in.jsonl", arts, bad=[])
    done = cli("audit-batch", str(src), "--out", str(tmp_path / "out"), "--workers", "1", "--json")
    assert done.exit_code == 0, done.stderr
    assert done.json()["articles"] == 12
    rep = cli("report", str(tmp_path / "out"), "--out", str(tmp_path / "rep"), "--json")
    assert rep.exit_code == 0, rep.stderr
    data = rep.json()
    assert data["totals"]["articles"] == 12 and data["totals"]["claims"] == len(rows(tmp_path / "out"))
    repeated = [r for r in data["repeated_wrong_figures"] if r["entity"] == "Xiaomi" and r["value"] == 118796]
    assert repeated and repeated[0]["outlets"] >= 2 and repeated[0]["articles"] == 3
    outlets = {r["name"]: r for r in data["outlets"]}
    assert set(outlets) >= {"cnevpost.com", "electrek.co"}
    assert all(0 <= r["share_flagged"] <= 1 for r in data["outlets"])
    page = (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")
    assert "<b>x</b>" not in page and "<svg" in page
    assert (tmp_path / "rep" / "report.md").read_text(encoding="utf-8").startswith("# Corpus audit report")


needs_spark = pytest.mark.skipif(spark_available() is not None, reason=f"Spark tests need PySpark and Java: {spark_available()}")


@needs_spark
def test_spark_writes_exactly_what_the_local_engine_writes(tmp_path: Path, snapshot: Snapshot) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", articles(24))
    extra = write_jsonl(tmp_path / "more.jsonl", articles(3, seed=2) + articles(2), bad=[])  # ids repeated: first wins
    local = audit_batch([str(src), str(extra)], tmp_path / "local", snapshot=snapshot, workers=2, chunk=7)
    spark = audit_batch([str(src), str(extra)], tmp_path / "spark", snapshot=snapshot, engine="spark", workers=2)
    assert (spark.articles, spark.errors, spark.claims) == (local.articles, local.errors, local.claims)
    for table in ("claims", "articles"):
        assert rows(tmp_path / "local", table) == rows(tmp_path / "spark", table)
    assert sorted(p.name for p in (tmp_path / "spark" / "claims").iterdir()) == \
        sorted(p.name for p in (tmp_path / "local" / "claims").iterdir())
    # resumable across engines: nothing left to do
    again = audit_batch([str(src)], tmp_path / "spark", snapshot=snapshot, workers=1)
    assert again.articles == 0
