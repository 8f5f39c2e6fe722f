"""Partnership is consent: invitations, answers, leaving, and what an invitation does not do."""

from __future__ import annotations

import pytest

from juntos.campaigns import activity, consent, matrix, schedule
from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput, CommitmentInput
from juntos.errors import Conflict, ValidationError
from juntos.organisations import audit


@pytest.fixture
def river(db, users, org_b, clock):  # type: ignore[no-untyped-def]
    made = campaigns.create(db, CampaignInput.validated(title="River", slug="river",
                                                        visibility="private"),
                            lead="org-a", now=clock(), by=users["member"].id)
    campaigns.add_partner(db, made["id"], "org-b", "partner", now=clock(),
                          by=users["member"].id)
    return campaigns.get(db, "river")


def test_an_invitation_is_not_a_partnership(db, river, org_b, users, clock) -> None:
    assert river["member_org_ids"] == [users["member"].organisation_id]
    assert river["invited_org_ids"] == [org_b["id"]]
    assert [p["id"] for p in campaigns.partners(db, river["id"])] == [
        users["member"].organisation_id]
    # Nothing in its name: no commitment, no letter in the matrix, no private campaign.
    with pytest.raises(ValidationError):
        schedule.add_commitment(db, river["id"], CommitmentInput.validated(
            organisation_id=str(org_b["id"]), title="In your name"), now=clock())
    ws = matrix.workstreams(db, river["id"])[0]["id"]
    with pytest.raises(ValidationError):
        matrix.assign(db, river["id"], ws, org_b["id"], "A", now=clock())
    assert [c["slug"] for c in campaigns.visible_campaigns(db, users["other_member"])] == []
    [waiting] = consent.invitations_for(db, org_b["id"])
    assert (waiting["slug"], waiting["role"], waiting["invited_by_organisation"]) == (
        "river", "partner", "Acção Cidadã")


def test_accept_then_leave_keeps_the_history(db, river, org_b, users, clock) -> None:
    by = users["other_member"].id
    consent.accept(db, river["id"], org_b["id"], now=clock(), by=by)
    assert org_b["id"] in campaigns.get(db, "river")["member_org_ids"]
    ws = matrix.workstreams(db, river["id"])[0]["id"]
    matrix.set_matrix(db, river["id"], {(ws, org_b["id"]): "A"}, now=clock())
    schedule.add_commitment(db, river["id"], CommitmentInput.validated(
        organisation_id=str(org_b["id"]), title="Our part"), now=clock())
    consent.leave(db, river["id"], org_b["id"], now=clock(), by=by)
    assert org_b["id"] not in campaigns.get(db, "river")["member_org_ids"]
    assert matrix.matrix(db, river["id"]) == {}
    assert db["commitments"].count == 1  # the record stays
    actions = [e["action"] for e in activity.activity(db, river["id"])]
    assert actions[:3] == ["partner_left", "commitment_added", "matrix_updated"]
    assert [e["action"] for e in audit.trail(db, org_b["id"])] == [
        "left", "accepted", "invited"]
    with pytest.raises(Conflict):
        consent.leave(db, river["id"], org_b["id"], now=clock(), by=by)


def test_declined_may_be_invited_again_and_answers_are_once(db, river, org_b, users,
                                                            clock) -> None:
    by = users["other_member"].id
    consent.decline(db, river["id"], org_b["id"], now=clock(), by=by)
    with pytest.raises(Conflict):
        consent.accept(db, river["id"], org_b["id"], now=clock(), by=by)
    campaigns.add_partner(db, river["id"], "org-b", "supporter", now=clock(),
                          by=users["member"].id)
    assert campaigns.participation_status(db, river["id"], org_b["id"]) == "invited"
    with pytest.raises(ValidationError, match="already invited"):
        campaigns.add_partner(db, river["id"], "org-b", "partner", now=clock())


def test_a_lead_named_by_someone_else_is_invited(db, users, org_b, clock) -> None:
    made = campaigns.create(db, CampaignInput.validated(title="For B", slug="for-b"),
                            lead="org-b", now=clock(), by=users["coordinator"].id)
    assert made["lead_org_ids"] == [] and made["invited_org_ids"] == [org_b["id"]]
    own = campaigns.create(db, CampaignInput.validated(title="Ours", slug="ours"),
                           lead="org-a", now=clock(), by=users["member"].id)
    assert own["lead_org_ids"] == [users["member"].organisation_id]


def test_only_the_organisations_own_members_may_answer(users, org_b) -> None:
    assert consent.may_answer(users["other_member"], org_b["id"])
    for role in ("member", "coordinator", "viewer"):
        assert not consent.may_answer(users[role], org_b["id"])
    assert not consent.may_answer(None, org_b["id"])
