from __future__ import annotations

import csv
import io
import json

import pytest

from juntos.catalogue import transfer
from juntos.errors import ValidationError
from tests.catalogue.support import add_idea


def test_export_and_import_round_trip_in_both_formats(db, clock, tmp_path):
    add_idea(db, clock, title="Radio call-in", klass="media", tags="radio, phone",
             risk="low", summary="Listeners ask officials.")
    for fmt in ("csv", "json"):
        text = transfer.export(db, fmt)
        path = tmp_path / f"ideas.{fmt}"
        path.write_text(text.replace("Listeners ask", "Callers ask"), encoding="utf-8")
        report = transfer.import_file(db, path, now=clock())
        assert (report.created, report.updated) == (0, 1)
        assert next(db.query("select summary, tags from ideas"))["summary"].startswith("Callers")
    rows = list(csv.DictReader(io.StringIO(transfer.export(db, "csv"))))
    assert rows[0]["tags"] == "radio; phone"
    assert json.loads(transfer.export(db, "json"))[0]["tags"] == ["radio", "phone"]


def test_import_is_all_or_nothing_with_errors_by_row(db, clock, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("title,class,risk\nGood one,digital,low\n,digital,low\n"
                    "Third,nonsense,extreme\nGood one,media,\n", encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        transfer.import_file(db, path, now=clock())
    errors = e.value.errors
    assert set(errors) == {"row 2", "row 3", "row 4"}
    assert "title" in errors["row 2"]
    assert "class" in errors["row 3"] and "risk" in errors["row 3"]
    assert "repeats row 1" in errors["row 4"]
    assert next(db.query("select count(*) as n from ideas"))["n"] == 0


def test_import_refuses_files_not_in_the_export_shape(db, clock, tmp_path):
    bad_json = tmp_path / "x.json"
    bad_json.write_text('{"title": "x"}', encoding="utf-8")
    with pytest.raises(ValidationError, match="JSON list"):
        transfer.import_file(db, bad_json, now=clock())
    no_columns = tmp_path / "x.csv"
    no_columns.write_text("name\nfoo\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="missing column"):
        transfer.import_file(db, no_columns, now=clock())
