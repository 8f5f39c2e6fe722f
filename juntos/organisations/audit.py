"""An organisation's audit trail: what was done in its name or on its behalf, by whom, when.

Areas above write to it in the same transaction as the act (``record``); its members read it
(``trail``, policy action ``organisation.audit``). Actions are short codes; the page turns them
into sentences (``ACTIONS``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from juntos.accounts.roles import COORDINATOR, MEMBER
from juntos.accounts.store import User
from juntos.area import Rule
from juntos.clock import iso
from juntos.db import Database
from juntos.validation import N_

#: Every action the trail records, with the sentence its page shows.
ACTIONS: dict[str, str] = {
    "invited": N_("Invited to a campaign"),
    "accepted": N_("Accepted a campaign's invitation"),
    "declined": N_("Declined a campaign's invitation"),
    "left": N_("Left a campaign"),
    "removed": N_("Removed from a campaign"),
    "delegation_granted": N_("Granted a campaign a delegation to post"),
    "delegation_revoked": N_("Revoked a delegation to post"),
    "post_approved": N_("Approved a post on its account"),
    "post_approved_delegated": N_("A post on its account was approved under a delegation"),
    "account_connected": N_("Connected an account"),
    "account_disconnected": N_("Disconnected an account"),
    "post_done_by_hand": N_("Posted a post by hand and marked it done"),
}


def record(db: Database, organisation_id: int, action: str, detail: str = "", *,
           now: datetime, by: int | None) -> None:
    """One line in the organisation's trail (call inside the act's transaction)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}.")
    db.execute("insert into organisation_audit (organisation_id, at, user_id, action, detail)"
               " values (?, ?, ?, ?, ?)", [organisation_id, iso(now), by, action, detail[:300]])


def trail(db: Database, organisation_id: int, *, limit: int = 200) -> list[dict[str, Any]]:
    """The latest entries first, each with who did it (name or e-mail, and their
    organisation's name: a coordinator or a campaign's lead may act for it)."""
    return list(db.query(
        """select t.id, t.at, t.action, t.detail, t.user_id,
                  coalesce(nullif(u.name, ''), u.email, '') as user_name,
                  coalesce(o.name, '') as user_organisation
             from organisation_audit t left join users u on u.id = t.user_id
             left join organisations o on o.id = u.organisation_id
            where t.organisation_id = ? order by t.id desc limit ?""",
        [organisation_id, limit]))


def _may_read(user: User, org: Any) -> bool:
    """Its own members (and a coordinator who belongs to it); not viewers, not other
    organisations, not the network's coordinators: the trail names people."""
    return (user.role in (MEMBER, COORDINATOR) and org is not None
            and org["id"] == user.organisation_id)


RULES: dict[str, Rule] = {"organisation.audit": _may_read}
