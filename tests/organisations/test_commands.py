from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from juntos import house
from juntos.cli import cli
from juntos.clock import system_clock
from juntos.organisations import store
from juntos.organisations.models import OrganisationInput


def _database(tmp_path: Path) -> Path:
    path = tmp_path / "j.db"
    db = house.open_db(path)
    for values in (dict(name="Acção Cidadã", slug="accao-cidada", country="MZ"),
                   dict(name="Accao Cidada", slug="accao-cidada-2", country="MZ",
                        city="Beira", acronym="ACM"),
                   dict(name="Ubuntu Labour", country="ZA")):
        store.create(db, OrganisationInput.validated(**values), now=system_clock())
    db.close()
    return path


def test_duplicates_lists_pairs_with_reasons(tmp_path: Path) -> None:
    path = _database(tmp_path)
    result = CliRunner().invoke(cli, ["--db", str(path), "organisations", "duplicates"])
    assert result.exit_code == 0, result.output
    assert "accao-cidada  accao-cidada-2" in result.output and "same country (MZ)" in result.output
    assert "ubuntu" not in result.output and "1 pair(s)." in result.output


def test_merge_dry_run_then_merge(tmp_path: Path) -> None:
    path = _database(tmp_path)
    args = ["--db", str(path), "organisations", "merge", "accao-cidada", "ACM"]
    dry = CliRunner().invoke(cli, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would merge accao-cidada-2" in dry.output and "Nothing was changed" in dry.output
    assert house.open_db(path)["organisations"].count == 3
    done = CliRunner().invoke(cli, [*args, "--take", "city"])
    assert done.exit_code == 0, done.output
    db = house.open_db(path)
    assert db["organisations"].count == 2 and store.get(db, "accao-cidada")["city"] == "Beira"
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 1 and "two different organisations" in again.output
