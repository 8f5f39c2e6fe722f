"""What the social area sends by e-mail: posts waiting for my organisation's approval, my
organisation's posts that failed or need a check, and its posts to make by hand when they fall
due (with the link that opens WhatsApp with the text ready, for WhatsApp accounts).

Both are scans (every 10 minutes in ``juntos serve``, and in ``juntos mail send``) rather than
writes inside the dispatcher's transactions: the dispatcher's hot path stays as its crash test
proves it, and a wave of 40 posts gives one message, not 40. Keys make them idempotent: the
approval message names the newest post waiting, a problem names the post, its status and its
version, so a post that fails, is resent and fails again is announced twice, not more; a post
to make by hand names the post and its time, so it reminds each member once (again only if it
is moved to another time).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from juntos.accounts import mailing
from juntos.clock import iso
from juntos.db import Database
from juntos.mail import outbox
from juntos.mail.i18n import gettext_for
from juntos.mail.kinds import Kind, Recipient
from juntos.social import authority
from juntos.social.by_hand import names_whatsapp, whatsapp_link
from juntos.social.models import APPROVED, SCHEDULED
from juntos.social.platforms import MANUAL
from juntos.validation import N_

APPROVAL = Kind(id="social.approval", label=N_("Posts waiting for my organisation's approval"),
                why=N_("You receive this because you are a member of %(org)s, whose accounts "
                       "these posts would use."), order=20)
PROBLEM = Kind(id="social.problem", label=N_("My organisation's posts that failed or need a "
                                             "check"),
               why=N_("You receive this because you are a member of %(org)s, whose account "
                      "this post uses."), order=21)

BY_HAND = Kind(id="social.by_hand", label=N_("My organisation's posts to make by hand, when "
                                             "they fall due"),
               why=N_("You receive this because you are a member of %(org)s, which posts on "
                      "%(account)s by hand: Juntos cannot post there itself."), order=22)

#: Problems older than this are not announced (a new server, a restored backup).
HORIZON = timedelta(days=2)
#: Posts to make by hand are reminded from their time until this late (the dispatcher's default
#: window: later a post is missed, and a late post can do harm).
BY_HAND_HORIZON = timedelta(hours=2)


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
    rows = list(db.query(
        "select p.id, p.organisation_id, p.status, p.version, p.platform, p.error,"
        " p.scheduled_at, o.name as org_name from social_posts p"
        " join organisations o on o.id = p.organisation_id"
        " where p.status in ('failed', 'needs_check') and p.updated_at >= ?",
        [iso(now - HORIZON)]))
    return mailing.tell_members(
        db, rows, kind=PROBLEM.id, content=_problem, now=now,
        key=lambda row, person: f"social.problem:{row['id']}:{row['status']}:"
                                f"{row['version']}:{person.user_id}")


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


def _due_by_hand(db: Database, now: datetime) -> list[dict[str, Any]]:
    """Posts on manual accounts whose time has come, still to make, on the authority of the
    account's organisation (as the dispatcher requires of any post it sends)."""
    return list(db.query(
        f"""select p.id, p.text, p.scheduled_at, a.organisation_id, a.label, a.handle,
                   coalesce(nullif(a.timezone, ''), nullif(o.timezone, ''), 'UTC') as zone,
                   o.name as org_name, k.title as campaign_title
              from social_posts p join social_accounts a on a.id = p.account_id
              join organisations o on o.id = a.organisation_id
              join campaigns k on k.id = p.campaign_id
             where p.platform = ? and p.status in (?, ?) and p.scheduled_at between ? and ?
               and {authority.CLAIMABLE}
             order by p.scheduled_at, p.id""",
        [MANUAL, APPROVED, SCHEDULED, iso(now - BY_HAND_HORIZON), iso(now)]))


def by_hand_scan(db: Database, *, now: datetime) -> int:
    """Each member of a manual account's organisation is reminded once of each post due."""
    return mailing.tell_members(
        db, _due_by_hand(db, now), kind=BY_HAND.id, content=_by_hand, now=now,
        key=lambda row, person: f"social.by_hand:{row['id']}:{row['scheduled_at']}:"
                                f"{person.user_id}")


def _local_time(row: dict[str, Any]) -> str:
    """The post's time in the account's zone (its organisation's unless it has its own)."""
    moment = datetime.strptime(row["scheduled_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    try:
        zone = ZoneInfo(row["zone"])
    except (ValueError, KeyError):  # a zone this machine's database lacks: say UTC
        zone, row = ZoneInfo("UTC"), {**row, "zone": "UTC"}
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} ({row['zone']})"


def _by_hand(row: dict[str, Any], person: Recipient) -> outbox.Content:
    _ = gettext_for(person.language)
    account = row["label"] or row["handle"] or ""
    subject = _("Time to post by hand on %(account)s", account=account)
    links: tuple[tuple[str, str], ...] = ()
    if names_whatsapp(row["label"] or "", row["handle"] or ""):
        links = ((_("Open WhatsApp with the text ready"), whatsapp_link(row)),)
    return outbox.Content(
        subject=subject,
        paragraphs=(
            _("The post of %(org)s on %(account)s for the campaign %(campaign)s is due at "
              "%(when)s. Post it by hand, then say it is done on the post's page, so "
              "nobody posts it twice.", org=row["org_name"], account=account,
              campaign=row["campaign_title"], when=_local_time(row)),
            _("The text:"),
            row["text"],
        ),
        links=links,
        action_label=_("Open the post to say it is done"),
        action_path=f"/messages/posts/{row['id']}",
        why=_(BY_HAND.why, org=row["org_name"], account=account),
        digest_line=f"{subject}: {_local_time(row)}")
