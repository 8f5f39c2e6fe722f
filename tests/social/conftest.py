"""Social fixtures: a campaign led by org A with org B as partner, accounts, a kit."""

from __future__ import annotations

import pytest

from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.social import accounts, kits
from juntos.social.models import AccountInput


@pytest.fixture
def campaign(db, org_a, org_b, clock):  # type: ignore[no-untyped-def]
    made = campaigns.create(db, CampaignInput.validated(
        title="Clinics for all", slug="clinics", visibility="private"), lead="org-a", now=clock())
    campaigns.add_partner(db, made["id"], "org-b", "partner", accepted=True, now=clock())
    return campaigns.get(db, "clinics")


@pytest.fixture
def social_accounts(db, org_a, org_b, clock):  # type: ignore[no-untyped-def]
    db["organisations"].update(org_a["id"], {"languages": '["pt", "en"]'})
    db["organisations"].update(org_b["id"], {"languages": '["en"]', "city": "Durban"})
    return [
        accounts.create(db, org_a["id"], AccountInput.validated(platform="manual",
                        label="Facebook page"), now=clock()),
        accounts.create(db, org_b["id"], AccountInput.validated(platform="mastodon",
                        handle="ubuntu", instance_url="https://masto.example.org"), now=clock()),
    ]


@pytest.fixture
def kit(db, campaign, clock):  # type: ignore[no-untyped-def]
    made = kits.create(db, campaign["id"], kits.KitInput.validated(
        title="Day of action", core_message="Fund clinics", hashtags="#Saude, health",
        links="https://example.org/clinics"), now=clock())
    kits.save_variant(db, made["id"], language="en", platform="manual",
                      text="Fund clinics now https://example.org/clinics", now=clock())
    kits.save_variant(db, made["id"], language="pt", platform="manual",
                      text="Financiem as clínicas já https://example.org/clinics", now=clock())
    kits.save_variant(db, made["id"], language="en", platform="mastodon",
                      text="{org} in {city}: fund clinics now #Health", now=clock())
    return made
