"""Fixtures for the campaigns area: a third organisation and campaigns of each visibility."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from juntos.accounts import passwords
from juntos.accounts import store as accounts
from juntos.campaigns import store
from juntos.campaigns.models import CampaignInput
from juntos.clock import iso
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput
from tests.conftest import PASSWORD
from tests.support.clock import FrozenClock


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One real argon2 hash of the test password for the whole session: hashing it again for
    every user of every test made these tests slow, and proves nothing more."""
    return passwords.hash_password(PASSWORD)


@pytest.fixture
def users(db: Database, org_a: dict, org_b: dict, clock: FrozenClock,
          password_hash: str) -> dict[str, accounts.User]:
    """The same four users as the shared fixture (real rows, real hash, same logins)."""
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
def org_c(db: Database, clock: FrozenClock) -> dict:
    return orgs.create(db, OrganisationInput.validated(name="Lutsango Women", slug="org-c",
                                                       country="SZ"), now=clock())


def make_campaign(db: Database, clock: FrozenClock, *, slug: str, lead: str = "org-a",
                  visibility: str = "network", **values: object) -> dict:
    data = CampaignInput.validated(title=values.pop("title", slug.replace("-", " ").title()),
                                   slug=slug, visibility=visibility, **values)
    return store.create(db, data, lead=lead, now=clock())


@pytest.fixture
def private_campaign(db: Database, clock: FrozenClock, users: dict) -> dict:
    """Private to org A (lead); org B is not part of it."""
    return make_campaign(db, clock, slug="secret-plan", visibility="private",
                         start_date="2026-09-01", end_date="2026-12-31",
                         themes=["women's rights"], countries=["MZ"])
