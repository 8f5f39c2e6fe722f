"""Campaign dates reach the joint calendar and its feeds, with the campaign's visibility."""

from __future__ import annotations

import icalendar

from juntos.calendar import sources, visibility
from juntos.calendar.filters import Filters
from juntos.campaigns import schedule
from juntos.campaigns.models import CallToActionInput, CommitmentInput, MilestoneInput
from juntos.db import Database
from tests.campaigns.conftest import make_campaign
from tests.support.clock import FrozenClock


def _uids(db: Database, user) -> set[str]:  # type: ignore[no-untyped-def]
    viewer = visibility.viewer_for(db, user) if user else visibility.PUBLIC
    return {e.uid for e in sources.events(db, viewer)}


def test_private_campaign_dates_reach_partners_only(db: Database, clock: FrozenClock, users,
                                                    private_campaign) -> None:
    call_id = schedule.add_call_to_action(db, private_campaign["id"], CallToActionInput.validated(
        title="March on parliament", start_date="2026-11-25", end_date="2026-11-26"),
        now=clock())
    uid = f"campaign-call-{call_id}"
    assert any(u.startswith(uid) for u in _uids(db, users["member"]))  # org A is the lead
    assert any(u.startswith(uid) for u in _uids(db, users["coordinator"]))
    assert not any(u.startswith(uid) for u in _uids(db, users["other_member"]))  # org B: no
    assert not any(u.startswith(uid) for u in _uids(db, None))  # anonymous: no


def test_dates_become_all_day_events_with_stable_uids(db: Database, clock: FrozenClock,
                                                      users) -> None:
    campaign = make_campaign(db, clock, slug="open-budget", visibility="public",
                             start_date="2026-10-01", end_date="2027-03-31",
                             themes=["advocacy"], countries=["MZ"])
    schedule.add_milestone(db, campaign["id"], MilestoneInput.validated(
        title="Shadow report filed", date="2027-01-15"), now=clock())
    commitment = schedule.add_commitment(db, campaign["id"], CommitmentInput.validated(
        organisation_id=users["member"].organisation_id, title="Draft the report",
        due_date="2027-01-10"), now=clock())
    events = {e.uid: e for e in sources.events(db, visibility.PUBLIC,
                                               Filters(campaign="open-budget"))}
    due = next(e for u, e in events.items() if u.startswith(f"campaign-commitment-{commitment}"))
    assert due.all_day and str(due.start) == "2027-01-10" and str(due.end) == "2027-01-11"
    assert due.category == "deadline" and due.countries == ("MZ",)
    first_sequence = due.sequence

    clock.advance(hours=2)
    schedule.set_commitment_status(db, campaign["id"], commitment, "dropped", now=clock())
    again = next(e for e in sources.events(db, visibility.PUBLIC, Filters(campaign="open-budget"))
                 if e.uid == due.uid)
    assert again.status == "cancelled" and again.sequence > first_sequence


def test_public_feed_carries_public_campaign_dates_and_follows_filters(
        client, db: Database, clock: FrozenClock, users) -> None:
    campaign = make_campaign(db, clock, slug="land-day", visibility="public",
                             start_date="2026-11-01", end_date="2027-06-30",
                             themes=["land rights"], countries=["UG"])
    before = client.get("/calendar.ics?country=UG")  # rendered and cached without the call
    assert b"Land rights day of action" not in before.content
    schedule.add_call_to_action(db, campaign["id"], CallToActionInput.validated(
        title="Land rights day of action", start_date="2026-12-05"), now=clock())
    after = client.get("/calendar.ics?country=UG",
                       headers={"if-none-match": before.headers["etag"]})
    assert after.status_code == 200  # the cache was invalidated: no stale 304
    body = after.content
    summaries = [str(c["SUMMARY"]) for c in icalendar.Calendar.from_ical(body).walk("VEVENT")]
    assert any("Land rights day of action" in s for s in summaries)
    other = client.get("/calendar.ics?country=ZW").content
    assert b"Land rights day of action" not in other


def test_calendar_pages_link_campaign_dates_to_their_campaign(as_user, db: Database,
                                                              clock: FrozenClock) -> None:
    campaign = make_campaign(db, clock, slug="linked", visibility="network",
                             start_date="2026-11-01", end_date="2027-01-31")
    schedule.add_milestone(db, campaign["id"], MilestoneInput.validated(
        title="Petition handed in", date="2026-11-27"), now=clock())
    from tests.support.web import soup

    page = soup(as_user("member").get("/calendar?month=2026-11"))
    link = next(a for a in page.find_all("a") if "Petition handed in" in a.text)
    assert link["href"] == "/campaigns/linked"


def test_any_write_moves_the_feed_versions_even_outside_our_functions(
        db: Database, clock: FrozenClock, users) -> None:
    from juntos.campaigns import calendar_link
    from juntos.social import calendar_link as social_link

    campaign = make_campaign(db, clock, slug="counted", visibility="network")
    before = calendar_link.version(db), social_link.version(db)
    db.execute("update campaigns set title = 'Renamed by hand' where id = ?", [campaign["id"]])
    assert calendar_link.version(db) > before[0]
    db.execute("insert into social_accounts (organisation_id, platform, handle, state)"
               " values (?, 'manual', '@by-hand', 'manual')", [users["member"].organisation_id])
    assert social_link.version(db) > before[1]
