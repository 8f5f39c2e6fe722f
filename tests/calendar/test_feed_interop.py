"""Feeds we produce are read alike by icalendar, recurring-ical-events, vobject, ical and
ical.js: the right dates, the right instants, across daylight-saving changes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from juntos.calendar import feed, store
from juntos.calendar.filters import Filters
from juntos.calendar.visibility import PUBLIC
from juntos.db import Database
from tests.calendar.helpers import (
    event,
    expand,
    icaljs_available,
    icaljs_occurrences,
    parse_all,
    timed,
)

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)

needs_node = pytest.mark.skipif(
    not icaljs_available(),
    reason="ical.js not installed: needs node and `npm ci` in tests/calendar/js (make test)")


def _feed(db: Database, *events) -> bytes:  # type: ignore[no-untyped-def]
    for e in events:
        store.save(db, e, now=NOW)
    return feed.render(store.query(db, PUBLIC, now=NOW), name="Test", description="Test",
                       now=NOW).body


@pytest.fixture
def interop_feed(db: Database) -> bytes:
    return _feed(
        db,
        event(uid="womens-day@test", title="International Women's Day", start=date(2026, 3, 8),
              end=date(2026, 3, 9), rrule="FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8"),
        timed(uid="weekly@test", title="Weekly call", start=datetime(2027, 3, 15, 10),
              end=datetime(2027, 3, 15, 11), tzid="Europe/Copenhagen",
              rrule="FREQ=WEEKLY;COUNT=4"),
        timed(uid="july4@test", title="Summer summit", start=datetime(2027, 7, 4, 10),
              end=datetime(2027, 7, 4, 12), tzid="America/New_York"),
        timed(uid="winter@test", title="Winter summit", start=datetime(2027, 1, 15, 10),
              end=datetime(2027, 1, 15, 12), tzid="America/New_York"),
        timed(uid="ny-weekly@test", title="New York weekly", start=datetime(2027, 1, 4, 10),
              end=datetime(2027, 1, 4, 11), tzid="America/New_York",
              rrule="FREQ=MONTHLY;BYMONTHDAY=4;COUNT=8"),
    )


def test_feed_has_the_calendar_properties_clients_need(interop_feed: bytes) -> None:
    cal = parse_all(interop_feed)
    for name in ("VERSION", "PRODID", "CALSCALE", "X-WR-CALNAME", "X-WR-CALDESC",
                 "X-WR-TIMEZONE", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
        assert name in cal, name
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in interop_feed
    for vevent in cal.walk("VEVENT"):
        assert "DTSTAMP" in vevent and "UID" in vevent and "SEQUENCE" in vevent


def test_lines_end_in_crlf_and_are_folded_at_75_octets(db: Database) -> None:
    body = _feed(db, event(title="Ação " * 40, description="Solidariedade " * 30))
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert parse_all(body).walk("VEVENT")[0]["SUMMARY"].startswith("Ação Ação")


def test_every_tzid_used_has_its_vtimezone(interop_feed: bytes) -> None:
    text = interop_feed.decode()
    used = set(re.findall(r";TZID=([^:;]+)[:;]", text))
    defined = set(re.findall(r"\r\nTZID:([^\r]+)\r\n", text))
    assert used and used <= defined
    # one-off timed events are in UTC, all-day ones are dates
    assert "DTSTART:20270704T140000Z" in text
    assert "DTSTART;VALUE=DATE:20260308" in text and "DTEND;VALUE=DATE:20260309" in text
    # never one RDATE line holding several switch dates (ical.js reads only the first)
    assert not re.search(r"\r\nRDATE[^\r]*,", text)


def test_yearly_all_day_day_falls_on_the_right_date_in_2026_and_2027(interop_feed: bytes) -> None:
    days = [o.start for o in expand(interop_feed, (2026, 1, 1), (2028, 1, 1))
            if str(o["UID"]) == "womens-day@test"]
    assert days == [date(2026, 3, 8), date(2027, 3, 8)]


def test_weekly_meeting_keeps_its_local_hour_across_the_dst_change(interop_feed: bytes) -> None:
    occurrences = [o for o in expand(interop_feed, (2027, 3, 1), (2027, 5, 1))
                   if str(o["UID"]) == "weekly@test"]
    assert [o.start.hour for o in occurrences] == [10, 10, 10, 10]
    utc = [o.start.astimezone(UTC).hour for o in occurrences]
    assert utc == [9, 9, 8, 8]  # Copenhagen moves to summer time on 28 March 2027


def test_summer_event_is_at_the_right_utc_instant(interop_feed: bytes) -> None:
    (summit,) = [o for o in expand(interop_feed, (2027, 7, 1), (2027, 7, 10))
                 if str(o["UID"]) == "july4@test"]
    assert summit.start.astimezone(UTC) == datetime(2027, 7, 4, 14, tzinfo=UTC)


@needs_node
def test_icaljs_reads_the_same_dates_and_instants(interop_feed: bytes) -> None:
    found: dict[str, list[str]] = {}
    for occ in icaljs_occurrences(interop_feed, 2027):
        found.setdefault(occ["uid"], []).append(occ["start"])
    assert found["womens-day@test"][:2] == ["2026-03-08", "2027-03-08"]
    assert found["weekly@test"] == ["2027-03-15T09:00:00.000Z", "2027-03-22T09:00:00.000Z",
                                    "2027-03-29T08:00:00.000Z", "2027-04-05T08:00:00.000Z"]
    assert found["july4@test"] == ["2027-07-04T14:00:00.000Z"]
    assert found["winter@test"] == ["2027-01-15T15:00:00.000Z"]
    # a named-zone series: winter and summer instants both right in ical.js
    ny = found["ny-weekly@test"]
    assert ny[0] == "2027-01-04T15:00:00.000Z" and ny[6] == "2027-07-04T14:00:00.000Z"


@needs_node
def test_series_whose_start_is_not_on_its_rule_keeps_its_first_day_in_icaljs(
        db: Database) -> None:
    # DTSTART on a Wednesday, rule on Mondays: RFC 5545 counts DTSTART, ical.js would drop it
    # unless it is also an RDATE.
    body = _feed(db, timed(uid="odd@test", start=datetime(2027, 1, 6, 10),
                           end=datetime(2027, 1, 6, 11), tzid="Europe/Copenhagen",
                           rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=2"))
    starts = [o["start"] for o in icaljs_occurrences(body, 2027)]
    python = [o.start.astimezone(UTC) for o in expand(body, (2027, 1, 1), (2027, 2, 1))]
    assert starts[0] == "2027-01-06T09:00:00.000Z"
    assert python[0] == datetime(2027, 1, 6, 9, tzinfo=UTC)


def test_recurring_utc_event_is_written_with_a_named_zone(db: Database) -> None:
    body = _feed(db, timed(uid="utc@test", tzid="UTC", rrule="FREQ=DAILY;COUNT=2"))
    assert b"DTSTART;TZID=Etc/UTC:20270308T100000" in body
    assert b"TZID:Etc/UTC" in body
    parse_all(body)


def test_rdate_only_event_lists_its_start_among_the_rdates(db: Database) -> None:
    body = _feed(db, event(uid="rd@test", rdates=(date(2027, 4, 1),)))
    assert b"RDATE;VALUE=DATE:20270308\r\n" in body and b"RDATE;VALUE=DATE:20270401" in body
    days = [o.start for o in expand(body, (2027, 1, 1), (2028, 1, 1))]
    assert days == [date(2027, 3, 8), date(2027, 4, 1)]


def test_building_twice_gives_the_same_bytes(db: Database) -> None:
    store.save(db, timed(), now=NOW)
    first = feed.render(store.query(db, PUBLIC, now=NOW), name="a", description="b", now=NOW)
    later = feed.render(store.query(db, PUBLIC, now=NOW), name="a", description="b",
                        now=NOW + timedelta(hours=5))
    assert first.body == later.body and first.etag == later.etag
    assert b"DTSTAMP:20261123T090000Z" in first.body  # the event's last change, not build time


def test_an_edit_keeps_the_uid_and_raises_sequence(db: Database) -> None:
    saved = store.save(db, timed(), now=NOW)
    before = parse_all(feed.render([saved], name="a", description="b", now=NOW).body)
    edited = store.save(db, saved.with_changes(location="Maputo"), now=NOW + timedelta(hours=1))
    after = parse_all(feed.render([edited], name="a", description="b", now=NOW).body)
    (old,), (new,) = before.walk("VEVENT"), after.walk("VEVENT")
    assert str(new["UID"]) == str(old["UID"])
    assert int(new["SEQUENCE"]) > int(old["SEQUENCE"])
    assert new["LAST-MODIFIED"].dt > old["LAST-MODIFIED"].dt


def test_a_cancelled_event_stays_as_status_cancelled_with_a_telling_title(db: Database) -> None:
    saved = store.save(db, timed(title="Vigil"), now=NOW)
    store.cancel(db, saved.id, now=NOW + timedelta(hours=1))
    body = feed.render(store.query(db, PUBLIC, now=NOW + timedelta(days=1)), name="a",
                       description="b", now=NOW).body
    (vevent,) = parse_all(body).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["SUMMARY"]) == "Cancelled: Vigil"
    assert int(vevent["SEQUENCE"]) == 1
    # after the 90-day grace period it is gone
    assert store.query(db, PUBLIC, now=NOW + timedelta(days=95)) == []


def test_a_deleted_event_is_served_cancelled_for_90_days(db: Database) -> None:
    saved = store.save(db, timed(), now=NOW)
    store.delete(db, saved.id, now=NOW)
    (kept,) = store.query(db, PUBLIC, now=NOW + timedelta(days=89))
    assert kept.removed
    assert store.query(db, PUBLIC, now=NOW + timedelta(days=91)) == []
    assert store.purge(db, now=NOW + timedelta(days=91)) == 1


def test_filters_combine(db: Database, org_a: dict) -> None:
    from juntos.campaigns import store as campaigns
    from juntos.campaigns.models import CampaignInput

    ids = {slug: campaigns.create(db, CampaignInput.validated(title=slug, slug=slug),
                                  lead="org-a", now=NOW)["id"] for slug in ("autumn-2027", "other")}
    store.save(db, event(uid="a@t", campaign="autumn-2027", campaign_id=ids["autumn-2027"],
                         countries=("MZ",)), now=NOW)
    store.save(db, event(uid="b@t", campaign="autumn-2027", campaign_id=ids["autumn-2027"],
                         countries=("ZA",)), now=NOW)
    store.save(db, event(uid="c@t", campaign="other", campaign_id=ids["other"], countries=("MZ",),
                         themes=("Climate",)), now=NOW)
    store.save(db, event(uid="d@t", campaign="autumn-2027", countries=("MZ",)), now=NOW)  # orphan
    pick = Filters.from_query({"campaign": "autumn-2027", "country": "mz"})
    assert [e.uid for e in store.query(db, PUBLIC, pick)] == ["a@t"]
    assert store.query(db, PUBLIC, Filters(campaign="no-such-campaign")) == []
    assert [e.uid for e in store.query(db, PUBLIC, Filters(theme="climate"))] == ["c@t"]
