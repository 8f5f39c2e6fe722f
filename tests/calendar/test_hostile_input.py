"""Hostile but small input, as a member could send it: bounded work, clear refusals, and
feeds that no stored value can take down."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import icalendar
import pytest
import respx

from juntos.calendar import fetching, importer, kinds, occurrences, store, subscriptions
from juntos.calendar import tokens as feed_tokens
from juntos.calendar.editing import EventForm
from juntos.calendar.importer import Defaults, ImportRefused
from juntos.calendar.models import MAX_COUNT, too_frequent
from juntos.db import Database
from juntos.errors import ValidationError
from tests.calendar.helpers import event, timed
from tests.support.web import post_form

SECONDLY_ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:s@x\r\n"
                b"DTSTART:%sT000000Z\r\nRRULE:%s\r\nSUMMARY:s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def ics(rule: str, start: str = "20261201") -> bytes:
    return SECONDLY_ICS % (start.encode(), rule.encode())


# --- bounded recurrence -----------------------------------------------------------------


def _raw(db: Database, clock, **values: object) -> int:  # type: ignore[no-untyped-def]
    """An event saved, then changed by SQL the way rows written before the checks are."""
    saved = store.save(db, timed(uid="raw@test", rrule="FREQ=DAILY"), now=clock())
    assert saved.id is not None
    with db.atomic():
        db["calendar_events"].update(saved.id, values)
        db.execute("delete from calendar_rendered where event_id = ?", [saved.id])
    return saved.id


@pytest.mark.parametrize("rule, start", [
    ("FREQ=SECONDLY", datetime(2026, 12, 1)),
    ("FREQ=SECONDLY", datetime(2000, 1, 1)),
    ("FREQ=MINUTELY;COUNT=5000000", datetime(2000, 1, 1)),
    ("FREQ=DAILY;COUNT=5000000", datetime(1900, 1, 1)),
    ("FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11;BYMINUTE=0,10,20,30,40,50",
     datetime(2000, 1, 1)),
])
def test_a_stored_runaway_series_expands_in_bounded_time(db: Database, clock, rule: str,
                                                         start: datetime) -> None:
    _raw(db, clock, rrule=rule, start=start.isoformat(), end=(start + timedelta(hours=1))
         .isoformat())
    began = time.monotonic()
    now = clock()
    found = occurrences.expand(store.query(db, None), now, now + timedelta(days=400))
    # bounded by the view's time budget (2 s), with a margin for a busy test machine
    assert time.monotonic() - began < occurrences.MAX_VIEW_SECONDS + 3
    assert len(found) <= occurrences.MAX_PER_SERIES


def test_a_view_stops_at_its_cap_and_a_sub_daily_series_shows_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(occurrences, "MAX_PER_VIEW", 500)
    many = [timed(uid=f"d{i}@test", rrule="FREQ=DAILY") for i in range(30)]
    start = datetime(2027, 3, 8, tzinfo=UTC)
    found = occurrences.expand(many, start, start + timedelta(days=3 * 365))
    assert len(found) == occurrences.MAX_PER_VIEW
    hourly = timed(uid="h@test", rrule="FREQ=HOURLY")
    assert len(occurrences.expand([hourly], start, start + timedelta(days=30))) == 1


@pytest.mark.parametrize("rule", ["FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=5", "FREQ=HOURLY",
                                  "FREQ=DAILY;BYHOUR=9,17", "FREQ=WEEKLY;BYMINUTE=0,30",
                                  f"FREQ=DAILY;COUNT={MAX_COUNT + 1}", "FREQ=DAILY;COUNT=5000000"])
def test_the_event_form_refuses_sub_daily_and_endless_rules(rule: str) -> None:
    form = EventForm(title="x", start="2027-03-08T10:00", end="2027-03-08T11:00",
                     tzid="Africa/Maputo", rrule=rule)
    with pytest.raises(ValidationError) as refused:
        form.to_event(uid=None, organiser_id=None)
    assert "rrule" in refused.value.errors


def test_daily_and_longer_rules_are_not_too_frequent() -> None:
    for rule in ("FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=DAILY;BYHOUR=9",
                 f"FREQ=MONTHLY;COUNT={MAX_COUNT}"):
        assert not too_frequent(rule)


@pytest.mark.parametrize("rule, named", [("FREQ=SECONDLY", "SECONDLY"),
                                         ("FREQ=DAILY;COUNT=5000000", "COUNT")])
def test_an_import_refuses_a_runaway_series_naming_it(db: Database, clock, rule: str,
                                                      named: str) -> None:
    began = time.monotonic()
    with pytest.raises(ImportRefused, match=named) as refused:
        importer.import_bytes(db, ics(rule, "20000101"), label="x", defaults=Defaults(),
                              now=clock())
    assert "s@x" in refused.value.message and time.monotonic() - began < 2
    assert store.count(db) == 0


# --- fields valid where they are written ----------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://e.org/\r\nX-Evil: 1",
                                 "https://e.org/a\tb", "data:text/html,hi", "ftp://e.org/x"])
def test_event_urls_are_web_or_mail_addresses(url: str) -> None:
    with pytest.raises(ValidationError) as refused:
        EventForm(title="x", start="2027-03-08", all_day="1", url=url).to_event(
            uid=None, organiser_id=None)
    assert "url" in refused.value.errors


def test_mail_and_web_addresses_are_kept() -> None:
    for url in ("mailto:info@example.org", "https://example.org/march"):
        made = EventForm(title="x", start="2027-03-08", all_day="1", url=url).to_event(
            uid=None, organiser_id=None)
        assert made.url == url


@pytest.mark.parametrize("field", ["title", "location"])
@pytest.mark.parametrize("bad", ["two\nlines", "a\rb", "tab\there", "nul\x00"])
def test_single_line_fields_refuse_control_characters(field: str, bad: str) -> None:
    values = {"title": "x", field: bad}
    with pytest.raises(ValidationError) as refused:
        EventForm(start="2027-03-08", all_day="1", **values).to_event(uid=None,
                                                                     organiser_id=None)
    assert field in refused.value.errors


def test_an_import_keeps_events_with_odd_urls_and_folded_titles(db: Database, clock) -> None:
    data = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u@x\r\n"
            b"DTSTART;VALUE=DATE:20270308\r\nSUMMARY:March\\nfor rights\r\n"
            b"URL;VALUE=TEXT:https://e.org/\\nX\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    report = importer.import_bytes(db, data, label="x", defaults=Defaults(), now=clock())
    (saved,) = store.query(db, None)
    assert saved.title == "March for rights" and saved.url == ""
    assert any("URL" in note for note in report.notes)


def test_a_stored_bad_row_leaves_every_feed_answering(app, as_user, db: Database, users,
                                                     clock, caplog) -> None:  # type: ignore[no-untyped-def]
    store.save(db, event(uid="good@test", title="Good day"), now=clock())
    bad = _raw(db, clock, url="https://e.org/\r\nX-Evil: 1", visibility="public")
    store.delete(db, bad, now=clock())  # deleted: still in feeds as a cancellation
    member = as_user("member")
    token = feed_tokens.regenerate(db, users["member"].id, now=clock())
    with caplog.at_level("WARNING", logger="juntos.calendar"):
        public = member.get("/calendar.ics")
        mine = member.get(f"/calendar/feeds/{token}.ics")
    assert public.status_code == 200 and mine.status_code == 200
    assert member.get("/account/calendar").status_code == 200
    titles = {str(v["SUMMARY"]) for v in icalendar.Calendar.from_ical(public.content)
              .walk("VEVENT")}
    assert titles == {"Good day"}
    assert "cannot be written" in caplog.text


# --- out-of-range parameters ----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/calendar?month=9999-12", "/calendar?month=0001-01",
                                  "/calendar?month=99999999999999999999-1",
                                  "/calendar/opportunities?from=9999-12-31&to=9999-12-31",
                                  "/calendar/opportunities?from=0001-01-01"])
def test_out_of_range_dates_are_a_400_with_a_message(as_user, path: str) -> None:
    r = as_user("member").get(path)
    assert r.status_code == 400
    assert "calendar covers" in r.text or "YYYY" in r.text


def test_a_huge_event_id_is_a_404(as_user) -> None:
    member = as_user("member")
    assert member.get("/calendar/events/" + "9" * 40).status_code == 404
    assert member.get("/calendar/events/" + "9" * 40 + ".ics").status_code == 404


def test_the_form_refuses_a_runaway_rule_on_the_web(as_user, db: Database) -> None:
    r = post_form(as_user("member"), "/calendar/events/new",
                  {"title": "Every second", "start": "2026-12-01T10:00",
                   "end": "2026-12-01T11:00", "rrule": "FREQ=SECONDLY", "category": "meeting",
                   "visibility": "public", "status": "confirmed", "tzid": "UTC"},
                  form_page="/calendar/events/new")
    assert r.status_code == 400 and "more often than daily" in r.text
    assert store.count(db) == 0


# --- subscriptions isolated ---------------------------------------------------------------


class _Feed(BaseHTTPRequestHandler):
    hosts: list[str] = []
    trickle = False

    def do_GET(self) -> None:
        _Feed.hosts.append(self.headers.get("host", ""))
        self.send_response(200)
        self.end_headers()
        if _Feed.trickle:
            for _ in range(40):
                self.wfile.write(b"B")
                self.wfile.flush()
                time.sleep(0.1)
            return
        self.wfile.write(ics("FREQ=WEEKLY;COUNT=3"))

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_feed() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    _Feed.hosts, _Feed.trickle = [], False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_the_checked_address_is_the_one_connected_to(local_feed: int) -> None:
    rebinding = fetching.client(resolver=lambda host, port: ["127.0.0.1"])
    with pytest.raises(fetching.FetchFailed, match="inside this server's network"):
        fetching.fetch(f"http://feed.example.test:{local_feed}/x.ics", client_=rebinding)
    assert _Feed.hosts == []  # never connected
    pinned = fetching.client(allow_private=True, resolver=lambda host, port: ["127.0.0.1"])
    body = fetching.fetch(f"http://feed.example.test:{local_feed}/x.ics", client_=pinned,
                          allow_private=True)
    assert body.startswith(b"BEGIN:VCALENDAR")
    assert _Feed.hosts == [f"feed.example.test:{local_feed}"]  # the name, at the vetted address


def test_a_name_that_cannot_be_resolved_is_a_plain_failure() -> None:
    # a 70-character label: the system resolver's IDNA codec refuses it (UnicodeError)
    with pytest.raises(fetching.FetchFailed, match="could not be found"):
        fetching.fetch("https://" + "a" * 70 + ".example.org/x.ics")


def test_a_trickling_feed_runs_out_of_time(local_feed: int) -> None:
    _Feed.trickle = True
    began = time.monotonic()
    with pytest.raises(fetching.FetchFailed, match="longer than"):
        fetching.fetch(f"http://127.0.0.1:{local_feed}/x.ics", allow_private=True,
                       deadline=0.5)
    assert time.monotonic() - began < 3


def test_fetches_beyond_the_cap_are_refused_at_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    busy = threading.BoundedSemaphore(1)
    busy.acquire()
    monkeypatch.setattr(fetching, "_slots", busy)
    with pytest.raises(fetching.FetchFailed, match="Too many feeds"):
        fetching.fetch("https://calendar.example.org/x.ics")


@respx.mock
def test_one_bad_source_never_stops_the_others(db: Database, org_b, clock) -> None:  # type: ignore[no-untyped-def]
    good = "https://calendar.example.org/good.ics"
    respx.get(good).mock(return_value=httpx.Response(200, content=ics("FREQ=WEEKLY;COUNT=3")))
    respx.get("https://calendar.example.org/hostile.ics").mock(
        return_value=httpx.Response(200, content=b"BEGIN:VCALENDAR\r\n<script>secret</script>"))
    for url in ("https://" + "é" * 70 + ".example.org/x.ics",
                "https://calendar.example.org/hostile.ics", good):
        db["calendar_sources"].insert({"kind": "subscription", "label": url[-12:], "url": url,
                                       "organisation_id": org_b["id"], "visibility": "network",
                                       "created_at": clock().isoformat()})
    long_label, hostile, fine = kinds.refresh_all(db, now=clock())
    assert long_label.error == "The feed's address cannot be used."
    assert hostile.error.startswith("The feed's content was refused")
    assert "secret" not in hostile.error and "<script>" not in hostile.error
    assert fine.error == "" and store.count(db) == 1
    stored = {s["label"]: s["last_error"] for s in subscriptions.list_sources(db)}
    assert stored[long_label.label] == long_label.error


def test_a_kind_that_raises_is_recorded_on_its_source(db: Database, org_b, clock,
                                                      monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def boom(*args: object, **kw: object) -> None:
        raise RuntimeError("surprise")

    monkeypatch.setattr(subscriptions, "get", boom)
    db["calendar_sources"].insert({"kind": "subscription", "label": "x", "url": "https://e.org",
                                   "organisation_id": org_b["id"], "visibility": "network",
                                   "created_at": clock().isoformat()})
    (result,) = kinds.refresh_all(db, now=clock())
    assert result.error == "The source could not be read."


@pytest.mark.parametrize("role, sees", [("coordinator", {"A", "B"}), ("member", {"A"}),
                                        ("other_member", {"B"})])
def test_a_member_sees_only_their_organisations_sources(as_user, db: Database, org_a, org_b,
                                                        clock, role: str, sees: set[str]) -> None:  # type: ignore[no-untyped-def]
    for label, org in (("A", org_a), ("B", org_b)):
        db["calendar_sources"].insert({"kind": "subscription", "label": f"Feed {label}",
                                       "url": f"https://e.org/{label}",
                                       "organisation_id": org["id"], "visibility": "network",
                                       "created_at": clock().isoformat()})
    page = as_user(role).get("/calendar/import")
    assert page.status_code == 200
    assert {label for label in "AB" if f"Feed {label}" in page.text} == sees
    assert as_user("viewer").get("/calendar/import").status_code == 403


@pytest.mark.parametrize("rule", ["FREQ=DAILY", "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TH",
                                  "FREQ=DAILY;INTERVAL=7;BYMONTH=11", "FREQ=WEEKLY;WKST=SU"])
def test_a_series_begun_long_ago_gives_the_same_occurrences_cheaply(rule: str) -> None:
    from dateutil.rrule import rrulestr

    began = datetime(1900, 1, 1, 10)
    series = timed(uid="old@test", start=began, end=began + timedelta(hours=1), rrule=rule,
                   tzid="UTC", exdates=(datetime(2026, 11, 12, 10),))
    low, high = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    found = [o.start.replace(tzinfo=None) for o in occurrences.expand([series], low, high)]
    full = [d for d in rrulestr(rule, dtstart=began).between(
        datetime(2026, 11, 1), datetime(2026, 12, 1), inc=True) if d != datetime(2026, 11, 12, 10)]
    assert found == full and found


def test_many_long_series_share_one_budget_per_view() -> None:
    began = datetime(1900, 1, 1, 10)
    slow = [timed(uid=f"s{i}@test", start=began, end=began + timedelta(hours=1),
                  rrule="FREQ=DAILY;BYSETPOS=1;BYHOUR=10") for i in range(40)]
    low = datetime(2026, 11, 1, tzinfo=UTC)
    started = time.monotonic()
    occurrences.expand(slow, low, low + timedelta(days=30))
    assert time.monotonic() - started < occurrences.MAX_VIEW_SECONDS + 3
