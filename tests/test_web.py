"""The web app in-process (FastAPI's TestClient): pages, the JSON API, errors, writes and the guards."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import time
import warnings
from pathlib import Path

import duckdb
import pytest

from redline.claims.budget import Budget
from redline.store import Store
from redline.web import create_app

with warnings.catch_warnings():
    # starlette asks for httpx2 instead of httpx; the dev dependencies still pin httpx.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "xiaomi-ev-growth-vs-safety.txt"
TOKEN = "test-token-3f9a"
FACT = {
    "entity": "Xiaomi", "metric": "deliveries", "period_start": "2026-02-01", "period_end": "2026-02-28",
    "value": 40123, "unit": "vehicles", "qualifier": "exact",
    "source_url": "https://example.com/xiaomi-february", "published": "2026-03-02",
}


@pytest.fixture(scope="session")
def pack_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the bundled pack, created once; tests work on copies."""
    path = tmp_path_factory.mktemp("pack") / "pack.duckdb"
    Store(path).close()
    return path


@pytest.fixture
def db(pack_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "web.duckdb"
    shutil.copy(pack_db, path)
    return path


@pytest.fixture
def client(db: Path) -> TestClient:
    return TestClient(create_app(db, write_token=TOKEN))


@pytest.fixture
def ro_client(db: Path) -> TestClient:
    return TestClient(create_app(db, write_token=""))


def count_facts(db: Path) -> int:
    with Store(db, read_only=True) as store:
        return store.count_facts()


def assert_error_shape(body: dict, code: str) -> None:
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and body["message"]


# -- pages -------------------------------------------------------------------------


def test_home_lists_entities_with_latest_figures_and_trend(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert 'href="/entity/Xiaomi"' in r.text
    assert r.text.count('<svg class="spark"') >= 3
    assert "<polyline points=" in r.text


def test_home_as_of_hides_later_figures(client: TestClient) -> None:
    early = client.get("/?as_of=2024-06-30").text
    late = client.get("/").text
    assert late.count("<tr>") > early.count("<tr>")


def test_facts_page_filters_and_shows_source_and_versions(client: TestClient) -> None:
    r = client.get("/facts", params={"entity": "Xiaomi", "metric": "delivery_target", "period": "2025"})
    assert r.status_code == 200
    assert "delivery_target" in r.text and "Tesla" not in r.text.split("<tbody>")[1]
    assert '<a class="source" href="https://' in r.text
    assert re.search(r'<a href="/facts/\d+">3 versions</a>', r.text), "the 2025 target has three versions"


def test_fact_page_lists_every_version(client: TestClient) -> None:
    rows = client.get("/api/facts", params={"entity": "Xiaomi", "metric": "delivery_target", "period": "2025"}).json()
    target = next(f for f in rows if f["period_start"] == "2025-01-01" and f["period_end"] == "2025-12-31")
    page = client.get(f"/facts/{target['id']}")
    assert page.status_code == 200
    versions = page.text.split('id="versions"')[1]
    for value in ("300,000", "350,000", "400,000"):
        assert value in versions


def test_facts_download_csv_and_json(client: TestClient) -> None:
    page = client.get("/facts?entity=Xiaomi&metric=deliveries").text
    csv_url = re.search(r'href="([^"]+)" id="download-csv"', page)[1].replace("&amp;", "&")
    r = client.get(csv_url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and {row["entity"] for row in rows} == {"Xiaomi"} and {row["metric"] for row in rows} == {"deliveries"}
    assert {"source_url", "versions", "known_from"} <= set(rows[0])
    j = client.get("/api/facts", params={"entity": "Xiaomi", "metric": "deliveries", "download": "true"})
    assert j.headers["content-disposition"].startswith("attachment")
    assert len(j.json()) == len(rows)


def test_facts_page_reports_a_bad_period_in_place(client: TestClient) -> None:
    r = client.get("/facts", params={"period": "Q9"})
    assert r.status_code == 422
    assert 'id="error-message"' in r.text


def test_api_reference_page_is_local(client: TestClient) -> None:
    r = client.get("/api")
    assert r.status_code == 200
    for path in ("/api/audit", "/api/extract", "/api/facts", "/api/value", "/api/growth", "/api/pace", "/api/brief"):
        assert f"<code>{path}</code>" in r.text
    assert "ErrorBody" in client.get("/api/openapi.json").text
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


@pytest.mark.parametrize("path", ["/", "/audit", "/facts", "/facts/new", "/api"])
def test_pages_load_nothing_from_other_origins(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert not re.search(r'(src|href)="(https?:)?//', r.text.split("<main")[0]), "no external script or stylesheet"
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_static_assets_are_served_locally(client: TestClient) -> None:
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/redline.js").status_code == 200


# -- the JSON API --------------------------------------------------------------------


def test_api_value_growth_pace_mirror_the_library(client: TestClient) -> None:
    v = client.get("/api/value", params={"entity": "Xiaomi", "metric": "deliveries", "period": "2025-Q3"}).json()
    assert v["value"] == 108796 and v["facts"][0]["source_url"].startswith("http")
    g = client.get("/api/growth", params={"entity": "Xiaomi", "metric": "deliveries", "period": "2025-Q3"}).json()
    assert round(g["change_pct"], 1) == 173.4
    p = client.get("/api/pace", params={"entity": "Xiaomi", "year": 2025, "as_of": "2025-11-25"}).json()
    assert p["target"]["value"] == 400000 and len(p["revisions"]) == 3
    early = client.get("/api/pace", params={"entity": "Xiaomi", "year": 2025, "as_of": "2025-06-01"}).json()
    assert early["target"]["value"] == 350000


def test_api_facts_filters(client: TestClient) -> None:
    rows = client.get("/api/facts", params={"entity": "Xiaomi Auto", "metric": "delivery_target",
                                            "all_versions": "true"}).json()
    assert rows and all(f["entity"] == "Xiaomi" and f["metric"] == "delivery_target" for f in rows)
    one = client.get(f"/api/facts/{rows[0]['id']}").json()
    assert one["fact"]["id"] == rows[0]["id"] and one["versions"]


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/value?entity=Nobody&metric=deliveries&period=2025-Q3", 404, "not_found"),
        ("/api/value?entity=Xiaomi&metric=deliveries&period=Q9-2025", 422, "bad_input"),
        ("/api/value?entity=Xiaomi&metric=deliveries", 422, "bad_input"),
        ("/api/pace?entity=Xiaomi&as_of=yesterday", 422, "bad_input"),
        ("/api/growth?entity=Xiaomi&metric=deliveries&period=2025-Q3&vs=weekly", 422, "bad_input"),
        ("/api/facts/999999", 404, "not_found"),
        ("/api/no-such-endpoint", 404, "not_found"),
    ],
)
def test_api_errors_have_one_shape(client: TestClient, url: str, status: int, code: str) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/json"
    assert_error_shape(r.json(), code)


def test_validation_errors_list_each_field(client: TestClient) -> None:
    body = client.get("/api/value?entity=Xiaomi").json()
    assert_error_shape(body, "bad_input")
    assert {i["field"] for i in body["issues"]} == {"metric", "period"}
    assert all(i["reason"] == "missing_value" for i in body["issues"])


def test_method_not_allowed_has_the_shape(client: TestClient) -> None:
    r = client.delete("/api/facts")
    assert r.status_code == 405
    assert_error_shape(r.json(), "not_allowed")


def test_openapi_documents_the_error_shape(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert set(spec["components"]["schemas"]["ErrorBody"]["required"]) == {"error", "message"}
    post = spec["paths"]["/api/facts"]["post"]
    assert post["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert "FactIn" in json.dumps(post["requestBody"])


# -- writes: the token ------------------------------------------------------------------


def test_post_fact_with_token_adds_it(client: TestClient, db: Path) -> None:
    before = count_facts(db)
    r = client.post("/api/facts", json=FACT, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    assert r.json() == {"source": "web", "rows": 1, "added": 1, "duplicates": 0}
    assert count_facts(db) == before + 1
    again = client.post("/api/facts", json=FACT, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.status_code == 200 and again.json()["duplicates"] == 1 and count_facts(db) == before + 1
    v = client.get("/api/value", params={"entity": "Xiaomi", "metric": "deliveries", "period": "2026-02"}).json()
    assert v["value"] == 40123


def test_post_facts_takes_a_list(client: TestClient, db: Path) -> None:
    second = {**FACT, "entity": "NIO", "value": 36000}
    r = client.post("/api/facts", json=[FACT, second], headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201 and r.json()["added"] == 2


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Basic {TOKEN}"}, {"Authorization": "Bearer"}],
    ids=["none", "wrong", "not-bearer", "empty"],
)
def test_writes_without_the_token_get_401_and_change_nothing(client: TestClient, db: Path, headers: dict) -> None:
    before = count_facts(db)
    r = client.post("/api/facts", json=FACT, headers=headers)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert_error_shape(r.json(), "unauthorized")
    assert count_facts(db) == before


def test_token_is_checked_before_the_body_is_read(client: TestClient, db: Path) -> None:
    r = client.post("/api/facts", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 401


def test_app_without_a_token_is_read_only(ro_client: TestClient, db: Path) -> None:
    before = count_facts(db)
    for headers in ({}, {"Authorization": "Bearer anything"}):
        r = ro_client.post("/api/facts", json=FACT, headers=headers)
        assert r.status_code == 401
        assert_error_shape(r.json(), "read_only")
        assert "REDLINE_WRITE_TOKEN" in r.json()["message"]
    form = ro_client.post("/facts/new", data={**{k: str(v) for k, v in FACT.items()}, "token": "anything"})
    assert form.status_code == 401 and 'id="error-token"' in form.text
    assert count_facts(db) == before
    assert "read-only" in ro_client.get("/facts/new").text


def test_token_comes_from_the_environment(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDLINE_WRITE_TOKEN", "from-env")
    c = TestClient(create_app(db))
    assert c.post("/api/facts", json=FACT, headers={"Authorization": "Bearer from-env"}).status_code == 201
    monkeypatch.delenv("REDLINE_WRITE_TOKEN")
    assert c.post("/api/facts", json=FACT).status_code == 401


def test_bad_fact_fields_are_reported_one_by_one(client: TestClient, db: Path) -> None:
    before = count_facts(db)
    bad = {**FACT, "entity": "Nobody Motors", "value": "lots", "period_end": "2025-11-31", "qualifier": "roughly-ish"}
    r = client.post("/api/facts", json=bad, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422
    body = r.json()
    assert_error_shape(body, "import_refused")
    reasons = {(i["field"], i["reason"]) for i in body["issues"]}
    assert reasons == {("entity", "unknown_entity"), ("value", "not_a_number"), ("period_end", "bad_date"),
                       ("qualifier", "unknown_qualifier")}
    assert count_facts(db) == before


@pytest.mark.parametrize(
    ("payload", "field", "reason"),
    [
        ({**FACT, "vlaue": 1}, "vlaue", "unknown_field"),
        ({**FACT, "value": {"nested": 1}}, "value", "bad_format"),
        ([], "body", "bad_format"),
        ("just text", "body", "bad_format"),
    ],
)
def test_malformed_fact_bodies(client: TestClient, payload: object, field: str, reason: str) -> None:
    r = client.post("/api/facts", json=payload, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422
    body = r.json()
    assert_error_shape(body, "bad_input")
    assert any(i["field"].startswith(field) and i["reason"] == reason for i in body["issues"]), body


def test_missing_required_fields_are_named(client: TestClient) -> None:
    r = client.post("/api/facts", json={"entity": "Xiaomi"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422
    missing = {i["field"] for i in r.json()["issues"] if i["reason"] == "missing_value"}
    assert missing == {"metric", "period_start", "period_end", "value", "unit"}


# -- writes: the form -----------------------------------------------------------------------


def form_of(fact: dict, **changes: str) -> dict[str, str]:
    return {**{k: str(v) for k, v in fact.items()}, "token": TOKEN, **changes}


def test_add_fact_form_adds(client: TestClient, db: Path) -> None:
    before = count_facts(db)
    r = client.post("/facts/new", data=form_of(FACT))
    assert r.status_code == 201
    assert 'id="added"' in r.text and count_facts(db) == before + 1


def test_add_fact_form_shows_field_errors(client: TestClient, db: Path) -> None:
    before = count_facts(db)
    r = client.post("/facts/new", data=form_of(FACT, value="lots", period_start="2025-13-01"))
    assert r.status_code == 422
    assert 'id="error-value"' in r.text and "is not a number" in r.text
    assert 'id="error-period_start"' in r.text
    assert 'value="lots"' in r.text, "the form keeps what was typed"
    assert count_facts(db) == before


def test_add_fact_form_needs_the_token(client: TestClient, db: Path) -> None:
    before = count_facts(db)
    r = client.post("/facts/new", data=form_of(FACT, token="nope"))
    assert r.status_code == 401 and 'id="error-token"' in r.text
    assert count_facts(db) == before


# -- size limit -------------------------------------------------------------------------


@pytest.fixture
def small_client(db: Path) -> TestClient:
    return TestClient(create_app(db, write_token=TOKEN, max_upload_bytes=10_000))


def test_api_body_over_the_limit_gets_413(small_client: TestClient) -> None:
    r = small_client.post("/api/audit", json={"text": "x" * 20_000, "date": "2025-11-25"})
    assert r.status_code == 413
    assert_error_shape(r.json(), "too_large")
    assert "10,000 bytes" in r.json()["message"]


def test_upload_over_the_limit_gets_413(small_client: TestClient) -> None:
    r = small_client.post("/audit", files={"file": ("big.txt", b"Xiaomi " * 5000, "text/plain")},
                          data={"date": "2025-11-25"}, headers={"Accept": "text/html"})
    assert r.status_code == 413
    assert "too large" in r.text.lower()


def test_chunked_body_over_the_limit_gets_413(small_client: TestClient) -> None:
    def chunks():
        for _ in range(30):
            yield b"x" * 1000

    r = small_client.post("/api/audit", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_body_under_the_limit_passes(small_client: TestClient) -> None:
    r = small_client.post("/api/facts", json=FACT, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201


# -- hostile input ----------------------------------------------------------------------

HOSTILE = [
    "x' OR '1'='1",
    "Xiaomi'; DROP TABLE facts; --",
    'Robert"); DROP TABLE entities; --',
    "%' UNION SELECT name, name, name FROM entities --",
    "1; SELECT * FROM facts",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "Xiaomi\\' --",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_entity_names_are_data_not_sql(client: TestClient, db: Path, name: str) -> None:
    before = count_facts(db)
    for r in (
        client.get("/api/facts", params={"entity": name}),
        client.get("/api/value", params={"entity": name, "metric": "deliveries", "period": "2025-Q3"}),
        client.get("/api/pace", params={"entity": name}),
        client.get("/api/brief", params={"entity": name}),
    ):
        assert r.status_code == 404, (r.request.url, r.text)
        assert_error_shape(r.json(), "not_found")
    page = client.get("/facts", params={"entity": name})
    assert page.status_code == 404 and "<script>alert" not in page.text
    entity_page = client.get(f"/entity/{name}")
    assert entity_page.status_code == 404 and "<script>alert" not in entity_page.text
    r = client.post("/api/facts", json={**FACT, "entity": name}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422 and r.json()["issues"][0]["reason"] == "unknown_entity"
    assert count_facts(db) == before
    with Store(db, read_only=True) as store:
        assert "Xiaomi" in store.entities() and store.count_facts() == before


def test_hostile_metric_and_period_are_refused(client: TestClient) -> None:
    r = client.get("/api/facts", params={"metric": "deliveries' OR 1=1 --"})
    assert r.status_code == 404
    r = client.get("/api/facts", params={"period": "2025'; DROP TABLE facts; --"})
    assert r.status_code == 422


def test_web_layer_builds_no_sql() -> None:
    """The web package reaches the store only through Store's methods and the analytics functions."""
    for path in (ROOT / "redline" / "web").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert ".execute(" not in source and "import duckdb" not in source, path


def test_javascript_source_urls_are_refused_and_never_links(client: TestClient, db: Path) -> None:
    evil = {**FACT, "source_url": "javascript:alert(document.cookie)"}
    r = client.post("/api/facts", json=evil, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422 and {i["reason"] for i in r.json()["issues"]} == {"bad_url"}
    # a store written before URLs were checked may still hold one: it is shown as text, never a link
    assert client.post("/api/facts", json=FACT, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 201
    con = duckdb.connect(str(db))
    con.execute("UPDATE facts SET source_url = ? WHERE source_url = ?", [evil["source_url"], FACT["source_url"]])
    con.close()
    page = client.get("/facts", params={"entity": "Xiaomi", "period": "2026-02"}).text
    assert 'href="javascript:' not in page
    assert "javascript:alert(document.cookie)" in page  # shown as text


# -- the serve command ------------------------------------------------------------------------


def test_serve_binds_to_loopback_by_default(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from redline.cli import app as cli

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    result = CliRunner().invoke(cli, ["serve", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8000
    assert seen["app"].state.redline.access.path == str(db)
    help_text = CliRunner().invoke(cli, ["serve", "--help"]).output
    assert "127.0.0.1" in help_text and "Example:" in help_text


# -- the audit, extraction and the brief (the real library) ------------------------------------


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED.exists():
        pytest.skip(f"the seed article {SEED} is not beside the repository")
    return SEED.read_text(encoding="utf-8")


def claim_with(claims: list[dict], text: str) -> dict:
    return next(c for c in claims if text in c["text"])


def test_api_audit_of_the_seed(client: TestClient, seed: str) -> None:
    r = client.post("/api/audit", json={"text": seed, "date": "2025-11-25"})
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["document_date"] == "2025-11-25"
    assert report["summary"]["claims"] == len(report["claims"]) >= 8
    assert claim_with(report["claims"], "108,796")["verdict"] == "supported"
    assert claim_with(report["claims"], "almost 15%")["verdict"] == "misleading"
    for c in report["claims"]:
        assert c["verdict"] in ("supported", "contradicted", "misleading", "unverifiable")
        assert c["explanation"] and isinstance(c["reasons"], list) and isinstance(c["evidence"], list)


def test_api_audit_is_the_library_audit(client: TestClient, db: Path, seed: str) -> None:
    import jsonschema

    from redline.claims.audit import audit, audit_snapshot

    with Store(db, read_only=True) as store:
        expected = audit(seed, date="2025-11-25", snapshot=audit_snapshot(store)).to_dict()
    got = client.post("/api/audit", json={"text": seed, "date": "2025-11-25"}).json()
    assert got == json.loads(json.dumps(expected))
    schema = json.loads((ROOT / "redline" / "schemas" / "audit.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(got, schema)


def test_api_audit_validates_its_body(client: TestClient) -> None:
    for body in ({}, {"text": ""}, {"text": "x", "date": "25/11/2025"}, {"text": "x", "colour": "red"}):
        r = client.post("/api/audit", json=body)
        assert r.status_code == 422, body
        assert_error_shape(r.json(), "bad_input")
        assert r.json()["issues"]


def test_api_extract(client: TestClient) -> None:
    r = client.post("/api/extract", json={"text": "Xiaomi delivered 108,796 vehicles in Q3 2025.", "date": "2025-11-25"})
    assert r.status_code == 200, r.text
    assert r.json()["document_date"] == "2025-11-25"
    claims = r.json()["claims"]
    assert len(claims) == 1
    c = claims[0]
    assert (c["entity"], c["metric"], c["value"], c["period"]) == (
        "Xiaomi", "deliveries", 108796, {"start": "2025-07-01", "end": "2025-09-30"})
    text = "Xiaomi delivered 108,796 vehicles in Q3 2025."
    assert text[c["start"]:c["end"]] == c["text"]


def test_api_extract_is_the_cli_extract(client: TestClient, db: Path, tmp_path: Path, seed: str) -> None:
    import jsonschema
    from typer.testing import CliRunner

    from redline.cli import app as cli

    article = tmp_path / "seed.txt"
    article.write_text(seed, encoding="utf-8")
    out = CliRunner().invoke(cli, ["extract", str(article), "--date", "2025-11-25", "--db", str(db), "--json"])
    assert out.exit_code == 0, out.output
    expected = json.loads(out.stdout)
    got = client.post("/api/extract", json={"text": seed, "date": "2025-11-25"}).json()
    assert got["claims"] == expected["claims"] and got["document_date"] == expected["document_date"]
    schema_path = ROOT / "redline" / "schemas" / "extraction.schema.json"
    if schema_path.exists():
        jsonschema.validate(got, json.loads(schema_path.read_text(encoding="utf-8")))


def test_audit_page_redlines_the_article(client: TestClient, seed: str) -> None:
    r = client.post("/audit", data={"text": seed, "date": "2025-11-25"})
    assert r.status_code == 200
    marks = re.findall(r'<mark class="claim v-(\w+)" id="claim-([\w-]+)" data-verdict="(\w+)"', r.text)
    assert len(marks) >= 8 and all(a == b for a, _, b in marks)
    for _, claim_id, _ in marks:
        assert f'id="note-{claim_id}"' in r.text, "each claim has its note"
    assert r.text.index('class="summary"') < r.text.index("<article>"), "the summary is at the top"
    assert 'href="https://' in r.text.split('<ol class="notes">')[1], "notes link to their sources"
    assert 'name="download" value="html"' in r.text


def test_audit_page_needs_a_text(client: TestClient) -> None:
    r = client.post("/audit", data={"text": "  ", "date": "2025-11-25"})
    assert r.status_code == 422
    assert 'id="error-text"' in r.text


def test_audit_page_reports_a_bad_date_by_field(client: TestClient) -> None:
    r = client.post("/audit", data={"text": "Xiaomi delivered 108,796 vehicles in Q3 2025.", "date": "soon"})
    assert r.status_code == 422 and 'id="error-date"' in r.text


def test_audit_page_downloads_only_when_asked(client: TestClient) -> None:
    text = "Xiaomi delivered 108,796 vehicles in Q3 2025."
    html = client.post("/audit", data={"text": text, "date": "2025-11-25", "download": "html"})
    assert html.headers["content-disposition"].startswith("attachment")
    assert html.text.startswith("<!doctype html>") and 'data-verdict="supported"' in html.text
    js = client.post("/audit", data={"text": text, "date": "2025-11-25", "download": "json"})
    assert js.headers["content-disposition"].startswith("attachment")
    assert js.json()["summary"]["supported"] == 1


ARTICLE_HTML = b"""<!doctype html><html><head><title>Xiaomi's quarter</title>
<meta property="article:published_time" content="2025-11-20"></head>
<body><nav>Home | World | Cars</nav><article><h1>Xiaomi's quarter</h1>
<p>Xiaomi delivered 108,796 vehicles in the third quarter of 2025, the company said on Tuesday in its results.</p>
<p>The carmaker has raised its 2025 delivery target to 400,000 vehicles, up from 350,000 earlier in the year.</p>
</article></body></html>"""


@pytest.mark.parametrize(("name", "data"), [
    ("article.txt", b"Xiaomi delivered 108,796 vehicles in the third quarter of 2025."),
    ("article.html", ARTICLE_HTML),
])
def test_audit_page_takes_an_upload(client: TestClient, name: str, data: bytes) -> None:
    r = client.post("/audit", data={"date": "2025-11-25"}, files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 200, r.text
    assert re.search(r'<mark class="claim v-supported"[^>]*>108,796', r.text)
    assert "<nav>" not in r.text.split('id="redlined"')[1]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("article.pdf", b"%PDF-1.4", "upload a .txt or .html file"),
    ("article.txt", b"   ", "empty"),
])
def test_audit_page_refuses_bad_uploads(client: TestClient, name: str, data: bytes, message: str) -> None:
    r = client.post("/audit", data={"date": "2025-11-25"}, files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 422
    assert 'id="error-file"' in r.text and message in r.text


HOSTILE_ARTICLE = ('<script>alert("x")</script><img src=x onerror="alert(1)"> <a href="javascript:alert(2)">link</a> '
                   'Xiaomi delivered 108,796 vehicles in Q3 2025. <b class="evil" style="color:red">bold</b>')


def test_markup_in_an_article_is_shown_as_text(client: TestClient) -> None:
    r = client.post("/audit", data={"text": HOSTILE_ARTICLE, "date": "2025-11-25"})
    assert r.status_code == 200
    body = r.text.split('id="redlined"')[1]
    assert "<script>alert" not in body and "<img" not in body and 'href="javascript:' not in body
    assert "<b " not in body and 'class="evil"' not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body or "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "onerror=" in body  # as text, escaped
    assert re.search(r'<mark class="claim v-supported"[^>]*>108,796', body)


def test_markup_in_an_article_stays_text_in_the_api(client: TestClient) -> None:
    report = client.post("/api/audit", json={"text": HOSTILE_ARTICLE, "date": "2025-11-25"}).json()
    claim = claim_with(report["claims"], "108,796")
    assert HOSTILE_ARTICLE[claim["start"]:claim["end"]] == claim["text"], "offsets are into the text as sent"


def test_api_audit_reads_html_when_asked(client: TestClient) -> None:
    r = client.post("/api/audit", json={"text": ARTICLE_HTML.decode(), "format": "html"})
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["title"] == "Xiaomi's quarter"
    assert claim_with(report["claims"], "108,796")["verdict"] == "supported"


def test_entity_page_shows_the_brief_with_its_charts(client: TestClient) -> None:
    r = client.get("/entity/Xiaomi Auto", params={"as_of": "2025-11-25"})
    assert r.status_code == 200, r.text
    brief = r.text.split('id="brief"')[1]
    assert brief.count("<figure") >= 1 and "<svg" in brief
    assert 'href="#note-1"' in brief and 'id="note-1"' in brief, "figures link to their notes"
    assert "<style" not in brief, "the brief's page-wide styles stay out of this page"


def test_entity_page_of_an_unknown_entity_is_404(client: TestClient) -> None:
    r = client.get("/entity/Nobody Motors")
    assert r.status_code == 404 and "Nobody Motors" in r.text


def test_api_brief(client: TestClient) -> None:
    r = client.get("/api/brief", params={"entity": "Xiaomi", "as_of": "2025-11-25", "peers": ["NIO"]})
    assert r.status_code == 200, r.text
    b = r.json()
    assert b["entity"] == "Xiaomi" and b["as_of"] == "2025-11-25" and b["peers"] == ["NIO"]
    assert b["markdown"].startswith("# Xiaomi") and "<svg" in b["html"]


def test_serve_with_workers_hands_the_store_to_each_worker(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    import uvicorn
    from typer.testing import CliRunner

    import redline.web.workers as workers
    from redline.cli import app as cli

    seen: dict = {}
    # each worker gets its own SO_REUSEPORT socket (redline.web.workers) …
    monkeypatch.setattr(workers, "serve_workers", lambda db, **kw: seen.update(kw, db=db))
    monkeypatch.setenv("REDLINE_DB", "/elsewhere.duckdb")
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert seen == {"db": str(db), "host": "127.0.0.1", "port": 8000, "workers": 2, "log_level": "info"}
    # … and where SO_REUSEPORT is missing, uvicorn's workers find the store through REDLINE_DB
    seen.clear()
    monkeypatch.setattr(workers, "reuseport_available", lambda: False)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert seen["app"] == "redline.web.app:create_app" and seen["factory"] and seen["workers"] == 2
    assert seen["host"] == "127.0.0.1"
    import os

    assert os.environ["REDLINE_DB"] == str(db)


# -- inputs at the edges (review round 2) ------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/value?entity=Xiaomi&metric=deliveries&period=%20",
                                  "/api/growth?entity=Xiaomi&metric=deliveries&period=%20",
                                  "/api/share?entity=Tesla%20China&period=%20"])
def test_a_blank_period_is_a_bad_request(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 422  # a field error, like every other bad query field
    assert_error_shape(r.json(), "bad_input")
    assert r.json()["issues"][0] == {"field": "period", "reason": "missing_value",
                                     "message": "a period is required (e.g. 2025, 2025-Q3, 2025-10)"}


def test_dates_at_the_end_of_the_calendar_are_bad_input_not_errors(client: TestClient) -> None:
    r = client.post("/api/audit", json={"text": "Xiaomi delivered 40,000 cars next month.", "date": "9999-12-31"})
    assert r.status_code in (200, 400, 422), r.text
    assert r.status_code == 200 or r.json()["error"] == "bad_input"
    r = client.get("/api/value", params={"entity": "Xiaomi", "metric": "deliveries", "period": "0000"})
    assert r.status_code == 422 and r.json()["issues"][0]["reason"] == "bad_period"
    r = client.get("/entity/Xiaomi", params={"as_of": "0001-01-01"})
    assert r.status_code < 500


def test_csv_download_cells_cannot_run_as_formulas(client: TestClient) -> None:
    evil = {**FACT, "note": '=HYPERLINK("http://evil.example","x")'}
    assert client.post("/api/facts", json=evil, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 201
    body = client.get("/api/facts", params={"entity": "Xiaomi", "period": "2026-02", "format": "csv"}).text
    assert "'=HYPERLINK" in body and ',=HYPERLINK' not in body


def test_the_form_says_200_when_the_fact_was_already_stored(client: TestClient) -> None:
    form = {**{k: str(v) for k, v in FACT.items()}, "token": TOKEN}
    assert client.post("/facts/new", data=form).status_code == 201
    assert client.post("/facts/new", data=form).status_code == 200


def test_briefs_take_a_bounded_number_of_peers(client: TestClient) -> None:
    many = [("peers", f"Peer {i}") for i in range(7)]
    r = client.get("/api/brief", params=[("entity", "Xiaomi"), ("as_of", "2025-11-25"), *many])
    assert r.status_code == 422 and r.json()["issues"][0]["field"] == "peers"


# -- retractions, and the cost of a list -----------------------------------------------------


def test_retract_needs_the_token_and_keeps_the_history(client: TestClient) -> None:
    january = {"entity": "Xiaomi", "metric": "deliveries", "period": "2025-01"}
    [fact] = [f for f in client.get("/api/facts", params=january).json() if f["period_end"] == "2025-01-31"]
    url = f"/api/facts/{fact['id']}/retract"
    denied = client.post(url, json={"reason": "typo"})
    assert denied.status_code == 401
    assert_error_shape(denied.json(), "unauthorized")
    r = client.post(url, json={"reason": "typo"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    assert fact["id"] not in {f["id"] for f in client.get("/api/facts", params=january).json()}
    one = client.get(f"/api/facts/{fact['id']}").json()
    assert one["fact"]["retracted"]["reason"] == "typo"
    missing = client.post("/api/facts/999999/retract", json={"reason": "x"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert missing.status_code == 404


@pytest.mark.parametrize("text", ["20251125", "2025-W48-2", "0000-01-01"])
def test_dates_in_requests_have_one_grammar(client: TestClient, text: str) -> None:
    r = client.get("/api/facts", params={"as_of": text})
    assert r.status_code == 422
    assert_error_shape(r.json(), "bad_input")
    audit = client.post("/api/audit", json={"text": "Xiaomi delivered 40,000 cars.", "date": text})
    assert audit.status_code == 422
    assert_error_shape(audit.json(), "bad_input")


def test_year_0_facts_are_refused_at_the_web_door(client: TestClient, db: Path) -> None:
    before = count_facts(db)
    for changes in ({"period_start": "0000-01-01"}, {"published": "0000-01-01"}):
        r = client.post("/api/facts", json={**FACT, **changes}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 422
        assert r.json()["issues"][0]["reason"] == "bad_year"
    assert count_facts(db) == before
    assert client.get("/api/facts", params={"entity": "Xiaomi"}).status_code == 200


def test_listing_counts_versions_of_the_rows_returned(client: TestClient) -> None:
    rows = client.get("/api/facts", params={"entity": "Xiaomi", "metric": "delivery_target"}).json()
    every = client.get("/api/facts", params={"entity": "Xiaomi", "metric": "delivery_target",
                                             "all_versions": "true"}).json()
    for row in rows:
        assert row["versions"] == sum(1 for v in every if (v["period_start"], v["period_end"]) ==
                                      (row["period_start"], row["period_end"]) and v["market"] == row["market"])
    assert max(r["versions"] for r in rows) > 1
    assert len(client.get("/api/facts", params={"limit": 1}).json()) == 1


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [("[" * 100_000 + "]" * 100_000, "body", "nests too deeply"),
     ('{"entity": "Xiaomi\\ud800", "metric": "deliveries"}', "entity", "lone surrogate")],
)
def test_hostile_json_is_a_422_not_a_server_error(client: TestClient, db: Path, body: str, field: str, words: str) -> None:
    before = count_facts(db)
    r = client.post("/api/facts", content=body,
                    headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert_error_shape(r.json(), "bad_input")
    assert r.json()["issues"][0]["field"] == field and words in r.json()["issues"][0]["message"]
    assert count_facts(db) == before


def test_a_lone_surrogate_in_an_article_is_a_422(client: TestClient) -> None:
    r = client.post("/api/audit", content='{"text": "Xiaomi\\ud800 delivered 5 cars"}',
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert_error_shape(r.json(), "bad_input")


def test_an_unreadable_store_is_a_503_that_does_not_show_the_servers_path(tmp_path: Path) -> None:
    path = tmp_path / "secret-place" / "empty.duckdb"
    path.parent.mkdir()
    path.write_bytes(b"")
    r = TestClient(create_app(path)).get("/api/facts")
    assert r.status_code == 503
    assert_error_shape(r.json(), "store_unreadable")
    assert "secret-place" not in r.text


# -- bounded audits ----------------------------------------------------------------------------


def test_a_2mb_claim_dense_audit_answers_within_its_budget_and_frees_the_core(db: Path) -> None:
    import multiprocessing

    budget = Budget(seconds=3, max_claims=5000)
    client = TestClient(create_app(db, max_upload_bytes=2_100_000, budget=budget))
    sentence = "Xiaomi delivered 108,796 cars in Q3 2025, up 173% year on year. "
    text = sentence * (2_000_000 // len(sentence))
    start = time.monotonic()
    r = client.post("/api/audit", json={"text": text, "date": "2025-11-25"})
    assert time.monotonic() - start < budget.seconds + 2
    assert r.status_code == 422
    body = r.json()
    assert body["error"] in ("over_budget", "too_many_claims")
    assert "REDLINE_AUDIT_" in body["message"]
    assert multiprocessing.active_children() == []  # the worker was stopped, not left running


def test_an_article_with_too_many_claims_names_the_limit(db: Path) -> None:
    client = TestClient(create_app(db, budget=Budget(seconds=20, max_claims=2)))
    text = "Xiaomi delivered 108,796 cars in Q3 2025. NIO delivered 87,071 in Q3 2025. BYD sold 1,100,000."
    for url in ("/api/audit", "/api/extract"):
        r = client.post(url, json={"text": text, "date": "2025-11-25"})
        assert r.status_code == 422
        assert_error_shape(r.json(), "too_many_claims")
        assert "at most 2" in r.json()["message"]


def test_the_audit_page_takes_an_article_up_to_the_documented_limit(client: TestClient) -> None:
    filler = "The weather was mild and the roads were quiet that week. "
    text = filler * (1_500_000 // len(filler)) + "Xiaomi delivered 108,796 cars in Q3 2025."
    r = client.post("/audit", data={"text": text, "date": "2025-11-25"}, headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text[:300]
    assert "108,796" in r.text


# -- a newcomer's stumbles -----------------------------------------------------------------------


def test_an_entity_with_a_slash_opens_from_the_home_page_link(client: TestClient, db: Path) -> None:
    from redline.catalog import Entity

    with Store(db) as store:
        store.add_entity(Entity("Li Auto/L6", "model", parent="Li Auto"))
        store.add_facts([{**FACT, "entity": "Li Auto/L6"}])
    home = client.get("/").text
    m = re.search(r'href="(/entity/Li%20Auto/L6)"', home) or re.search(r'href="(/entity/Li[^"]*L6)"', home)
    assert m, "the home page lists the entity"
    r = client.get(m[1])
    assert r.status_code == 200, r.text[:300]
    assert "Li Auto/L6" in r.text


def test_peers_take_the_clis_comma_syntax(client: TestClient) -> None:
    both = client.get("/api/brief", params={"entity": "Xiaomi", "as_of": "2025-11-25", "peers": "BYD,NIO"})
    assert both.status_code == 200, both.text[:300]
    repeated = client.get("/api/brief", params=[("entity", "Xiaomi"), ("as_of", "2025-11-25"),
                                                ("peers", "BYD"), ("peers", "NIO")])
    assert both.json()["peers"] == repeated.json()["peers"] == ["BYD", "NIO"]
    page = client.get("/entity/Xiaomi", params={"as_of": "2025-11-25", "peers": "BYD,NIO"})
    assert page.status_code == 200
