"""The bad-input corpus (tests/bad_input/, expectations in expected.json) run through every door:
CLI import, web import (POST /api/facts), CLI audit and extract, and the web audit (an upload).

Each file must be refused with its expected message: one line and exit 2 on the CLI, the documented
JSON error body (or the form's error) on the web, and the store left unchanged.
"""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from redline.store import Store
from redline.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

HERE = Path(__file__).resolve().parent / "bad_input"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
TOKEN = "bad-input-token"
Cli = Any


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [Path(c["file"]).name for c in cases]


def count(db: Path) -> int:
    with Store(db, read_only=True) as store:
        return store.count_facts()


@pytest.fixture
def client(store_file: Path) -> TestClient:
    return TestClient(create_app(store_file, write_token=TOKEN))


@pytest.mark.parametrize("case", EXPECTED["facts"], ids=_ids(EXPECTED["facts"]))
def test_cli_import_refuses(cli: Cli, case: dict[str, Any]) -> None:
    before = count(cli.db)
    r = cli("facts", "import", str(HERE / case["file"]))
    assert r.exit_code == case["exit"], r.stdout + r.stderr
    assert r.stderr.lstrip().startswith("error: ") and case["message"] in r.stderr
    assert "Traceback" not in r.stderr
    assert count(cli.db) == before


def _rows(path: Path) -> Any:
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(fh)]


@pytest.mark.parametrize("case", [c for c in EXPECTED["facts"] if c["web"]],
                         ids=_ids([c for c in EXPECTED["facts"] if c["web"]]))
def test_web_import_refuses(client: TestClient, store_file: Path, case: dict[str, Any]) -> None:
    path = HERE / case["file"]
    before = count(store_file)
    body = path.read_text(encoding="utf-8") if case["web"] == "bad_format" else json.dumps(_rows(path))
    r = client.post("/api/facts", content=body,
                    headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    answer = r.json()
    assert set(answer) >= {"error", "message", "issues"}
    reasons = {i["reason"] for i in answer["issues"]}
    if case["web"] != "bad_format":  # a file read whole is refused as a file; JSON rows by their fields
        assert case["web"] in reasons, answer
        assert any(case["message"].replace("line 2", "record 1") in i["message"] for i in answer["issues"]), answer
    assert count(store_file) == before


@pytest.mark.parametrize("command", ["audit", "extract"])
@pytest.mark.parametrize("case", EXPECTED["articles"], ids=_ids(EXPECTED["articles"]))
def test_cli_audit_and_extract_refuse(cli: Cli, case: dict[str, Any], command: str) -> None:
    r = cli(command, str(HERE / case["file"]), "--date", "2025-11-25")
    assert r.exit_code == case["exit"]
    assert r.stderr.startswith("error: ") and case["message"] in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("case", EXPECTED["articles"], ids=_ids(EXPECTED["articles"]))
def test_web_audit_refuses_the_upload(client: TestClient, case: dict[str, Any]) -> None:
    path = HERE / case["file"]
    r = client.post("/audit", files={"file": (path.name, path.read_bytes(), "text/plain")},
                    data={"date": "2025-11-25"}, headers={"Accept": "text/html"})
    assert r.status_code == case["web"], r.text[:300]
    assert "Internal error" not in r.text
    if r.status_code == 400:  # read as a file: the same message as the CLI's
        assert case["message"] in r.text
