"""A lead with posts waiting in two campaigns chooses one in the approval inbox, finds nothing
ticked, ticks its posts and approves them: the other campaign's posts still wait. On a phone
the cards fit the screen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from juntos import house
from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.organisations import store as orgs
from juntos.social import accounts, kits
from tests.e2e.conftest import LiveServer, log_in
from tests.social.dispatch_support import post_row, scheduled

pytestmark = pytest.mark.browser

MEMBER = "member@demo.juntos.example"  # Samvirke (Copenhagen)


def _two_campaigns(server: LiveServer) -> dict[str, list[int]]:
    """Two campaigns led by Samvirke, each with posts submitted on Samvirke's own account."""
    db = house.open_db(server.settings.db_path)
    now = datetime.now(UTC)
    samvirke = orgs.get(db, "samvirke-dk")
    # Its own manual account from the demo (another account would join other tests' waves).
    account = next(a for a in accounts.for_organisation(db, samvirke["id"]) if a.is_manual)
    made: dict[str, list[int]] = {}
    for title, slug in (("Inbox water week", "e2e-inbox-water"),
                        ("Inbox seed fair", "e2e-inbox-seeds")):
        campaigns.create(db, CampaignInput.validated(title=title, slug=slug),
                         lead="samvirke-dk", now=now)
        campaign = campaigns.get(db, slug)
        kit = kits.create(db, campaign["id"], kits.KitInput.validated(
            title="Day", core_message=title), now=now)
        made[slug] = [scheduled(db, campaign["id"], kit["id"], account,
                                f"{title} #day{n} https://example.org/{slug}",
                                now + timedelta(days=3, hours=n), status="submitted",
                                authorised=False) for n in (1, 2)]
    db.close()
    return made


def test_approves_posts_in_the_inbox_for_one_campaign_only(page: Page,
                                                            live_server: LiveServer) -> None:
    made = _two_campaigns(live_server)
    base = live_server.url
    log_in(page, base, MEMBER)
    page.goto(f"{base}/messages/inbox")
    expect(page.locator("input[name=post]")).to_have_count(0)  # no campaign chosen yet
    choice = page.get_by_label("Campaign")
    expect(choice).to_have_value("")
    choice.select_option(label="Inbox water week (2)")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#inbox-title")).to_have_text("Inbox water week")
    boxes = page.locator("input[name=post]")
    expect(boxes).to_have_count(2)
    for box in boxes.all():
        expect(box).not_to_be_checked()
        box.check()
    expect(page.locator(".post-preview .pv-hashtag").first).to_have_text("#day1")
    page.get_by_role("button", name="Approve and schedule selected").click()
    expect(page.locator(".flash").first).to_contain_text("2 post(s) approved and scheduled")

    db = house.open_db(live_server.settings.db_path)
    try:
        assert [post_row(db, i)["status"] for i in made["e2e-inbox-water"]] == ["scheduled"] * 2
        assert [post_row(db, i)["status"] for i in made["e2e-inbox-seeds"]] == ["submitted"] * 2
    finally:
        db.close()
    # The other campaign still waits, and its posts are offered only once it is chosen.
    page.goto(f"{base}/messages/inbox")
    expect(page.get_by_role("link", name="Inbox seed fair")).to_be_visible()
    expect(page.get_by_role("link", name="Inbox water week")).to_have_count(0)

    # On a phone: the inbox's cards fit the screen's width.
    page.set_viewport_size({"width": 360, "height": 740})
    page.get_by_role("link", name="Inbox seed fair").click()
    expect(page.locator("li.inbox-post")).to_have_count(2)
    page.screenshot(path="/tmp/w19c-inbox-360.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
