"""Fixtures: a real SQLite file per test, the real app, a client, users of each role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from juntos import house
from juntos.accounts import store as accounts
from juntos.db import Database
from juntos.house import create_app
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput
from juntos.settings import Settings
from tests.support.clock import FrozenClock
from tests.support.web import login

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True, scope="session")
def _house_installed() -> None:
    """The areas wired together (permissions, calendar sources), as the app and CLI do."""
    house.install()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        db_path=tmp_path / "juntos.db",
        secret_key="test-secret-key-not-for-production",
    )


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    conn = house.open_db(settings.db_path)
    yield conn
    conn.close()


@pytest.fixture
def org_a(db: Database, clock: FrozenClock) -> dict:
    return orgs.create(
        db,
        OrganisationInput.validated(name="Acção Cidadã", slug="org-a", country="MZ",
                                    timezone="Africa/Maputo", themes=["health"]),
        now=clock(),
    )


@pytest.fixture
def org_b(db: Database, clock: FrozenClock) -> dict:
    return orgs.create(
        db,
        OrganisationInput.validated(name="Ubuntu Labour", slug="org-b", country="ZA",
                                    timezone="Africa/Johannesburg", themes=["labour"]),
        now=clock(),
    )


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One real argon2 hash of PASSWORD per session. Hashing it again for every user of every
    test made the suite slow and proved nothing more: creation itself is tested in accounts."""
    from juntos.accounts import passwords

    return passwords.hash_password(PASSWORD)


@pytest.fixture
def users(db: Database, org_a: dict, org_b: dict, clock: FrozenClock,
          password_hash: str) -> dict[str, accounts.User]:
    """A coordinator and a viewer in org A, a member in org A and one in org B (real rows,
    real hash, real logins)."""
    from juntos.clock import iso

    made = {}
    for key, email, org, role in [
        ("coordinator", "coord@example.org", org_a, "coordinator"),
        ("member", "member@example.org", org_a, "member"),
        ("other_member", "other@example.org", org_b, "member"),
        ("viewer", "viewer@example.org", org_a, "viewer"),
    ]:
        db["users"].insert({"email": email, "name": "", "password_hash": password_hash,
                            "organisation_id": org["id"], "role": role, "language": "",
                            "active": 1, "created_at": iso(clock())})
        made[key] = accounts.get_by_email(db, email)
    return made


@pytest.fixture
def app(settings: Settings, clock: FrozenClock, db: Database):  # type: ignore[no-untyped-def]
    return create_app(settings, clock=clock)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, follow_redirects=True) as c:
        yield c


@pytest.fixture
def as_user(app, users):  # type: ignore[no-untyped-def]
    """``as_user("member")``: a fresh client logged in as that fixture user."""
    clients: list[TestClient] = []

    def make(role: str) -> TestClient:
        c = TestClient(app, follow_redirects=True)
        c.__enter__()
        clients.append(c)
        login(c, users[role].email, PASSWORD)
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)
