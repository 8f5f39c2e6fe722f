"""The 70 real files in ../shared/data/interop/ics, each as its EXPECT.tsv says, through the CLI.

import: exit 0 and every UID of the file in the export; refuse: a message and nothing stored;
either: import or refuse, never a traceback; after any import the export still parses.
"""

from __future__ import annotations

import csv
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
from click.testing import CliRunner

from juntos import db as database
from juntos.cli import cli
from tests.support.interop import INTEROP, available, interop_path

FOLDER = INTEROP / "ics"


def _rows() -> list[dict[str, str]]:
    if not available("ics", "EXPECT.tsv"):
        return [{"file": "(absent)"}]  # one test, which skips naming the folder
    with (FOLDER / "EXPECT.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()


def test_the_interop_folder_is_there() -> None:
    interop_path("ics", "EXPECT.tsv")
    assert len(ROWS) == 70


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def _count(path: Path) -> int:
    db = database.connect(path)
    try:
        return int(next(db.query("select count(*) as n from calendar_events"))["n"])
    finally:
        db.close()


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_real_file_is_imported_or_refused_as_expected(row: dict[str, str],
                                                      tmp_path: Path) -> None:
    interop_path("ics", "EXPECT.tsv")
    path = tmp_path / "j.db"
    assert _run("--db", str(path), "init").exit_code == 0
    result = _run("--db", str(path), "calendar", "import", str(FOLDER / row["file"]))
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                     SystemExit), result.output
    if row["expect"] == "refuse":
        assert result.exit_code != 0, result.output
    if row["expect"] == "import":
        assert result.exit_code == 0, result.output
    if result.exit_code != 0:
        assert result.output.startswith("Error: ") and len(result.output.strip()) > 12
        assert _count(path) == 0  # all or nothing
        return
    out = tmp_path / "export.ics"
    exported = _run("--db", str(path), "calendar", "export", "-o", str(out))
    assert exported.exit_code == 0, exported.output
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    uids = {str(v["UID"]) for v in cal.walk("VEVENT")}
    wanted = {u for u in row["uids"].split(";") if u}
    if row["expect"] == "import":
        assert wanted <= uids, sorted(wanted - uids)[:5]
    recurring_ical_events.of(cal).between((2020, 1, 1), (2021, 1, 1))  # expands without error


def test_broken_file_names_the_problem_and_where(tmp_path: Path) -> None:
    interop_path("ics")
    path = tmp_path / "j.db"
    _run("--db", str(path), "init")
    result = _run("--db", str(path), "calendar", "import",
                  str(FOLDER / "radicale__broken-vevent.ics"))
    assert result.exit_code == 1
    assert "VEVENT opened on line 4 is never closed" in result.output
    late = _run("--db", str(path), "calendar", "import",
                str(FOLDER / "node-ical__large-file-with-late-error.ics"))
    assert "event_error@example.com" in late.output or "line" in late.output
    assert _count(path) == 0  # 400 good events before the error: none kept
