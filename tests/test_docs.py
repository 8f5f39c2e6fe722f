"""Docs that cannot drift from the code."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from juntos import clidocs
from juntos.cli import cli
from juntos.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_generated_from_the_current_commands() -> None:
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == clidocs.render(cli), "docs/cli.md is stale: run `make docs`"


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [f.name for f in fields(Settings) if f"`{f.name}`" not in text]
    assert missing == []


def test_readme_quick_start_is_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in quick.splitlines()[1:] if line.strip()]
    assert commands == ["make run", "make test"]


def test_every_policy_action_has_a_row_in_the_permissions_table() -> None:
    from juntos import house
    from juntos.accounts import policy

    house.install()
    table = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    missing = [action for action in policy.RULES
               if not any(f"`{action}`" in row for row in rows)]
    assert missing == [], "add a row to docs/permissions.md for each"
