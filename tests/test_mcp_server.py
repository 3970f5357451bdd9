"""The MCP server through the SDK's own client: in process, and once over stdio as `redline mcp`."""

from __future__ import annotations

import hashlib
import shutil
from concurrent.futures import ThreadPoolExecutor
import sys
from pathlib import Path
from typing import Any, Awaitable, Callable

import anyio
import jsonschema
import pytest
from mcp import Client, StdioServerParameters
from mcp.shared.exceptions import MCPError

from redline.mcp_server import TOOLS, audit_output_schema, build_server

Cli = Any  # the ``cli`` fixture of conftest.py: cli(*args) -> result with exit_code, stdout, stderr, json()

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "xiaomi-ev-growth-vs-safety.txt"
SAMPLE = ROOT / "redline" / "data" / "examples" / "sample-article.txt"



def run(fn: Callable[[], Awaitable[Any]]) -> Any:
    """``anyio.run(fn)`` on a thread of its own: another test's event loop (Playwright's) may hold this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, fn).result()


def session(db: Path, fn: Callable[[Client], Awaitable[Any]]) -> Any:
    """Run ``fn(client)`` against a fresh server over ``db``, connected in process."""

    async def go() -> Any:
        async with Client(build_server(str(db))) as client:
            return await fn(client)

    return run(go)


def call(db: Path, name: str, args: dict[str, Any]) -> Any:
    return session(db, lambda c: c.call_tool(name, args))


def test_lists_every_tool_read_only_with_the_audit_schema(store_file: Path) -> None:
    tools = {t.name: t for t in session(store_file, lambda c: c.list_tools()).tools}
    assert set(tools) == set(TOOLS)
    for t in tools.values():
        assert t.annotations is not None and t.annotations.read_only_hint, t.name
        assert t.description, t.name
    assert tools["audit_text"].output_schema == audit_output_schema()
    assert set(tools["audit_text"].input_schema["required"]) == {"text", "date"}
    assert "hindsight" in tools["audit_text"].input_schema["properties"]


def _verdicts(claims: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(c["id"], c["text"], c["start"], c["verdict"], tuple(c["reasons"]), str(c["fix"])) for c in claims]


@pytest.mark.parametrize("article", [
    pytest.param(SEED, id="seed", marks=pytest.mark.skipif(not SEED.exists(), reason="../shared/seeds is not beside this checkout")),
    pytest.param(SAMPLE, id="sample"),
])
def test_audit_text_gives_the_verdicts_of_the_cli(store_file: Path, cli: Cli, article: Path) -> None:
    text = article.read_text(encoding="utf-8")
    expected = cli("audit", str(article), "--date", "2025-11-25", "--format", "json")
    assert expected.exit_code in (0, 1)
    result = call(store_file, "audit_text", {"text": text, "date": "2025-11-25"})
    assert not result.is_error
    data = result.structured_content
    jsonschema.validate(data, audit_output_schema())
    assert _verdicts(data["claims"]) == _verdicts(expected.json()["claims"])
    assert data["summary"] == expected.json()["summary"]
    # one sentence per claim, in the text an agent reads as well
    assert [a["claim_id"] for a in data["advice"]] == [c["id"] for c in data["claims"]]
    shown = result.content[0].text
    for claim, a in zip(data["claims"], data["advice"]):
        assert f"{a['claim_id']} {a['verdict']}: {a['sentence']}" in shown
        if claim["fix"] is not None:
            assert a["sentence"] == claim["fix"]["instruction"]


def test_audit_text_fixes_name_the_figure_and_source(store_file: Path) -> None:
    text = "Tesla China sold 36,006 cars in October 2025. Xiaomi is aiming to deliver 350,000 vehicles in 2025."
    data = call(store_file, "audit_text", {"text": text, "date": "2025-11-25"}).structured_content
    fixes = {c["text"]: c["fix"] for c in data["claims"]}
    assert fixes["36,006 cars"]["with"] == "26,006"
    assert "https://www.techi.com/xiaomi-shares-rise-ev-sales-october" in fixes["36,006 cars"]["sources"]
    assert fixes["350,000 vehicles"]["with"] == "400,000"
    advice = {a["claim_id"]: a["sentence"] for a in data["advice"]}
    assert advice["c1"].startswith("Replace '36,006' with '26,006'")


def test_hindsight_judges_on_what_is_known_now(store_file: Path) -> None:
    text = "Xiaomi is aiming to deliver 350,000 vehicles in 2025, its stated annual target."
    then = call(store_file, "audit_text", {"text": text, "date": "2025-06-01"}).structured_content
    now = call(store_file, "audit_text", {"text": text, "date": "2025-06-01", "hindsight": True}).structured_content
    assert then["claims"][0]["verdict"] == "supported" and then["claims"][0]["fix"] is None
    assert now["claims"][0]["verdict"] == "misleading"
    assert now["claims"][0]["fix"]["with"] == "400,000"
    assert now["document_date"] == "2025-06-01"
    assert any("hindsight" in w for w in now["warnings"])


def test_lookup_growth_pace_entities_and_brief(store_file: Path) -> None:
    async def go(c: Client) -> dict[str, Any]:
        return {
            "value": await c.call_tool("lookup_value", {"entity": "Xiaomi", "metric": "deliveries", "period": "2025-Q3"}),
            "share": await c.call_tool("lookup_value", {"entity": "Tesla China", "metric": "market_share", "period": "2020",
                                                        "market": "China NEV market"}),
            "growth": await c.call_tool("growth", {"entity": "Xiaomi", "metric": "deliveries", "period": "2025-Q3"}),
            "pace": await c.call_tool("pace", {"entity": "Xiaomi", "as_of": "2025-06-01", "year": 2025}),
            "entities": await c.call_tool("list_entities", {}),
            "brief": await c.call_tool("brief", {"entity": "Xiaomi", "as_of": "2025-11-25", "peers": ["BYD"]}),
        }

    r = session(store_file, go)
    assert not any(x.is_error for x in r.values()), {k: x.content for k, x in r.items() if x.is_error}
    value = r["value"].structured_content
    assert value["value"] == 108796
    assert value["facts"][0]["source_url"].startswith("https://")
    assert r["share"].structured_content["facts"][0]["value"] == 15 and r["share"].structured_content["interval"]["text"] == "14.5 to 15.5"
    assert r["growth"].structured_content["text"] == "+173.4%"
    assert r["pace"].structured_content["target"]["value"] == 350000  # the target as known on 1 June 2025
    names = {e["name"] for e in r["entities"].structured_content["entities"]}
    assert {"Xiaomi", "Tesla China", "BYD"} <= names
    brief = r["brief"].structured_content
    assert "108,796" in brief["markdown"] and brief["peers"] == ["BYD"]
    assert "files" not in brief


@pytest.mark.parametrize("name,args,says", [
    ("audit_text", {"text": 5, "date": "2025-11-25"}, "text"),
    ("audit_text", {"text": "Xiaomi delivered 108,796 cars."}, "date"),
    ("audit_text", {"text": "Xiaomi delivered 108,796 cars.", "date": "25/11/2025"}, "not a date"),
    ("audit_text", {"text": "   ", "date": "2025-11-25"}, "empty"),
    ("audit_text", {"text": "x" * 2_000_001, "date": "2025-11-25"}, "over the limit"),
    ("lookup_value", {"entity": "Xiaomi", "metric": "deliveries", "period": "2025-Q9"}, "cannot read period"),
    ("lookup_value", {"entity": "Nobody Motors", "metric": "deliveries", "period": "2025-Q3"}, "Nobody Motors"),
    ("lookup_value", {"entity": "Xiaomi", "metric": "happiness", "period": "2025-Q3"}, "happiness"),
    ("lookup_value", {"entity": "Xiaomi", "metric": "deliveries", "period": "2031-Q3"}, "2031"),
    ("growth", {"entity": "Xiaomi", "metric": "deliveries", "period": "2025-Q3", "vs": "decade"}, "vs"),
    ("pace", {"entity": "Xiaomi", "as_of": "yesterday"}, "not a date"),
    ("pace", {"entity": "Xiaomi"}, "as_of"),
    ("brief", {"entity": "Nobody Motors", "as_of": "2025-11-25"}, "Nobody Motors"),
    ("brief", {"entity": "Xiaomi", "as_of": ""}, "not a date"),
    ("no_such_tool", {}, "no_such_tool"),
])
def test_bad_arguments_are_tool_errors_not_crashes(store_file: Path, name: str, args: dict[str, Any], says: str) -> None:
    async def go(c: Client) -> tuple[Any, Any]:
        bad = await c.call_tool(name, args)
        after = await c.call_tool("lookup_value", {"entity": "Xiaomi", "metric": "deliveries", "period": "2025-Q3"})
        return bad, after

    bad, after = session(store_file, go)
    assert bad.is_error
    assert says in bad.content[0].text
    assert not after.is_error, "the server still answers after a bad call"


def test_no_tool_writes_to_the_store(store_file: Path, tmp_path: Path) -> None:
    before = hashlib.sha256(store_file.read_bytes()).hexdigest()
    text = SAMPLE.read_text(encoding="utf-8")

    async def go(c: Client) -> list[Any]:
        return [
            await c.call_tool("audit_text", {"text": text, "date": "2025-11-25"}),
            await c.call_tool("audit_text", {"text": text, "date": "2025-11-25", "hindsight": True}),
            await c.call_tool("lookup_value", {"entity": "Xiaomi", "metric": "sales", "period": "2025-01..2025-10"}),
            await c.call_tool("growth", {"entity": "Xiaomi", "metric": "deliveries", "period": "2025-Q3", "vs": "qoq"}),
            await c.call_tool("pace", {"entity": "Xiaomi", "as_of": "2025-11-25"}),
            await c.call_tool("list_entities", {}),
            await c.call_tool("brief", {"entity": "Xiaomi", "as_of": "2025-11-25"}),
            await c.read_resource("redline://sources"),
        ]

    results = session(store_file, go)
    assert not any(getattr(r, "is_error", False) for r in results)
    assert hashlib.sha256(store_file.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in store_file.parent.iterdir()) == ["store.duckdb"], "no files beside the store"


def test_sources_are_resources(store_file: Path) -> None:
    async def go(c: Client) -> tuple[Any, ...]:
        listed = await c.list_resources()
        templates = await c.list_resource_templates()
        sources = await c.read_resource("redline://sources")
        notes = await c.read_resource("redline://sources/notes")
        fact = await c.read_resource("redline://facts/1")
        return listed, templates, sources, notes, fact

    listed, templates, sources, notes, fact = session(store_file, go)
    assert {str(r.uri) for r in listed.resources} == {"redline://sources", "redline://sources/notes"}
    assert [t.uri_template for t in templates.resource_templates] == ["redline://facts/{fact_id}"]
    import json

    urls = [s["url"] for s in json.loads(sources.contents[0].text)["sources"]]
    assert "https://www.techi.com/xiaomi-shares-rise-ev-sales-october" in urls
    assert "ev_facts.csv" in notes.contents[0].text
    assert json.loads(fact.contents[0].text)["id"] == 1

    async def missing(c: Client) -> MCPError | None:
        try:
            await c.read_resource("redline://facts/999999")
        except MCPError as exc:
            return exc
        return None

    err = session(store_file, missing)
    assert err is not None and "no fact with id" in str(err)


def test_the_server_sees_facts_imported_while_it_runs(store_file: Path, cli: Cli, write_facts: Callable[..., Path]) -> None:
    path = write_facts([{"entity": "NIO", "metric": "deliveries", "period_start": "2031-01-01", "period_end": "2031-01-31",
                         "value": "12345", "unit": "vehicles", "qualifier": "exact", "source_url": "https://example.org/nio",
                         "published": "2031-02-01"}])
    args = {"entity": "NIO", "metric": "deliveries", "period": "2031-01"}

    async def go(c: Client) -> tuple[Any, Any]:
        first = await c.call_tool("lookup_value", args)
        assert cli("facts", "import", str(path)).exit_code == 0
        return first, await c.call_tool("lookup_value", args)

    first, second = session(store_file, go)
    assert first.is_error
    assert not second.is_error and second.structured_content["value"] == 12345


def test_redline_mcp_serves_over_stdio(store_file: Path) -> None:
    exe = shutil.which("redline", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the redline console script is not installed beside this Python (run scripts/setup)")

    async def go() -> Any:
        params = StdioServerParameters(command=exe, args=["mcp", "--db", str(store_file)])
        async with Client(params) as client:
            return await client.call_tool("lookup_value", {"entity": "Xiaomi", "metric": "deliveries", "period": "2025-Q3"})

    result = run(go)
    assert not result.is_error and result.structured_content["value"] == 108796
