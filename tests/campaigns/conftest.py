"""Fixtures for the campaigns area: a third organisation and campaigns of each visibility."""

from __future__ import annotations

import pytest

from juntos.campaigns import schedule, store
from juntos.campaigns.models import CallToActionInput, CampaignInput, CommitmentInput
from juntos.db import Database
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput
from tests.support.clock import FrozenClock
from tests.support.web import csrf_token


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


@pytest.fixture
def campaigns(db, clock, users):  # type: ignore[no-untyped-def]
    """A network campaign led by org A with org B as partner, and one private to org A."""
    shared = make_campaign(db, clock, slug="autumn", title="Autumn <script>x</script>",
                           themes=["women's rights"], start_date="2026-11-01",
                           end_date="2027-03-31", status="planning")
    b = store.add_partner(db, shared["id"], "org-b", "partner", accepted=True, now=clock())
    schedule.add_commitment(db, shared["id"], CommitmentInput.validated(
        organisation_id=str(b["id"]), title="Survey of members", due_date="2026-11-01"),
        now=clock())
    schedule.add_call_to_action(db, shared["id"], CallToActionInput.validated(
        title="Day of action", start_date="2026-12-10"), now=clock())
    secret = make_campaign(db, clock, slug="secret-plan", visibility="private")
    return {"shared": shared, "secret": secret, "b": b}


def post(client, path: str, data: dict, **kw):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/campaigns")
    return client.post(path, data={**data, "csrf_token": token}, **kw)
