"""Pages of the calendar area: month, agenda, campaign timeline, opportunities, events, feeds.

Thin: parse the request, call ``juntos.calendar``, render. Feeds answer with cached bytes,
ETag/Last-Modified and 304s, gzip done once per build rather than per request.
"""

from __future__ import annotations

import asyncio
import calendar as pycal
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_time
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos import db as database
from juntos.accounts import policy
from juntos.calendar import (
    feed,
    feeds,
    importer,
    occurrences,
    opportunities,
    sources,
    store,
    subscriptions,
)
from juntos.calendar import tokens as feed_tokens
from juntos.calendar.editing import EventForm
from juntos.calendar.feedcache import Entry, FeedCache
from juntos.calendar.filters import Filters
from juntos.calendar.models import CATEGORIES, STATUSES, VISIBILITIES, Event
from juntos.calendar.visibility import Viewer, can_see, viewer_for
from juntos.errors import NotFound, ValidationError
from juntos.organisations import store as orgs
from juntos.web import feedpath, i18n
from juntos.web.i18n import N_
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict, page

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


# --- helpers ---------------------------------------------------------------------------------


def _cache(request: Request) -> FeedCache:
    state = request.app.state
    if not hasattr(state, "calendar_feeds"):
        state.calendar_feeds = FeedCache()
    return state.calendar_feeds  # type: ignore[no-any-return]


def _memo(request: Request) -> feedpath.FeedMemo:
    state = request.app.state
    if not hasattr(state, "feed_memo"):
        state.feed_memo = feedpath.FeedMemo()
    return state.feed_memo


def _viewer(request: Request) -> Viewer:
    return viewer_for(request.state.db, request.state.user)


def _zone(request: Request) -> str:
    """The viewer's time zone: their organisation's, else UTC."""
    user = request.state.user
    if user is None:
        return "UTC"
    org = orgs.get_by_id(request.state.db, user.organisation_id)
    return org.get("timezone") or "UTC"


def _filters(request: Request) -> Filters:
    return Filters.from_query(request.query_params)


def feed_links(request: Request, filters: Filters) -> dict[str, str]:
    """https, webcal and Google links for the public feed and, if any, the user's own."""
    base = request.app.state.settings.public_base_url
    qs = filters.query_string()
    links = _links(f"{base}/calendar.ics" + (f"?{qs}" if qs else ""))
    user = request.state.user
    if user is not None:
        token = feed_tokens.current(request.state.db, user.id)
        if token:
            private = _links(f"{base}/calendar/feeds/{token}.ics" + (f"?{qs}" if qs else ""))
            links.update({f"private_{k}": v for k, v in private.items()})
    return links


