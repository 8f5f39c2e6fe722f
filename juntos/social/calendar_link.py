"""Posts to make by hand, as reminders in the organisation's private calendar feed.

A partner without API access still posts on time: its manual-account posts (see
``reminders.reminder_events``) become events private to that organisation, with the full text
and an alarm 15 minutes before; on a WhatsApp account, the event's link opens WhatsApp with the
text ready (``by_hand.whatsapp_link``). Cancelling a post keeps its UID and marks it cancelled, so
calendars remove their copy.
"""

from __future__ import annotations

from collections.abc import Iterator

from juntos.calendar import sources, visibility
from juntos.calendar.filters import Filters
from juntos.calendar.models import Event, Window
from juntos.db import Database, change_counter
from juntos.social.reminders import ReminderEvent, reminder_events


def version(db: Database) -> int:
    """Bumped by trigger on every write to posts and accounts (one-row read)."""
    return change_counter(db, "social_calendar_version")


def _event(reminder: ReminderEvent, org: dict, campaign_slug: str) -> Event:
    return Event(
        uid=reminder.uid,
        title=reminder.summary,
        start=reminder.start.replace(tzinfo=None),  # one-off timed events are given in UTC
        end=reminder.end.replace(tzinfo=None),
        all_day=False,
        tzid="UTC",
        description=reminder.description,
        url=reminder.whatsapp_url,  # one tap opens WhatsApp with the text, in any calendar
        category="media_moment",
        campaign=campaign_slug,
        campaign_id=reminder.campaign_id,
        organiser_id=org["id"],
        organiser_name=org["name"],
        countries=(org["country"],) if org["country"] else (),
        visibility="organisation",
        status="cancelled" if reminder.status == "CANCELLED" else "confirmed",
        sequence=reminder.sequence,
        created_at=reminder.last_modified,
        updated_at=reminder.last_modified,
        source_label=f"Social: {reminder.account_label}" if reminder.account_label else "",
        alarm_minutes=int(reminder.alarm_before.total_seconds() // 60),
        # The post's page (its "done" button): the calendar's agenda offers it beside the event.
        extra={"post_page": f"/messages/posts/{reminder.post_id}",
               "whatsapp": reminder.whatsapp_url} if reminder.pending else {},
    )


def provide(db: Database, viewer: visibility.Viewer | None, filters: Filters,
            window: Window) -> Iterator[Event]:
    """The viewer's own organisation's reminders (the administrator's export: everyone's)."""
    if viewer is not None and not viewer.signed_in:
        return
    if viewer is None:
        org_ids = [r["organisation_id"] for r in db.query(
            "select distinct organisation_id from social_posts where platform = 'manual'")]
    else:
        org_ids = [viewer.organisation_id]
    slugs = {r["id"]: r["slug"] for r in db.query("select id, slug from campaigns")}
    for org_id in org_ids:
        org = next(db.query("select id, slug, name, country from organisations where id = ?",
                            [org_id]))
        for reminder in reminder_events(db, org_id):
            if window.start and reminder.end < window.start:
                continue
            if window.end and reminder.start > window.end:
                continue
            event = _event(reminder, org, slugs.get(reminder.campaign_id, ""))
            if filters.matches(event, org["slug"]):
                yield event


#: Plugged into the calendar by the social manifest.
SOURCE = sources.Source(provide, version)
