"""Planning help: the international days in a campaign's period that match its themes.

Reads the observances through ``juntos.calendar.observances`` (the calendar area owns that
module and the data); this module only adds what campaigns need on top: a cache (one per app)
so a page does not re-parse the file on every request, and leaving out days already chosen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from cachetools import LRUCache

from juntos.calendar import observances
from juntos.campaigns.models import CallToActionInput
from juntos.errors import ValidationError

K = TypeVar("K")
V = TypeVar("V")

#: Suggestions look this far ahead when a campaign has no end date.
DEFAULT_HORIZON_DAYS = 365


class PlanningCache:
    """The parsed international days and the suggestions pages asked for, per version of the
    file: one per app (``app.state.campaign_planning``). Expanding 113 yearly rules costs
    ~10 ms, and a campaign page asks the same question each time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._days: LRUCache[tuple[str, float], tuple[observances.Observance, ...]] = (
            LRUCache(maxsize=4))
        self._found: LRUCache[tuple[Any, ...], tuple[observances.Suggestion, ...]] = (
            LRUCache(maxsize=256))

    def days(self, version: tuple[str, float],
             parse: Callable[[], tuple[observances.Observance, ...]]
             ) -> tuple[observances.Observance, ...]:
        return _remember(self._lock, self._days, version, parse)

    def suggestions(self, key: tuple[Any, ...],
                    find: Callable[[], tuple[observances.Suggestion, ...]]
                    ) -> tuple[observances.Suggestion, ...]:
        return _remember(self._lock, self._found, key, find)


def _remember(lock: threading.Lock, cache: LRUCache[K, V], key: K, make: Callable[[], V]) -> V:
    with lock:
        if key in cache:
            return cache[key]
    value = make()
    with lock:
        cache[key] = value
    return value


def _version(shared_data: Path | None) -> tuple[str, float] | None:
    """The observances file's folder and modification time, or ``None`` without the file."""
    if shared_data is None or not (shared_data / observances.FILENAME).exists():
        return None
    return str(shared_data), (shared_data / observances.FILENAME).stat().st_mtime


def load(shared_data: Path | None, cache: PlanningCache | None = None
         ) -> tuple[observances.Observance, ...]:
    """The observances (parsed once per version of the file when a cache is given)."""
    version = _version(shared_data)
    if version is None:
        return ()

    def parse() -> tuple[observances.Observance, ...]:
        return tuple(observances.load(Path(version[0])))
    return cache.days(version, parse) if cache is not None else parse()


def suggest(shared_data: Path | None, campaign: dict[str, Any], calls: list[dict[str, Any]],
            *, today: date, cache: PlanningCache | None = None) -> list[observances.Suggestion]:
    """Days matching the campaign's themes from its start (never before today) to its end,
    minus those already calls to action. Empty without themes or once the campaign is over."""
    themes = tuple(campaign.get("themes") or [])
    version = _version(shared_data)
    if not themes or version is None:
        return []
    start = date.fromisoformat(campaign["start_date"]) if campaign.get("start_date") else today
    start = max(start, today)  # a day already past is no longer an opportunity
    if campaign.get("end_date"):
        end = date.fromisoformat(campaign["end_date"])
    else:
        end = date.fromordinal(start.toordinal() + DEFAULT_HORIZON_DAYS)
    if end < start:
        return []

    def find() -> tuple[observances.Suggestion, ...]:
        return tuple(observances.suggestions(load(shared_data, cache), themes, start, end))
    found = (cache.suggestions((*version, themes, start, end), find) if cache is not None
             else find())
    taken = {(c["observance_key"], c["start_date"]) for c in calls if c.get("observance_key")}
    return [s for s in found if (s.observance.key, s.first.isoformat()) not in taken]


def call_from_observance(shared_data: Path | None, key: str, first: str, *,
                         cache: PlanningCache | None = None) -> CallToActionInput:
    """A call to action for one occurrence of an international day, ready to save."""
    match = next((o for o in load(shared_data, cache) if o.key == key), None)
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
