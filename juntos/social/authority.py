"""Posting authority stays with the account's organisation.

A post goes out on an organisation's account only when a member of that organisation approved
it, or under a *delegation*: a standing permission that one of its members granted to a named
campaign, for one account, until an end date (inclusive), revocable at any time. Under a
delegation the campaign's approvers (its leads, coordinators) approve that account's posts.
No role bypasses this: a coordinator approves posts on their own organisation's accounts, or
under a delegation, like anyone else.

``approval(...)`` decides, when a post is approved, on what authority (or none: it waits for
the account's organisation). ``CLAIMABLE`` is the same rule as one SQL condition, which the
dispatcher checks again when it claims a post: a delegation revoked or ended, or an
organisation that left the campaign, stops posts that were approved before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import field_validator

from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Conflict, NotFound, ValidationError
from juntos.organisations import audit
from juntos.social import campaign_link
from juntos.social.models import SocialInput, new_id
from juntos.validation import N_, fail

#: The dispatcher's condition on ``social_posts p`` joined to ``social_accounts a``: a post to
#: send (a check of an earlier send always runs) carries the authority of the account's own
#: organisation, directly or by a delegation still in force on its day, and that organisation
#: still takes part in the campaign.
CLAIMABLE = f"""(p.status = 'needs_check' or (exists (
        select 1 from social_post_authority x where x.post_id = p.id
           and x.organisation_id = a.organisation_id
           and (x.delegation_id is null or exists (
                select 1 from social_delegations d where d.id = x.delegation_id
                   and d.account_id = p.account_id and d.campaign_id = p.campaign_id
                   and d.revoked_at is null and d.ends_on >= substr(p.scheduled_at, 1, 10))))
     and {campaign_link.PARTNER_CLAUSE}))"""


class DelegationInput(SocialInput):
    """A delegation's form: the campaign (its short name) and the last day it holds."""

    campaign: str
    ends_on: date

    @field_validator("ends_on", mode="before")
    @classmethod
    def _ends(cls, value: object) -> date:
        try:
            return value if isinstance(value, date) else date.fromisoformat(str(value).strip())
        except ValueError:
            raise fail(N_("Give the last day as YYYY-MM-DD.")) from None


@dataclass(frozen=True)
class Delegation:
    id: int
    account_id: int
    campaign_id: int
    campaign_slug: str
    campaign_title: str
    ends_on: str
    granted_at: str
    granted_by_name: str
    revoked_at: str | None

    def active_on(self, day: date) -> bool:
        return self.revoked_at is None and self.ends_on >= day.isoformat()


_SELECT = """select d.id, d.account_id, d.campaign_id, c.slug as campaign_slug,
                    c.title as campaign_title, d.ends_on, d.granted_at,
                    coalesce(nullif(u.name, ''), u.email, '') as granted_by_name, d.revoked_at
               from social_delegations d join campaigns c on c.id = d.campaign_id
               left join users u on u.id = d.granted_by"""


def for_account(db: Database, account_id: int) -> list[Delegation]:
    """The account's delegations, newest first (revoked and ended ones too: the record)."""
    return [Delegation(**r) for r in db.query(f"{_SELECT} where d.account_id = ?"
                                              " order by d.id desc", [account_id])]


def grant(db: Database, account: Any, data: DelegationInput, *, organisation_id: int,
          now: datetime, by: int) -> Delegation:
    """Let the campaign's approvers approve this account's posts until ``data.ends_on``.

    ``organisation_id`` is the granting member's organisation: it must own the account, and
    the campaign must count it among its partners (an invitation is not enough)."""
    if account.organisation_id != organisation_id:
        raise NotFound("No such account.")
    try:
        campaign = campaign_link.by_slug(db, data.campaign.strip())
    except NotFound:
        raise ValidationError({"campaign": "No campaign with that short name."}) from None
    if organisation_id not in campaign_link.partner_org_ids(campaign):
        raise ValidationError({"campaign": "Your organisation does not take part in it."})
    if data.ends_on < now.date():
        raise ValidationError({"ends_on": "The last day is already past."})
    with db.atomic():
        delegation_id = new_id(db.execute(
            "insert into social_delegations (account_id, campaign_id, ends_on, granted_at,"
            " granted_by) values (?, ?, ?, ?, ?)",
            [account.id, campaign["id"], data.ends_on.isoformat(), iso(now), by]).lastrowid)
        audit.record(db, organisation_id, "delegation_granted",
                     f"{_account_name(account)} → {campaign['title']} ({data.ends_on})",
                     now=now, by=by)
    return next(d for d in for_account(db, account.id) if d.id == delegation_id)


def revoke(db: Database, account: Any, delegation_id: int, *, organisation_id: int,
           now: datetime, by: int) -> None:
    """End a delegation now: posts approved under it stop too (the dispatcher checks)."""
    if account.organisation_id != organisation_id:
        raise NotFound("No such account.")
    with db.atomic():
        cursor = db.execute(
            "update social_delegations set revoked_at = ?, revoked_by = ? where id = ? and"
            " account_id = ? and revoked_at is null", [iso(now), by, delegation_id, account.id])
        if cursor.rowcount != 1:
            raise Conflict("This delegation is already revoked.")
        audit.record(db, organisation_id, "delegation_revoked",
                     f"{_account_name(account)} (#{delegation_id})", now=now, by=by)


def active_delegation(db: Database, account_id: int, campaign_id: int, day: str) -> int | None:
    """The id of a delegation in force for this account and campaign on ``day``."""
    row = db.execute(
        "select id from social_delegations where account_id = ? and campaign_id = ? and"
        " revoked_at is null and ends_on >= ? order by ends_on desc limit 1",
        [account_id, campaign_id, day[:10]]).fetchone()
    return int(row[0]) if row else None


def approval(db: Database, post: dict[str, Any], *, organisation_id: int | None,
             campaign_approver: bool) -> int | bool:
    """On what authority ``post`` may be approved by someone of ``organisation_id`` (who
    approves the campaign's posts when ``campaign_approver``): ``True`` for the account's own
    organisation, a delegation id, or ``False`` (it waits for the account's organisation)."""
    if organisation_id is not None and organisation_id == post["organisation_id"]:
        return True
    if campaign_approver:
        found = active_delegation(db, post["account_id"], post["campaign_id"],
                                  post["scheduled_at"])
        if found is not None:
            return found
    return False


def record(db: Database, post: dict[str, Any], authority: int | bool, *, now: datetime,
           by: int | None) -> None:
    """Store the authority of an approval (and a line in the organisation's trail)."""
    delegation_id = None if authority is True else int(authority)
    db.execute("insert or replace into social_post_authority (post_id, organisation_id,"
               " user_id, delegation_id, at) values (?, ?, ?, ?, ?)",
               [post["id"], post["organisation_id"], by, delegation_id, iso(now)])
    action = "post_approved" if delegation_id is None else "post_approved_delegated"
    audit.record(db, post["organisation_id"], action,
                 f"#{post['id']} @{post.get('handle') or ''} {post['scheduled_at'][:16]}",
                 now=now, by=by)


def withdraw(db: Database, post_id: int) -> None:
    """A post back to draft (edited, sent back) needs a new approval."""
    db.execute("delete from social_post_authority where post_id = ?", [post_id])


def _account_name(account: Any) -> str:
    return f"{account.platform} @{account.handle}" if account.handle else account.platform
