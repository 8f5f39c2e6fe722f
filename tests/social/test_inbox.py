"""The approval inbox: one campaign at a time, unconnected accounts, zones, previews."""

from __future__ import annotations

from datetime import timedelta

import pytest

from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.social import accounts, kits, posts, preview
from juntos.social.models import AccountInput
from tests.social.dispatch_support import connected, post_row, scheduled
from tests.support.web import csrf_token, soup


def test_preview_marks_links_hashtags_and_mentions() -> None:
    shown = preview.preview("x", "Fund #Saúde now @forum https://example.org/"
                                 "a-very-long-path/to/the/clinics-campaign, #2026 yes")
    kinds = [(p.kind, p.text) for p in shown.pieces if p.kind != "text"]
    assert kinds == [("hashtag", "#Saúde"), ("mention", "@forum"),
                     ("link", "example.org/a-very-long-path/…")]
    link = next(p for p in shown.pieces if p.kind == "link")
    assert link.target == "https://example.org/a-very-long-path/to/the/clinics-campaign"
    assert "".join(p.text if p.kind != "link" else p.target for p in shown.pieces).startswith(
        "Fund #Saúde now @forum https://")
    # "#2026" is no hashtag on the platforms (digits only); the link counts 23 on X.
    assert all(p.text != "#2026" for p in shown.pieces if p.kind == "hashtag")
    assert shown.count.limit == 280 and shown.count.length == preview.count("x", shown_text(
        shown)).length


def shown_text(shown: preview.PostPreview) -> str:
    return "".join(p.target or p.text for p in shown.pieces)


@pytest.fixture
def two_campaigns(db, org_a, org_b, clock, settings):  # type: ignore[no-untyped-def]
    """Two campaigns led by org A, each with submitted posts on org A's accounts: one
    connected Mastodon account (its own zone) and one X account never connected."""
    ids = []
    for title, slug in (("Clinics for all", "clinics"), ("Clean rivers", "rivers")):
        made = campaigns.create(db, CampaignInput.validated(title=title, slug=slug,
                                visibility="private"), lead="org-a", now=clock())
        ids.append(made["id"])
    masto = connected(db, settings, org_a["id"], "mastodon", "accao", clock())
    db["social_accounts"].update(masto.id, {"timezone": "Europe/Copenhagen"})
    x = accounts.create(db, org_a["id"], AccountInput.validated(platform="x", handle="accao"),
                        now=clock())
    kit = kits.create(db, ids[0], kits.KitInput.validated(title="Day", core_message="Fund"),
                      now=clock())
    kits.add_image(db, kit["id"], filename="clinic.png", data=PNG, alt_text="A clinic queue",
                   now=clock())
    other_kit = kits.create(db, ids[1], kits.KitInput.validated(title="Day", core_message="R"),
                            now=clock())
    at = clock() + timedelta(days=2)
    posts_of = {
        "clinics": [scheduled(db, ids[0], kit["id"], masto, "Fund #clinics https://example.org",
                              at, status="submitted", authorised=False),
                    scheduled(db, ids[0], kit["id"], x, "Fund clinics on X", at,
                              status="submitted", authorised=False)],
        "rivers": [scheduled(db, ids[1], other_kit["id"], masto, "Clean rivers", at,
                             status="submitted", authorised=False)],
    }
    return {"ids": ids, "posts": posts_of, "at": at}


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def test_inbox_shows_one_chosen_campaign_and_ticks_nothing(as_user, two_campaigns) -> None:
    client = as_user("member")
    first = soup(client.get("/messages/inbox"))
    assert not first.select("input[name=post]")  # nothing to tick before a campaign is chosen
    options = [o.get_text() for o in first.select("#f-campaign option")]
    assert options == ["Choose a campaign", "Clean rivers (1)", "Clinics for all (2)"]
    assert not first.select("#f-campaign option[selected]")
    clinics = two_campaigns["ids"][0]
    page = soup(client.get(f"/messages/inbox?campaign={clinics}"))
    boxes = page.select("input[name=post]")
    assert sorted(int(b["value"]) for b in boxes) == sorted(two_campaigns["posts"]["clinics"])
    assert not page.select("input[name=post][checked]")


