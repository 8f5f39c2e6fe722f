"""What every calendar page shares: labels, the viewer and their zone, feed links, rendering."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from starlette.requests import Request
from starlette.responses import Response

from juntos.calendar import choices, occurrences
from juntos.calendar import tokens as feed_tokens
from juntos.calendar.choices import ChoiceCache
from juntos.calendar.feedcache import FeedCache
from juntos.calendar.filters import Filters
from juntos.calendar.models import CATEGORIES, Event
from juntos.calendar.visibility import Viewer, viewer_for
from juntos.calendar.windows import WindowCache
from juntos.campaigns import store as campaigns
from juntos.errors import Message, NotFound
from juntos.web import i18n
from juntos.web.i18n import N_
from juntos.web.i18n import gettext as _

CATEGORY_LABELS = {
    "day_of_action": N_("Day of action"), "international_day": N_("International day"),
    "summit": N_("Summit or conference"), "meeting": N_("Meeting"), "training": N_("Training"),
    "deadline": N_("Deadline"), "partner_event": N_("Partner event"),
    "media_moment": N_("Media moment"),
}
VISIBILITY_LABELS = {
    "public": N_("Public"), "network": N_("Network (any signed-in user)"),
    "organisation": N_("Private to the organiser organisation"),
    "campaign": N_("Private to the campaign's partners"),
}
STATUS_LABELS = {"confirmed": N_("Confirmed"), "tentative": N_("Tentative"),
                 "cancelled": N_("Cancelled")}


def feed_cache(request: Request) -> FeedCache:
    """The app's rendered feeds (built per app: ``WEB.state``)."""
    cache: FeedCache = request.app.state.calendar_feeds
    return cache


def viewer(request: Request) -> Viewer:
    return viewer_for(request.state.db, request.state.user)


def zone_name(request: Request) -> str:
    """The viewer's time zone: their organisation's, else UTC."""
    user = request.state.user
    return "UTC" if user is None else user.organisation_timezone


def zone(request: Request) -> ZoneInfo:
    return ZoneInfo(zone_name(request))


def filters_of(request: Request) -> Filters:
    return Filters.from_query(request.query_params)


def feed_links(request: Request, filters: Filters) -> dict[str, str]:
    """https, webcal and Google links for the public feed and, if any, the user's own."""
    base = request.app.state.settings.public_base_url
    qs = filters.query_string()
    found = links(f"{base}/calendar.ics" + (f"?{qs}" if qs else ""))
    user = request.state.user
    if user is not None:
        token = feed_tokens.current(request.state.db, user.id)
        if token:
            private = links(f"{base}/calendar/feeds/{token}.ics" + (f"?{qs}" if qs else ""))
            found.update({f"private_{k}": v for k, v in private.items()})
    return found


def links(https: str) -> dict[str, str]:
    """One feed's address and the links that subscribe to it: webcal (Apple Calendar, Outlook
    for Windows), Google Calendar's "add by URL", and Outlook on the web (personal accounts on
    outlook.live.com, work or school accounts on outlook.office.com)."""
    webcal = "webcal://" + https.split("://", 1)[1]
    encoded = quote(https, safe="")
    # Google's subscribe link wants the webcal:// address, URL-encoded, after cid=.
    return {"https": https, "webcal": webcal,
            "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
            "outlook": f"https://outlook.live.com/calendar/0/addfromweb?url={encoded}",
            "office": f"https://outlook.office.com/calendar/0/addfromweb?url={encoded}"}


def translated(errors: dict[str, str]) -> dict[str, str]:
    """Field errors in the reader's language: a ``Message`` is translated when shown, a plain
    English sentence here."""
    return {k: v if isinstance(v, Message) else _(v) for k, v in errors.items()}


def _label(labels: dict[str, str]) -> Callable[[str], str]:
    def label(key: str) -> str:
        return _(labels.get(key, key))
    return label


def render(request: Request, template: str, context: dict[str, Any],
           status: int = 200) -> Response:
    response: Response = request.app.state.templates.TemplateResponse(
        request, template,
        {"category_label": _label(CATEGORY_LABELS), "visibility_label": _label(VISIBILITY_LABELS),
         "status_label": _label(STATUS_LABELS), **context},
        status_code=status)
    return response


def display(occurrence: occurrences.Occurrence, zone: ZoneInfo) -> dict[str, Any]:
    """What a list or grid shows of one occurrence, in the viewer's zone."""
    event = occurrence.event
    time_text = note = ""
    if not event.all_day:
        local = occurrence.local_start(zone)
        time_text = format_time(local, "short", locale=i18n.current_language())
        own = event.tzid
        if own not in ("", "UTC", zone.key):
            there = occurrence.start.astimezone(ZoneInfo(own))
            if there.utcoffset() != local.utcoffset():  # same hour elsewhere: nothing to note
                note = f"{format_time(there, 'short', locale=i18n.current_language())} {own}"
    first, last = occurrence.span(zone)
    span = ""
    if last > first:  # several days: said once, as a range, wherever the event is listed
        language = i18n.current_language()
        span = (f"{format_date(first, 'd MMM', locale=language)} – "
                f"{format_date(last, 'd MMM y', locale=language)}")
    return {"event": event, "time": time_text, "zone_note": note,
            "url": page_of(event), "span": span,
            "start": occurrence.start}


def page_of(event: Event) -> str:
    """Where an event links to: its own page, else (dates other areas provide) its campaign."""
    if event.id:
        return f"/calendar/events/{event.id}"
    if event.url:
        return event.url
    return f"/campaigns/{event.campaign}" if event.campaign else ""


def _campaign_public(request: Request, slug: str) -> bool:
    """Whether the public feed can hold the filtered campaign's dates (no campaign: yes)."""
    if not slug:
        return True
    try:
        return campaigns.get(request.state.db, slug)["visibility"] == "public"
    except NotFound:
        return True  # a slug naming no campaign: the feeds are empty either way


def common(request: Request, filters: Filters, seen_by: Viewer) -> dict[str, Any]:
    cache: ChoiceCache = request.app.state.calendar_choices
    facets = cache.facets(request.state.db, seen_by)
    search = request.query_params.get("org_q", "").strip()[:100]
    if not facets["organisers"]:  # too many to list: the ones searched for, and the chosen one
        facets = facets | {"organisers": choices.organisers(
            request.state.db, seen_by, search=search, chosen=filters.org)}
    return {"filters": filters, "links": feed_links(request, filters), "facets": facets,
            "campaign_public": _campaign_public(request, filters.campaign),
            "org_search": search, "categories": CATEGORIES,
            "query": filters.query_string(), "zone": zone_name(request)}


def window_events(request: Request, seen_by: Viewer, filters: Filters, start: datetime,
                  end: datetime, limit: int | None = None) -> list[occurrences.Occurrence]:
    """Occurrences in a window, from the app's cache of windows (``windows.WindowCache``)."""
    cache: WindowCache = request.app.state.calendar_windows
    return cache.occurrences(request.state.db, seen_by, filters, start, end, limit=limit)


def shown(request: Request, filters: Filters, start: datetime, end: datetime,
          limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` occurrences in a window, as a panel lists them."""
    here = zone(request)
    return [display(o, here) for o in
            window_events(request, viewer(request), filters, start, end, limit=limit)]
