"""Who may act in an organisation's name, as a matrix over HTTP.

Every role (anonymous, viewer, member of the owner, member of another organisation,
coordinator) tries every action; only the right ones succeed, and nothing answers 5xx. The
owner is org B throughout: the organisation invited, whose account posts, whose trail it is.
The fixtures' roles: coordinator, member and viewer are of org A (the campaign's lead),
other_member of org B.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from juntos.campaigns import consent
from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.social import accounts, authority
from juntos.social.models import AccountInput
from tests.social.dispatch_support import post_row, scheduled
from tests.support.web import csrf_token

ROLES = ("anonymous", "viewer", "owner", "other", "coordinator")
# The fixture user behind each role of the matrix.
FIXTURE = {"viewer": "viewer", "owner": "other_member", "other": "member",
           "coordinator": "coordinator"}


@pytest.fixture
def client_for(as_user, app) -> Callable[[str], TestClient]:  # type: ignore[no-untyped-def]
    made: list[TestClient] = []

    def make(role: str) -> TestClient:
        if role == "anonymous":
            c = TestClient(app, follow_redirects=False)
            c.__enter__()
            made.append(c)
            return c
        return as_user(FIXTURE[role])

    yield make
    for c in made:
        c.__exit__(None, None, None)


def _post(client: TestClient, path: str, data: dict) -> int:
    token = csrf_token(client, "/login") if "session" not in client.cookies else None
    if token is None:
        token = csrf_token(client, "/account")
    response = client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)
    assert response.status_code < 500, (path, response.status_code)
    return response.status_code


@pytest.fixture
def invited(db, users, org_b, clock):  # type: ignore[no-untyped-def]
    """A network campaign led by org A, org B invited by org A's member."""
    made = campaigns.create(db, CampaignInput.validated(title="River", slug="river"),
                            lead="org-a", now=clock(), by=users["member"].id)
    campaigns.add_partner(db, made["id"], "org-b", "partner", now=clock(),
                          by=users["member"].id)
    return made


@pytest.fixture
def b_account(db, org_b, clock):  # type: ignore[no-untyped-def]
    return accounts.create(db, org_b["id"], AccountInput.validated(
        platform="mastodon", handle="ubuntu", instance_url="https://masto.example.org"),
        now=clock())


# --- partnership is consent --------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_invite(role, client_for, db, users, clock) -> None:
    made = campaigns.create(db, CampaignInput.validated(title="Lake", slug="lake"),
                            lead="org-a", now=clock(), by=users["member"].id)
    status = _post(client_for(role), "/campaigns/lake/partners",
                   {"organisation": "org-b", "role": "partner"})
    got = campaigns.participation_status(db, made["id"], 2)
    # Org A's members (the lead) and coordinators invite; an invitation is not a partnership.
    assert got == ("invited" if role in ("other", "coordinator") else None), (role, status)


@pytest.mark.parametrize("answer", ["accept", "decline"])
@pytest.mark.parametrize("role", ROLES)
def test_accept_or_decline(role, answer, client_for, db, invited, org_b) -> None:
    status = _post(client_for(role), "/campaigns/river/invitation", {"answer": answer,
                                                                    "organisation": "org-b"})
    got = campaigns.participation_status(db, invited["id"], org_b["id"])
    expected = {"accept": "accepted", "decline": "declined"}[answer] if role == "owner" \
        else "invited"
    assert got == expected, (role, status)
    if role == "coordinator":
        assert status == 409  # no path to answer for another organisation


@pytest.mark.parametrize("role", ROLES)
def test_leave(role, client_for, db, invited, org_b, users, clock) -> None:
    consent.accept(db, invited["id"], org_b["id"], now=clock(), by=users["other_member"].id)
    status = _post(client_for(role), "/campaigns/river/leave", {"organisation": "org-b"})
    got = campaigns.participation_status(db, invited["id"], org_b["id"])
    assert got == ("left" if role == "owner" else "accepted"), (role, status)


