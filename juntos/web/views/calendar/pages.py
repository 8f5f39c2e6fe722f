"""The calendar's reading pages: month, agenda, a campaign's timeline, opportunities, and the
panels it shows on the dashboard and on a campaign's page."""

from __future__ import annotations

import calendar as pycal
from collections.abc import Hashable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from juntos.calendar import grid, occurrences, opportunities, sources, store
from juntos.calendar.filters import Filters
from juntos.calendar.models import FIRST_YEAR, LAST_YEAR
from juntos.calendar.visibility import Viewer
from juntos.calendar.windows import WindowCache
from juntos.campaigns import visibility as campaign_visibility
from juntos.errors import NotFound, ValidationError
from juntos.web import i18n
from juntos.web.i18n import gettext as _
from juntos.web.routing import page
from juntos.web.views.calendar.shared import (
    common,
    display,
    feed_links,
    filters_of,
    render,
    shown,
    viewer,
    window_events,
    zone,
)

#: Occurrences listed in a day of the month grid; the others are counted.
PER_DAY = 5


def _month_of(request: Request, today: date) -> date:
    text = request.query_params.get("month", "")
    try:
        if len(text) > 7:
            raise ValueError(text)
        year, month = (int(x) for x in text.split("-")) if text else (today.year, today.month)
        found = date(year, month, 1)
    except ValueError as e:
        raise ValidationError({"month": _("Give the month as YYYY-MM.")}) from e
    _check_year(found)
    return found


def _check_year(day: date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError({"month": _("The calendar covers the years %(first)d to %(last)d.",
                                          first=FIRST_YEAR, last=LAST_YEAR)})


def _laid_out(week: grid.Week, here: ZoneInfo, per_day: int | None) -> dict[str, Any]:
    """A week as the templates draw it: lanes of bars, then each day's own events (the first
    ``per_day``; the rest, and bars beyond the lanes, counted)."""
    first, last = week.days[0], week.days[-1]
    lanes: list[list[dict[str, Any]]] = []
    for lane in week.lanes:
        cells: list[dict[str, Any]] = []
        column = 0
        for bar, span in lane:
            cells.append({"day": week.days[column], "span": span, "item": None if bar is None
                          else {**display(bar.occurrence, here),
                                "before": bar.first_day < first, "after": bar.last_day > last}})
            column += span
        lanes.append(cells)
    singles, more = {}, {}
    for day in week.days:
        found = week.singles.get(day, [])
        shown = found if per_day is None else found[:per_day]
        singles[day] = [display(o, here) for o in shown]
        hidden = len(found) - len(shown) + week.hidden.get(day, 0)
        if hidden:
            more[day] = hidden
    bars = sorted((c["item"] for lane in lanes for c in lane if c["item"]),
                  key=lambda item: item["start"])
    return {"days": week.days, "lanes": lanes, "singles": singles, "more": more, "bars": bars}


def _weeks(request: Request, seen_by: Viewer, filters: Filters, weeks: list[list[date]],
           here: ZoneInfo, *, per_day: int | None,
           max_lanes: int | None) -> tuple[list[dict[str, Any]], Hashable]:
    """The weeks laid out, and the key their rendered rows are kept by (with the day that is
    today and the filters' query, which the rows also show)."""
    start = datetime.combine(weeks[0][0], datetime.min.time(), here)
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), datetime.min.time(), here)
    windows: WindowCache = request.app.state.calendar_windows
    db = request.state.db

    def lay_out() -> list[dict[str, Any]]:
        on_day = windows.by_day(db, seen_by, filters, start, end, here)
        laid = []
        for days in weeks:
            seen: dict[int, occurrences.Occurrence] = {}
            for day in days:
                for occurrence in on_day.get(day, ()):
                    seen.setdefault(id(occurrence), occurrence)
            ordered = sorted(seen.values(), key=lambda o: (o.start, -(o.end - o.start)))
            laid.append(_laid_out(grid.week(days, ordered, here, max_lanes=max_lanes), here,
                                  per_day))
        return laid

    # Kept with the window's occurrences (same data versions, viewer and filters): the same
    # month for the same reader is laid out once, not on every view. Labels are in the
    # reader's language, so the language is part of the key.
    what = ("weeks", here.key, per_day, max_lanes, i18n.current_language(),
            tuple(tuple(days) for days in weeks))
    laid = windows.remember(db, seen_by, filters, start, end, what, lay_out)
    return laid, (windows.key(db, seen_by, filters, start, end), what)


async def month_view(request: Request) -> Response:
    seen_by, filters, here = viewer(request), filters_of(request), zone(request)
    today = request.state.clock().astimezone(here).date()
    first = _month_of(request, today)
    weeks = pycal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    # A day shows its first few; the rest is a count linking to that day in the agenda, so
    # a busy month (a coalition's 1,500 dates) stays a page a phone can load. An event of
    # several days is one bar across them (at most a few lanes a week), not one per day.
    laid, grid_key = _weeks(request, seen_by, filters, weeks, here, per_day=PER_DAY,
                            max_lanes=grid.MONTH_LANES)
    prev_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return render(request, "calendar/month.html", {
        **common(request, filters, seen_by), "first": first, "weeks": laid,
        "grid_key": grid_key,
        "today": today, "prev_month": prev_month, "next_month": next_month,
        "weekdays": [date(2024, 1, d) for d in range(1, 8)],
    })


def _week_of(request: Request, today: date) -> date:
    text = request.query_params.get("week", "")
    try:
        if len(text) > 10:
            raise ValueError(text)
        found = date.fromisoformat(text) if text else today
    except ValueError as e:
        raise ValidationError({"week": _("Give the week as a date, YYYY-MM-DD.")}) from e
    _check_year(found)
    return found - timedelta(days=found.weekday())


