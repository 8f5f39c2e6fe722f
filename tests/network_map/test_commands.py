"""The `juntos network` commands through click's runner, on a real database file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from juntos.cli import cli

DATA = Path(__file__).resolve().parents[1] / "data" / "network_map"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_import_dry_run_then_import_metrics_path_export(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    assert run("--db", db, "init").exit_code == 0
    files = [str(DATA / "kumu-elements.csv"), str(DATA / "kumu-connections.csv")]
    dry = run("--db", db, "network", "import", *files, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "4 new, 0 matched" in dry.output
    assert "0 actors" in run("--db", db, "network", "metrics").output
    done = run("--db", db, "network", "import", *files)
    assert "Imported: 4 new, 0 matched; 3 ties." in done.output
    top = run("--db", db, "network", "metrics", "--top", "1", "--by", "degree")
    assert "accao-cidada" in top.output.splitlines()[1]
    path = run("--db", db, "network", "path", "ubuntu-labour", "ministerio-da-saude")
    assert "ubuntu-labour -> accao-cidada -> ministerio-da-saude" in path.output
    out = tmp_path / "n.graphml"
    exported = run("--db", db, "network", "export", "--format", "graphml", "-o", str(out))
    assert exported.exit_code == 0
    assert "<graphml" in out.read_text(encoding="utf-8")


def test_a_bad_import_exits_non_zero_naming_the_row(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    run("--db", db, "init")
    result = CliRunner().invoke(cli, ["--db", db, "network", "import",
                                      str(DATA / "kumu-elements.csv"),
                                      str(DATA / "kumu-bad-connections.csv")])
    assert result.exit_code == 1
    assert "kumu-bad-connections.csv row 3" in result.output


def test_recommend_with_plain_inputs(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    run("--db", db, "init")
    run("--db", db, "network", "import", str(DATA / "kumu-elements.csv"),
        str(DATA / "kumu-connections.csv"))
    result = run("--db", db, "network", "recommend", "--partner", "ubuntu-labour",
                 "--theme", "health", "--country", "MZ")
    assert "accao-cidada" in result.output and "themes health" in result.output


def test_judge_and_list_judgements(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    assert run("--db", db, "init").exit_code == 0
    run("--db", db, "network", "import", str(DATA / "kumu-elements.csv"),
        str(DATA / "kumu-connections.csv"))
    done = run("--db", db, "network", "judge", "ubuntu-labour", "--issue", "wage law",
               "--influence", "4", "--stance", "ally", "--confidence", "high")
    assert done.exit_code == 0, done.output
    listed = run("--db", db, "network", "judgements", "ubuntu-labour").output
    assert "wage law: influence 4, ally (high)" in listed
    assert CliRunner().invoke(cli, ["--db", db, "network", "judge", "ubuntu-labour",
                                    "--influence", "2", "--stance", "ally"]).exit_code != 0
    exported = run("--db", db, "network", "export", "--format", "json").output
    assert '"wage law"' in exported
