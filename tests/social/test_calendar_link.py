"""Manual-account posts reach the organisation's private feed as reminders with an alarm."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import vobject
from starlette.testclient import TestClient

from juntos.accounts import store as accounts
from juntos.calendar import tokens
from juntos.db import Database
from juntos.social import posts
from tests.conftest import PASSWORD
from tests.social.dispatch_support import approve_as_owners
from tests.social.test_posts import ids, make_wave


def _feed(client: TestClient, token: str) -> icalendar.Calendar:
    r = client.get(f"/calendar/feeds/{token}.ics")
    assert r.status_code == 200, r.text
    vobject.readOne(r.content.decode()).validate()  # an independent parser accepts the alarm
    return icalendar.Calendar.from_ical(r.content)


def test_reminders_in_the_private_feed_and_cancellation_keeps_the_uid(
        client: TestClient, db: Database, kit, social_accounts, clock) -> None:
    org_a_user = accounts.create(db, email="poster@example.org", password=PASSWORD,
                                 org_slug="org-a", role="member", now=clock())
    org_b_user = accounts.create(db, email="outsider@example.org", password=PASSWORD,
                                 org_slug="org-b", role="member", now=clock())
    make_wave(db, kit, social_accounts, clock)
    posts.submit(db, ids(db), now=clock(), by=None)
    approve_as_owners(db, ids(db), now=clock())
    token = tokens.regenerate(db, org_a_user.id, now=clock())

    [event] = [e for e in _feed(client, token).walk("VEVENT")
               if str(e["SUMMARY"]).startswith("Post: ")]
    assert str(event["SUMMARY"]).startswith("Post: Financiem as clínicas")
    assert "https://example.org/clinics" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART").isoformat() == "2026-11-25T07:00:00+00:00"
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(minutes=15)

    other = tokens.regenerate(db, org_b_user.id, now=clock())
    assert not [e for e in _feed(client, other).walk("VEVENT")
                if str(e["SUMMARY"]).startswith("Post: ")]  # another organisation: nothing

    clock.advance(minutes=5)
    manual = next(r for r in posts.all_posts(db, posts.QueueFilter(campaign_id=1))
                  if r["platform"] == "manual")
    posts.cancel(db, manual["id"], now=clock(), by=None)
    [cancelled] = [e for e in _feed(client, token).walk("VEVENT")
                   if "Post: " in str(e["SUMMARY"])]
    assert str(cancelled["UID"]) == str(event["UID"])
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) > int(event["SEQUENCE"])
    assert not cancelled.walk("VALARM")
