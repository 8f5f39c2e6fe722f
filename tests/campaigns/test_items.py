"""Editing and deleting calls to action, milestones and commitments from their own pages."""

from __future__ import annotations

from datetime import date

import icalendar

from juntos.calendar import tokens as feed_tokens
from juntos.campaigns import activity, schedule
from juntos.campaigns.models import MilestoneInput
from tests.campaigns.conftest import post
from tests.support.web import soup


def _ids(db, cid):  # type: ignore[no-untyped-def]
    call = schedule.calls_to_action(db, cid)[0]["id"]
    commitment = schedule.commitments(db, cid, today=date(2026, 11, 23))[0]["id"]
    return call, commitment


def test_a_lead_edits_a_call_to_action_and_the_feed_and_log_follow(
        as_user, db, client, users, campaigns, clock) -> None:  # type: ignore[no-untyped-def]
    lead = as_user("member")
    cid = campaigns["shared"]["id"]
    call, _ = _ids(db, cid)
    page = soup(lead.get("/campaigns/autumn"))
    link = page.select_one(f"#calls a[href='autumn/calls/{call}/edit']")
    assert link is not None
    form = soup(lead.get("/campaigns/" + link["href"]))
    assert form.select_one("#f-title")["value"] == "Day of action"
    bad = post(lead, f"/campaigns/autumn/calls/{call}/edit",
               {"title": "Day of action", "start_date": "2026-12-10", "end_date": "2026-12-01"})
    assert bad.status_code == 400
    assert "before the start date" in soup(bad).select_one("#e-end_date").get_text()
    assert schedule.get_call_to_action(db, cid, call)["end_date"] == "2026-12-10"
    ok = post(lead, f"/campaigns/autumn/calls/{call}/edit",
              {"title": "Women's march <b>now</b>", "start_date": "2026-12-11",
               "ask": "Walk with us"})
    assert ok.status_code == 200 and str(ok.url).endswith("/campaigns/autumn#calls")
    calls_text = soup(ok).select_one("#calls").get_text()
    assert "Women's march <b>now</b>" in calls_text and "Walk with us" in calls_text
    assert activity.activity(db, cid)[0]["action"] == "call_changed"
    token = feed_tokens.regenerate(db, users["member"].id, now=clock())
    body = client.get(f"/calendar/feeds/{token}.ics").content
    titles = {str(v["SUMMARY"]) for v in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    assert any("Women's march" in t for t in titles)
    assert not any(t.endswith("Day of action") for t in titles)


def test_a_lead_deletes_a_milestone_and_a_call(as_user, db, campaigns, clock) -> None:  # type: ignore[no-untyped-def]
    lead = as_user("member")
    cid = campaigns["shared"]["id"]
    milestone = schedule.add_milestone(db, cid, MilestoneInput.validated(
        title="Launch", date="2027-02-01"), now=clock())
    edited = post(lead, f"/campaigns/autumn/milestones/{milestone}/edit",
                  {"title": "Launch event", "date": "2027-02-03", "notes": "Maputo"})
    assert "Launch event" in soup(edited).select_one("#milestones").get_text()
    gone = post(lead, f"/campaigns/autumn/milestones/{milestone}/delete", {})
    assert gone.status_code == 200
    assert "Launch event" not in soup(gone).select_one("#milestones").get_text()
    assert schedule.milestones(db, cid) == []
    call, _ = _ids(db, cid)
    post(lead, f"/campaigns/autumn/calls/{call}/delete", {})
    assert schedule.calls_to_action(db, cid) == []
    assert [a["action"] for a in activity.activity(db, cid)[:3]] == [
        "call_deleted", "milestone_deleted", "milestone_changed"]


def test_a_partner_corrects_its_own_commitment_but_cannot_hand_it_over(
        as_user, db, campaigns) -> None:  # type: ignore[no-untyped-def]
    cid = campaigns["shared"]["id"]
    _, commitment = _ids(db, cid)
    partner = as_user("other_member")
    page = soup(partner.get(f"/campaigns/autumn/commitments/{commitment}/edit"))
    assert page.select_one("#f-organisation_id") is None  # only a lead may move it
    a_id = campaigns["shared"]["lead_org_ids"][0]
    r = post(partner, f"/campaigns/autumn/commitments/{commitment}/edit",
             {"organisation_id": str(a_id), "title": "Survey of 40 members",
              "due_date": "2027-01-10", "status": "in_progress"})
    assert r.status_code == 200
    row = schedule.get_commitment(db, cid, commitment)
    assert (row["title"], row["due_date"], row["status"], row["organisation_id"]) == (
        "Survey of 40 members", "2027-01-10", "in_progress", campaigns["b"]["id"])
    bad = post(partner, f"/campaigns/autumn/commitments/{commitment}/edit",
               {"title": "", "status": "open"})
    assert bad.status_code == 400 and soup(bad).select_one("#e-title")
    assert schedule.get_commitment(db, cid, commitment)["title"] == "Survey of 40 members"
    post(partner, f"/campaigns/autumn/commitments/{commitment}/delete", {})
    assert schedule.commitments(db, cid, today=date(2026, 11, 23)) == []


def test_who_may_not_change_an_item_gets_403_or_404_and_nothing_changes(
        as_user, db, campaigns) -> None:  # type: ignore[no-untyped-def]
    cid = campaigns["shared"]["id"]
    call, commitment = _ids(db, cid)
    partner, viewer = as_user("other_member"), as_user("viewer")
    assert partner.get(f"/campaigns/autumn/calls/{call}/edit").status_code == 403
    assert post(partner, f"/campaigns/autumn/calls/{call}/delete", {}).status_code == 403
    assert post(viewer, f"/campaigns/autumn/commitments/{commitment}/delete",
                {}).status_code == 403
    # an id from another campaign, or no id at all, is not found through this one
    assert as_user("member").get(f"/campaigns/secret-plan/calls/{call}/edit").status_code == 404
    assert as_user("member").get("/campaigns/autumn/calls/x1/edit").status_code == 404
    outsider = as_user("other_member")
    assert post(outsider, f"/campaigns/secret-plan/calls/{call}/delete", {}).status_code == 404
    assert len(schedule.calls_to_action(db, cid)) == 1
    assert len(schedule.commitments(db, cid, today=date(2026, 11, 23))) == 1
