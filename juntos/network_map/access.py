"""Who may change the network map (registered with the one policy module)."""

from __future__ import annotations

from typing import Any

from juntos.accounts.roles import COORDINATOR, MEMBER
from juntos.accounts.store import User


def _writer(user: User, target: Any = None) -> bool:
    return user.role in (COORDINATOR, MEMBER)


def _judgement_owner(user: User, judgement: Any = None) -> bool:
    """A judgement is withdrawn by the person who recorded it, or by a coordinator."""
    if user.role == COORDINATOR:
        return True
    return judgement is not None and user.role == MEMBER and (
        judgement.get("recorded_by") == user.id)


def _tie_owner(user: User, tie: Any = None) -> bool:
    """A tie is changed or deleted by who recorded it, by a member of an organisation at
    either end (a membership is its member's fact), or by a coordinator; other members may
    only propose ties (with their name recorded)."""
    if user.role == COORDINATOR:
        return True
    return tie is not None and user.role == MEMBER and (
        tie.get("recorded_by") == user.id
        or user.organisation_id in (tie.get("from_id"), tie.get("to_id")))


RULES = {
    "network.import": _writer,
    "network.edit": _writer,
    "network.tie.change": _tie_owner,
    "network.judgement.delete": _judgement_owner,
}
