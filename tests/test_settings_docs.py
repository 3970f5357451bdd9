"""Docs that cannot drift: settings documented, every command explained with an example."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import click
import typer.main
from typer.testing import CliRunner

from redline import intervals, settings
from redline.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEMANTICS = ROOT / "docs" / "semantics.md"
CORE_WITH_JSON = [
    "facts import", "facts list", "facts export", "entities list", "entities add",
    "value", "growth", "pace", "share", "fleet", "conflicts",
]


def docs_text() -> str:
    parts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    parts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("**/*.md"))]
    return "\n".join(parts)


def settings_table() -> str:
    """The settings section of docs/semantics.md, as rendered from redline/settings.py."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for s in settings.SETTINGS:
        default = "(unset)" if s.default is None else f"`{s.default}`"
        lines.append(f"| `{s.env_var}` | {default} | {s.help} |")
    return "\n".join(lines)


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=[s.name for s in settings.SETTINGS])
def test_every_setting_is_documented(setting: settings.Setting) -> None:
    assert setting.help.strip(), f"{setting.name} has no help text"
    assert setting.env_var in docs_text(), f"{setting.env_var} is not mentioned in README.md or docs/"


def test_the_settings_table_is_generated_from_the_declaration() -> None:
    text = SEMANTICS.read_text(encoding="utf-8")
    m = re.search(r"<!-- settings:start -->\n(.*?)\n<!-- settings:end -->", text, re.S)
    assert m, "docs/semantics.md lost its settings markers"
    assert m[1] == settings_table(), "docs/semantics.md's settings table is stale; replace it with:\n" + settings_table()


def test_semantics_names_every_qualifier_and_tolerance() -> None:
    text = SEMANTICS.read_text(encoding="utf-8")
    for q in intervals.QUALIFIERS:
        assert f"`{q}`" in text, q
    about_default = next(s.default for s in settings.SETTINGS if s.name == "about_tolerance")
    assert f"`ABOUT_TOLERANCE` = {about_default:.0%}" in text
    assert f"`FACT_ABOUT_TOLERANCE` = {intervals.FACT_ABOUT_TOLERANCE:.0%}" in text
    assert f"(1 − {intervals.ALMOST_TOLERANCE:.2f})" in text


def commands() -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []

    def walk(cmd: Any, path: list[str]) -> None:
        # through click's group API: the root group loads its commands only when asked for them
        if hasattr(cmd, "list_commands"):
            ctx = click.Context(cmd)
            for name in cmd.list_commands(ctx):
                walk(cmd.get_command(ctx, name), path + [name])
        else:
            out.append((" ".join(path), cmd))

    walk(typer.main.get_command(app), [])
    return out


COMMANDS = commands()


def test_the_core_commands_exist() -> None:
    names = {name for name, _ in COMMANDS}
    assert set(CORE_WITH_JSON) <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_with_an_example(name: str, command: Any) -> None:
    help_text = command.help or ""
    summary = help_text.strip().splitlines()[0] if help_text.strip() else ""
    assert len(summary) > 10, f"{name}: no help text"
    assert re.search(r"^\s*Example:\s*(\S+=\S+\s+)*redline " + re.escape(name) + r"\b", help_text, re.M), (
        f"`redline {name}` needs an 'Example: redline {name} …' line in its help"
    )
    for param in command.params:
        if getattr(param, "param_type_name", "") == "option" and not getattr(param, "hidden", False):
            assert param.help, f"{name}: option {param.opts} has no help"


@pytest.mark.parametrize("name", CORE_WITH_JSON)
def test_core_commands_take_json(name: str) -> None:
    command = dict(COMMANDS)[name]
    assert any("--json" in getattr(p, "opts", []) for p in command.params)


@pytest.mark.parametrize("name", [n for n, _ in COMMANDS])
def test_help_renders(name: str) -> None:
    result = CliRunner().invoke(app, [*name.split(), "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "Example:" in result.stdout