async def week_view(request: Request) -> Response:
    """Seven days from Monday: events of several days as bars, each day's events in full."""
    seen_by, filters, here = viewer(request), filters_of(request), zone(request)
    today = request.state.clock().astimezone(here).date()
    monday = _week_of(request, today)
    days = [monday + timedelta(days=i) for i in range(7)]
    _check_year(days[-1])
    weeks, grid_key = _weeks(request, seen_by, filters, [days], here, per_day=None,
                             max_lanes=None)
    return render(request, "calendar/week.html", {
        **common(request, filters, seen_by), "week": weeks[0], "monday": monday,
        "grid_key": grid_key,
        "today": today, "prev_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7)})


async def agenda_view(request: Request) -> Response:
    seen_by, filters, here = viewer(request), filters_of(request), zone(request)
    start = request.state.clock()
    end = start + timedelta(days=90)
    if request.query_params.get("from"):  # a chosen period (the month grid's "N more")
        first, last = _period(request, start.astimezone(here).date())
        start = datetime.combine(first, datetime.min.time(), here)
        end = datetime.combine(last + timedelta(days=1), datetime.min.time(), here)
    days: dict[date, list[dict[str, Any]]] = {}
    for occurrence in window_events(request, seen_by, filters, start, end):
        day = max(occurrence.span(here)[0], start.astimezone(here).date())
        days.setdefault(day, []).append(display(occurrence, here))
    return render(request, "calendar/agenda.html", {
        **common(request, filters, seen_by), "days": sorted(days.items())})


async def timeline_view(request: Request) -> Response:
    seen_by, here = viewer(request), zone(request)
    campaign = request.path_params["campaign"]
    filters = Filters.from_query({**request.query_params, "campaign": campaign})
    events = sources.events(request.state.db, seen_by, filters, include_removed=False)
    if not events:
        raise NotFound(_("No events for this campaign."))
    first = min(e.aware(e.start) for e in events) - timedelta(days=1)
    last = first + timedelta(days=3 * 365)
    months: dict[date, list[dict[str, Any]]] = {}
    for occurrence in await anyio.to_thread.run_sync(occurrences.expand, events, first, last):
        day = occurrence.span(here)[0]
        months.setdefault(day.replace(day=1), []).append({**display(occurrence, here),
                                                          "day": day})
    try:  # named by its title; the events shown are those the viewer may see anyway
        title = campaign_visibility.get_visible(request.state.db, request.state.user,
                                                campaign)["title"]
    except NotFound:
        title = campaign
    return render(request, "calendar/timeline.html", {
        **common(request, filters, seen_by), "campaign": title, "campaign_slug": campaign,
        "months": sorted(months.items())})


def _period(request: Request, today: date) -> tuple[date, date]:
    q = request.query_params
    try:
        start = date.fromisoformat(q["from"]) if q.get("from") else today
        end = date.fromisoformat(q["to"]) if q.get("to") else today + timedelta(days=90)
    except ValueError as e:
        raise ValidationError({"from": _("Give dates as YYYY-MM-DD.")}) from e
    _check_year(start)
    _check_year(end)
    if end < start or (end - start).days > 731:
        raise ValidationError({"to": _("Choose a period of at most two years, ending after it"
                                       " starts.")})
    return start, end


async def opportunities_view(request: Request) -> Response:
    seen_by, filters, here = viewer(request), filters_of(request), zone(request)
    start, end = _period(request, request.state.clock().astimezone(here).date())
    q = request.query_params
    themes = [t.strip().lower() for t in q.get("themes", "").split(",") if t.strip()]
    if not themes and filters.campaign:
        themes = store.campaign_themes(request.state.db, filters.campaign, seen_by)
    low = datetime.combine(start, datetime.min.time(), UTC)
    high = datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC)
    events = sources.events(request.state.db, seen_by, filters,
                            window=store.Window(low, high), include_removed=False)
    found = await anyio.to_thread.run_sync(lambda: opportunities.find(
        events, start=start, end=end, themes=themes, zone=here))
    return render(request, "calendar/opportunities.html", {
        **common(request, filters, seen_by), "found": found, "start": start, "end": end,
        "themes_text": ", ".join(themes)})


def dashboard_panel(request: Request) -> tuple[str, dict[str, Any]] | None:
    now = request.state.clock()
    return "calendar/panel.html", {
        "items": shown(request, Filters(), now, now + timedelta(days=14), limit=6)}


def campaign_panel(request: Request, campaign: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """On a campaign's page: its coming dates and the feed of just this campaign. A public
    campaign's dates are in the public feed; any other's only in the reader's private feed
    (filtered by the campaign), which the panel offers to create when there is none yet."""
    slug = str(campaign.get("slug") or "")
    if not slug:
        return None
    now = request.state.clock()
    filters = Filters(campaign=slug)
    links = feed_links(request, filters)
    public = campaign.get("visibility") == "public"
    if not public:
        links = {k.removeprefix("private_"): v for k, v in links.items()
                 if k.startswith("private_")}
    return "calendar/campaign_panel.html", {
        "items": shown(request, filters, now, now + timedelta(days=365), limit=8),
        "slug": slug, "links": links, "public": public}


routes = [
    page("/calendar", month_view, name="calendar"),
    page("/calendar/agenda", agenda_view),
    page("/calendar/week", week_view),
    page("/calendar/opportunities", opportunities_view),
    page("/calendar/campaigns/{campaign}", timeline_view),
]
