"""The publishing gate of docs/mcp.md, run as written: the git pre-commit hook and the pre-commit framework's entry."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "mcp.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent

WRONG = "# Rivals\n\nTesla China sold **36,006 cars** in October 2025.\n"
FIXED = "# Rivals\n\nTesla China sold **26,006 cars** in October 2025.\n"

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(not (BIN / "redline").exists(), reason="the redline console script is not installed (run scripts/setup)"),
]



def _hook() -> str:
    blocks = re.findall(r"```sh\n(#!/bin/sh\n.*?)```", DOC, re.S)
    assert len(blocks) == 1, "docs/mcp.md shows one pre-commit hook"
    return blocks[0]


def _entry() -> list[str]:
    m = re.search(r"^\s+entry: (.+)$", DOC, re.M)
    assert m, "docs/mcp.md shows a pre-commit framework entry"
    return shlex.split(m.group(1))


@pytest.fixture
def env(store_file: Path, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "REDLINE_DB": str(store_file),
            "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path),
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "COLUMNS": "200"}


def _git(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def test_the_hook_stops_a_commit_with_a_wrong_figure_and_lets_the_fixed_one_through(tmp_path: Path, env: dict[str, str]) -> None:
    repo = tmp_path / "drafts"
    repo.mkdir()
    assert _git(repo, env, "init", "-q").returncode == 0
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(_hook(), encoding="utf-8")
    hook.chmod(0o755)

    (repo / "notes.txt").write_text(WRONG, encoding="utf-8")  # not Markdown: not audited
    _git(repo, env, "add", "notes.txt")
    assert _git(repo, env, "commit", "-qm", "notes").returncode == 0

    (repo / "rivals.md").write_text(WRONG, encoding="utf-8")
    _git(repo, env, "add", "rivals.md")
    stopped = _git(repo, env, "commit", "-qm", "draft")
    shown = stopped.stdout + stopped.stderr  # git shows a hook's output on standard error
    assert stopped.returncode != 0
    assert "1 contradicted" in shown
    assert "fix 1: Replace '36,006' with '26,006'" in shown
    assert "https://www.techi.com/xiaomi-shares-rise-ev-sales-october" in shown
    assert _git(repo, env, "log", "--format=%s").stdout.split() == ["notes"]

    (repo / "rivals.md").write_text(FIXED, encoding="utf-8")
    _git(repo, env, "add", "rivals.md")
    passed = _git(repo, env, "commit", "-qm", "draft, fixed")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "1 supported" in passed.stdout + passed.stderr


def test_the_pre_commit_framework_entry_fails_on_any_flagged_file(tmp_path: Path, env: dict[str, str]) -> None:
    wrong, fixed = tmp_path / "wrong.md", tmp_path / "fixed.md"
    wrong.write_text(WRONG, encoding="utf-8")
    fixed.write_text(FIXED, encoding="utf-8")
    run = lambda *files: subprocess.run([*_entry(), *map(str, files)], env=env, capture_output=True, text=True, timeout=300)  # noqa: E731
    assert run(fixed).returncode == 0
    both = run(wrong, fixed)
    assert both.returncode == 1
    assert both.stdout.count("claims:") + both.stdout.count("claim:") == 2, "every file is audited"
