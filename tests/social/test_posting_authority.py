"""Posting authority stays with the account's organisation, down to the dispatcher.

The security review's critical finding, replayed: a member of one organisation makes a
campaign, adds another organisation, plans, submits and approves a wave; the dispatcher must
never post through the other organisation's account. The platform is the fake Mastodon on
127.0.0.1 (Mastodon.py runs unchanged), so "never sent" means no request reached it.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from juntos.campaigns import consent
from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.social import accounts, authority, kits, posts, waves
from juntos.social.dispatch import Config, Dispatcher
from tests.social.dispatch_support import connected, dispatch_settings, post_row, scheduled
from tests.support.fake_platform import running
from tests.support.web import csrf_token, soup


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    with running() as fake:
        yield fake


@pytest.fixture
def b_mastodon(db, settings, org_b, clock, fake, social_accounts):  # type: ignore[no-untyped-def]
    """Org B's Mastodon account, connected (the account the finding posted through)."""
    return connected(db, dispatch_settings(settings, fake.base), org_b["id"], "mastodon",
                     "ubuntu", clock())


@pytest.fixture
def worker(settings, clock, fake):  # type: ignore[no-untyped-def]
    return Dispatcher(dispatch_settings(settings, fake.base), clock=clock, config=Config(),
                      worker="w1")


def _wave(db, campaign, kit, clock, day=date(2026, 11, 23)):  # type: ignore[no-untyped-def]
    """Plan, confirm and submit a wave on every partner account, as the lead would."""
    spec = waves.WaveSpec(mode=waves.INSTANT, day=day, at=time(9, 30))
    partner_accounts = accounts.for_organisations(db, campaigns.get_by_id(
        db, campaign["id"])["member_org_ids"])
    plan = waves.plan(partner_accounts, kits.variant_texts(db, kit["id"]), spec, now=clock())
    result = posts.create_wave(db, campaign_id=campaign["id"], kit_id=kit["id"], spec=spec,
                               wave=plan, now=clock(), by=None)
    ids = [r["id"] for r in db.query("select id from social_posts where wave_id = ?",
                                     [result.wave_id])]
    posts.submit(db, ids, now=clock(), by=None)
    return ids


def _b_posts(db, org_b) -> list[dict]:  # type: ignore[no-untyped-def]
    return list(db.query("select * from social_posts where organisation_id = ?",
                         [org_b["id"]]))


def test_an_invited_organisation_is_left_out_of_waves(db, users, org_b, kit, campaign,
                                                      b_mastodon, clock) -> None:
    grab = campaigns.create(db, CampaignInput.validated(title="Grab", slug="grab"),
                            lead="org-a", now=clock(), by=users["member"].id)
    campaigns.add_partner(db, grab["id"], "org-b", "partner", now=clock(),
                          by=users["member"].id)
    assert campaigns.get_by_id(db, grab["id"])["member_org_ids"] == [users["member"]
                                                                      .organisation_id]
    grab_kit = kits.create(db, grab["id"], kits.KitInput.validated(title="Grab"), now=clock())
    kits.save_variant(db, grab_kit["id"], language="en", platform="mastodon", text="Hi",
                      now=clock())
    _wave(db, grab, grab_kit, clock)
    assert _b_posts(db, org_b) == []


def test_lead_and_coordinator_approvals_never_reach_the_platform(
        db, users, org_b, kit, campaign, b_mastodon, clock, worker, fake) -> None:
    ids = _wave(db, campaign, kit, clock)
    member, coordinator = users["member"], users["coordinator"]
    for approver in (member, coordinator):  # the campaign's lead, the network's coordinator
        posts.approve(db, ids, now=clock(), by=approver.id,
                      organisation_id=approver.organisation_id,
                      approves_campaigns=[campaign["id"]])
    [b_post] = [p for p in _b_posts(db, org_b) if p["account_id"] == b_mastodon.id]
    assert b_post["status"] == "submitted"
    # Even a post forced to "scheduled" by some other path has no authority: not claimed.
    forced = scheduled(db, campaign["id"], kit["id"], b_mastodon, "Forced",
                       clock() - timedelta(seconds=5), authorised=False)
    clock.advance(minutes=31)
    assert worker.run_once(db) == {}
    assert fake.created == []
    assert post_row(db, forced)["status"] == "scheduled"


def test_the_account_organisation_approves_and_the_post_goes_out(
        db, users, org_b, kit, campaign, b_mastodon, clock, worker, fake) -> None:
    ids = _wave(db, campaign, kit, clock)
    partner = users["other_member"]
    posts.approve(db, ids, now=clock(), by=partner.id, organisation_id=partner.organisation_id)
    [b_post] = [p for p in _b_posts(db, org_b) if p["account_id"] == b_mastodon.id]
    assert b_post["status"] == "scheduled"
    clock.advance(minutes=31)
    assert worker.run_once(db) == {str(b_post["id"]): "sent"}
    assert len(fake.created) == 1