def _links(https: str) -> dict[str, str]:
    webcal = "webcal://" + https.split("://", 1)[1]
    # Google's subscribe link wants the webcal:// address, URL-encoded, after cid=.
    return {"https": https, "webcal": webcal,
            "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe="")}


def _render(request: Request, template: str, context: dict[str, Any],
            status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, template,
        {"category_label": lambda c: _(CATEGORY_LABELS.get(c, c)),
         "visibility_label": lambda v: _(VISIBILITY_LABELS.get(v, v)),
         "status_label": lambda s: _(STATUS_LABELS.get(s, s)), **context},
        status_code=status)


def _display(occurrence: occurrences.Occurrence, zone: ZoneInfo) -> dict[str, Any]:
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
    return {"event": event, "time": time_text, "zone_note": note,
            "url": _page_of(event),
            "start": occurrence.start}


def _page_of(event: Event) -> str:
    """Where an event links to: its own page, else (dates other areas provide) its campaign."""
    if event.id:
        return f"/calendar/events/{event.id}"
    if event.url:
        return event.url
    return f"/campaigns/{event.campaign}" if event.campaign else ""


def _common(request: Request, filters: Filters, viewer: Viewer) -> dict[str, Any]:
    return {"filters": filters, "links": feed_links(request, filters),
            "facets": store.facets(request.state.db, viewer), "categories": CATEGORIES,
            "query": filters.query_string(), "zone": _zone(request)}


def _window_events(request: Request, viewer: Viewer, filters: Filters, start: datetime,
                   end: datetime) -> list[Any]:
    events = sources.events(request.state.db, viewer, filters,
                            window=store.Window(start, end), include_removed=False)
    return occurrences.expand(events, start, end)


# --- pages -----------------------------------------------------------------------------------


def _month_of(request: Request, today: date) -> date:
    text = request.query_params.get("month", "")
    try:
        year, month = (int(x) for x in text.split("-")) if text else (today.year, today.month)
        return date(year, month, 1)
    except ValueError as e:
        raise ValidationError({"month": _("Give the month as YYYY-MM.")}) from e


async def month_view(request: Request) -> Response:
    viewer = _viewer(request)
    filters = _filters(request)
    zone = ZoneInfo(_zone(request))
    today = request.state.clock().astimezone(zone).date()
    first = _month_of(request, today)
    weeks = pycal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start = datetime.combine(weeks[0][0], datetime.min.time(), zone)
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), datetime.min.time(), zone)
    by_day: dict[date, list[dict[str, Any]]] = {}
    for occurrence in _window_events(request, viewer, filters, start, end):
        shown = _display(occurrence, zone)
        for day in occurrence.days(zone):
            by_day.setdefault(day, []).append(shown)
    prev_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return _render(request, "calendar/month.html", {
        **_common(request, filters, viewer), "first": first, "weeks": weeks, "by_day": by_day,
        "today": today, "prev_month": prev_month, "next_month": next_month,
        "weekdays": [date(2024, 1, d) for d in range(1, 8)],
    })


async def agenda_view(request: Request) -> Response:
    viewer = _viewer(request)
    filters = _filters(request)
    zone = ZoneInfo(_zone(request))
    now = request.state.clock()
    days: dict[date, list[dict[str, Any]]] = {}
    for occurrence in _window_events(request, viewer, filters, now, now + timedelta(days=90)):
        shown = _display(occurrence, zone)
        day = max(occurrence.days(zone)[0], now.astimezone(zone).date())
        days.setdefault(day, []).append(shown)
    return _render(request, "calendar/agenda.html", {
        **_common(request, filters, viewer), "days": sorted(days.items())})


async def timeline_view(request: Request) -> Response:
    viewer = _viewer(request)
    campaign = request.path_params["campaign"]
    filters = Filters.from_query({**request.query_params, "campaign": campaign})
    zone = ZoneInfo(_zone(request))
    events = sources.events(request.state.db, viewer, filters, include_removed=False)
    if not events:
        raise NotFound(_("No events for this campaign."))
    first = min(e.aware(e.start) for e in events) - timedelta(days=1)
    last = first + timedelta(days=3 * 365)
    months: dict[date, list[dict[str, Any]]] = {}
    for occurrence in occurrences.expand(events, first, last):
        shown = _display(occurrence, zone)
        day = occurrence.days(zone)[0]
        months.setdefault(day.replace(day=1), []).append({**shown, "day": day})
    return _render(request, "calendar/timeline.html", {
        **_common(request, filters, viewer), "campaign": campaign,
        "months": sorted(months.items())})


async def opportunities_view(request: Request) -> Response:
    viewer = _viewer(request)
    filters = _filters(request)
    zone = ZoneInfo(_zone(request))
    today = request.state.clock().astimezone(zone).date()
    q = request.query_params
    try:
        start = date.fromisoformat(q["from"]) if q.get("from") else today
        end = date.fromisoformat(q["to"]) if q.get("to") else today + timedelta(days=90)
    except ValueError as e:
        raise ValidationError({"from": _("Give dates as YYYY-MM-DD.")}) from e
    if end < start or (end - start).days > 731:
        raise ValidationError({"to": _("Choose a period of at most two years, ending after it"
                                       " starts.")})
    themes = [t.strip().lower() for t in q.get("themes", "").split(",") if t.strip()]
    if not themes and filters.campaign:
        themes = store.campaign_themes(request.state.db, filters.campaign)
    low = datetime.combine(start, datetime.min.time(), UTC)
    high = datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC)
    events = sources.events(request.state.db, viewer, filters,
                            window=store.Window(low, high), include_removed=False)
    found = opportunities.find(events, start=start, end=end, themes=themes, zone=zone)
    return _render(request, "calendar/opportunities.html", {
        **_common(request, filters, viewer), "found": found, "start": start, "end": end,
        "themes_text": ", ".join(themes)})


