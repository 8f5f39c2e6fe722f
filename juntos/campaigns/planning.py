"""Planning help: the international days in a campaign's period that match its themes.

Reads the observances through ``juntos.calendar.observances`` (the calendar area owns that
module and the data); this module only adds what campaigns need on top: a cache of the
suggestions a page asks for, and leaving out days already chosen.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from juntos.calendar import observances
from juntos.campaigns.models import CallToActionInput

#: Suggestions look this far ahead when a campaign has no end date.
DEFAULT_HORIZON_DAYS = 365


def suggest(campaign: dict[str, Any], calls: list[dict[str, Any]],
            *, today: date) -> list[observances.Suggestion]:
    """Days matching the campaign's themes from its start (never before today) to its end,
    minus those already calls to action. Empty without themes or once the campaign is over."""
    themes = campaign.get("themes") or []
    if not themes:
        return []
    start = date.fromisoformat(campaign["start_date"]) if campaign.get("start_date") else today
    start = max(start, today)  # a day already past is no longer an opportunity
    if campaign.get("end_date"):
        end = date.fromisoformat(campaign["end_date"])
    else:
        end = date.fromordinal(start.toordinal() + DEFAULT_HORIZON_DAYS)
    if end < start:
        return []
    taken = {(c["observance_key"], c["start_date"]) for c in calls if c.get("observance_key")}
    found = _suggestions(tuple(themes), start, end)
    return [s for s in found if (s.observance.key, s.first.isoformat()) not in taken]


@lru_cache(maxsize=256)
def _suggestions(themes: tuple[str, ...], start: date,
                 end: date) -> tuple[observances.Suggestion, ...]:
    # Expanding 113 yearly rules costs ~10 ms; a campaign page asks the same question each time.
    return tuple(observances.suggestions(observances.load(), themes, start, end))


def call_from_observance(key: str, first: str) -> CallToActionInput:
    """A call to action for one occurrence of an international day, ready to save."""
    from juntos.errors import ValidationError

    match = next((o for o in observances.load() if o.key == key), None)
    if match is None:
        raise ValidationError({"observance_key": "Unknown international day."})
    try:
        day = date.fromisoformat(first)
    except ValueError:
        raise ValidationError({"start_date": "Not a date."}) from None
    occurrence = next(iter(match.occurrences(day, day)), None)
    if occurrence is None or occurrence[0] != day:
        raise ValidationError({"start_date": f"{match.name} does not start on {first}."})
    return CallToActionInput.validated(
        title=match.name, start_date=occurrence[0].isoformat(),
        end_date=occurrence[1].isoformat(), observance_key=match.key,
        tactics="", ask="", audience="",
    )
