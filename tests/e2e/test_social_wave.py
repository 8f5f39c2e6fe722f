"""A lead writes a kit with English and Portuguese variants, fixes an over-length one, plans a
09:00-local wave across four countries, checks the preview's UTC times, submits, approves, and
sees the posts scheduled; the manual ones become reminder events for the partner's feed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from juntos import house
from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.organisations import store as orgs
from juntos.social import reminders
from tests.e2e.conftest import LiveServer, log_in
from tests.social.dispatch_support import approve_as_owners

pytestmark = pytest.mark.browser

MEMBER = "member@demo.juntos.example"  # Samvirke (Copenhagen): the campaign's lead
# Mid-January of next year: always ahead, and winter time in Copenhagen (UTC+1).
DAY = f"{datetime.now(UTC).year + 1}-01-15"
EXPECTED_UTC = {
    "Acção Cidadã Moçambique": "07:00",  # Maputo, UTC+2
    "Uganda Community Land Alliance": "06:00",  # Kampala, UTC+3
    "Hargeisa Voices for Accountability": "06:00",  # Somaliland uses Africa/Mogadishu, UTC+3
    "Klimaunge Danmark": "08:00",  # Copenhagen, UTC+1
}


def _campaign(server: LiveServer, slug: str) -> None:
    db = house.open_db(server.settings.db_path)
    now = datetime.now(UTC)
    campaigns.create(db, CampaignInput.validated(title="Four countries, one morning", slug=slug),
                     lead="samvirke-dk", now=now)
    campaign = campaigns.get(db, slug)
    for org in ("mz-accao-cidada", "ug-land-alliance", "so-hargeisa-voices", "dk-klima-unge"):
        campaigns.add_partner(db, campaign["id"], org, "partner", accepted=True, now=now)
    db.close()


def test_kit_wave_approval_and_queue(page: Page, live_server: LiveServer) -> None:
    base, slug = live_server.url, "e2e-four-countries"
    _campaign(live_server, slug)
    log_in(page, base, MEMBER)

    page.goto(f"{base}/campaigns/{slug}/kits")
    page.get_by_label(re.compile("^Title")).fill("One morning")
    page.get_by_role("button", name="Create kit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("One morning")

    # An English X variant that is too long: the live count warns, the server refuses.
    new_text = page.locator("#f-new_text")
    page.get_by_label("Language code").fill("en")
    page.locator("#f-new_platform").select_option("x")
    new_text.fill(("Decent work now! " * 18).strip())  # 305 characters
    expect(page.locator(".variant.new .counter")).to_have_text("305/280")
    expect(page.locator(".variant.new .counter")).to_have_class(re.compile("over"))
    page.get_by_role("button", name="Save variants").click()
    expect(page.locator("#e-new")).to_contain_text("305/280: X allows 280")
    new_text.fill("{org} in {city}: decent work now! https://example.org/decent-work")
    expect(page.locator(".variant.new .counter")).not_to_have_class(re.compile("over"))
    page.get_by_role("button", name="Save variants").click()
    expect(page.locator(".flash")).to_contain_text("Variants saved")

    for language, text in (("en", "{org} stands for decent work today in {city}."),
                           ("pt", "{org} defende hoje o trabalho digno em {city}.")):
        page.get_by_label("Language code").fill(language)
        page.locator("#f-new_platform").select_option("manual")
        page.locator("#f-new_text").fill(text)
        page.get_by_role("button", name="Save variants").click()
    expect(page.locator(".variants textarea[data-platform]")).to_have_count(3)

    # Plan 09:00 local across four countries; the preview shows each UTC instant.
    page.get_by_role("link", name="Plan a wave").click()
    page.locator("#f-day").fill(DAY)
    page.locator("#f-at").fill("09:00")
    for platform in ("X", "Mastodon", "Bluesky", "Facebook Page", "Telegram channel"):
        page.get_by_label(platform, exact=True).uncheck()
    page.get_by_role("button", name="Preview").click()
    rows = page.locator("table.preview tbody tr")
    for org, utc in EXPECTED_UTC.items():
        row = rows.filter(has_text=org)
        expect(row.locator("td.local")).to_contain_text(f"{DAY} 09:00")
        expect(row.locator("td.utc")).to_have_text(f"{DAY} {utc}")
    expect(rows.filter(has_text="Acção Cidadã").first).to_contain_text("defende hoje")
    page.get_by_role("button", name=re.compile("^Confirm")).click()
    expect(page.locator(".flash")).to_contain_text("left out")

    page.get_by_role("button", name="Submit selected drafts for approval").click()
    expect(page.locator(".flash")).to_contain_text("submitted for approval")

    # As the lead: approve in the inbox. Only the lead's own account's post is scheduled; the
    # partners' posts wait for their own organisations (no delegation here).
    page.goto(f"{base}/messages/inbox")
    page.get_by_role("link", name="Four countries, one morning").click()
    for box in page.locator("input[name=post]").all():
        box.check()
    page.get_by_role("button", name="Approve and schedule selected").click()
    expect(page.locator(".flash").first).to_contain_text("1 post(s) approved and scheduled")
    expect(page.locator(".flash").nth(1)).to_contain_text("wait for the account's own")
    # Each partner's member approves its own post (as from its inbox).
    db = house.open_db(live_server.settings.db_path)
    waiting = [r["id"] for r in db.query(
        "select p.id from social_posts p join campaigns c on c.id = p.campaign_id"
        " where c.slug = ? and p.status = 'submitted'", [slug])]
    approve_as_owners(db, waiting, now=datetime.now(UTC))
    db.close()
    page.goto(f"{base}/campaigns/{slug}/posts?status=scheduled")
    scheduled = page.locator("table.queue tr[data-status=scheduled]")
    expect(scheduled).to_have_count(5)  # four partners and the lead's own manual account
    expect(scheduled.filter(has_text="Acção Cidadã")).to_contain_text("Scheduled".lower())

    # The partner's manual post is a reminder event for its private calendar feed.
    db = house.open_db(live_server.settings.db_path)
    events = reminders.reminder_events(db, orgs.get(db, "mz-accao-cidada")["id"])
    db.close()
    mine = [e for e in events if e.start.isoformat().startswith(DAY)]
    assert len(mine) == 1 and mine[0].status == "CONFIRMED"
    assert mine[0].summary.startswith("Post: Acção Cidadã Moçambique defende hoje")
    assert mine[0].start.strftime("%H:%M") == "07:00"


def test_over_length_is_named_by_the_server_without_javascript(nojs_page: Page,
                                                               live_server: LiveServer) -> None:
    base, slug = live_server.url, "e2e-no-js"
    _campaign(live_server, slug)
    log_in(nojs_page, base, MEMBER)
    nojs_page.goto(f"{base}/campaigns/{slug}/kits")
    nojs_page.get_by_label(re.compile("^Title")).fill("No script")
    nojs_page.get_by_role("button", name="Create kit").click()
    nojs_page.get_by_label("Language code").fill("pt")
    nojs_page.locator("#f-new_platform").select_option("bluesky")
    nojs_page.locator("#f-new_text").fill("ã" * 301)
    nojs_page.get_by_role("button", name="Save variants").click()
    expect(nojs_page.locator("#e-new")).to_contain_text("301/300: Bluesky allows 300")
