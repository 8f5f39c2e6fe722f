from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from juntos.calendar import observances
from juntos.errors import ValidationError


def test_every_international_day_shipped_parses_with_both_names() -> None:
    rows = observances.load()
    assert len(rows) == 113
    assert len({o.key for o in rows}) == 113  # keys are unique: they become UIDs
    assert all(o.name and o.name_pt for o in rows)
    named = {o.key: o.name_pt for o in rows}
    assert named["international-women-s-day"] == "Dia Internacional da Mulher"
    assert named["world-habitat-day"] == "Dia Mundial do Habitat"


def test_the_data_file_is_inside_the_package() -> None:
    import juntos

    assert observances.DATA_FILE.is_relative_to(Path(juntos.__file__).parent)


def test_fixed_floating_and_period_days_fall_on_the_right_dates() -> None:
    rows = {o.name: o for o in observances.load()}
    womens_day = rows["International Women's Day"]
    assert list(womens_day.occurrences(date(2026, 1, 1), date(2027, 12, 31))) == [
        (date(2026, 3, 8), date(2026, 3, 8)), (date(2027, 3, 8), date(2027, 3, 8))]
    habitat = rows["World Habitat Day"]  # first Monday of October
    assert [f for f, _ in habitat.occurrences(date(2027, 1, 1), date(2027, 12, 31))] == [
        date(2027, 10, 4)]
    sixteen = rows["16 Days of Activism against Gender-Based Violence"]
    assert list(sixteen.occurrences(date(2026, 12, 1), date(2026, 12, 31))) == [
        (date(2026, 11, 25), date(2026, 12, 10))]  # overlapping the window counts


def test_suggestions_match_campaign_themes_through_related_themes() -> None:
    rows = observances.load()
    found = observances.suggestions(rows, ["labour"], date(2027, 4, 1), date(2027, 5, 31))
    names = [s.observance.name for s in found]
    assert "International Workers' Day (May Day)" in names  # tagged "workers' rights; labour"
    assert "World Day for Safety and Health at Work" in names  # only "workers' rights"
    assert all(s.first >= date(2027, 4, 1) for s in found)
    assert names == sorted(names, key=lambda n: next(s.first for s in found
                                                     if s.observance.name == n))


def test_a_bad_row_is_named_by_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "observances.csv"
    path.write_text("name,month,day,rrule,end_month,end_day,themes,proclaimed_by\n"
                    "Good Day,1,4,,,,health,UNGA\nBad Day,13,,,,,health,UNGA\n")
    with pytest.raises(ValidationError) as err:
        observances.parse(path)
    assert "observances.csv:3" in err.value.errors
