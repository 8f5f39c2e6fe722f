"""Planning suggestions from the international days, and the exported documents."""

from __future__ import annotations

import json
from datetime import date

import pytest

from juntos.campaigns import export, matrix, planning, schedule, store
from juntos.campaigns.models import CommitmentInput
from juntos.errors import ValidationError
from tests.campaigns.conftest import make_campaign

TODAY = date(2026, 11, 23)


def test_suggestions_match_themes_in_the_period_and_skip_chosen_days(db, clock, users) -> None:
    c = make_campaign(db, clock, slug="women", themes=["women's rights"],
                      start_date="2027-03-01", end_date="2027-03-31")
    names = [s.observance.name for s in planning.suggest(c, [], today=TODAY)]
    assert "International Women's Day" in names
    assert "World Habitat Day" not in names  # October, and another theme
    call = planning.call_from_observance("international-women-s-day", "2027-03-08")
    assert (call.title, call.start_date, call.end_date) == (
        "International Women's Day", "2027-03-08", "2027-03-08")
    schedule.add_call_to_action(db, c["id"], call, now=clock())
    after = planning.suggest(c, schedule.calls_to_action(db, c["id"]), today=TODAY)
    assert "International Women's Day" not in [s.observance.name for s in after]
    with pytest.raises(ValidationError) as err:
        planning.call_from_observance("international-women-s-day", "2027-03-09")
    assert set(err.value.errors) == {"start_date"}
    with pytest.raises(ValidationError):
        planning.call_from_observance("no-such-day", "2027-03-08")


def test_no_themes_no_suggestions(db, clock, users) -> None:
    c = make_campaign(db, clock, slug="plain")
    assert planning.suggest(c, [], today=TODAY) == []


def test_json_markdown_and_text_carry_partners_matrix_and_commitments(db, clock,
                                                                      users) -> None:
    c = make_campaign(db, clock, slug="autumn", title="Autumn <b>2027</b>")
    b = store.add_partner(db, c["id"], "org-b", "partner", accepted=True, now=clock())
    ws = matrix.workstreams(db, c["id"])[0]
    matrix.assign(db, c["id"], ws["id"], b["id"], "A", now=clock())
    schedule.add_commitment(db, c["id"], CommitmentInput.validated(
        organisation_id=str(b["id"]), workstream_id=str(ws["id"]), title="Survey",
        due_date="2026-11-01"), now=clock())
    view = export.overview(db, store.get(db, "autumn"), today=TODAY)
    doc = json.loads(export.to_json(view))
    assert [p["organisation"] for p in doc["partners"]] == ["org-a", "org-b"]
    assert doc["workstreams"][0] == {"name": "research", "accountable": "org-b",
                                     "assignments": {"org-b": "A"}}
    assert doc["commitments"][0]["overdue"] is True
    text = export.to_text(view)
    assert "[open OVERDUE] 2026-11-01  org-b: Survey" in text
    assert [line.split() for line in export.matrix_lines(view)][:2] == [
        ["workstream", "org-a", "org-b"], ["research", "-", "A"]]
    md = export.to_markdown(view)
    assert md.startswith("# Autumn \\<b\\>2027\\</b\\>")
    assert "| research |  | A |" in md


def test_days_already_past_are_not_suggested(db, clock, users) -> None:
    c = make_campaign(db, clock, slug="running", themes=["women's rights"],
                      start_date="2026-01-01", end_date="2026-12-31")
    found = planning.suggest(c, [], today=TODAY)
    assert found and all(s.last >= TODAY for s in found)
    assert "International Women's Day" not in [s.observance.name for s in found]  # March
    over = make_campaign(db, clock, slug="over", themes=["women's rights"],
                         start_date="2025-01-01", end_date="2025-12-31")
    assert planning.suggest(over, [], today=TODAY) == []
