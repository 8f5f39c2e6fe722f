"""Who may see and change a campaign: visibility rules and the policy actions they back.

- ``public``: anyone, even without an account (e.g. public calendar feeds);
- ``network``: any signed-in user of the network;
- ``private``: only users of the campaign's partner organisations (any role);
- coordinators see every campaign.

A campaign a user may not see must look absent: views raise ``NotFound`` (404), never 403, in
pages, JSON and exports alike. ``get_visible`` does that in one call.

Policy actions registered here (``juntos.accounts.policy``), each taking a campaign as loaded
by ``store.get`` (which carries ``member_org_ids`` and ``lead_org_ids``, so rules need no
database): ``campaign.view``, ``campaign.create``, ``campaign.edit`` (details, matrix,
workstreams, calls to action, milestones), ``campaign.manage_partners``, ``campaign.contribute``
(add commitments: leads and members of partner organisations) and ``commitment.update`` (target:
``(campaign, commitment)``; leads, or the organisation that made the commitment).
"""

from __future__ import annotations

from typing import Any

from juntos.accounts.roles import COORDINATOR, MEMBER
from juntos.accounts.store import User
from juntos.area import Rule
from juntos.db import Database
from juntos.errors import NotFound

Campaign = dict[str, Any]


def visible_clause(user: User | None, alias: str = "c") -> tuple[str, list[Any]]:
    """An SQL condition on campaigns ``alias`` true for those ``user`` may see, and its params.

    One condition, so lists and searches filter in the query rather than row by row.
    """
    if user is None:
        return visible_clause_for(signed_in=False, alias=alias)
    return visible_clause_for(signed_in=True, coordinator=user.role == COORDINATOR,
                              organisation_id=user.organisation_id, alias=alias)


def visible_clause_for(*, signed_in: bool, coordinator: bool = False,
                       organisation_id: int | None = None,
                       alias: str = "c") -> tuple[str, list[Any]]:
    """The same rule for callers that hold only these facts (the calendar's viewers)."""
    if not signed_in:
        return f"{alias}.visibility = 'public'", []
    if coordinator:
        return "1 = 1", []
    return (
        f"({alias}.visibility in ('public', 'network') or exists (select 1 from participations"
        f" vp where vp.campaign_id = {alias}.id and vp.organisation_id = ?"
        " and vp.status = 'accepted'))",
        [organisation_id],
    )


def _member_ids(campaign: Campaign) -> set[int]:
    return set(campaign.get("member_org_ids") or ())


def _can_view(user: User | None, campaign: Campaign) -> bool:
    if campaign["visibility"] == "public":
        return True
    if user is None:
        return False
    if user.role == COORDINATOR or campaign["visibility"] == "network":
        return True
    return user.organisation_id in _member_ids(campaign)


def can_view(db: Database | None, user: User | None, campaign: Campaign) -> bool:
    """May ``user`` (``None``: anonymous) see this campaign? ``db`` is unused when the
    campaign came from ``store.get``; given a bare row, the partners are looked up."""
    if "member_org_ids" not in campaign and db is not None:
        campaign = _with_members(db, campaign)
    return _can_view(user, campaign)


def _is_lead(user: User | None, campaign: Campaign) -> bool:
    return user is not None and user.organisation_id in set(campaign.get("lead_org_ids") or ())


def is_lead(db: Database | None, user: User | None, campaign: Campaign) -> bool:
    """Is the user's organisation a lead or co-lead of the campaign?"""
    if "lead_org_ids" not in campaign and db is not None:
        campaign = _with_members(db, campaign)
    return _is_lead(user, campaign)


def _with_members(db: Database, campaign: Campaign) -> Campaign:
    from juntos.campaigns import store

    return store.get_by_id(db, campaign["id"])


def get_visible(db: Database, user: User | None, slug: str) -> Campaign:
    """The campaign, or ``NotFound`` when it does not exist *or* the user may not see it."""
    from juntos.campaigns import store

    campaign = store.get(db, slug)
    if not _can_view(user, campaign):
        raise NotFound(f"No campaign {slug!r}.")
    return campaign


# --- policy rules: (user, target) -> bool, no database -----------------------------------

def _rule_view(user: User, campaign: Campaign) -> bool:
    return _can_view(user, campaign)


def _rule_create(user: User, target: Any = None) -> bool:
    return user.role in (COORDINATOR, MEMBER)


def _rule_lead_or_coordinator(user: User, campaign: Campaign) -> bool:
    if user.role == COORDINATOR:
        return True
    return user.role == MEMBER and campaign is not None and _is_lead(user, campaign)


def _rule_contribute(user: User, campaign: Campaign) -> bool:
    if user.role == COORDINATOR:
        return True
    return (user.role == MEMBER and campaign is not None
            and user.organisation_id in _member_ids(campaign))


def _rule_update_commitment(user: User, target: tuple[Campaign, dict[str, Any]]) -> bool:
    campaign, commitment = target
    if _rule_lead_or_coordinator(user, campaign):
        return True
    return user.role == MEMBER and commitment["organisation_id"] == user.organisation_id


RULES: dict[str, Rule] = {
    "campaign.view": _rule_view,
    "campaign.create": _rule_create,
    "campaign.edit": _rule_lead_or_coordinator,
    "campaign.manage_partners": _rule_lead_or_coordinator,
    "campaign.contribute": _rule_contribute,
    "commitment.update": _rule_update_commitment,
}
