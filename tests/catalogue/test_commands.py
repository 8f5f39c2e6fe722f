from __future__ import annotations

import json

from click.testing import CliRunner

from juntos.cli import cli


def run(settings, *args, input=None):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), *args], input=input)
    return result


def test_seed_search_export_import(db, settings, tmp_path):
    result = run(settings, "catalogue", "seed")
    assert result.exit_code == 0, result.output
    assert "198 classic method(s)" in result.output
    result = run(settings, "ideas", "search", "petition", "--risk", "low")
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.stdout.strip().splitlines()]
    assert ["Online petition with a delivery event",
            "online-petition-with-delivery-event"] in lines[:3]
    assert ["Photo petition", "photo-petition"] in lines[:3]
    result = run(settings, "ideas", "search", "--class", "legal")
    assert {line.split("\t")[1] for line in result.stdout.strip().splitlines()} == {
        "strategic-litigation", "peoples-tribunal", "complaint-to-a-human-rights-commission"}
    out = tmp_path / "ideas.json"
    result = run(settings, "ideas", "export", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert len(exported) >= 228
    new = tmp_path / "new.json"
    new.write_text(json.dumps([{"title": "Bicycle caravan", "class": "creative",
                                "risk": "low"}]), encoding="utf-8")
    result = run(settings, "ideas", "import", str(new))
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
    assert "bicycle-caravan" in run(settings, "ideas", "search", "bicycle").stdout


def test_import_errors_are_named_by_row_and_exit_non_zero(db, settings, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("title,class\nFine,digital\nBroken,unknown\n", encoding="utf-8")
    result = run(settings, "ideas", "import", str(bad))
    assert result.exit_code == 1
    assert "row 2" in result.output and "class" in result.output
    assert next(db.query("select count(*) as n from ideas"))["n"] == 0
