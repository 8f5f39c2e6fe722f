"""Who may do what: the one place where authorisation is decided.

Views call ``require(user, action, target)``; templates ask ``can(...)`` to decide whether to
show a button. Neither encodes a rule of its own, so a rule changes here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from juntos.accounts.roles import COORDINATOR, MEMBER
from juntos.accounts.store import User
from juntos.errors import Forbidden

Rule = Callable[[User, Any], bool]


def _coordinator(user: User, target: Any = None) -> bool:
    return user.role == COORDINATOR


def _writer(user: User, target: Any = None) -> bool:
    return user.role in (COORDINATOR, MEMBER)


def _own_organisation(user: User, org: Any) -> bool:
    if user.role == COORDINATOR:
        return True
    return user.role == MEMBER and org is not None and org["id"] == user.organisation_id


def _anyone(user: User, target: Any = None) -> bool:
    return True


#: The rules this area itself declares (its manifest's permissions).
BASE_RULES: dict[str, Rule] = {
    "organisation.view": _anyone,
    "organisation.create": _writer,
    "organisation.edit": _own_organisation,
    "user.manage": _coordinator,
    # Members invite to their own organisation only (accounts.invitations.may_invite).
    "user.invite": _writer,
}

#: Every action's rule: filled from the areas' manifests by the composition root.
RULES: dict[str, Rule] = dict(BASE_RULES)


def register(action: str, rule: Rule) -> None:
    """Add an area's action (the composition root does, from each manifest's permissions)."""
    if action in RULES and RULES[action] is not rule:
        raise ValueError(f"Action {action!r} already has a rule.")
    RULES[action] = rule


def can(user: User | None, action: str, target: Any = None) -> bool:
    if user is None:
        return False
    return RULES[action](user, target)


def require(user: User | None, action: str, target: Any = None) -> None:
    if not can(user, action, target):
        raise Forbidden("You do not have permission to do that.")
