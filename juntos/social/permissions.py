"""Who may do what in the social area, registered with ``juntos.accounts.policy``.

Campaign rules take a campaign as the campaigns area loads it (a dict carrying
``member_org_ids`` and ``lead_org_ids``), so they need no database:

- ``social.kit.write`` (campaign): coordinators, and members of the campaign's partner
  organisations, write kits and variants;
- ``social.approve`` (campaign): coordinators and members of a lead organisation plan waves,
  approve (which schedules), send back and cancel any post;
- ``social.post.edit`` ((campaign, post)): those who approve, and kit writers of the post's own
  organisation (edit its text, submit it, cancel it);
- ``social.account.manage`` (organisation dict): coordinators and the organisation's members;
- ``social.post.approve`` ((campaign, post)): may try to approve: members of the account's
  organisation, and those who approve the campaign (who succeed only under a delegation the
  account's organisation granted: ``juntos.social.authority``);
- ``social.settings`` (no target): the platforms' app keys (X's consumer key and secret):
  coordinators only;
- ``social.delegation.grant`` (organisation dict): grant and revoke delegations on its
  accounts: its own members only, coordinators of other organisations not.
"""

from __future__ import annotations

from typing import Any

from juntos.accounts.roles import COORDINATOR, MEMBER
from juntos.accounts.store import User


def _kit_write(user: User, campaign: Any) -> bool:
    if user.role == COORDINATOR:
        return True
    return (user.role == MEMBER and campaign is not None
            and user.organisation_id in set(campaign.get("member_org_ids") or ()))


def _approve(user: User, campaign: Any) -> bool:
    if user.role == COORDINATOR:
        return True
    return (user.role == MEMBER and campaign is not None
            and user.organisation_id in set(campaign.get("lead_org_ids") or ()))


def _account_manage(user: User, org: Any) -> bool:
    if user.role == COORDINATOR:
        return True
    return user.role == MEMBER and org is not None and org["id"] == user.organisation_id


def _post_edit(user: User, target: Any) -> bool:
    """(campaign, post): kit writers of the campaign whose organisation owns the post, or leads."""
    campaign, post = target
    if _approve(user, campaign):
        return True
    return _kit_write(user, campaign) and post["organisation_id"] == user.organisation_id


def _own_member(user: User, org: Any) -> bool:
    return (user.role in (COORDINATOR, MEMBER) and org is not None
            and org["id"] == user.organisation_id)


def _post_approve(user: User, target: Any) -> bool:
    campaign, post = target
    return _own_member(user, {"id": post["organisation_id"]}) or _approve(user, campaign)


def _settings(user: User, target: Any) -> bool:
    """The social area's settings (platforms' app keys): coordinators only."""
    return user.role == COORDINATOR


RULES = {
    "social.settings": _settings,
    "social.post.approve": _post_approve,
    "social.delegation.grant": _own_member,
    "social.kit.write": _kit_write,
    "social.approve": _approve,
    "social.account.manage": _account_manage,
    "social.post.edit": _post_edit,
}
