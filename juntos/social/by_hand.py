"""Posts made by hand (manual accounts: WhatsApp groups, channels, status, or anywhere else):
the link that opens WhatsApp with the text ready, and "done".

WhatsApp has no API for groups, channels or status, so a person posts; Juntos makes that one
tap (``whatsapp_link``: ``https://wa.me/?text=...``, which opens the app on a phone and
WhatsApp Web elsewhere, the person then choosing the group) and records when it was done
(``mark_done``), on the organisation's authority: a member of the account's organisation, or
a campaign approver under a delegation that organisation granted for the account
(``authority.approval``, the rule for approving). The calendar reminder, the post page and the
e-mail reminder all build the link with ``whatsapp_link``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

from juntos.accounts.roles import COORDINATOR, MEMBER
from juntos.accounts.store import User
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Conflict, Forbidden
from juntos.organisations import audit
from juntos.social import authority
from juntos.social.models import APPROVED, MISSED, SCHEDULED, SENT, check_transition
from juntos.social.platforms import MANUAL

WA_ME = "https://wa.me/?text="
#: States from which a post made by hand can be marked done (a late one too: it went out).
DOABLE = (APPROVED, SCHEDULED, MISSED)


def whatsapp_link(post: Mapping[str, Any]) -> str:
    """The link that opens WhatsApp with the post's text ready to send (every character
    percent-encoded as UTF-8, as wa.me expects: line breaks, ``&`` and ``#`` included)."""
    return WA_ME + quote(str(post["text"]), safe="")


def names_whatsapp(label: str, handle: str = "") -> bool:
    """Whether a manual account is a WhatsApp one (its label says so: "WhatsApp groups")."""
    return "whatsapp" in f"{label} {handle}".lower().replace(" ", "")


def offers_whatsapp(post: Mapping[str, Any], label: str, handle: str = "") -> bool:
    """A post made by hand on a WhatsApp account, still to be made."""
    return (post["platform"] == MANUAL and post["status"] in DOABLE
            and names_whatsapp(label, handle))


def may_mark_done(db: Database, user: User | None, post: Mapping[str, Any], *,
                  campaign_approver: bool) -> bool:
    """Members of the account's organisation, or campaign approvers under its delegation."""
    if user is None or user.role not in (MEMBER, COORDINATOR) or post["platform"] != MANUAL:
        return False
    return authority.approval(db, dict(post), organisation_id=user.organisation_id,
                              campaign_approver=campaign_approver) is not False


def mark_done(db: Database, post: Mapping[str, Any], *, now: datetime, user: User,
              campaign_approver: bool) -> None:
    """Record that a person posted it by hand, now: sent, in the post's history and the
    organisation's audit trail. Raises Forbidden (not on this organisation's authority) or
    Conflict (already done, cancelled, or changed meanwhile)."""
    if not may_mark_done(db, user, post, campaign_approver=campaign_approver):
        raise Forbidden("Only the account's organisation, or a campaign it delegated to, can"
                        " mark this post as posted.")
    if post["status"] not in DOABLE:
        raise Conflict("This post is not waiting to be posted by hand.")
    check_transition(post["status"], SENT)
    at = iso(now)
    with db.atomic():
        changed = db.execute(
            "update social_posts set status = ?, updated_at = ?, error = null,"
            " version = version + 1, sequence = sequence + 1"
            " where id = ? and status = ? and version = ?",
            [SENT, at, post["id"], post["status"], post["version"]]).rowcount
        if changed != 1:
            raise Conflict("This post changed meanwhile. Reload the page and try again.")
        db.execute("insert into social_post_events (post_id, at, from_status, to_status,"
                   " user_id, comment) values (?, ?, ?, ?, ?, ?)",
                   [post["id"], at, post["status"], SENT, user.id,
                    f"posted by hand at {at[:16].replace('T', ' ')} UTC"])
        audit.record(db, post["organisation_id"], "post_done_by_hand",
                     f"#{post['id']} {post.get('account_label') or post.get('handle') or ''}"
                     f" {at[:16]}", now=now, by=user.id)
