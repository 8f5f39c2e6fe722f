"""Who may do what in the catalogue, registered with the one policy module.

Published entries are for every signed-in user. A case story is edited by its author and by
coordinators only (``story.edit``), like an idea's draft. Drafts, rejected entries and review copies
are seen only by the person who wrote them and by coordinators; to anyone else they do not
exist (the views answer 404).
"""

from __future__ import annotations

from typing import Any

from juntos.accounts import policy
from juntos.accounts.roles import COORDINATOR, MEMBER
from juntos.accounts.store import User
from juntos.area import Rule
from juntos.campaigns import visibility as _campaign_rules  # noqa: F401  (registers campaign.edit)
from juntos.catalogue import stories


def _writer(user: User, target: Any = None) -> bool:
    return user.role in (COORDINATOR, MEMBER)


def _coordinator(user: User, target: Any = None) -> bool:
    return user.role == COORDINATOR


def _view_entry(user: User, entry: Any) -> bool:
    if entry is None:
        return False
    if entry["status"] == "published" and entry.get("revision_of") is None:
        return True
    return user.role == COORDINATOR or entry.get("created_by") == user.id


def _edit_idea(user: User, idea: Any) -> bool:
    """Writers may edit published ideas (members through a review copy) and their own drafts."""
    if not _writer(user) or idea is None:
        return False
    if user.role == COORDINATOR:
        return True
    if idea["status"] == "published" and idea.get("revision_of") is None:
        return True
    return idea.get("created_by") == user.id


def _edit_story(user: User, story: Any) -> bool:
    """The author and coordinators, as for idea drafts (``stories.may_edit`` holds the rule,
    so the domain enforces the same one)."""
    return stories.may_edit(user, story)


def _plan_tactic(user: User, campaign: Any) -> bool:
    """Adding an idea to a campaign follows the campaigns area's own edit rule."""
    return campaign is not None and policy.can(user, "campaign.edit", campaign)


RULES: dict[str, Rule] = {
    "idea.propose": _writer,
    "idea.view": _view_entry,
    "idea.edit": _edit_idea,
    "idea.translate": _writer,
    "idea.moderate": _coordinator,
    "story.propose": _writer,
    "story.view": _view_entry,
    "story.edit": _edit_story,
    "catalogue.plan_tactic": _plan_tactic,
}
