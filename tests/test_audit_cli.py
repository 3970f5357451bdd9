"""`redline audit` through the CLI runner: formats, exit codes, stdin, HTML input, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from redline.claims.audit_schema import audit_schema

RIGHT = "Xiaomi delivered 108,796 vehicles in the third quarter of 2025, the company said.\n"
WRONG = "Xiaomi delivered 118,796 vehicles in the third quarter of 2025.\n"
STALE = "Xiaomi SU7 deliveries were 108,796 in the third quarter of 2025.\n"


@pytest.fixture
def article(tmp_path: Path):  # type: ignore[no-untyped-def]
    def write(text: str, name: str = "article.txt") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_text_view_and_exit_zero(cli, article) -> None:  # type: ignore[no-untyped-def]
    r = cli("audit", article(RIGHT), "--date", "2025-11-25")
    assert r.exit_code == 0, r.stderr
    assert "supported" in r.stdout and "108,796" in r.stdout
    assert "1 claim: 1 supported" in r.stdout


def test_contradiction_exits_one(cli, article) -> None:  # type: ignore[no-untyped-def]
    r = cli("audit", article(RIGHT + WRONG), "--date", "2025-11-25", "--json")
    assert r.exit_code == 1
    data = r.json()
    assert data["summary"]["contradicted"] == 1
    jsonschema.validate(data, audit_schema())


def test_fail_on_misleading(cli, article) -> None:  # type: ignore[no-untyped-def]
    path = article(STALE)
    assert cli("audit", path, "--date", "2025-11-25").exit_code == 0
    assert cli("audit", path, "--date", "2025-11-25", "--fail-on", "misleading").exit_code == 1


def test_markdown_and_html_to_files(cli, article, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = article(RIGHT + "<script>alert(1)</script>\n")
    md, html = tmp_path / "a.md", tmp_path / "a.html"
    assert cli("audit", path, "--date", "2025-11-25", "--format", "md", "-o", str(md)).exit_code == 0
    assert cli("audit", path, "--date", "2025-11-25", "--format", "html", "-o", str(html)).exit_code == 0
    assert "**108,796 vehicles**[^1]" in md.read_text(encoding="utf-8")
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<script>" not in page and "&lt;script&gt;" in page


def test_stdin(store_file: Path) -> None:
    from redline.cli import app

    r = CliRunner().invoke(app, ["audit", "-", "--date", "2025-11-25", "--json"], input=RIGHT,
                           env={"REDLINE_DB": str(store_file)})
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["summary"]["supported"] == 1


def test_html_article_gives_text_and_date(cli, article) -> None:  # type: ignore[no-untyped-def]
    page = (
        "<html><head><title>Xiaomi results</title>"
        '<meta property="article:published_time" content="2025-11-25T08:00:00Z"></head>'
        "<body><article><h1>Xiaomi results</h1><p>" + RIGHT + "</p>"
        "<p>Xiaomi said the quarter was its first above 100,000 deliveries, and the YU7 kept selling well "
        "across the country through the autumn months, according to the company.</p></article></body></html>"
    )
    r = cli("audit", article(page, "article.html"), "--json")
    assert r.exit_code == 0, r.stdout
    data = r.json()
    assert data["document_date"] == "2025-11-25" and data["document_date_source"] == "document"
    assert any(c["verdict"] == "supported" and "108,796" in c["text"] for c in data["claims"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.txt"], "no such file"),
        (["EMPTY", "--date", "2025-11-25"], "empty"),
        (["RIGHT", "--date", "25/11/2025"], "--date"),
        (["RIGHT", "--format", "pdf"], "--format"),
        (["RIGHT", "--fail-on", "unverifiable"], "--fail-on"),
    ],
)
def test_bad_input_exits_two(cli, article, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    files = {"EMPTY": article("", "empty.txt"), "RIGHT": article(RIGHT)}
    r = cli("audit", *[files.get(a, a) for a in args])
    assert r.exit_code == 2
    assert message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_binary_file_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8)
    r = cli("audit", str(path), "--date", "2025-11-25")
    assert r.exit_code == 2 and "Traceback" not in r.stderr


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_an_unwritable_output_exits_two_not_one(cli, article, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    # exit 1 means "contradicted" to CI: a bad -o path must be bad input (2), even for an article that contradicts
    target = tmp_path / "nonexistent" / f"x.{fmt}"
    r = cli("audit", article(RIGHT + WRONG), "--date", "2025-11-25", "--format", fmt, "-o", str(target))
    assert r.exit_code == 2
    assert f"cannot write {target}: no such directory" in (r.stderr if fmt != "json" else r.json()["message"])
    assert "Traceback" not in r.stderr
    assert not target.parent.exists()


def test_an_output_name_with_brackets_is_printed_as_given(cli, article, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    r = cli("audit", article(RIGHT), "--date", "2025-11-25", "--format", "md", "-o", "[x].md")
    assert r.exit_code == 0, r.stderr
    assert "wrote [x].md: 1 claim" in r.stdout
    assert "**108,796 vehicles**" in (tmp_path / "[x].md").read_text(encoding="utf-8")
    assert not [p.name for p in tmp_path.iterdir() if "partial" in p.name]  # no partial file left


def test_a_figure_published_after_the_article_is_named_and_hindsight_judges_on_it(cli, article) -> None:  # type: ignore[no-untyped-def]
    # Xiaomi's Q3 2025 deliveries reached the store from its results of 19 November
    then = cli("audit", article(WRONG), "--date", "2025-11-10", "--json").json()
    [item] = then["claims"]
    assert item["verdict"] == "unverifiable" and item["reasons"] == ["published_later"]
    assert "108,796" in item["explanation"] and "2025-11-19" in item["explanation"]
    assert then["warnings"] == []
    r = cli("audit", article(WRONG), "--date", "2025-11-10", "--hindsight", "--json")
    assert r.exit_code == 1
    now = r.json()
    assert now["claims"][0]["verdict"] == "contradicted"
    assert now["document_date"] == "2025-11-10"
    assert any("hindsight" in w for w in now["warnings"])
