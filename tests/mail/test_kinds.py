"""Each area's messages: who gets them, once, and that each says why."""

from __future__ import annotations

import json
from datetime import timedelta

from juntos.campaigns import store as campaigns
from juntos.clock import iso
from juntos.mail import digest
from juntos.settings import Settings
from juntos.social import credentials
from tests.campaigns.conftest import make_campaign
from tests.social.dispatch_support import connected, scheduled


def _messages(db, kind: str) -> list[dict]:  # type: ignore[type-arg]
    rows = list(db.query("select to_addr, content from mail_outbox where kind = ? order by id",
                         [kind]))
    for row in rows:
        row["content"] = json.loads(row["content"])
    return rows


def test_an_invited_organisations_members_hear_of_it_in_the_same_transaction(
        db, clock, users) -> None:
    campaign = make_campaign(db, clock, slug="clinics")
    campaigns.add_partner(db, campaign["id"], "org-b", "partner", now=clock(),
                          by=users["coordinator"].id)
    (message,) = _messages(db, "campaigns.invitation")
    assert message["to_addr"] == "other@example.org"
    assert "Ubuntu Labour" in message["content"]["why"]


def test_commitment_reminders_at_7_days_1_day_and_overdue(db, clock, users) -> None:
    campaign = make_campaign(db, clock, slug="clinics")
    today = clock().date()
    for days in (7, 1, -2, 20):
        db["commitments"].insert({"campaign_id": campaign["id"], "organisation_id":
                                  users["member"].organisation_id, "title": f"In {days}",
                                  "due_date": (today + timedelta(days=days)).isoformat(),
                                  "status": "open", "created_at": iso(clock())})
    assert digest.run_scans(db, now=clock()) >= 6
    assert digest.run_scans(db, now=clock()) == 0
    subjects = sorted({m["content"]["subject"] for m in _messages(
        db, "campaigns.commitment_due")})
    assert subjects == ["Due in 7 days: In 7", "Due tomorrow: In 1", "Overdue: In -2"]


def test_a_changed_campaign_event_reaches_the_partners(db, clock, users) -> None:
    campaign = make_campaign(db, clock, slug="clinics")
    start = clock() + timedelta(days=3)
    db["calendar_events"].insert({
        "uid": "e1@test", "recurrence_id": "", "title": "March", "start": iso(start),
        "end": iso(start + timedelta(hours=2)), "all_day": 0, "visibility": "network",
        "status": "confirmed", "sequence": 1, "campaign_id": campaign["id"],
        "created_at": iso(clock()), "updated_at": iso(clock()), "start_utc": iso(start)})
    digest.run_scans(db, now=clock())
    assert sorted(m["to_addr"] for m in _messages(db, "campaigns.event_change")) == [
        "coord@example.org", "member@example.org"]


def test_failed_posts_and_waiting_approvals_reach_the_accounts_organisation(
        db, clock, users, settings: Settings) -> None:
    campaign = make_campaign(db, clock, slug="clinics")
    settings = credentials.with_credentials_key(settings)
    account = connected(db, settings, users["other_member"].organisation_id, "mastodon",
                        "forum", clock())
    kit = db["social_kits"].insert({"campaign_id": campaign["id"], "title": "Kit",
                                    "created_at": iso(clock())}).last_pk
    failed = scheduled(db, campaign["id"], kit, account, "Hello", clock(), status="failed")
    scheduled(db, campaign["id"], kit, account, "Please", clock(), status="submitted")
    db.execute("update social_posts set updated_at = ?, error = '403 forbidden' where id = ?",
               [iso(clock()), failed])
    digest.run_scans(db, now=clock())
    assert [m["to_addr"] for m in _messages(db, "social.problem")] == ["other@example.org"]
    assert [m["to_addr"] for m in _messages(db, "social.approval")] == ["other@example.org"]
    assert digest.run_scans(db, now=clock()) == 0


def test_ideas_waiting_for_review_reach_coordinators(db, clock, users) -> None:
    db["ideas"].insert({"slug": "street-theatre", "title": "Street theatre", "class": "tactic",
                        "status": "draft", "created_at": iso(clock())})
    digest.run_scans(db, now=clock())
    assert [m["to_addr"] for m in _messages(db, "catalogue.review")] == ["coord@example.org"]
