"""Event titles in the reader's language: what Juntos writes itself, never what people typed.

Titles we generate start with a word ("Due: ", "Post: ") or are an international day's name
(``data/international_days.csv`` has the Portuguese ones); events are stored with the English
title, and pages and feeds show them in the reader's language through ``localised``.
"""

from __future__ import annotations

import dataclasses
from functools import cache

from juntos.calendar.models import Event, make_uid
from juntos.calendar.observances import load

#: The generated prefixes (campaign deadlines, social posts' reminders) in each language.
PREFIXES: dict[str, dict[str, str]] = {
    "pt": {"Due: ": "Prazo: ", "Post: ": "Publicação: "},
}


@cache
def _day_names(language: str) -> dict[str, str]:
    if language != "pt":
        return {}
    return {make_uid("observance", o.key): o.name_pt for o in load() if o.name_pt}


def title(event: Event, language: str) -> str:
    """The event's title as a reader of ``language`` sees it."""
    if event.category == "international_day":
        named = _day_names(language).get(event.uid)
        if named:
            return named
    for english, translated in PREFIXES.get(language, {}).items():
        if event.title.startswith(english):
            return translated + event.title[len(english):]
    return event.title


def localised(event: Event, language: str) -> Event:
    """The event with its title in ``language`` (itself when nothing changes)."""
    shown = title(event, language)
    return event if shown == event.title else dataclasses.replace(event, title=shown)
