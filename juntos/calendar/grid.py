"""A week of the month grid (and the week view): events of several days as one bar each.

An event lasting several days (the 16 Days of Activism, a summit) is one bar across the
columns of the days it covers in that week, in the first free lane, rather than a copy in
every day's cell; events of one day stay in their day's list. Plain data for the templates,
which draw a lane as table cells (a bar's ``colspan`` is its span), so no JavaScript or inline
style is needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from juntos.calendar.occurrences import Occurrence

#: Lanes of bars a week of the month grid shows; more bars are counted in their days' "more".
MONTH_LANES = 3


@dataclass(frozen=True)
class Bar:
    """One event across ``span`` columns from ``column`` (0: the week's first day)."""

    occurrence: Occurrence
    column: int
    span: int
    first_day: date  # the event's own first and last day (they may lie outside the week)
    last_day: date



@dataclass
class Week:
    days: Sequence[date]
    #: Each lane as cells from the first day: ``(bar, span)`` or ``(None, 1)`` for a free day.
    lanes: list[list[tuple[Bar | None, int]]] = field(default_factory=list)
    #: Events of one day (or starting and ending the same day) by day, in order.
    singles: dict[date, list[Occurrence]] = field(default_factory=dict)
    #: Bars beyond the lanes shown, counted on each day they cover.
    hidden: dict[date, int] = field(default_factory=dict)


def week(days: Sequence[date], occurrences: Iterable[Occurrence], zone: ZoneInfo, *,
         max_lanes: int | None = None) -> Week:
    """Lay out the occurrences touching ``days`` (seven consecutive days, in order)."""
    first, last = days[0], days[-1]
    out = Week(days=days)
    taken: list[list[bool]] = []
    cells: list[dict[int, Bar]] = []
    for occurrence in occurrences:
        begins, ends = occurrence.span(zone)
        if ends < first or begins > last:
            continue
        if begins == ends:
            out.singles.setdefault(begins, []).append(occurrence)
            continue
        start, end = max(begins, first), min(ends, last)
        column, span = (start - first).days, (end - start).days + 1
        lane = next((i for i, used in enumerate(taken)
                     if not any(used[column:column + span])), len(taken))
        if max_lanes is not None and lane >= max_lanes:
            for offset in range(span):
                day = days[column + offset]
                out.hidden[day] = out.hidden.get(day, 0) + 1
            continue
        if lane == len(taken):
            taken.append([False] * len(days))
            cells.append({})
        taken[lane][column:column + span] = [True] * span
        cells[lane][column] = Bar(occurrence, column, span, begins, ends)
    for lane_cells in cells:
        row: list[tuple[Bar | None, int]] = []
        column = 0
        while column < len(days):
            bar = lane_cells.get(column)
            if bar is not None:
                row.append((bar, bar.span))
                column += bar.span
            else:
                row.append((None, 1))
                column += 1
        out.lanes.append(row)
    return out
