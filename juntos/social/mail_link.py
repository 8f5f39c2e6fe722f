"""What the social area sends by e-mail: posts waiting for my organisation's approval, and my
organisation's posts that failed or need a check.

Both are scans (every 10 minutes in ``juntos serve``, and in ``juntos mail send``) rather than
writes inside the dispatcher's transactions: the dispatcher's hot path stays as its crash test
proves it, and a wave of 40 posts gives one message, not 40. Keys make them idempotent: the
approval message names the newest post waiting, a problem names the post, its status and its
version, so a post that fails, is resent and fails again is announced twice, not more.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from juntos.accounts import mailing
from juntos.clock import iso
from juntos.db import Database
from juntos.mail import outbox
from juntos.mail.i18n import gettext_for
from juntos.mail.kinds import Kind, Recipient
from juntos.validation import N_

APPROVAL = Kind(id="social.approval", label=N_("Posts waiting for my organisation's approval"),
                why=N_("You receive this because you are a member of %(org)s, whose accounts "
                       "these posts would use."), order=20)
PROBLEM = Kind(id="social.problem", label=N_("My organisation's posts that failed or need a "
                                             "check"),
               why=N_("You receive this because you are a member of %(org)s, whose account "
                      "this post uses."), order=21)

#: Problems older than this are not announced (a new server, a restored backup).
HORIZON = timedelta(days=2)


def _waiting(db: Database) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    for row in db.query(
            "select p.id, p.organisation_id, p.platform, p.scheduled_at, o.name as org_name"
            " from social_posts p join organisations o on o.id = p.organisation_id"
            " where p.status = 'submitted' order by p.id"):
        found.setdefault(row["organisation_id"], []).append(row)
    return found


def approvals_scan(db: Database, *, now: datetime) -> int:
    """One message per member of each organisation with posts waiting, when new ones came."""
    written = 0
    for org_id, posts in _waiting(db).items():
        newest = posts[-1]["id"]
        for person in mailing.members_of(db, org_id):
            _ = gettext_for(person.language)
            content = outbox.Content(
                subject=_("%(n)s posts wait for your organisation's approval",
                          n=len(posts)),
                paragraphs=(_("Posts for %(org)s's accounts wait for approval; they are not "
                              "sent until someone of %(org)s approves them.",
                              org=posts[0]["org_name"]),),
                action_label=_("Open the approval inbox"), action_path="/messages/inbox",
                why=_(APPROVAL.why, org=posts[0]["org_name"]))
            done = outbox.write(db, to=person, kind=APPROVAL.id,
                                key=f"social.approval:{org_id}:{newest}:{person.user_id}",
                                content=content, now=now)
            written += done.outcome in ("queued", "digest")
    return written


def problems_scan(db: Database, *, now: datetime) -> int:
    """A post that failed or needs a check: its organisation's members hear of it."""
    written = 0
    members: dict[int, list[Recipient]] = {}
    for row in db.query(
            "select p.id, p.organisation_id, p.status, p.version, p.platform, p.error,"
            " p.scheduled_at, o.name as org_name from social_posts p"
            " join organisations o on o.id = p.organisation_id"
            " where p.status in ('failed', 'needs_check') and p.updated_at >= ?",
            [iso(now - HORIZON)]):
        org_id = row["organisation_id"]
        if org_id not in members:
            members[org_id] = mailing.members_of(db, org_id)
        for person in members[org_id]:
            done = outbox.write(
                db, to=person, kind=PROBLEM.id,
                key=f"social.problem:{row['id']}:{row['status']}:{row['version']}:"
                    f"{person.user_id}", content=_problem(row, person), now=now)
            written += done.outcome in ("queued", "digest")
    return written


def _problem(row: dict[str, Any], person: Recipient) -> outbox.Content:
    _ = gettext_for(person.language)
    if row["status"] == "failed":
        subject = _("A post of %(org)s failed", org=row["org_name"])
        first = _("The post planned for %(when)s on %(platform)s was not sent: %(reason)s",
                  when=row["scheduled_at"], platform=row["platform"],
                  reason=row["error"] or "")
    else:
        subject = _("A post of %(org)s needs a check", org=row["org_name"])
        first = _("Nobody can be sure whether the post planned for %(when)s on %(platform)s "
                  "went out. Look at the account, then say so on the post's page.",
                  when=row["scheduled_at"], platform=row["platform"])
    return outbox.Content(subject=subject, paragraphs=(first,),
                          action_label=_("Open the post"),
                          action_path=f"/messages/posts/{row['id']}",
                          why=_(PROBLEM.why, org=row["org_name"]))