def test_a_delegation_lets_the_lead_approve_until_revoked(
        db, users, org_b, kit, campaign, b_mastodon, clock, worker, fake) -> None:
    partner, lead = users["other_member"], users["member"]
    delegation = authority.grant(
        db, b_mastodon, authority.DelegationInput.validated(campaign="clinics",
                                                            ends_on="2026-12-31"),
        organisation_id=partner.organisation_id, now=clock(), by=partner.id)
    first = _wave(db, campaign, kit, clock)
    assert posts.approve(db, first, now=clock(), by=lead.id,
                         organisation_id=lead.organisation_id,
                         approves_campaigns=[campaign["id"]]) == 2
    clock.advance(minutes=31)
    sent = worker.run_once(db)
    assert list(sent.values()) == ["sent"] and len(fake.created) == 1
    # A second wave approved under the delegation, then the delegation is revoked: not sent.
    clock.advance(minutes=-31)
    second = _wave(db, campaign, kit, clock)
    posts.approve(db, second, now=clock(), by=lead.id, organisation_id=lead.organisation_id,
                  approves_campaigns=[campaign["id"]])
    authority.revoke(db, b_mastodon, delegation.id, organisation_id=partner.organisation_id,
                     now=clock(), by=partner.id)
    clock.advance(minutes=31)
    assert worker.run_once(db) == {}
    assert len(fake.created) == 1
    # A coordinator of another organisation cannot grant for org B's account.
    with pytest.raises(Exception, match="No such account"):
        authority.grant(db, b_mastodon, authority.DelegationInput.validated(
            campaign="clinics", ends_on="2026-12-31"),
            organisation_id=users["coordinator"].organisation_id, now=clock(),
            by=users["coordinator"].id)


def test_a_delegation_ends_on_its_last_day(db, users, org_b, kit, campaign, b_mastodon,
                                           clock) -> None:
    partner, lead = users["other_member"], users["member"]
    authority.grant(db, b_mastodon, authority.DelegationInput.validated(
        campaign="clinics", ends_on="2026-11-23"), organisation_id=partner.organisation_id,
        now=clock(), by=partner.id)
    ids = _wave(db, campaign, kit, clock, day=date(2026, 11, 24))  # the day after
    posts.approve(db, ids, now=clock(), by=lead.id, organisation_id=lead.organisation_id,
                  approves_campaigns=[campaign["id"]])
    assert {p["status"] for p in _b_posts(db, org_b)} == {"submitted"}


def test_an_organisation_that_left_posts_nothing_more(
        db, users, org_b, kit, campaign, b_mastodon, clock, worker, fake) -> None:
    partner = users["other_member"]
    ids = _wave(db, campaign, kit, clock)
    posts.approve(db, ids, now=clock(), by=partner.id, organisation_id=partner.organisation_id)
    consent.leave(db, campaign["id"], org_b["id"], now=clock(), by=partner.id)
    clock.advance(minutes=31)
    assert worker.run_once(db) == {}
    assert fake.created == []


def test_the_finding_over_http_is_refused(as_user, db, users, org_b, b_mastodon, clock,
                                          worker, fake) -> None:
    """A member of org A: new campaign, adds org B, kit, wave, submit, approve; nothing is
    posted through org B's account and no step answers 5xx."""
    member = as_user("member")
    token = csrf_token(member, "/campaigns/new")
    r = member.post("/campaigns/new", data={"csrf_token": token, "title": "Grab",
                                            "slug": "grab", "status": "active",
                                            "visibility": "private", "lead": "org-b"})
    assert r.status_code == 200
    grab = campaigns.get(db, "grab")
    assert grab["lead_org_ids"] == [users["member"].organisation_id]  # not org B
    r = member.post("/campaigns/grab/partners", data={"csrf_token": token,
                                                     "organisation": "org-b",
                                                     "role": "co-lead"})
    assert r.status_code == 200
    assert campaigns.participation_status(db, grab["id"], org_b["id"]) == "invited"
    # The member cannot answer for org B: the answer is always the user's own organisation.
    r = member.post("/campaigns/grab/invitation", data={"csrf_token": token,
                                                       "answer": "accept",
                                                       "organisation": "org-b"})
    assert r.status_code == 409
    assert campaigns.participation_status(db, grab["id"], org_b["id"]) == "invited"
    r = member.post("/campaigns/grab/kits", data={"csrf_token": token, "title": "Grab kit"})
    assert r.status_code < 500
    kit_id = next(db.query("select id from social_kits where campaign_id = ?",
                           [grab["id"]]))["id"]
    r = member.post(f"/campaigns/grab/kits/{kit_id}/variants", data={
        "csrf_token": token, "new_language": "en", "new_platform": "mastodon",
        "new_text": "In your name"})
    assert r.status_code < 500
    r = member.post(f"/campaigns/grab/kits/{kit_id}/wave", data={
        "csrf_token": token, "mode": "instant", "day": "2026-11-23", "at": "09:30",
        "stagger_minutes": "0", "x_pattern": "different", "confirm": "1"})
    assert r.status_code < 500
    assert _b_posts(db, org_b) == []  # org B's account is not in the wave at all
    # Forged ids: a post on org B's account slipped into the campaign cannot be approved.
    forged = scheduled(db, grab["id"], kit_id, b_mastodon, "Forged",
                       clock() + timedelta(minutes=10), status="submitted", authorised=False)
    r = member.post("/messages/inbox", data={"csrf_token": token, "post": [str(forged)],
                                             "approve": "1"})
    assert r.status_code == 200
    assert post_row(db, forged)["status"] == "submitted"
    coordinator = as_user("coordinator")
    r = coordinator.post("/messages/inbox", data={
        "csrf_token": csrf_token(coordinator, "/messages/inbox"), "post": [str(forged)],
        "approve": "1"})
    assert r.status_code == 200
    assert post_row(db, forged)["status"] == "submitted"
    clock.advance(minutes=11)
    assert worker.run_once(db) == {}
    assert fake.created == []
    # Org B sees the invitation waiting on its dashboard, with the campaign's summary.
    partner = as_user("other_member")
    heading = soup(partner.get("/")).select_one(f"#invitation-{grab['id']} h3")
    assert heading is not None and heading.get_text().strip() == "Grab"