def _visible_event(request: Request) -> Any:
    try:
        event = store.get(request.state.db, int(request.path_params["event_id"]))
    except (NotFound, ValueError):
        raise NotFound(_("No such event.")) from None
    if not can_see(_viewer(request), event) or event.deleted_at is not None:
        raise NotFound(_("No such event."))  # private: 404, not 403
    return event


def google_event_link(event: Any) -> str:
    """Google's "add this event" link (a single event, not a subscription)."""
    if event.all_day:
        dates = f"{event.start:%Y%m%d}/{event.end:%Y%m%d}"
    else:
        start, end = (event.aware(v).astimezone(UTC) for v in (event.start, event.end))
        dates = f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
    params = {"action": "TEMPLATE", "text": event.title, "dates": dates,
              "details": event.description[:1500], "location": event.location}
    if event.rrule:
        params["recur"] = "RRULE:" + event.rrule
    if not event.all_day and event.tzid not in ("", "UTC"):
        params["ctz"] = event.tzid
    return "https://calendar.google.com/calendar/render?" + urlencode(
        {k: v for k, v in params.items() if v})


async def event_view(request: Request) -> Response:
    event = _visible_event(request)
    zone = ZoneInfo(_zone(request))
    base = request.app.state.settings.public_base_url
    ics = f"{base}/calendar/events/{event.id}.ics"
    upcoming = occurrences.expand(
        [event, *[e for e in sources.events(request.state.db, _viewer(request), Filters())
                  if e.uid == event.uid and e.recurrence_id is not None]],
        request.state.clock() - timedelta(days=1), request.state.clock() + timedelta(days=400))
    return _render(request, "calendar/event.html", {
        "event": event, "ics": ics, "links": {**_links(ics), "google": google_event_link(event)},
        "zone": zone.key,
        "last_day": event.end - timedelta(days=1) if event.all_day else event.end,
        "upcoming": [_display(o, zone) for o in upcoming[:10]],
        "can_edit": policy.can(request.state.user, "calendar.event.edit", event)})


