"""What the campaigns area sends by e-mail: commitments falling due (in 7 days, tomorrow,
overdue) to the owning organisation's members, and their commitments in the weekly digest.

The scan runs often (``juntos serve`` every 10 minutes, ``juntos mail send``); each message's
key names the commitment, the stage, its due date and the person, so a scan run twice, or a
due date moved and moved back, writes each reminder once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from juntos.accounts import mailing
from juntos.clock import iso
from juntos.db import Database
from juntos.mail import outbox
from juntos.mail.i18n import gettext_for
from juntos.mail.kinds import Kind, Recipient, Section
from juntos.validation import N_

COMMITMENT_DUE = Kind(
    id="campaigns.commitment_due", label=N_("Commitments falling due"),
    why=N_("You receive this because you are a member of %(org)s, which made this commitment."),
    order=10)

#: Overdue commitments older than this are not announced (a new server, a long pause).
OVERDUE_HORIZON = timedelta(days=30)

_SUBJECTS = {
    "7d": N_("Due in 7 days: %(title)s"),
    "1d": N_("Due tomorrow: %(title)s"),
    "overdue": N_("Overdue: %(title)s"),
}
_BODY = N_("%(org)s committed to \"%(title)s\" in the campaign %(campaign)s, due on %(due)s.")


def _stage(due: date, today: date) -> str | None:
    days = (due - today).days
    if days < 0:
        return "overdue" if today - due <= OVERDUE_HORIZON else None
    if days <= 1:
        return "1d"
    if days <= 7:
        return "7d"
    return None


def _due_commitments(db: Database, today: date) -> list[dict[str, Any]]:
    return list(db.query(
        """select c.id, c.title, c.due_date, c.organisation_id, o.name as org_name,
                  k.title as campaign_title, k.slug as campaign_slug
             from commitments c join campaigns k on k.id = c.campaign_id
             join organisations o on o.id = c.organisation_id
            where c.status in ('open', 'in_progress') and c.due_date is not null
              and c.due_date != '' and c.due_date between ? and ?""",
        [(today - OVERDUE_HORIZON).isoformat(), (today + timedelta(days=7)).isoformat()]))


def scan(db: Database, *, now: datetime) -> int:
    """Write the reminders due today; return how many were queued or kept for a digest."""
    today = now.date()
    due = []
    for row in _due_commitments(db, today):
        stage = _stage(date.fromisoformat(row["due_date"]), today)
        if stage is not None:
            due.append(row | {"stage": stage})
    return mailing.tell_members(
        db, due, kind=COMMITMENT_DUE.id, now=now,
        content=lambda row, person: _content(row, row["stage"], person),
        key=lambda row, person: f"commitment:{row['id']}:{row['stage']}:{row['due_date']}:"
                                f"{person.user_id}")


def _content(row: dict[str, Any], stage: str, person: Recipient) -> outbox.Content:
    _ = gettext_for(person.language)
    subject = _(_SUBJECTS[stage], title=row["title"])
    return outbox.Content(
        subject=subject,
        paragraphs=(_(_BODY, org=row["org_name"], title=row["title"],
                      campaign=row["campaign_title"], due=row["due_date"]),),
        action_label=_("Open the campaign"),
        action_path=f"/campaigns/{row['campaign_slug']}",
        why=_(COMMITMENT_DUE.why, org=row["org_name"]),
        digest_line=f"{subject} ({row['campaign_title']})")


def digest_section(db: Database, person: Recipient, now: datetime,
                   _: Any) -> Section | None:
    """The weekly digest's "your organisation's commitments": open ones due within 14 days or
    overdue."""
    if person.organisation_id is None:
        return None
    today = now.date()
    rows = db.query(
        """select c.title, c.due_date, k.title as campaign_title from commitments c
             join campaigns k on k.id = c.campaign_id
            where c.organisation_id = ? and c.status in ('open', 'in_progress')
              and c.due_date is not null and c.due_date != '' and c.due_date <= ?
            order by c.due_date limit 20""",
        [person.organisation_id, (today + timedelta(days=14)).isoformat()])
    lines = tuple(f"{r['due_date']}: {r['title']} ({r['campaign_title']})" for r in rows)
    return Section(_("Your organisation's commitments"), lines) if lines else None


def upcoming_section(db: Database, person: Recipient, now: datetime,
                     _: Any) -> Section | None:
    """The weekly digest's "next two weeks": calls to action and milestones of the campaigns
    the person's organisation takes part in."""
    if person.organisation_id is None:
        return None
    today = now.date()
    end = (today + timedelta(days=14)).isoformat()
    rows = db.query(
        """select a.start_date as day, a.title, k.title as campaign_title
             from calls_to_action a join campaigns k on k.id = a.campaign_id
             join participations p on p.campaign_id = k.id
            where p.organisation_id = ? and p.status = 'accepted'
              and a.start_date between ? and ?
            order by a.start_date limit 20""",
        [person.organisation_id, today.isoformat(), end])
    lines = tuple(f"{r['day']}: {r['title']} ({r['campaign_title']})" for r in rows)
    return Section(_("The next two weeks"), lines) if lines else None




