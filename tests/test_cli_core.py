"""The core commands through Typer's runner: facts, entities, value, growth, pace, conflicts."""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable

import click
import duckdb
import pytest
import typer.main

from redline.cli import app
from redline.periods import parse_known_date
from redline.store import Store
from redline.store import pack_path
from redline.store.records import FACT_COLUMNS

with pack_path().open(newline="", encoding="utf-8") as _fh:
    PACK_N = sum(1 for _ in csv.DictReader(_fh))
"""Facts in the bundled pack."""

Cli = Any  # the ``cli`` fixture of conftest.py: cli(*args) -> result with exit_code, stdout, stderr, json()

NEW_ROW = {
    "entity": "Xiaomi", "metric": "deliveries", "period_start": "2026-01-01", "period_end": "2026-01-31",
    "value": "39000", "unit": "vehicles", "qualifier": "over", "source_url": "https://example.com/jan-2026",
    "published": "2026-02-01",
}


def count(db: Path) -> int:
    with Store(db, read_only=True) as s:
        return s.count_facts()


# -- facts import / list / export -------------------------------------------------------------------------


def test_import_reports_what_it_added_and_a_second_import_adds_nothing(
    cli: Cli, write_facts: Callable[..., Path]
) -> None:
    path = write_facts([NEW_ROW, {**NEW_ROW, "period_start": "2026-02-01", "period_end": "2026-02-28"}])
    first = cli("facts", "import", str(path))
    assert first.exit_code == 0
    assert f"{path}: 2 rows, 2 added, 0 already stored" in first.stdout
    second = cli("facts", "import", str(path), "--json")
    assert second.exit_code == 0
    assert second.json() == [{"source": str(path), "rows": 2, "added": 0, "duplicates": 2}]
    assert count(cli.db) == PACK_N + 2


