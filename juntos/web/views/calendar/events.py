"""One event: its page, its .ics, and the form that adds, edits or deletes it."""

from __future__ import annotations

from datetime import UTC, timedelta
from urllib.parse import urlencode

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import policy
from juntos.calendar import feed, occurrences, sources, store
from juntos.calendar.editing import EventForm, campaign_id
from juntos.calendar.filters import Filters
from juntos.calendar.models import CATEGORIES, STATUSES, VISIBILITIES, Event
from juntos.calendar.visibility import campaign_slugs, can_see, viewer_for
from juntos.errors import NotFound, ValidationError
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict, page
from juntos.web.views.calendar.shared import (
    display,
    links,
    render,
    translated,
    viewer,
    zone,
    zone_name,
)


def _visible_event(request: Request) -> Event:
    try:
        event = store.get(request.state.db, int(request.path_params["event_id"]))
    except (NotFound, ValueError, OverflowError):
        raise NotFound(_("No such event.")) from None
    if not can_see(viewer(request), event) or event.deleted_at is not None:
        raise NotFound(_("No such event."))  # private: 404, not 403
    return event


def google_event_link(event: Event) -> str:
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
    here = zone(request)
    base = request.app.state.settings.public_base_url
    ics = f"{base}/calendar/events/{event.id}.ics"
    now = request.state.clock()
    overrides = [e for e in sources.events(request.state.db, viewer(request), Filters())
                 if e.uid == event.uid and e.recurrence_id is not None]
    upcoming = await anyio.to_thread.run_sync(
        occurrences.expand, [event, *overrides], now - timedelta(days=1),
        now + timedelta(days=400))
    # The campaign's address now (it follows the id); none for an unknown campaign.
    campaign_slug = campaign_slugs(request.state.db, [event.campaign_id]).get(
        event.campaign_id) if event.campaign_id is not None else None
    return render(request, "calendar/event.html", {
        "event": event, "ics": ics, "campaign_slug": campaign_slug,
        "links": {**links(ics), "google": google_event_link(event)},
        "zone": here.key,
        "last_day": event.end - timedelta(days=1) if event.all_day else event.end,
        "upcoming": [display(o, here) for o in upcoming[:10]],
        "can_edit": policy.can(request.state.user, "calendar.event.edit", event)})


async def event_ics(request: Request) -> Response:
    event = _visible_event(request)
    rendered = await anyio.to_thread.run_sync(lambda: feed.render(
        [event], name=event.title, description=event.title, now=request.state.clock(),
        base_url=request.app.state.settings.public_base_url))
    return Response(rendered.body, media_type="text/calendar; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="event-{event.id}.ics"'})


def _form_page(request: Request, form: EventForm, errors: dict[str, str] | None = None,
               event: Event | None = None) -> Response:
    """The event form; with ``errors`` (shown by field, translated), answered with 400."""
    campaigns = sorted(set(_partner_campaigns(request))
                       | ({event.campaign} if event and event.campaign else set()))
    return render(request, "calendar/form.html", {
        "form": form, "errors": translated(errors or {}), "event": event, "categories": CATEGORIES,
        "visibilities": VISIBILITIES, "statuses": STATUSES, "campaigns": campaigns,
        "zone_default": zone_name(request)}, 400 if errors else 200)


def _partner_campaigns(request: Request) -> dict[str, int]:
    """The campaigns the user's organisation is a partner of, slug to id: the only ones an
    event may join."""
    db = request.state.db
    ids = viewer_for(db, request.state.user).campaigns
    return {slug: id_ for id_, slug in campaign_slugs(db, ids).items()}


async def _save(request: Request, *, base: Event | None) -> Event | Response:
    """The posted form saved as a new event or over ``base``; the form again if refused."""
    form = EventForm.from_form(await form_dict(request))
    user = request.state.user
    try:
        joined = campaign_id(form.campaign, allowed=_partner_campaigns(request), base=base)
        event = (form.to_event(uid=None, organiser_id=user.organisation_id, campaign_id=joined)
                 if base is None else form.to_event(uid=base.uid, organiser_id=base.organiser_id,
                                                    base=base, campaign_id=joined))
        return store.save(request.state.db, event, now=request.state.clock())
    except ValidationError as e:
        return _form_page(request, form, e.errors, base)


async def _form_flow(request: Request, event: Event | None) -> Response:
    """The event form: shown on GET; on POST saved (new, or over ``event``) and off to the
    event's page, or shown again with its errors."""
    if request.method == "GET":
        form = (EventForm.from_event(event) if event is not None
                else EventForm(tzid=zone_name(request)))
        return _form_page(request, form, event=event)
    saved = await _save(request, base=event)
    if isinstance(saved, Response):
        return saved
    flash(request, _("Event saved.") if event is None
          else _("Event saved. Subscribers get the change at their next refresh."))
    return RedirectResponse(f"/calendar/events/{saved.id}", status_code=303)


async def new_event(request: Request) -> Response:
    return await _form_flow(request, None)


async def edit_event(request: Request) -> Response:
    event = _visible_event(request)
    policy.require(request.state.user, "calendar.event.edit", event)
    return await _form_flow(request, event)


async def delete_event(request: Request) -> Response:
    event = _visible_event(request)
    policy.require(request.state.user, "calendar.event.edit", event)
    assert event.id is not None  # a stored event
    store.delete(request.state.db, event.id, now=request.state.clock())
    flash(request, _("Event deleted. Feeds show it as cancelled for 90 days."))
    return RedirectResponse("/calendar", status_code=303)


routes = [
    page("/calendar/events/new", new_event, methods=["GET", "POST"], action="calendar.import"),
    page("/calendar/events/{event_id}.ics", event_ics, public=True),
    page("/calendar/events/{event_id}", event_view),
    page("/calendar/events/{event_id}/edit", edit_event, methods=["GET", "POST"]),
    page("/calendar/events/{event_id}/delete", delete_event, methods=["POST"]),
]