@pytest.mark.parametrize("role", ROLES)
def test_private_invitation_shows_only_its_summary_to_the_invited(role, client_for, db,
                                                                  users, clock) -> None:
    made = campaigns.create(db, CampaignInput.validated(
        title="Quiet", slug="quiet", visibility="private", concept="The plan in brief."),
        lead="org-a", now=clock(), by=users["member"].id)
    campaigns.add_partner(db, made["id"], "org-b", "partner", now=clock(),
                          by=users["member"].id)
    response = client_for(role).get("/campaigns/quiet", follow_redirects=False)
    assert response.status_code < 500
    if role == "owner":  # org B, invited: the summary and the answer, not the campaign
        assert response.status_code == 200
        assert "The plan in brief." in response.text
        assert 'action="/campaigns/quiet/invitation"' in response.text
        assert 'id="partners"' not in response.text
        assert client_for(role).get("/campaigns/quiet.json").status_code == 404
    elif role == "viewer":  # an org A user of a campaign org A leads
        assert response.status_code == 200 and 'id="partners"' in response.text
    elif role == "anonymous":
        assert response.status_code == 303
    else:
        assert response.status_code == 200  # org A's member and the coordinator


# --- posting authority -------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_approve_a_post_on_the_owners_account(role, client_for, db, users, invited, org_b,
                                              b_account, clock) -> None:
    consent.accept(db, invited["id"], org_b["id"], now=clock(), by=users["other_member"].id)
    kit_id = db.execute("insert into social_kits (campaign_id, title) values (?, 'k')",
                        [invited["id"]]).lastrowid
    post_id = scheduled(db, invited["id"], kit_id, b_account, "Hello",
                        clock() + timedelta(hours=1), status="submitted", authorised=False)
    db.execute("update social_accounts set state = 'connected' where id = ?", [b_account.id])
    _post(client_for(role), "/messages/inbox", {"post": str(post_id), "approve": "1",
                                                "campaign": str(invited["id"])})
    expected = "scheduled" if role == "owner" else "submitted"
    assert post_row(db, post_id)["status"] == expected, role


@pytest.mark.parametrize("role", ROLES)
def test_grant_and_revoke_a_delegation(role, client_for, db, users, invited, org_b,
                                       b_account, clock) -> None:
    consent.accept(db, invited["id"], org_b["id"], now=clock(), by=users["other_member"].id)
    client = client_for(role)
    base = f"/messages/accounts/org-b/{b_account.id}/delegations"
    _post(client, base, {"campaign": "river", "ends_on": "2026-12-31"})
    granted = authority.for_account(db, b_account.id)
    assert len(granted) == (1 if role == "owner" else 0), role
    existing = granted[0] if granted else authority.grant(
        db, b_account, authority.DelegationInput.validated(campaign="river",
                                                           ends_on="2026-12-31"),
        organisation_id=org_b["id"], now=clock(), by=users["other_member"].id)
    _post(client, f"{base}/{existing.id}/revoke", {})
    [after] = authority.for_account(db, b_account.id)
    assert (after.revoked_at is not None) == (role == "owner"), role


@pytest.mark.parametrize("role", ROLES)
def test_account_page_shows_delegations_to_its_organisation(role, client_for, db, users,
                                                            invited, org_b, b_account,
                                                            clock) -> None:
    consent.accept(db, invited["id"], org_b["id"], now=clock(), by=users["other_member"].id)
    authority.grant(db, b_account, authority.DelegationInput.validated(
        campaign="river", ends_on="2026-12-31"), organisation_id=org_b["id"], now=clock(),
        by=users["other_member"].id)
    response = client_for(role).get(f"/messages/accounts/org-b/{b_account.id}",
                                    follow_redirects=False)
    assert response.status_code < 500
    if role in ("owner", "coordinator"):  # those who manage its accounts see it
        assert response.status_code == 200 and "/campaigns/river" in response.text
        assert ('delegations/' in response.text) == (role == "owner")  # revoke: owner only
    else:
        assert response.status_code in (303, 404), role


# --- the audit trail ---------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_see_the_audit_trail(role, client_for, db, users, invited, org_b, clock) -> None:
    consent.accept(db, invited["id"], org_b["id"], now=clock(), by=users["other_member"].id)
    response = client_for(role).get("/organisations/org-b/audit", follow_redirects=False)
    assert response.status_code < 500
    if role == "owner":
        assert response.status_code == 200
        text = response.text
        assert "Invited to a campaign" in text and "Accepted a campaign" in text
        assert "River" in text
    else:
        assert response.status_code == (303 if role == "anonymous" else 404), role
