"""Who may change the network map (registered with the one policy module)."""

from __future__ import annotations

from typing import Any

from juntos.accounts import policy
from juntos.accounts.roles import COORDINATOR, MEMBER
from juntos.accounts.store import User


def _writer(user: User, target: Any = None) -> bool:
    return user.role in (COORDINATOR, MEMBER)


def register() -> None:
    for action in ("network.import",):
        if action not in policy.RULES:
            policy.register(action, _writer)


register()
