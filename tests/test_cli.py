"""The command line, through click's runner against a real database file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from juntos.cli import cli
from juntos.db import Database


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def counts(path: Path) -> dict[str, int]:
    db = Database(path)
    return {t: db[t].count for t in ("organisations", "memberships", "users")}


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0, result.output
    for command in ("init", "demo", "serve", "user", "backup"):
        assert command in result.output


def test_init_and_demo_build_the_coalition_and_demo_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = run("--db", str(db), "init")
    assert result.exit_code == 0, result.output
    assert "Created" in result.output
    result = run("--db", str(db), "demo")
    assert result.exit_code == 0, result.output
    assert "coordinator@demo.juntos.example" in result.output
    first = counts(db)
    assert first["organisations"] > 250 and first["users"] == 4
    conn = Database(db)
    kinds = {r["kind"]: r["n"] for r in conn.query(
        "select kind, count(*) as n from organisations group by kind")}
    assert kinds["network"] == 7 and kinds["funder"] == 2 and kinds["university"] == 2
    countries = {r["country"] for r in conn.query("select distinct country from organisations")}
    assert {"MZ", "SO", "ZA", "SZ", "UG", "ZW", "DK"} <= countries
    networks = conn.query("select network_id, count(*) as n from memberships group by 1")
    assert sum(1 for r in networks if r["n"] >= 40) == 6
    assert run("--db", str(db), "demo").exit_code == 0
    assert counts(db) == first


def test_env_variable_chooses_the_database(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("JUNTOS_DB", str(tmp_path / "env.db"))
    assert run("init").exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_user_add_reads_password_from_stdin(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    run("--db", db, "init")
    run("--db", db, "demo")
    result = run("--db", db, "user", "add", "ana@example.org", "--org", "samvirke-dk",
                 "--role", "coordinator", input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert "Added ana@example.org (coordinator)" in result.output


def test_user_add_errors_are_one_line_and_non_zero(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    run("--db", db, "init")
    result = run("--db", db, "user", "add", "ana@example.org", "--org", "nowhere",
                 input="a long enough password\n")
    assert result.exit_code == 1
    assert "No organisation 'nowhere'" in result.output
    result = run("--db", db, "user", "add", "bad", "--org", "nowhere", input="short\n")
    assert result.exit_code == 1 and "email:" in result.output and "password:" in result.output


def test_commands_need_an_existing_database(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "none.db"), "demo")
    assert result.exit_code == 1
    assert "juntos --db" in result.output and "init" in result.output


def test_backup_copies_the_database(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    run("--db", db, "init")
    run("--db", db, "demo")
    result = run("--db", db, "backup", str(tmp_path / "b" / "copy.db"))
    assert result.exit_code == 0, result.output
    assert counts(tmp_path / "b" / "copy.db") == counts(Path(db))


def test_db_is_accepted_after_the_command(tmp_path: Path) -> None:
    db = tmp_path / "after.db"
    result = run("init", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert db.exists()
    result = run("user", "add", "ana@example.org", f"--db={db}", "--org", "nowhere",
                 input="a long enough password\n")
    assert "No database" not in result.output  # found the file given after the command
    result = run("--db", str(tmp_path / "absent.db"), "backup", "--db", str(db),
                 str(tmp_path / "copy.db"))
    assert result.exit_code == 0, result.output  # the last --db wins


def test_a_new_server_gets_its_first_organisation_and_coordinator(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    assert run("--db", str(db), "init").exit_code == 0
    result = run("--db", str(db), "organisations", "add", "Forum Juntos", "--country", "MZ")
    assert result.exit_code == 0, result.output
    assert "forum-juntos" in result.output
    result = run("--db", str(db), "user", "add", "ana@example.org", "--org", "forum-juntos",
                 "--role", "coordinator", input="a long enough password\n")
    assert result.exit_code == 0, result.output