async def event_ics(request: Request) -> Response:
    event = _visible_event(request)
    rendered = feed.render([event], name=event.title, description=event.title,
                           now=request.state.clock())
    return Response(rendered.body, media_type="text/calendar; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="event-{event.id}.ics"'})


# --- editing ---------------------------------------------------------------------------------


def _form_context(request: Request, form: EventForm, errors: dict[str, str],
                  event: Any = None) -> dict[str, Any]:
    return {"form": form, "errors": errors, "event": event, "categories": CATEGORIES,
            "visibilities": VISIBILITIES, "statuses": STATUSES,
            "zone_default": _zone(request)}


async def new_event(request: Request) -> Response:
    user = request.state.user
    if request.method == "GET":
        form = EventForm(tzid=_zone(request))
        return _render(request, "calendar/form.html", _form_context(request, form, {}))
    form = EventForm.from_form(await form_dict(request))
    try:
        event = form.to_event(uid=None, organiser_id=user.organisation_id)
        saved = store.save(request.state.db, event, now=request.state.clock())
    except ValidationError as e:
        return _render(request, "calendar/form.html",
                       _form_context(request, form, {k: _(v) for k, v in e.errors.items()}), 400)
    flash(request, _("Event saved."))
    return RedirectResponse(f"/calendar/events/{saved.id}", status_code=303)


async def edit_event(request: Request) -> Response:
    event = _visible_event(request)
    policy.require(request.state.user, "calendar.event.edit", event)
    if request.method == "GET":
        return _render(request, "calendar/form.html",
                       _form_context(request, EventForm.from_event(event), {}, event))
    form = EventForm.from_form(await form_dict(request))
    try:
        changed = form.to_event(uid=event.uid, organiser_id=event.organiser_id, base=event)
        store.save(request.state.db, changed, now=request.state.clock())
    except ValidationError as e:
        return _render(request, "calendar/form.html", _form_context(
            request, form, {k: _(v) for k, v in e.errors.items()}, event), 400)
    flash(request, _("Event saved. Subscribers get the change at their next refresh."))
    return RedirectResponse(f"/calendar/events/{event.id}", status_code=303)


async def delete_event(request: Request) -> Response:
    event = _visible_event(request)
    policy.require(request.state.user, "calendar.event.edit", event)
    store.delete(request.state.db, event.id, now=request.state.clock())
    flash(request, _("Event deleted. Feeds show it as cancelled for 90 days."))
    return RedirectResponse("/calendar", status_code=303)


async def import_view(request: Request) -> Response:
    db = request.state.db
    user = request.state.user
    context = _import_context(db)
    if request.method == "POST":
        form = await request.form()
        upload = form.get("file")
        visibility = str(form.get("visibility", "network"))
        if visibility not in ("public", "network", "organisation"):
            visibility = "network"
        if upload is None or isinstance(upload, str) or not upload.filename:
            context["errors"] = {"file": _("Choose an .ics file to import.")}
            return _render(request, "calendar/import.html", context, 400)
        data = await upload.read()
        await upload.close()
        org = orgs.get_by_id(db, user.organisation_id)
        defaults = importer.Defaults(organiser_id=user.organisation_id, visibility=visibility,
                                     timezone=org.get("timezone") or "UTC")
        try:
            report = importer.import_bytes(db, data, label=upload.filename, defaults=defaults,
                                           now=request.state.clock())
        except importer.ImportRefused as e:
            context["errors"] = {"file": _("The file was refused and nothing was imported:"
                                           " %(reason)s", reason=e.message)}
            return _render(request, "calendar/import.html", context, 400)
        flash(request, _("Imported %(n)d events from %(name)s.", n=report.total,
                         name=upload.filename))
        for note in report.notes:
            flash(request, note, "info")
        return RedirectResponse("/calendar/import", status_code=303)
    return _render(request, "calendar/import.html", context)


async def subscribe(request: Request) -> Response:
    """Follow a partner's feed (e.g. a Google Calendar secret address) for one's organisation.
    The first fetch runs in a thread: a slow remote server must not stall every other page."""
    db, user = request.state.db, request.state.user
    form = await form_dict(request)
    settings = request.app.state.settings
    org = orgs.get_by_id(db, user.organisation_id)
    try:
        result = await run_in_threadpool(
            subscriptions.subscribe, db, form.get("url", ""), org_slug=org["slug"],
            now=request.state.clock(), label=form.get("label", ""),
            visibility=form.get("visibility", "network"),
            allow_private=settings.calendar_private_feeds)
    except ValidationError as e:
        return _render(request, "calendar/import.html",
                       _import_context(db, sub_errors=e.errors, sub_values=form), 400)
    _flash_sync(request, result)
    return RedirectResponse("/calendar/import#sources", status_code=303)


def _flash_sync(request: Request, result: subscriptions.SyncResult) -> None:
    if result.error:
        flash(request, _("%(name)s was not updated: %(reason)s", name=result.label,
                         reason=result.error), "error")
    elif result.report is not None:
        flash(request, _("%(name)s: %(n)d events up to date.", name=result.label,
                         n=result.report.total))


def _subscription(request: Request) -> dict[str, Any]:
    raw = request.path_params["source_id"]
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound(_("No such subscription."))
    source = subscriptions.get(request.state.db, int(raw))
    policy.require(request.state.user, "calendar.subscription.manage", source)
    return source


async def sync_subscription(request: Request) -> Response:
    source = _subscription(request)
    result = await run_in_threadpool(
        subscriptions.sync_one, request.state.db, source["id"], now=request.state.clock(),
        allow_private=request.app.state.settings.calendar_private_feeds)
    _flash_sync(request, result)
    return RedirectResponse("/calendar/import#sources", status_code=303)


async def unsubscribe(request: Request) -> Response:
    source = _subscription(request)
    n = subscriptions.unsubscribe(request.state.db, source["id"], now=request.state.clock())
    flash(request, _("Unsubscribed from %(name)s; its %(n)d events show as cancelled in feeds"
                     " for 90 days.", name=source["label"], n=n))
    return RedirectResponse("/calendar/import#sources", status_code=303)


def _import_context(db: Any, **extra: Any) -> dict[str, Any]:
    return {"errors": {}, "report": None, "sources": subscriptions.list_sources(db), **extra}


# --- feeds -----------------------------------------------------------------------------------


def _feed_response(request: Request, entry: Entry, *, private: bool) -> Response:
    result = feedpath.answer(entry, request.headers, private=private,
                             head=request.method == "HEAD")
    return Response(result.body, status_code=result.status, headers=result.headers)


def _serve_feed(request: Request, token: str | None) -> Response:
    """Feeds skip the per-request context (see ``web/context.py``): polling clients cost one
    small query on a long-lived connection; a database is opened only to rebuild."""
    settings = request.app.state.settings
    reader = getattr(request.app.state, "calendar_reader", None)
    own = reader is None
    if own:
        reader = database.connect(settings.db_path)
    try:
        # read first, so that a write during this request misses the memo next time
        version = None if own else feedpath.data_version(reader)
        user, timezone = None, "UTC"
        if token is not None:
            found = feed_tokens.owner(reader, token)
            if found is None:
                raise NotFound(_("No such feed. Its address may have been replaced."))
            user, timezone = found
        viewer = viewer_for(reader, user)
        filters = _filters(request)
        now = request.state.clock()
        key = feeds.cache_key(reader, viewer, filters, now=now, timezone=timezone)
        entry = _cache(request).get(key)
        if entry is None:
            db = database.connect(settings.db_path)
            try:
                entry = feeds.build(db, _cache(request), key, viewer, filters, now=now,
                                    timezone=timezone)
            finally:
                db.close()
        if version is not None:
            _memo(request).remember(feedpath.memo_key(request.scope), feedpath.Remembered(
                entry, version, now.date(), private=token is not None))
    finally:
        if own:
            reader.close()
    return _feed_response(request, entry, private=token is not None)


async def public_feed(request: Request) -> Response:
    """Everything public, no login: ``/calendar.ics?campaign=...&country=MZ``."""
    return _serve_feed(request, None)


async def private_feed(request: Request) -> Response:
    """What this token's user may see, re-evaluated at every fetch."""
    return _serve_feed(request, request.path_params["token"])


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """A long-lived read connection for feed polling, and the periodic subscription sync."""
    settings = app.state.settings
    reader = database.connect(settings.db_path)
    app.state.calendar_reader = reader
    task = None
    if settings.calendar_sync_minutes > 0:
        task = asyncio.create_task(_sync_forever(settings, app.state.clock))
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
        if getattr(app.state, "calendar_reader", None) is reader:
            app.state.calendar_reader = None
        reader.close()


async def _sync_forever(settings: Any, clock: Any) -> None:
    log = logging.getLogger("juntos.calendar")
    while True:
        await asyncio.sleep(settings.calendar_sync_minutes * 60)
        try:
            results = await asyncio.to_thread(_sync_once, settings, clock)
        except Exception:  # a failing sync must never stop the server
            log.exception("Calendar subscription sync failed.")
            continue
        failed = [r.label for r in results if r.error]
        log.info("Calendar: %d subscription(s) synced, %d failed.", len(results), len(failed))


def _sync_once(settings: Any, clock: Any) -> list[Any]:
    db = database.connect(settings.db_path)
    try:
        results = subscriptions.sync_all(db, now=clock(),
                                         allow_private=settings.calendar_private_feeds)
        store.purge(db, now=clock())
        return results
    finally:
        db.close()


async def account_calendar(request: Request) -> Response:
    """The calendar section of the account page: the private feed address and its size."""
    db = request.state.db
    user = request.state.user
    token = feed_tokens.current(db, user.id)
    size_warning = False
    size = 0
    if token:
        org = orgs.get_by_id(db, user.organisation_id)
        entry = feeds.served(db, _cache(request), viewer_for(db, user), Filters(),
                             now=request.state.clock(), timezone=org.get("timezone") or "UTC")
        size, size_warning = len(entry.rendered.body), entry.rendered.too_big
    return request.app.state.templates.TemplateResponse(request, "calendar/account.html", {
        "errors": {}, "links": feed_links(request, Filters()), "token": token,
        "feed_size": size, "size_warning": size_warning})


async def regenerate_token(request: Request) -> Response:
    feed_tokens.regenerate(request.state.db, request.state.user.id, now=request.state.clock())
    flash(request, _("Your private feed has a new address. The old one no longer works."))
    return RedirectResponse("/account/calendar", status_code=303)


async def revoke_token(request: Request) -> Response:
    feed_tokens.revoke(request.state.db, request.state.user.id)
    flash(request, _("Your private feed address is revoked."))
    return RedirectResponse("/account/calendar", status_code=303)


def dashboard_panel(request: Request) -> tuple[str, dict[str, Any]] | None:
    viewer = _viewer(request)
    now = request.state.clock()
    zone = ZoneInfo(_zone(request))
    shown = [_display(o, zone) for o in
             _window_events(request, viewer, Filters(), now, now + timedelta(days=14))[:6]]
    return "calendar/panel.html", {"items": shown}


routes = [
    page("/calendar", month_view, name="calendar"),
    page("/calendar/agenda", agenda_view),
    page("/calendar/opportunities", opportunities_view),
    page("/calendar/campaigns/{campaign}", timeline_view),
    page("/calendar/events/new", new_event, methods=["GET", "POST"], action="calendar.import"),
    page("/calendar/events/{event_id}.ics", event_ics, public=True),
    page("/calendar/events/{event_id}", event_view),
    page("/calendar/events/{event_id}/edit", edit_event, methods=["GET", "POST"]),
    page("/calendar/events/{event_id}/delete", delete_event, methods=["POST"]),
    page("/calendar/import", import_view, methods=["GET", "POST"], action="calendar.import"),
    page("/calendar/subscriptions", subscribe, methods=["POST"], action="calendar.import"),
    page("/calendar/subscriptions/{source_id}/sync", sync_subscription, methods=["POST"]),
    page("/calendar/subscriptions/{source_id}/delete", unsubscribe, methods=["POST"]),
    page("/calendar.ics", public_feed, methods=["GET", "HEAD"], public=True),
    page("/calendar/feeds/{token}.ics", private_feed, methods=["GET", "HEAD"], public=True),
    page("/account/calendar", account_calendar),
    page("/account/calendar/token", regenerate_token, methods=["POST"]),
    page("/account/calendar/revoke", revoke_token, methods=["POST"]),
]


def campaign_panel(request: Request, campaign: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """On a campaign's page: its coming dates and the feed of just this campaign."""
    slug = str(campaign.get("slug") or "")
    if not slug:
        return None
    viewer = _viewer(request)
    now = request.state.clock()
    zone = ZoneInfo(_zone(request))
    filters = Filters(campaign=slug)
    shown = [_display(o, zone) for o in
             _window_events(request, viewer, filters, now, now + timedelta(days=365))[:8]]
    return "calendar/campaign_panel.html", {"items": shown, "slug": slug,
                                            "links": feed_links(request, filters)}