@pytest.mark.parametrize(
    ("change", "columns", "line", "field"),
    [
        ({"value": "about forty thousand"}, None, 3, "value"),
        ({"period_end": "2025-12-31"}, None, 3, "period_end"),
        ({"metric": "deliverys"}, None, 3, "metric"),
        ({"published": "2026-02-31"}, None, 3, "published"),
        ({}, [c for c in FACT_COLUMNS if c != "period_start"], 1, "period_start"),
    ],
    ids=["non-numeric value", "end before start", "unknown metric", "malformed date", "missing column"],
)
def test_bad_import_exits_2_naming_file_line_and_field_and_changes_nothing(
    cli: Cli, write_facts: Callable[..., Path], change: dict[str, str], columns: list[str] | None, line: int, field: str
) -> None:
    ok = {**NEW_ROW, "period_start": "2026-03-01", "period_end": "2026-03-31"}
    path = write_facts([ok, {**NEW_ROW, **change}], columns=columns)
    before = count(cli.db)
    result = cli("facts", "import", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{path}:{line}: {field}: " in result.stderr
    assert "nothing was imported" in result.stderr
    as_json = cli("facts", "import", str(path), "--json")
    assert as_json.exit_code == 2
    body = as_json.json()
    assert body["error"] == "import_refused"
    assert {"file": str(path), "line": line, "field": field} == {k: body["issues"][0][k] for k in ("file", "line", "field")}
    assert count(cli.db) == before


def test_import_of_several_files_stops_at_the_bad_one(cli: Cli, write_facts: Callable[..., Path]) -> None:
    good = write_facts([NEW_ROW], "good.csv")
    bad = write_facts([{**NEW_ROW, "value": "x"}], "bad.csv")
    result = cli("facts", "import", str(good), str(bad))
    assert result.exit_code == 2 and f"{bad}:2: value" in result.stderr
    assert count(cli.db) == PACK_N + 1  # each file is all or nothing: good.csv went in


def test_list_filters_and_shows_every_version(cli: Cli) -> None:
    latest = cli("facts", "list", "--entity", "xiaomi auto", "--metric", "target", "--period", "2025", "--json")
    assert latest.exit_code == 0
    assert [(f["value"], f["qualifier"]) for f in latest.json()] == [(400_000, "at_least")]
    every = cli("facts", "list", "-e", "Xiaomi", "-m", "delivery_target", "-p", "2025", "--all-versions", "--json")
    assert [f["value"] for f in every.json()] == [300_000, 350_000, 400_000]
    then = cli("facts", "list", "-e", "Xiaomi", "-m", "delivery_target", "-p", "2025", "--as-of", "2025-06-01", "--json")
    assert [f["value"] for f in then.json()] == [350_000]


def test_list_as_a_table(cli: Cli) -> None:
    result = cli("facts", "list", "-e", "Xiaomi", "-m", "delivery_target", "--all-versions")
    assert result.exit_code == 0
    assert "at least 400,000" in result.stdout and "350,000" in result.stdout
    assert "https://thecapitalcircuit.com" in result.stdout


@pytest.mark.parametrize("limit", ["-5", "0"])
def test_list_refuses_a_limit_below_1(cli: Cli, limit: str) -> None:
    result = cli("facts", "list", "--limit", limit)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --limit must be 1 or more, not {limit}")
    assert len(result.stderr.strip().splitlines()) == 1
    assert len(cli("facts", "list", "--limit", "1", "--json").json()) == 1


@pytest.mark.parametrize("suffix", ["csv", "json", "parquet"])
def test_export_then_import_round_trips(cli: Cli, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"export.{suffix}"
    result = cli("facts", "export", str(out), "--json")
    assert result.exit_code == 0 and result.json() == {"path": str(out), "facts": PACK_N}
    again = cli("facts", "import", str(out), "--json")
    assert again.json()[0] == {"source": str(out), "rows": PACK_N, "added": 0, "duplicates": PACK_N}


def test_export_to_a_missing_directory_exits_2_with_one_line(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "nonexistent" / "x.csv"
    result = cli("facts", "export", str(target))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: cannot write {target}: no such directory")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not target.parent.exists()
    as_json = cli("facts", "export", str(target), "--json")
    assert as_json.exit_code == 2 and as_json.json()["error"] == "bad_input"


def test_export_as_of(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "then.csv"
    assert cli("facts", "export", str(out), "--as-of", "2025-06-01").exit_code == 0
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(parse_known_date(r["published"]) <= date(2025, 6, 1) for r in rows)
    assert len(rows) < PACK_N


# -- entities ---------------------------------------------------------------------------------------------


def test_entities_list_and_add(cli: Cli) -> None:
    listed = cli("entities", "list", "--json").json()
    xiaomi = next(e for e in listed if e["name"] == "Xiaomi")
    assert xiaomi["parent"] == "Xiaomi Group" and "Xiaomi Auto" in xiaomi["aliases"]
    added = cli("entities", "add", "Xiaomi YU9", "--kind", "model", "--parent", "Xiaomi", "--alias", "YU9", "--json")
    assert added.exit_code == 0 and added.json() == {"added": "Xiaomi YU9"}
    assert any(e["name"] == "Xiaomi YU9" and e["aliases"] == ["YU9"] for e in cli("entities", "list", "--json").json())
    table = cli("entities", "list")
    assert "Xiaomi YU9" in table.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Zeekr 001", "--kind", "model", "--parent", "Zeekr"], "parent 'Zeekr' is not a known entity"),
        (["Zeekr", "--kind", "carmaker"], "entity kind must be one of"),
        (["Xiaomi", "--kind", "brand"], "exists already"),
    ],
)
def test_entities_add_refusals_exit_2(cli: Cli, args: list[str], message: str) -> None:
    result = cli("entities", "add", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_names_and_notes_with_brackets_are_printed_as_given_not_as_markup(
    cli: Cli, write_facts: Callable[..., Path]
) -> None:
    # '[/]' is a Rich closing tag: printed as markup it raised MarkupError after the entity was stored
    added = cli("entities", "add", "Lab [/] Motors", "--alias", "[lab]", "--note", "[bold]not bold[/]")
    assert added.exit_code == 0, added.stderr
    assert "added entity Lab [/] Motors (company)" in added.stdout
    assert "Lab [/] Motors" in cli("entities", "list").stdout
    assert cli("metrics", "add", "[x]_orders", "--unit", "[u]").stdout.strip() == "added metric [x]_orders"
    assert "[x]_orders" in cli("metrics", "list").stdout
    row = {"entity": "Lab [/] Motors", "unit": "vehicles", "source_url": "https://example.com/[lab]",
           "published": "2025-11-01", "note": "[/] a note"}
    months = [{**row, "metric": "deliveries", "period_start": f"2025-{m:02d}-01",
               "period_end": f"2025-{m:02d}-{[31, 28, 31, 30, 31, 30, 31, 31, 30, 31][m - 1]}", "value": "700"}
              for m in range(1, 11)]
    rows = months + [
        {**row, "metric": "deliveries", "period_start": "2024-07-01", "period_end": "2024-09-30", "value": "1000"},
        {**row, "metric": "delivery_target", "period_start": "2025-01-01", "period_end": "2025-12-31", "value": "9000"},
        {**row, "metric": "market_share", "period_start": "2025-01-01", "period_end": "2025-12-31", "value": "1.5",
         "unit": "percent", "market": "China [NEV] market"},
    ]
    assert cli("facts", "import", str(write_facts(rows))).exit_code == 0
    outputs = {
        "value": cli("value", "[lab]", "deliveries", "2025-Q3"),
        "growth": cli("growth", "[lab]", "deliveries", "2025-Q3"),
        "pace": cli("pace", "[lab]", "--year", "2025", "--as-of", "2025-11-25"),
        "share": cli("share", "[lab]", "2025"),
        "fleet": cli("fleet", "[lab]", "--on", "2025-10-31", "--as-of", "2025-11-25"),
    }
    for name, result in outputs.items():
        assert result.exit_code == 0, (name, result.stderr)
        assert result.stdout.startswith("Lab [/] Motors "), (name, result.stdout)
    assert "2,100 vs Q3 2024: 1,000 → +110.0%" in outputs["growth"].stdout
    assert "share of China [NEV] market" in outputs["share"].stdout
    assert "https://example.com/[lab]" in outputs["value"].stdout


# -- analytics commands ---------------------------------------------------------------------------------------


def test_value_json_and_text(cli: Cli) -> None:
    q3 = cli("value", "Xiaomi", "deliveries", "2025-Q3", "--json")
    assert q3.exit_code == 0
    assert (q3.json()["value"], q3.json()["method"]) == (108_796, "direct")
    ytd = cli("value", "Xiaomi", "deliveries", "2025-01..2025-10")
    assert ytd.exit_code == 0
    assert "January–October 2025: over 305,967 (rollup" in ytd.stdout
    assert "2025-10: over 40,000" in ytd.stdout  # each fact used, with its source
    sales = cli("value", "Xiaomi Auto", "retail sales", "2025-01..2025-10", "--json").json()
    assert (sales["value"], sales["metric"]) == (315_376, "sales")


def test_growth_json(cli: Cli) -> None:
    g = cli("growth", "Xiaomi", "deliveries", "2025-Q3", "--vs", "yoy", "--json").json()
    assert g["text"] == "+173.4%" and g["base"]["value"] == 39_790
    assert g["change_pct"] == pytest.approx(173.425, abs=1e-3)
    text = cli("growth", "Xiaomi", "deliveries", "2025-Q3")
    assert "108,796 vs Q3 2024: 39,790 → +173.4%" in text.stdout


@pytest.mark.parametrize(
    ("as_of", "target", "revisions"),
    [("2025-11-25", 400_000, [300_000, 350_000, 400_000]), ("2025-06-01", 350_000, [300_000, 350_000])],
)
def test_pace_json(cli: Cli, as_of: str, target: float, revisions: list[float]) -> None:
    p = cli("pace", "Xiaomi", "--year", "2025", "--as-of", as_of, "--json").json()
    assert p["target"]["value"] == target
    assert [r["value"] for r in p["revisions"]] == revisions
    assert p["as_of"] == as_of


def test_pace_text_shows_the_revisions(cli: Cli) -> None:
    out = cli("pace", "Xiaomi", "--year", "2025", "--as-of", "2025-11-25").stdout
    assert "target as of 2025-11-25: at least 400,000" in out
    assert "300,000 (2025-01-03) → 350,000 (2025-03-18) → at least 400,000 (2025-11-20)" in out
    assert "delivered January–October 2025" in out and "over 305,967" in out


def test_conflicts(cli: Cli, write_facts: Callable[..., Path]) -> None:
    assert cli("conflicts", "--json").json() == []
    assert "no conflicts" in cli("conflicts").stdout
    rival = {**NEW_ROW, "period_start": "2025-07-01", "period_end": "2025-09-30", "value": "100000",
             "qualifier": "exact", "source_url": "https://example.com/[rival]", "published": "2025-11-01"}
    cli("facts", "import", str(write_facts([rival])))
    found = cli("conflicts", "--entity", "Xiaomi", "--json").json()
    assert [c["kind"] for c in found] == ["restatement"]
    text = cli("conflicts").stdout
    assert "restatement" in text and "https://example.com/[rival]" in text  # not eaten as markup


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["value", "Xiaomi", "deliveries", "2025-Q5"], "cannot read period"),
        (["value", "[draft] Xiaomi", "deliveries", "2025-Q3"], "unknown entity '[draft] Xiaomi'"),
        (["value", "Xiaomi", "happiness", "2025-Q3"], "unknown metric 'happiness'"),
        (["value", "Xiaomi", "deliveries", "2019"], "no deliveries for Xiaomi in 2019"),
        (["growth", "Xiaomi", "deliveries", "2025-Q3", "--vs", "mom"], "mom needs a month"),
        (["pace", "Xiaomi", "--as-of", "25/11/2025"], "--as-of: not a date"),
        (["pace", "Xiaomi", "--year", "2019", "--as-of", "2019-06-01"], "no 2019 delivery target"),
        (["value", "Xiaomi", "deliveries", "0000"], "year 0 is out of range"),
        (["value", "Xiaomi", "deliveries", "0000-01-01..2025-01"], "year 0 is out of range"),
        (["growth", "Xiaomi", "deliveries", "0001-Q1"], "year 0 is out of range"),
        (["pace", "Xiaomi", "--year", "99999"], "year 99999 is out of range"),
        (["pace", "Xiaomi", "--year", "0"], "year 0 is out of range"),
        (["fleet", "Xiaomi", "--on", "0001-01-15"], "year 1 is out of range (years 1900-2100)"),
    ],
)
def test_domain_errors_exit_2_with_one_line(cli: Cli, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    as_json = cli(*args, "--json")
    assert as_json.exit_code == 2 and message in as_json.json()["message"]


# -- every core example runs as written ---------------------------------------------------------------------------

CORE = {"value", "growth", "pace", "share", "fleet", "conflicts", "facts import", "facts list", "facts export",
        "entities list", "entities add", "entities import", "metrics list", "metrics add"}


def core_commands() -> list[tuple[str, object]]:
    out = []

    def walk(cmd: Any, path: list[str]) -> None:
        if hasattr(cmd, "list_commands"):  # click's group API: the root loads its commands when asked
            ctx = click.Context(cmd)
            for name in cmd.list_commands(ctx):
                walk(cmd.get_command(ctx, name), path + [name])
        elif " ".join(path) in CORE:
            out.append((" ".join(path), cmd))

    walk(typer.main.get_command(app), [])
    return out


@pytest.mark.parametrize(("name", "command"), core_commands(), ids=[n for n, _ in core_commands()])
def test_the_help_example_runs(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, command: object) -> None:
    help_text = getattr(command, "help", "") or ""
    m = re.search(r"Example:\s*redline (.+)", help_text)
    assert m, f"{name}: no example"
    monkeypatch.chdir(tmp_path)  # examples may write files (an export) or read them (an import)
    with open("new_figures.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=FACT_COLUMNS)
        writer.writeheader()
        writer.writerow({c: NEW_ROW.get(c, "") for c in FACT_COLUMNS})
    Path("my_entities.csv").write_text("name,kind,parent,aliases,note\nZeekr,company,,Zeekr Auto,\n", encoding="utf-8")
    result = cli(*shlex.split(m[1]))
    assert result.exit_code == 0, result.stderr
    if "--json" in m[1]:
        json.loads(result.stdout)


# -- demo ---------------------------------------------------------------------------------------------------


def test_demo_prints_the_entity_as_given_not_as_markup(cli: Cli, tmp_path: Path) -> None:
    cli("entities", "add", "Xiaomi", "--replace", "--kind", "company", "--parent", "Xiaomi Group", "--alias", "a[/]b")
    result = cli("demo", "--entity", "a[/]b", "--out", str(tmp_path / "brief"))
    assert result.exit_code == 0, result.stderr
    assert "a[/]b deliveries, 2025" in result.stdout
    assert "Q3 2025: 108,796 (+173.4% YoY)" in result.stdout


def test_demo_refuses_a_date_that_does_not_exist(cli: Cli, tmp_path: Path) -> None:
    result = cli("demo", "--as-of", "2025-11-31", "--out", str(tmp_path / "brief"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --as-of: not a date (YYYY-MM-DD): '2025-11-31'")
    assert not (tmp_path / "brief").exists()


def test_demo_of_an_entity_with_sales_and_no_target_carries_on(cli: Cli, tmp_path: Path) -> None:
    from redline import analytics
    from redline.periods import Period

    text = cli("demo", "--entity", "Tesla China", "--out", str(tmp_path / "text"))
    assert text.exit_code == 0, text.stderr
    assert "Tesla China sales, 2025" in text.stdout
    assert "no 2025 delivery target on record for Tesla China" in text.stdout
    assert "Q3 2025: 169,294 (-6.9% YoY)" in text.stdout
    data = cli("demo", "--entity", "Tesla China", "--out", str(tmp_path / "json"), "--json").json()
    assert (data["entity"], data["metric"], data["pace"]) == ("Tesla China", "sales", None)
    with Store(cli.db, read_only=True) as store:
        for q in data["quarters"]:
            g = analytics.growth(store, "Tesla China", "sales", Period.parse(q["period"]), as_of=date(2025, 11, 25))
            assert q["sales"]["value"] == g.current.value and q["yoy_pct"] == g.change_pct.to_list()
    assert [q["period"] for q in data["quarters"]] == ["2025-Q1", "2025-Q2", "2025-Q3"]
    assert any(f.endswith("tesla-china.md") for f in data["brief"]["files"])


# -- start-up: commands load lazily ------------------------------------------------------------------------


def test_every_declared_command_is_registered_by_its_module() -> None:
    from redline.cli import COMMANDS

    group = typer.main.get_command(app)
    ctx = click.Context(group)
    assert group.list_commands(ctx) == list(COMMANDS)
    assert all(group.get_command(ctx, name) is not None for name in COMMANDS)


def test_a_store_command_and_import_redline_do_not_load_the_auditor(tmp_path: Path) -> None:
    import subprocess
    import sys

    probe = ("import sys; from redline.cli import main; sys.argv = ['redline', 'value', 'Xiaomi', 'deliveries', '2025-Q3']\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith(('redline.claims', 'redline.web', 'redline.brief'))))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={"REDLINE_DB": str(tmp_path / "s.duckdb"), "PATH": "/usr/bin:/bin"})
    assert "108,796" in done.stdout and done.stdout.strip().endswith("[]"), done.stdout + done.stderr
    light = subprocess.run([sys.executable, "-c", "import sys, redline; print(sorted(m for m in sys.modules "
                            "if m.startswith(('redline.', 'duckdb'))))"], capture_output=True, text=True, timeout=60)
    assert light.stdout.strip() == "['redline.errors']", light.stdout + light.stderr


# -- one date grammar, and retractions ---------------------------------------------------------


@pytest.mark.parametrize("text", ["20251125", "2025-W48-2", "0000-01-01", "2025-11-25T10:00", "2025-02-30"])
def test_dates_have_one_grammar_in_years_1900_to_2100(cli: Cli, text: str) -> None:
    r = cli("facts", "list", "--as-of", text)
    assert r.exit_code == 2, r.stdout
    assert "--as-of" in r.stderr and repr(text) in r.stderr and "Traceback" not in r.stderr


def test_facts_retract_withdraws_a_fact_from_every_listing(cli: Cli) -> None:
    january = ("facts", "list", "--entity", "Xiaomi", "--metric", "deliveries", "--period", "2025-01", "--json")
    [fact] = [f for f in cli(*january).json() if f["period_end"] == "2025-01-31"]
    r = cli("facts", "retract", str(fact["id"]), "--reason", "the source corrected it", "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["reason"] == "the source corrected it"
    assert fact["id"] not in {f["id"] for f in cli(*january).json()}
    again = cli("facts", "retract", str(fact["id"]), "--reason", "again")
    assert again.exit_code == 2 and "retracted already" in again.stderr


# -- one error path: what used to end in a traceback -------------------------------------------


def test_an_empty_db_path_is_refused_not_a_silent_memory_store(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(",".join(NEW_ROW) + "\n" + ",".join(NEW_ROW.values()) + "\n")
    r = cli("facts", "import", str(path), "--db", "")
    assert r.exit_code == 2
    assert r.stderr.startswith("error: the store path is empty")


@pytest.mark.parametrize(
    ("var", "value", "words"),
    [("REDLINE_LOCK_TIMEOUT", "abc", "not a number"), ("REDLINE_LOCK_TIMEOUT", "-1", "0 or more"),
     ("REDLINE_ABOUT_TOLERANCE", "x", "not a number"), ("REDLINE_ABOUT_TOLERANCE", "5", "fraction"),
     ("REDLINE_MAX_UPLOAD_BYTES", "2MB", "not a number")],
)
def test_a_bad_setting_is_one_line_naming_the_variable(store_file: Path, var: str, value: str, words: str) -> None:
    redline = [sys.executable, "-c", "import sys; from redline.cli import main; sys.argv[0] = 'redline'; main()"]
    r = subprocess.run(redline + ["metrics", "list"], capture_output=True, text=True, timeout=120,
                       env={**{k: v for k, v in os.environ.items() if not k.startswith("REDLINE_")}, "REDLINE_DB": str(store_file), var: value})
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith(f"error: {var}={value!r}: ") and words in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_serve_refuses_a_port_out_of_range(cli: Cli) -> None:
    r = cli("serve", "--port", "99999")
    assert r.exit_code == 2 and "65535" in r.stderr


@pytest.mark.parametrize("size", [0, 5000])
def test_an_empty_or_truncated_store_file_is_one_line(cli: Cli, store_file: Path, tmp_path: Path, size: int) -> None:
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(store_file.read_bytes()[:size])
    r = cli("facts", "list", "--db", str(broken))
    assert r.exit_code == 2
    assert r.stderr.startswith(f"error: {broken}: cannot open the store: ") and "Traceback" not in r.stderr


def test_a_csv_with_carriage_return_line_ends_is_refused_with_the_fix(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_text(",".join(NEW_ROW) + "\r" + ",".join(NEW_ROW.values()) + "\r")
    r = cli("facts", "import", str(path))
    assert r.exit_code == 2
    assert "carriage return only" in r.stderr and "LF or CRLF" in r.stderr


def test_an_interrupt_is_one_line_and_exit_130(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f.csv"
    path.write_text(",".join(NEW_ROW) + "\n" + ",".join(NEW_ROW.values()) + "\n")
    before = count(cli.db)

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("redline.store.insert_staged", interrupted)
    r = cli("facts", "import", str(path))
    assert r.exit_code == 130
    assert r.stderr.strip() == "interrupted; nothing was half-written"
    assert count(cli.db) == before


def test_a_brief_that_cannot_be_written_leaves_no_file(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "briefs"
    out.mkdir()

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("redline.outputs.os.fsync", disk_full)
    r = cli("brief", "Xiaomi", "--as-of", "2025-11-25", "--no-charts", "--out", str(out))
    assert r.exit_code == 2
    assert r.stderr.startswith("error: cannot write ") and "No space left on device" in r.stderr
    assert list(out.iterdir()) == []


def test_a_failed_commit_reports_its_own_error_not_the_rollback(store_file: Path) -> None:
    store = Store(store_file)

    class FullDisk:
        """The store's connection, with COMMIT failing as on a full disk (which ends the transaction)."""

        def __init__(self, con: Any) -> None:
            self.con = con

        def execute(self, sql: str, *args: Any) -> Any:
            if sql == "COMMIT":
                self.con.execute("ROLLBACK")
                raise duckdb.IOException("Could not write file: No space left on device")
            return self.con.execute(sql, *args)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.con, name)

    store.con = FullDisk(store.con)  # type: ignore[assignment]
    with pytest.raises(duckdb.IOException, match="No space left"):
        store.retract(1, reason="x")
    store.con = store.con.con
    assert store.retractions([1]) == {}
    store.close()


def test_a_url_with_a_backslash_host_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    row = {**NEW_ROW, "source_url": "https://\\\\evil.com/x"}
    path.write_text(",".join(row) + "\n" + ",".join(row.values()) + "\n")
    r = cli("facts", "import", str(path))
    assert r.exit_code == 2 and "is not a web address" in r.stderr


# -- a newcomer's stumbles -----------------------------------------------------------------------


def test_redline_settings_lists_every_setting_and_hides_the_token(cli: Cli) -> None:
    from redline import settings

    r = cli("settings", "--json", env={"REDLINE_WRITE_TOKEN": "s3cret-value", "REDLINE_LOCK_TIMEOUT": "3"})
    assert r.exit_code == 0, r.stderr
    rows = {row["env_var"]: row for row in r.json()}
    assert set(rows) == {s.env_var for s in settings.SETTINGS}
    assert rows["REDLINE_LOCK_TIMEOUT"]["value"] == 3.0 and rows["REDLINE_LOCK_TIMEOUT"]["from_environment"]
    assert "s3cret-value" not in r.stdout and rows["REDLINE_WRITE_TOKEN"]["value"] == "(set)"


def test_facts_list_fits_80_columns(cli: Cli) -> None:
    r = cli("facts", "list", "--entity", "Xiaomi", "--limit", "20", env={"COLUMNS": "80"})
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    ids = [f["id"] for f in cli("facts", "list", "--entity", "Xiaomi", "--limit", "20", "--json").json()]
    assert all(any(line.startswith(f"│ {i} ") for line in lines) for i in ids)


def test_audit_text_shows_verdicts_not_the_whole_article(cli: Cli, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    filler = "The weather in Beijing was mild that week."
    article.write_text(f"{filler} Xiaomi delivered 108,796 cars in Q3 2025.")
    plain = cli("audit", str(article), "--date", "2025-11-25")
    assert "supported" in plain.stdout and filler not in plain.stdout
    shown = cli("audit", str(article), "--date", "2025-11-25", "--show-text")
    assert filler in shown.stdout
