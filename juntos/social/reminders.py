"""Reminders for posts made by hand: the events a manual account's organisation gets in its
private calendar feed.

A partner without API access still posts on time: each scheduled post on a manual account is an
event titled "Post: ..." at the post's moment, with the full text in the description and an
alarm 15 minutes before. The UID is stable (derived from the post id, which is never reused),
SEQUENCE grows with every change, and a cancelled post stays in the feed as STATUS:CANCELLED
with the same UID so calendar clients remove it.

The calendar area turns these records into VEVENTs in the organisation's feed; this module has
no iCalendar dependency of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from juntos.db import Database
from juntos.social.by_hand import names_whatsapp, whatsapp_link
from juntos.social.models import CANCELLED, SCHEDULED, SENT

ALARM_BEFORE = timedelta(minutes=15)
TITLE_WORDS = 60  # characters of the text shown in the title
EVENT_LENGTH = timedelta(minutes=15)


@dataclass(frozen=True)
class ReminderEvent:
    """One calendar event, in the terms of RFC 5545 (UID, SEQUENCE, STATUS, VALARM)."""

    uid: str
    sequence: int
    status: str  # "CONFIRMED" or "CANCELLED"
    summary: str
    description: str
    start: datetime  # aware, UTC
    end: datetime
    alarm_before: timedelta
    last_modified: datetime
    post_id: int
    campaign_id: int
    account_label: str
    #: Posts still to make on a WhatsApp account: the link that opens WhatsApp with the text.
    whatsapp_url: str = ""
    pending: bool = False  # still to post (not yet marked done, not cancelled)


def uid_for(post_id: int) -> str:
    return f"social-post-{post_id}@juntos"


def _title(text: str) -> str:
    line = " ".join(text.split())
    short = line if len(line) <= TITLE_WORDS else line[:TITLE_WORDS - 1].rstrip() + "…"
    return f"Post: {short}"


def _utc(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@dataclass(frozen=True)
class ScheduledPost:
    """A scheduled post as a campaign's calendar page shows it."""

    post_id: int
    start: datetime
    organisation_name: str
    platform: str
    summary: str


def campaign_schedule(db: Database, campaign_id: int, *, start: datetime | None = None,
                      end: datetime | None = None) -> list[ScheduledPost]:
    """The campaign's scheduled (and sent) posts between ``start`` and ``end``, for the
    campaign's calendar page (the calendar area decides how to draw them)."""
    sql = ("select p.id, p.scheduled_at, p.platform, p.text, o.name from social_posts p"
           " join organisations o on o.id = p.organisation_id"
           " where p.campaign_id = ? and p.status in (?, ?)")
    params: list[object] = [campaign_id, SCHEDULED, SENT]
    if start is not None:
        sql += " and p.scheduled_at >= ?"
        params.append(start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    if end is not None:
        sql += " and p.scheduled_at < ?"
        params.append(end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return [ScheduledPost(post_id=r["id"], start=_utc(r["scheduled_at"]),
                          organisation_name=r["name"], platform=r["platform"],
                          summary=_title(r["text"]))
            for r in db.query(sql + " order by p.scheduled_at, p.id", params)]


def reminder_events(db: Database, org_id: int) -> list[ReminderEvent]:
    """The organisation's manual-account posts that are scheduled, done, or cancelled after
    having been scheduled (so the cancellation reaches calendars that had the event)."""
    rows = db.query(
        """select p.id, p.campaign_id, p.text, p.scheduled_at, p.status, p.sequence, p.updated_at,
                  a.label, a.handle
             from social_posts p join social_accounts a on a.id = p.account_id
            where p.organisation_id = ? and p.platform = 'manual'
              and (p.status in (?, ?) or (p.status = ? and exists (
                   select 1 from social_post_events e where e.post_id = p.id
                      and e.to_status = ?)))
            order by p.scheduled_at, p.id""",
        [org_id, SCHEDULED, SENT, CANCELLED, SCHEDULED])
    events = []
    for row in rows:
        start = _utc(row["scheduled_at"])
        where = row["label"] or row["handle"] or ""
        description = row["text"] + (f"\n\n({where})" if where else "")
        whatsapp = (whatsapp_link(row) if row["status"] == SCHEDULED
                    and names_whatsapp(row["label"] or "", row["handle"] or "") else "")
        if whatsapp:
            description += f"\n\nWhatsApp: {whatsapp}"
        events.append(ReminderEvent(
            uid=uid_for(row["id"]), sequence=row["sequence"],
            status="CANCELLED" if row["status"] == CANCELLED else "CONFIRMED",
            summary=_title(row["text"]), description=description, start=start,
            end=start + EVENT_LENGTH, alarm_before=ALARM_BEFORE,
            last_modified=_utc(row["updated_at"]), post_id=row["id"],
            campaign_id=row["campaign_id"], account_label=where, whatsapp_url=whatsapp,
            pending=row["status"] == SCHEDULED))
    return events