INVITATION = Kind(
    id="campaigns.invitation", label=N_("Invitations of my organisation to campaigns"),
    why=N_("You receive this because you are a member of %(org)s, and only its members can "
           "accept for it."), order=5)
EVENT_CHANGE = Kind(
    id="campaigns.event_change", label=N_("Changes to events in my organisation's campaigns"),
    why=N_("You receive this because %(org)s is a partner of the campaign %(campaign)s."),
    order=30)

#: Event changes announced: events starting within this window, changed within the last day.
EVENT_WINDOW = timedelta(days=14)


def partner_invited(db: Database, campaign_id: int, org_id: int, role: str, *,
                    now: datetime) -> None:
    """Each member of an invited organisation hears of it (in the invitation's transaction)."""
    found = list(db.query(
        "select k.slug, k.title, o.name as org_name, lead.name as lead_name from campaigns k"
        " join organisations o on o.id = ?"
        " left join participations p on p.campaign_id = k.id and p.role = 'lead'"
        " left join organisations lead on lead.id = p.organisation_id where k.id = ?",
        [org_id, campaign_id]))
    if not found:
        return
    row = found[0]
    for person in mailing.members_of(db, org_id):
        _ = gettext_for(person.language)
        content = outbox.Content(
            subject=_("%(org)s is invited to the campaign %(campaign)s",
                      org=row["org_name"], campaign=row["title"]),
            paragraphs=(_("%(org)s is invited to take part in %(campaign)s. It takes part "
                          "once one of its members accepts; until then nothing is done in "
                          "its name.", org=row["org_name"], campaign=row["title"]),),
            action_label=_("Answer the invitation"),
            action_path=f"/campaigns/{row['slug']}",
            why=_(INVITATION.why, org=row["org_name"]))
        outbox.write(db, to=person, kind=INVITATION.id,
                     key=f"campaigns.invitation:{campaign_id}:{org_id}:{iso(now)}:"
                         f"{person.user_id}", content=content, now=now)


def event_changes_scan(db: Database, *, now: datetime) -> int:
    """Events of a campaign, starting within 14 days, changed (or cancelled) in the last day:
    every partner organisation's members hear of each change once (its SEQUENCE)."""
    # The calendar's table read here (campaigns sits above the calendar): the event's
    # campaign, its sequence (raised by every significant change) and its status.
    rows = list(db.query(
        """select e.id, e.title, e.start, e.status, e.sequence, e.deleted_at, e.campaign_id,
                  k.title as campaign_title, k.slug as campaign_slug
             from calendar_events e join campaigns k on k.id = e.campaign_id
            where e.sequence > 0 and e.updated_at >= ? and e.start_utc between ? and ?""",
        [iso(now - timedelta(days=1)), iso(now), iso(now + EVENT_WINDOW)]))
    written = 0
    for event in rows:
        for partner in db.query(
                "select p.organisation_id, o.name from participations p join organisations o"
                " on o.id = p.organisation_id where p.campaign_id = ? and p.status = 'accepted'",
                [event["campaign_id"]]):
            for person in mailing.members_of(db, partner["organisation_id"]):
                done = outbox.write(
                    db, to=person, kind=EVENT_CHANGE.id,
                    key=f"campaigns.event:{event['id']}:{event['sequence']}:{person.user_id}",
                    content=_event_content(event, partner["name"], person), now=now)
                written += done.outcome in ("queued", "digest")
    return written


def _event_content(event: dict[str, Any], org: str, person: Recipient) -> outbox.Content:
    _ = gettext_for(person.language)
    cancelled = event["status"] == "cancelled" or bool(event["deleted_at"])
    subject = (_("Cancelled: %(title)s", title=event["title"]) if cancelled
               else _("Changed: %(title)s", title=event["title"]))
    return outbox.Content(
        subject=subject,
        paragraphs=(_("The event \"%(title)s\" of the campaign %(campaign)s, on %(start)s, "
                      "was cancelled.", title=event["title"], campaign=event["campaign_title"],
                      start=event["start"]) if cancelled else
                    _("The event \"%(title)s\" of the campaign %(campaign)s changed; it is now "
                      "on %(start)s.", title=event["title"], campaign=event["campaign_title"],
                      start=event["start"]),),
        action_label=_("Open the calendar"), action_path=f"/calendar/events/{event['id']}",
        why=_(EVENT_CHANGE.why, org=org, campaign=event["campaign_title"]),
        digest_line=subject)
