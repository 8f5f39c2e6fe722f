"""Who may review duplicates and merge organisations: coordinators only, since a merge touches
every area's rows (campaign partners, ties, users) and cannot be undone by a button."""

from __future__ import annotations

from typing import Any

from juntos.accounts.roles import COORDINATOR
from juntos.accounts.store import User
from juntos.area import Rule
from juntos.organisations import audit


def _coordinator(user: User, target: Any = None) -> bool:
    return user.role == COORDINATOR


RULES: dict[str, Rule] = {"organisation.merge": _coordinator, **audit.RULES}