def test_approving_acts_within_the_chosen_campaign_only(as_user, two_campaigns, db) -> None:
    client = as_user("member")
    clinics, rivers = two_campaigns["ids"]
    masto_post, x_post = two_campaigns["posts"]["clinics"]
    river_post = two_campaigns["posts"]["rivers"][0]
    answer = client.post("/messages/inbox", data={
        "csrf_token": csrf_token(client, "/messages/inbox"), "campaign": str(clinics),
        "post": [str(masto_post), str(x_post), str(river_post)], "approve": "1"})
    assert answer.url.path == "/messages/inbox" and str(answer.url).endswith(f"?campaign={clinics}")
    assert post_row(db, masto_post)["status"] == "scheduled"
    # The X account is not connected: approved, not scheduled, and the page says so.
    assert post_row(db, x_post)["status"] == "approved"
    assert "1 post(s) approved and scheduled." in answer.text
    assert "1 post(s) approved but not scheduled: their account is not connected" in answer.text
    # A post of another campaign slipped into the form is left alone.
    assert post_row(db, river_post)["status"] == "submitted"
    # Without a campaign, nothing is approved.
    refused = client.post("/messages/inbox", data={
        "csrf_token": csrf_token(client, "/messages/inbox"), "post": [str(river_post)],
        "approve": "1"})
    assert "Choose a campaign first" in refused.text
    assert post_row(db, river_post)["status"] == "submitted"
    assert rivers


def test_inbox_warns_of_unconnected_accounts_shows_zones_and_previews(
        as_user, two_campaigns) -> None:
    client = as_user("member")
    page = soup(client.get(f"/messages/inbox?campaign={two_campaigns['ids'][0]}"))
    cards = {int(c["data-post"]): c for c in page.select("li.inbox-post")}
    masto_post, x_post = two_campaigns["posts"]["clinics"]
    assert "unconnected" in cards[x_post]["class"]
    warning = cards[x_post].select_one(".account-warning")
    assert warning is not None and "not connected" in warning.get_text()
    assert warning.select_one("a")["href"].endswith("/connect")
    assert cards[masto_post].select_one(".account-warning") is None
    # The viewer's zone (org A: Maputo) and the account's own (Copenhagen), an hour apart.
    times = cards[masto_post].select_one(".inbox-times").get_text(" ", strip=True)
    at = two_campaigns["at"]
    assert "Africa/Maputo" in times and "Europe/Copenhagen" in times
    assert f"{(at + timedelta(hours=2)):%H:%M}" in times.replace(".", ":")  # Maputo, UTC+2
    assert f"{(at + timedelta(hours=1)):%H:%M}" in times.replace(".", ":")  # Copenhagen, UTC+1
    shown = cards[masto_post].select_one("figure.post-preview")
    assert shown.select_one(".pv-hashtag").get_text() == "#clinics"
    assert shown.select_one("a.pv-link")["href"] == "https://example.org"
    image = shown.select_one(".post-preview-images img")
    assert image["alt"] == "A clinic queue"
    assert "Alt text: A clinic queue" in shown.get_text()
    counter = shown.select_one(".counter").get_text()
    assert "of 500 characters" in counter


def test_connecting_schedules_posts_approved_while_unconnected(db, two_campaigns, clock,
                                                                org_a) -> None:
    x_post = two_campaigns["posts"]["clinics"][1]
    posts.approve(db, [x_post], now=clock(), by=None, organisation_id=org_a["id"])
    assert post_row(db, x_post)["status"] == "approved"
    account_id = post_row(db, x_post)["account_id"]
    db["social_accounts"].update(account_id, {"state": "connected"})
    assert posts.schedule_waiting(db, account_id, now=clock(), by=None) == 1
    assert post_row(db, x_post)["status"] == "scheduled"
    history = posts.history(db, x_post)
    assert history[-1]["comment"] == "account connected"


def test_campaign_page_links_to_its_waiting_posts_and_shows_local_times(
        as_user, two_campaigns, db, org_a) -> None:
    clinics = two_campaigns["ids"][0]
    client = as_user("member")
    masto_post = two_campaigns["posts"]["clinics"][0]
    posts.approve(db, [masto_post], now=two_campaigns["at"] - timedelta(days=1), by=None,
                  organisation_id=org_a["id"])
    panel = soup(client.get("/campaigns/clinics")).select_one(".social-panel")
    link = panel.select_one(f"a[href='/messages/inbox?campaign={clinics}']")
    assert link is not None and "1 post waiting for approval" in link.get_text()
    shown = panel.select_one("li time")
    assert shown["datetime"] == post_row(db, masto_post)["scheduled_at"]
    assert "Africa/Maputo" in panel.select_one("li").get_text()
