"""``juntos demo``: every area's demo data, in the house's order, idempotently."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from juntos.accounts import store as accounts
from juntos.area import Area
from juntos.db import Database
from juntos.organisations import demo as org_demo


def load(db: Database, areas: Sequence[Area], *, now: datetime,
         progress: Callable[[int], None] = lambda n: None) -> None:
    """Each area's demo loader in order, then the loaders that must come last."""
    for area in areas:
        if area.demo is org_demo.load_with_users:  # the long one: it reports its progress
            org_demo.load_with_users(db, now=now, progress=progress)
        elif area.demo is not None:
            area.demo(db, now=now)
    for area in areas:
        if area.demo_last is not None:
            area.demo_last(db, now=now)


def demo_login_lines() -> list[str]:
    return [
        f"  coordinator: {org_demo.COORDINATOR_EMAIL}",
        f"  member:      {org_demo.MEMBER_EMAIL}",
        f"  viewer:      {org_demo.VIEWER_EMAIL}",
        f"  password (all three): {org_demo.DEMO_PASSWORD}",
    ]


def demo_login_valid(db: Database) -> bool:
    """True while the demo coordinator still has the published demo password."""
    return accounts.password_matches(db, org_demo.COORDINATOR_EMAIL, org_demo.DEMO_PASSWORD)
