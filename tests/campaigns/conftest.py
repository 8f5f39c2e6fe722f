"""Fixtures for the campaigns area: a third organisation and campaigns of each visibility."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from juntos.campaigns import store
from juntos.campaigns.models import CampaignInput
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput
from tests.support.clock import FrozenClock


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
