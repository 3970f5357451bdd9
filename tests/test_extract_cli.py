"""`redline extract` and `redline facts extract` through the CLI runner; the published JSON Schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from redline.claims.schema import SCHEMA_DIR, claim_schema, extraction_schema, render

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / ".." / "shared" / "seeds" / "xiaomi-ev-growth-vs-safety.txt"

RELEASE = (
    "NIO Inc. today announced its October 2025 delivery update. NIO delivered 40,397 vehicles in October 2025, "
    "up 92.6% year-over-year. Li Auto delivered 31,767 vehicles in October 2025. "
    "Zeekr delivered 30,000 vehicles in October 2025."
)


@pytest.mark.parametrize(("name", "build"), [("claim.schema.json", claim_schema), ("extraction.schema.json", extraction_schema)])
def test_committed_schema_equals_the_generated_one(name: str, build: Any) -> None:
    committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == render(build()), f"redline/schemas/{name} is stale: run `python -m redline.claims.schema`"


def test_extract_json_follows_the_schema(cli: Any, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(RELEASE, encoding="utf-8")
    result = cli("extract", str(article), "--date", "2025-11-01", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    jsonschema.validate(data, extraction_schema())
    for claim in data["claims"]:
        jsonschema.validate(claim, claim_schema())
        assert RELEASE[claim["start"]:claim["end"]] == claim["text"]
    assert data["date_source"] == "option" and data["document_date"] == "2025-11-01"
    assert [c["value"] for c in data["claims"]][:2] == [40397.0, 92.6]


def test_extract_the_seed_article(cli: Any) -> None:
    if not SEED.exists():
        pytest.skip(f"the shared seed is not at {SEED.resolve()}")
    result = cli("extract", str(SEED), "--date", "2025-11-25", "--json")
    assert result.exit_code == 0
    values = {c["value"] if not isinstance(c["value"], list) else tuple(c["value"]) for c in result.json()["claims"]}
    assert {400000.0, 350000.0, 173.0, 108796.0, 315376.0, 16.0, 5.0, 2.0, 15.0, (200.0, 220.0), 200000.0} <= values


def test_extract_table_and_stdin(cli: Any) -> None:
    result = cli.runner.invoke(cli.app, ["extract", "-", "--date", "2025-11-01"], input=RELEASE.encode("utf-8"),
                               env={"REDLINE_DB": str(cli.db), "COLUMNS": "200"})
    assert result.exit_code == 0
    assert "40,397" in result.stdout and "NIO" in result.stdout


def test_without_a_date_today_is_used_with_a_warning(cli: Any, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Xiaomi delivered 40,000 cars last month.", encoding="utf-8")
    data = cli("extract", str(article), "--json").json()
    assert data["date_source"] == "today"
    assert any("today" in w for w in data["warnings"])


def test_html_date_is_used(cli: Any, tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text(
        "<html><head><title>NIO October deliveries</title>"
        '<meta property="article:published_time" content="2025-11-01T08:00:00Z"></head><body><article>'
        "<p>NIO delivered 40,397 vehicles last month, up 92.6% year-over-year, the company said on Saturday in a "
        "statement posted on its website, adding that deliveries of its new models had started.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    data = cli("extract", str(page), "--json").json()
    assert data["format"] == "html" and data["date_source"] == "document" and data["document_date"] == "2025-11-01"
    assert any(c["value"] == 40397 and c["period"] == {"start": "2025-10-01", "end": "2025-10-31"} for c in data["claims"])


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"%PDF-1.4\n%\xe2\xe3", "PDF"), (b"\x00\x01\x02binary\x00", "binary")],
)
def test_bad_input_is_a_message_not_a_traceback(cli: Any, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = cli("extract", str(path))
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    as_json = cli("extract", str(path), "--json")
    assert as_json.exit_code == 2 and as_json.json()["error"] == "bad_input"


def test_bad_date_and_missing_file(cli: Any, tmp_path: Path) -> None:
    assert cli("extract", str(tmp_path / "nope.txt")).exit_code == 2
    path = tmp_path / "a.txt"
    path.write_text("NIO delivered 40,397 vehicles.", encoding="utf-8")
    result = cli("extract", str(path), "--date", "25/11/2025")
    assert result.exit_code == 2 and "--date" in result.stderr


def test_facts_extract_shows_candidates_and_stores_them_with_yes(cli: Any, tmp_path: Path) -> None:
    release = tmp_path / "release.txt"
    release.write_text(RELEASE, encoding="utf-8")
    url = "https://ir.example.com/2025-10-deliveries"
    shown = cli("facts", "extract", str(release), "--source", url, "--date", "2025-11-01", "--json")
    assert shown.exit_code == 0
    data = shown.json()
    rows = [c["row"] for c in data["candidates"]]
    assert {(r["entity"], r["metric"], r["period_start"], r["value"]) for r in rows} == {
        ("NIO", "deliveries", "2025-10-01", 40397.0),
        ("Li Auto", "deliveries", "2025-10-01", 31767.0),
    }
    reasons = {c["claim"]["text"]: c["reason"] for c in data["set_aside"]}
    assert "change" in reasons["92.6%"]
    assert any("not in the store" in r for r in reasons.values())  # Zeekr
    assert data["stored"] is None
    before = cli("facts", "list", "--entity", "NIO", "--metric", "deliveries", "--json").json()
    assert not any(f["source_url"] == url for f in before)

    stored = cli("facts", "extract", str(release), "--source", url, "--date", "2025-11-01", "--yes", "--json")
    assert stored.exit_code == 0
    assert stored.json()["stored"]["added"] == 2
    after = cli("facts", "list", "--entity", "NIO", "--metric", "deliveries", "--all-versions", "--json").json()
    mine = [f for f in after if f["source_url"] == url]
    assert [(f["value"], f["published"]) for f in mine] == [(40397.0, "2025-11-01")]
    again = cli("facts", "extract", str(release), "--source", url, "--date", "2025-11-01", "--yes", "--json")
    assert again.json()["stored"]["added"] == 0


def test_facts_extract_table(cli: Any, tmp_path: Path) -> None:
    release = tmp_path / "release.txt"
    release.write_text(RELEASE, encoding="utf-8")
    result = cli("facts", "extract", str(release), "--source", "https://x.example/r", "--date", "2025-11-01")
    assert result.exit_code == 0
    assert "--yes" in result.stdout and "set aside" in result.stdout


def test_article_text_is_never_read_as_rich_markup(cli: Any, tmp_path: Path) -> None:
    article = tmp_path / "[draft] a.txt"
    article.write_text("[bold]NIO[/bold] delivered 40,397 vehicles [^a] in October 2025 [/].", encoding="utf-8")
    result = cli("extract", str(article))
    assert result.exit_code == 0 and "40,397" in result.stdout
    shown = cli("facts", "extract", str(article), "--source", "https://x.example/[r]")
    assert shown.exit_code == 0
