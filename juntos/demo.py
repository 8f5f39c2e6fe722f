"""``juntos demo``: every area's demo data, in dependency order, idempotently."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime

from sqlite_utils import Database

from juntos import demo_state
from juntos.accounts import store as accounts
from juntos.errors import NotFound
from juntos.organisations import demo as org_demo

DemoLoader = Callable[..., object]

#: Area demo loaders run after the organisations and users exist: ``load(db, now=...)``.
AREA_LOADERS: list[str] = [
    "juntos.campaigns.demo",
    "juntos.calendar.demo",
    "juntos.network_map.demo",
    "juntos.catalogue.demo",
    "juntos.social.demo",
    "juntos.organisations.demo_duplicates",  # last: see its docstring
]


def _ensure_user(db: Database, *, email: str, org: str, role: str, name: str, now: datetime) -> None:
    try:
        accounts.get_by_email(db, email)
    except NotFound:
        accounts.create(db, email=email, password=org_demo.DEMO_PASSWORD, org_slug=org,
                        role=role, name=name, now=now)


def _users(db: Database, *, now: datetime) -> None:
    _ensure_user(db, email=org_demo.COORDINATOR_EMAIL, org="forum-juntos-mz",
                 role="coordinator", name="Demo Coordinator", now=now)
    _ensure_user(db, email=org_demo.MEMBER_EMAIL, org="samvirke-dk", role="member",
                 name="Demo Member", now=now)
    _ensure_user(db, email=org_demo.VIEWER_EMAIL, org="mz-accao-cidada", role="viewer",
                 name="Demo Viewer", now=now)


def _step_name(module: str) -> str:
    return module.removeprefix("juntos.").removesuffix(".demo")


def steps(db: Database, *, now: datetime) -> list[demo_state.Step]:
    """The demo's steps in dependency order: (name, run), each idempotent."""
    def area(module: str) -> Callable[[], object]:
        return lambda: importlib.import_module(module).load(db, now=now)

    return [("organisations", lambda: org_demo.load(db, now=now)),
            ("users", lambda: _users(db, now=now)),
            *[(_step_name(m), area(m)) for m in AREA_LOADERS]]


def step_names() -> list[str]:
    return ["organisations", "users", *[_step_name(m) for m in AREA_LOADERS]]


def load(db: Database, *, now: datetime,
         progress: Callable[[str], None] = lambda name: None) -> None:
    """Load (or complete) the demo; each step is all or nothing, so a killed load resumes."""
    demo_state.run(db, steps(db, now=now), now=now, progress=progress)


def status(db: Database) -> demo_state.Status:
    """``complete``, ``partial`` (a load was interrupted) or ``absent``."""
    return demo_state.status(db, step_names())


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
