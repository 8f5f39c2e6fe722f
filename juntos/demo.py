"""``juntos demo``: every area's demo data, in the house's order, step by step.

Each area's demo loader is one step (``demo_state`` runs each in one transaction with its
marker), so a ``juntos demo`` killed at any moment is completed by the next one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from juntos import demo_state
from juntos.accounts import store as accounts
from juntos.area import Area, DemoLoader
from juntos.db import Database
from juntos.organisations import demo as org_demo


def _step(db: Database, loader: DemoLoader, now: datetime) -> Callable[[], object]:
    return lambda: loader(db, now=now)


def steps(db: Database, areas: Sequence[Area], *, now: datetime) -> list[demo_state.Step]:
    """The demo's steps in the house's order: (name, run), each idempotent; then the loaders
    that must come after every area's."""
    first = [(a.name, _step(db, a.demo, now)) for a in areas if a.demo is not None]
    last = [(f"{a.name}-last", _step(db, a.demo_last, now))
            for a in areas if a.demo_last is not None]
    return [*first, *last]


def step_names(areas: Sequence[Area]) -> list[str]:
    return [*(a.name for a in areas if a.demo is not None),
            *(f"{a.name}-last" for a in areas if a.demo_last is not None)]


def load(db: Database, areas: Sequence[Area], *, now: datetime,
         progress: Callable[[str], None] = lambda name: None) -> None:
    """Load (or complete) the demo; each step is all or nothing, so a killed load resumes."""
    demo_state.run(db, steps(db, areas, now=now), now=now, progress=progress)


def status(db: Database, areas: Sequence[Area]) -> demo_state.Status:
    """``complete``, ``partial`` (a load was interrupted) or ``absent``."""
    return demo_state.status(db, step_names(areas))


def demo_login_lines() -> list[str]:
    return [
        f"  coordinator: {org_demo.COORDINATOR_EMAIL}",
        f"  member:      {org_demo.MEMBER_EMAIL}",
        f"  viewer:      {org_demo.VIEWER_EMAIL}",
        f"  partner:     {org_demo.PARTNER_EMAIL} (a partner organisation's member)",
        f"  password (all four): {org_demo.DEMO_PASSWORD}",
    ]


def demo_login_valid(db: Database) -> bool:
    """True while the demo coordinator still has the published demo password."""
    return accounts.password_matches(db, org_demo.COORDINATOR_EMAIL, org_demo.DEMO_PASSWORD)
