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
    written = 0
    members: dict[int, list[Recipient]] = {}
    for row in _due_commitments(db, today):
        stage = _stage(date.fromisoformat(row["due_date"]), today)
        if stage is None:
            continue
        org = row["organisation_id"]
        if org not in members:
            members[org] = mailing.members_of(db, org)
        for person in members[org]:
            key = f"commitment:{row['id']}:{stage}:{row['due_date']}:{person.user_id}"
            done = outbox.write(db, to=person, kind=COMMITMENT_DUE.id, key=key,
                                content=_content(row, stage, person), now=now)
            written += done.outcome in ("queued", "digest")
    return written


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


