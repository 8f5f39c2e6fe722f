"""Property tests (Hypothesis): whatever a member types into the event form or uploads as an
.ics, the answer is a stored result or a clear refusal, never an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juntos.calendar import feed, importer, store
from juntos.calendar.editing import EventForm
from juntos.calendar.importer import Defaults, ImportRefused
from juntos.db import Database
from juntos.errors import ValidationError

SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

RULES = st.sampled_from(["", "FREQ=DAILY", "FREQ=WEEKLY;COUNT=3", "FREQ=SECONDLY",
                         "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=YEARLY;UNTIL=20300101T000000Z",
                         "FREQ=DAILY;COUNT=99999999999999999999", "FREQ=HOURLY;INTERVAL=0",
                         "FREQ=WEEKLY;BYDAY=XX", "COUNT=3", "FREQ=DAILY;BYHOUR=1,2"])
MOMENTS = st.one_of(st.sampled_from(["2027-03-08", "2027-03-08T10:00", "9999-12-31T23:59",
                                     "0001-01-01", "2027-02-30", "", "2027-03-08T25:00"]),
                    st.text(max_size=20))
ANY_TEXT = st.text(max_size=60)


@given(title=ANY_TEXT, location=ANY_TEXT, url=st.one_of(ANY_TEXT, st.sampled_from(
           ["https://e.org", "mailto:a@b.org", "javascript:x", "https://e.org/\r\nX: y"])),
       all_day=st.sampled_from(["", "1"]), start=MOMENTS, end=MOMENTS,
       tzid=st.one_of(st.sampled_from(["UTC", "Africa/Maputo", "Mars/Olympus", ""]), ANY_TEXT),
       rrule=st.one_of(RULES, ANY_TEXT), countries=ANY_TEXT, themes=ANY_TEXT,
       category=st.sampled_from(["meeting", "nonsense"]),
       visibility=st.sampled_from(["public", "organisation", "x"]))
@SETTINGS
def test_the_event_form_saves_or_refuses(db: Database, clock, **values: str) -> None:  # type: ignore[no-untyped-def]
    form = EventForm(**values)
    try:
        made = form.to_event(uid=None, organiser_id=None)
    except ValidationError as e:
        assert e.errors and all(str(m) for m in e.errors.values())
        return
    saved = store.save(db, made, now=clock())
    assert feed.vevent_bytes(saved).startswith(b"BEGIN:VEVENT")


LINES = st.sampled_from([
    "BEGIN:VCALENDAR", "END:VCALENDAR", "VERSION:2.0", "PRODID:x", "BEGIN:VEVENT", "END:VEVENT",
    "UID:a@x", "UID:b@x", "DTSTART:20270308T100000Z", "DTSTART;VALUE=DATE:20270308",
    "DTSTART;TZID=Europe/Copenhagen:20270308T100000", "DTSTART;TZID=Nowhere:20270308T100000",
    "DTEND:20270308T090000Z", "DURATION:PT1H", "DURATION:-P1D", "RRULE:FREQ=WEEKLY;COUNT=3",
    "RRULE:FREQ=SECONDLY", "RRULE:FREQ=DAILY;COUNT=5000000", "RRULE:FREQ=YEARLY;BYDAY=XX",
    "EXDATE:20270315T100000Z", "RDATE;VALUE=PERIOD:20270401T100000Z/PT1H",
    "RECURRENCE-ID:20270315T100000Z", "SUMMARY:March\\nfor rights", "URL;VALUE=TEXT:x\\ny",
    "URL:javascript:alert(1)", "SEQUENCE:-5", "SEQUENCE:99999999999999999999",
    "STATUS:CANCELLED", "X-WR-TIMEZONE:Africa/Maputo", "X-WR-TIMEZONE:Nowhere",
    "BEGIN:VTODO", "END:VTODO", "BEGIN:VTIMEZONE", "END:VTIMEZONE", "CATEGORIES:Meeting",
    "LAST-MODIFIED:20270101T000000Z", "DTSTART:99991231T235959Z", "DTSTART:00010101",
])


@given(lines=st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=30),
       framed=st.booleans())
@SETTINGS
def test_an_ics_import_stores_all_or_refuses_clearly(db: Database, clock, lines: list[str],
                                                     framed: bool) -> None:  # type: ignore[no-untyped-def]
    if framed:
        lines = ["BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:f@x", *lines, "END:VEVENT",
                 "END:VCALENDAR"]
    data = "\r\n".join(lines).encode("utf-8", "surrogatepass")
    before = store.count(db)
    try:
        report = importer.import_bytes(db, data, label="x", defaults=Defaults(), now=clock())
    except ImportRefused as e:
        assert e.message and store.count(db) == before
        return
    assert report.total >= 0
    for event in store.query(db, None):
        assert feed.safe_vevent_bytes(event) is not None
