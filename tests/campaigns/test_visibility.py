"""Who sees which campaign, and who may change it (the policy actions of the area)."""

from __future__ import annotations

import pytest

from juntos.accounts import policy
from juntos.campaigns import store, visibility
from juntos.errors import NotFound
from tests.campaigns.conftest import make_campaign


def test_private_campaigns_are_seen_only_by_partners_and_coordinators(
        db, clock, users, private_campaign) -> None:
    make_campaign(db, clock, slug="open-network")
    make_campaign(db, clock, slug="open-public", visibility="public", lead="org-b")

    def seen(user) -> list[str]:  # type: ignore[no-untyped-def]
        rows, _ = store.search(db, store.CampaignFilter(), user=user)
        assert sorted(r["slug"] for r in store.visible_campaigns(db, user)) == sorted(
            r["slug"] for r in rows)
        return sorted(r["slug"] for r in rows)

    assert seen(users["member"]) == ["open-network", "open-public", "secret-plan"]
    assert seen(users["viewer"]) == ["open-network", "open-public", "secret-plan"]  # org A
    assert seen(users["other_member"]) == ["open-network", "open-public"]
    assert seen(users["coordinator"]) == ["open-network", "open-public", "secret-plan"]
    assert seen(None) == ["open-public"]
    assert not visibility.can_view(db, users["other_member"], private_campaign)
    assert visibility.can_view(db, users["member"], private_campaign)
    with pytest.raises(NotFound):
        visibility.get_visible(db, users["other_member"], "secret-plan")
    assert visibility.get_visible(db, users["member"], "secret-plan")["id"] == \
        private_campaign["id"]


def test_joining_a_private_campaign_makes_it_visible(db, clock, users,
                                                     private_campaign) -> None:
    outsider = users["other_member"]
    assert not visibility.can_view(db, outsider, store.get(db, "secret-plan"))
    store.add_partner(db, private_campaign["id"], "org-b", "supporter", accepted=True, now=clock())
    assert visibility.can_view(db, outsider, store.get(db, "secret-plan"))
    # A bare row without partner ids is completed from the database.
    bare = {k: v for k, v in store.get(db, "secret-plan").items()
            if k not in ("member_org_ids", "lead_org_ids")}
    assert visibility.can_view(db, outsider, bare)
    assert not visibility.is_lead(db, outsider, bare)


def test_leads_and_coordinators_edit_partners_contribute_viewers_only_read(
        db, clock, users, private_campaign) -> None:
    c = store.add_partner(db, private_campaign["id"], "org-b", "partner", accepted=True,
                          now=clock())
    campaign = store.get(db, "secret-plan")
    member, other, viewer, coord = (users[k] for k in
                                    ("member", "other_member", "viewer", "coordinator"))
    assert visibility.is_lead(db, member, campaign) and not visibility.is_lead(db, other,
                                                                               campaign)
    for action in ("campaign.edit", "campaign.manage_partners"):
        assert policy.can(member, action, campaign)
        assert policy.can(coord, action, campaign)
        assert not policy.can(other, action, campaign)
        assert not policy.can(viewer, action, campaign)  # viewers never write
    assert policy.can(other, "campaign.contribute", campaign)
    assert not policy.can(viewer, "campaign.contribute", campaign)
    theirs = {"organisation_id": c["id"]}
    ours = {"organisation_id": member.organisation_id}
    assert policy.can(other, "commitment.update", (campaign, theirs))
    assert not policy.can(other, "commitment.update", (campaign, ours))
    assert policy.can(member, "commitment.update", (campaign, theirs))  # a lead
    assert policy.can(member, "campaign.create") and not policy.can(viewer, "campaign.create")
