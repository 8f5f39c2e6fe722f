"""International days and periods (``data/international_days.csv``) and when they fall.

The file is ours and ships in the package: dates, recurrence, themes and who proclaimed each
day (facts), with its English and Portuguese names. One module owns this data for every area:
campaigns ask which days in a period match their themes; the calendar turns the same rows into
yearly recurring all-day events. Recurrence is computed with dateutil's RFC 5545 rules (the
library under icalendar), never by hand.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from dateutil.rrule import rrulestr

from juntos.errors import ValidationError

#: The international days shipped with Juntos.
DATA_FILE = Path(__file__).resolve().parent / "data" / "international_days.csv"

# Campaign themes (our vocabulary) → the related themes the observances file uses.
RELATED_THEMES: dict[str, frozenset[str]] = {
    "women's rights": frozenset({"women's rights", "gender equality", "gbv", "women's health",
                                 "girls", "girls' rights", "gender", "srhr"}),
    "labour": frozenset({"labour", "workers' rights", "workers", "care work", "forced labour",
                         "economic justice", "cooperatives"}),
    "children's rights": frozenset({"children's rights", "children", "girls", "girls' rights",
                                    "youth", "education"}),
    "climate": frozenset({"climate", "environment", "biodiversity", "disasters", "water"}),
    "land rights": frozenset({"land", "land rights", "food", "hunger",
                              "indigenous peoples' rights", "housing"}),
    "health": frozenset({"health", "hiv", "women's health", "srhr", "sanitation", "wash"}),
    "education": frozenset({"education"}),
    "advocacy": frozenset({"human rights", "civic space", "accountability", "governance",
                           "democracy", "human rights defenders", "freedom of expression",
                           "right to information", "transparency", "anti-corruption",
                           "civil society"}),
}


def normalise_theme(theme: str) -> str:
    """Lowercase, without a note in brackets: 'human rights (UDHR anniversary)' → 'human rights'."""
    return re.sub(r"\s*\(.*?\)\s*", " ", theme).strip().lower()


@dataclass(frozen=True, kw_only=True)
class Observance:
    """One international day or period, with the rule that places it in any year."""

    key: str  # stable: derived from the English name, used for UIDs
    name: str
    name_pt: str = ""
    rrule: str  # RFC 5545 RRULE, always yearly
    length_days: int  # 1 for a day; the 16 Days of Activism: 16
    themes: tuple[str, ...]
    proclaimed_by: str
    month: int
    day: int | None

    def occurrences(self, start: date, end: date) -> Iterator[tuple[date, date]]:
        """(first day, last day inclusive) of each occurrence that overlaps [start, end]."""
        anchor = datetime(start.year - 1, 1, 1)
        rule = rrulestr(self.rrule, dtstart=anchor)
        for moment in rule.between(anchor, datetime.combine(end, datetime.min.time()), inc=True):
            first = moment.date()
            last = first + timedelta(days=self.length_days - 1)
            if last >= start and first <= end:
                yield first, last

    def matches(self, themes: Iterable[str]) -> list[str]:
        """The campaign themes this observance relates to (empty: it does not match)."""
        mine = {normalise_theme(t) for t in self.themes}
        hits = []
        for theme in themes:
            wanted = RELATED_THEMES.get(theme.lower(), frozenset({theme.lower()}))
            if mine & wanted:
                hits.append(theme)
        return hits


def _key(name: str) -> str:
    from juntos.organisations.models import slugify

    return slugify(name)


def parse(path: Path) -> list[Observance]:
    """Read the file; a bad row is reported by its line number and column."""
    rows: list[Observance] = []
    with path.open(newline="", encoding="utf-8") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            try:
                rows.append(_observance(row))
            except (KeyError, ValueError) as e:
                raise ValidationError({f"{path.name}:{line}": str(e)}) from e
    return rows


def _observance(row: dict[str, str]) -> Observance:
    name = row["name"].strip()
    month = int(row["month"])
    day = int(row["day"]) if row.get("day", "").strip() else None
    rule = row.get("rrule", "").strip()
    if not rule:
        if day is None:
            raise ValueError(f"{name!r} has neither a day nor an rrule")
        rule = f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}"
    if "FREQ=YEARLY" not in rule:
        raise ValueError(f"{name!r}: only yearly rules are expected, got {rule!r}")
    length = 1
    if row.get("end_month", "").strip():
        if day is None:
            raise ValueError(f"{name!r}: a period needs a fixed start day")
        end_month, end_day = int(row["end_month"]), int(row["end_day"])
        start = date(2001, month, day)  # a non-leap year; periods here never cross February
        end = date(2001 if end_month >= month else 2002, end_month, end_day)
        length = (end - start).days + 1
    themes = tuple(t.strip() for t in row.get("themes", "").split(";") if t.strip())
    return Observance(key=_key(name), name=name, name_pt=row.get("name_pt", "").strip(),
                      rrule=rule, length_days=length, themes=themes,
                      proclaimed_by=row.get("proclaimed_by", "").strip(), month=month, day=day)


@lru_cache(maxsize=1)
def load() -> tuple[Observance, ...]:
    """The international days shipped with Juntos, parsed once per process."""
    return tuple(parse(DATA_FILE))


@dataclass(frozen=True)
class Suggestion:
    observance: Observance
    first: date
    last: date
    matched_themes: list[str]


def suggestions(observances: Iterable[Observance], themes: Iterable[str], start: date,
                end: date) -> list[Suggestion]:
    """Observances in [start, end] related to any of ``themes``, in date order."""
    themes = list(themes)
    found = []
    for obs in observances:
        hits = obs.matches(themes)
        if not hits:
            continue
        for first, last in obs.occurrences(start, end):
            found.append(Suggestion(obs, first, last, hits))
    return sorted(found, key=lambda s: (s.first, s.observance.name))
