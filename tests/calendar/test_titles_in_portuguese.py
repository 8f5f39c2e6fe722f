"""Generated titles in the reader's language: pages, ``?lang=pt`` on public feeds, and a
Portuguese user's private feed."""

from __future__ import annotations

import icalendar

from juntos.accounts import store as accounts
from juntos.calendar import international, titles
from juntos.calendar import tokens as feed_tokens
from tests.calendar.helpers import event


def _titles(body: bytes) -> set[str]:
    return {str(v["SUMMARY"]) for v in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def test_generated_prefixes_and_international_days_are_translated():
    due = event(title="Due: Report (Forum, Land)", category="deadline")
    assert titles.title(due, "pt") == "Prazo: Report (Forum, Land)"
    assert titles.title(due, "en") == "Due: Report (Forum, Land)"
    typed = event(title="Post office visit")
    assert titles.title(typed, "pt") == "Post office visit"
    from juntos.calendar.observances import load
    braille = next(o for o in load() if o.name == "World Braille Day")
    assert titles.title(international.to_event(braille), "pt") == "Dia Mundial do Braille"


def test_lang_on_public_feeds_and_the_owners_language_on_private_ones(client, db, users, clock):
    international.load_observances(db, now=clock())
    english = _titles(client.get("/calendar.ics").content)
    portuguese = _titles(client.get("/calendar.ics?lang=pt").content)
    assert "International Day of Education" in english
    assert "Dia Internacional da Educação" in portuguese
    assert "International Day of Education" not in portuguese
    accounts.set_language(db, users["member"].id, "pt")
    token = feed_tokens.regenerate(db, users["member"].id, now=clock())
    private = _titles(client.get(f"/calendar/feeds/{token}.ics").content)
    assert "Dia Internacional da Educação" in private
