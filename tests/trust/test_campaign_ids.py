"""Events reference campaigns by id (issue 15, item 3): a campaign created later with a free
slug, or a rename, never hands another organisation a campaign's private events."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest
from starlette.testclient import TestClient

from juntos.calendar import importer, store
from juntos.calendar import tokens as feed_tokens
from juntos.calendar.importer import Defaults
from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.db import Database
from tests.calendar.helpers import event
from tests.support.web import csrf_token, post_form, soup

ROLES = ["anonymous", "viewer", "member", "other_member", "coordinator"]


def _titles(body: bytes) -> set[str]:
    return {str(v["SUMMARY"]) for v in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def _sees(who: TestClient, client: TestClient, db: Database, user_id: int | None, clock,
          saved, *, slug: str = "") -> bool:  # type: ignore[no-untyped-def]
    """Whether ``who`` reaches the event anywhere: agenda, its page, the timeline, the public
    feed (never for a private event) and, signed in, the private feed. All must agree."""
    title = saved.title
    page = who.get(f"/calendar/events/{saved.id}", follow_redirects=False).status_code
    assert page in (200, 303, 404)  # 303: to the login page
    seen = {"agenda": title in soup(who.get("/calendar/agenda")).get_text(), "page": page == 200}
    if slug:
        seen["timeline"] = title in soup(who.get(f"/calendar/campaigns/{slug}")).get_text()
        assert title not in _titles(client.get(f"/calendar.ics?campaign={slug}").content)
    assert title not in _titles(client.get("/calendar.ics").content)
    if user_id is not None:
        token = feed_tokens.regenerate(db, user_id, now=clock())
        seen["feed"] = title in _titles(client.get(f"/calendar/feeds/{token}.ics").content)
    values = set(seen.values())
    assert len(values) == 1, seen
    return values.pop()


def _create_campaign(who: TestClient, slug: str) -> None:
    token = csrf_token(who, "/campaigns/new")
    r = who.post("/campaigns/new", data={"csrf_token": token, "title": slug.title(),
                                         "slug": slug, "status": "active",
                                         "visibility": "private"})
    assert r.status_code == 200 and str(r.url).endswith(f"/campaigns/{slug}")


def test_the_finding_replayed_a_free_slug_reads_nothing(as_user, client, db: Database, users,
                                                        org_a, clock) -> None:  # type: ignore[no-untyped-def]
    """An orphan event (its campaign slug names no campaign) of org A; a member of org B
    creates a campaign with that very slug over HTTP: the event stays invisible to them."""
    orphan = store.save(db, event(uid="retreat@a", title="Partners' strategy retreat",
                                  start=date(2026, 12, 3), end=date(2026, 12, 5),
                                  visibility="campaign", campaign="retreat-2027",
                                  organiser_id=org_a["id"]), now=clock())
    assert orphan.campaign_id is None
    intruder = as_user("other_member")
    _create_campaign(intruder, "retreat-2027")
    assert campaigns.get(db, "retreat-2027")  # the squatter's campaign exists, led by org B
    assert not _sees(intruder, client, db, users["other_member"].id, clock, orphan,
                     slug="retreat-2027")
    # Its page names the old address but links to no campaign (not the squatter's).
    page = soup(as_user("member").get(f"/calendar/events/{orphan.id}"))
    assert not page.select_one('a[href="/calendar/campaigns/retreat-2027"]')
    # Its organiser's own members and coordinators still see it.
    assert _sees(as_user("member"), client, db, users["member"].id, clock, orphan)
    assert _sees(as_user("coordinator"), client, db, users["coordinator"].id, clock, orphan)


def test_a_renamed_campaign_keeps_its_events_and_its_old_slug_gives_nothing(
        as_user, client, db: Database, users, clock) -> None:  # type: ignore[no-untyped-def]
    member = as_user("member")
    _create_campaign(member, "autumn")
    autumn = campaigns.get(db, "autumn")
    made = post_form(member, "/calendar/events/new", {
        "title": "Autumn planning", "all_day": "1", "start": "2026-12-03", "end": "2026-12-03",
        "tzid": "UTC", "category": "meeting", "campaign": "autumn", "visibility": "campaign",
        "status": "confirmed"}, form_page="/calendar/events/new")
    saved = store.get(db, int(made.url.path.rsplit("/", 1)[1]))
    assert saved.campaign_id == autumn["id"]
    # Renamed (as the campaigns area would): the event follows the id.
    db["campaigns"].update(autumn["id"], {"slug": "autumn-renamed"})
    intruder = as_user("other_member")
    _create_campaign(intruder, "autumn")
    assert not _sees(intruder, client, db, users["other_member"].id, clock, saved,
                     slug="autumn")
    assert _sees(member, client, db, users["member"].id, clock, saved, slug="autumn-renamed")
    page = soup(member.get(f"/calendar/events/{saved.id}"))
    assert page.select_one('a[href="/calendar/campaigns/autumn-renamed"]')
    assert not page.select_one('a[href="/calendar/campaigns/autumn"]')
    # Editing the event keeps its campaign id, though its display slug names the squatter's.
    post_form(member, f"/calendar/events/{saved.id}/edit", {
        "title": "Autumn planning, moved", "all_day": "1", "start": "2026-12-04",
        "end": "2026-12-04", "tzid": "UTC", "category": "meeting", "campaign": "autumn",
        "visibility": "campaign", "status": "confirmed"},
        form_page=f"/calendar/events/{saved.id}/edit")
    edited = store.get(db, saved.id)
    assert edited.title == "Autumn planning, moved" and edited.campaign_id == autumn["id"]


def test_the_form_stores_only_an_accepted_partners_campaign_id(as_user, db: Database, org_b,
                                                                clock) -> None:  # type: ignore[no-untyped-def]
    """Org B invited (not accepted) to a campaign of org A: its member cannot join it."""
    plan = campaigns.create(db, CampaignInput.validated(title="Plan", slug="plan",
                                                        visibility="private"),
                            lead="org-a", now=clock())
    campaigns.add_partner(db, plan["id"], "org-b", "partner", now=clock())
    other = as_user("other_member")
    token = csrf_token(other, "/calendar/events/new")
    r = other.post("/calendar/events/new", data={
        "csrf_token": token, "title": "Sneak", "all_day": "1", "start": "2026-12-03",
        "end": "2026-12-03", "tzid": "UTC", "category": "meeting", "campaign": "plan",
        "visibility": "campaign", "status": "confirmed"})
    assert r.status_code == 400 and "partner of" in r.text
    assert store.count(db) == 0


@pytest.fixture
def matrix_events(db: Database, org_a, org_b, clock):  # type: ignore[no-untyped-def]
    """A private campaign of org A (accepted lead) with org B only invited; one of its
    campaign events; and an orphan campaign event organised by org B."""
    secret = campaigns.create(db, CampaignInput.validated(title="Secret", slug="secret",
                                                          visibility="private"),
                              lead="org-a", now=clock(), accepted=True)
    campaigns.add_partner(db, secret["id"], "org-b", "partner", now=clock())
    linked = store.save(db, event(uid="linked@t", title="Secret strategy day",
                                  start=date(2026, 12, 3), end=date(2026, 12, 4),
                                  visibility="campaign", campaign="secret",
                                  campaign_id=secret["id"], organiser_id=org_a["id"]),
                        now=clock())
    orphan = store.save(db, event(uid="orphan@t", title="Old retreat of B",
                                  start=date(2026, 12, 3), end=date(2026, 12, 4),
                                  visibility="campaign", campaign="gone-campaign",
                                  organiser_id=org_b["id"]), now=clock())
    return linked, orphan


@pytest.mark.parametrize("role, linked_seen, orphan_seen", [
    ("anonymous", False, False),
    ("viewer", True, False),  # org A: the campaign's partner
    ("member", True, False),
    ("other_member", False, True),  # org B: invited only; the orphan's organiser
    ("coordinator", True, True),
])
def test_campaign_visibility_matrix(role: str, linked_seen: bool, orphan_seen: bool, client,
                                    as_user, users, db: Database, clock,
                                    matrix_events) -> None:  # type: ignore[no-untyped-def]
    linked, orphan = matrix_events
    who = client if role == "anonymous" else as_user(role)
    user_id = None if role == "anonymous" else users[role].id
    assert _sees(who, client, db, user_id, clock, linked, slug="secret") is linked_seen
    assert _sees(who, client, db, user_id, clock, orphan) is orphan_seen


def test_an_import_never_gives_an_event_a_campaign(db: Database, org_b, clock) -> None:  # type: ignore[no-untyped-def]
    ics = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:i@b\r\n"
           b"DTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20270308\r\nSUMMARY:Ours\r\n"
           b"CATEGORIES:secret\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    importer.import_bytes(db, ics, label="b.ics", defaults=Defaults(organiser_id=org_b["id"]),
                          now=clock())
    imported = store.get_by_uid(db, "i@b")
    assert imported.campaign == "" and imported.campaign_id is None
