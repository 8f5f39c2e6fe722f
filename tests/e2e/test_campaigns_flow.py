"""A lead plans a campaign in the browser: create it, invite two partners, divide the
workstreams, record a commitment and a call to action; with and without JavaScript."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from juntos import house
from juntos.campaigns import consent
from juntos.campaigns import store as campaigns
from juntos.organisations import store as organisations
from tests.e2e.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser

UBUNTU = "Ubuntu Labour Rights Centre"
ACM = "Acção Cidadã Moçambique"


def _accept_as_members(server: LiveServer, slug: str, orgs: tuple[str, ...]) -> None:
    """The invited organisations accept, as one of their members would from their dashboard."""
    db = house.open_db(server.settings.db_path)
    campaign = campaigns.get(db, slug)
    for org in orgs:
        consent.accept(db, campaign["id"], organisations.get(db, org)["id"],
                       now=datetime.now(UTC), by=None)
    db.close()


def _plan_a_campaign(page: Page, server: LiveServer, title: str) -> None:
    base = server.url
    log_in(page, base)
    page.get_by_role("link", name="Campaigns", exact=True).click()
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label(re.compile(r"^Title")).fill(title)
    page.get_by_label("Themes").fill("labour, women's rights")
    page.get_by_label("Countries").select_option(["MZ", "ZA"])
    page.get_by_label("Start date").fill("2027-09-01")
    page.get_by_label("End date").fill("2027-12-10")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    for slug in ("za-ubuntu-labour", "mz-accao-cidada"):
        page.locator("#partner-organisation").fill(slug)
        page.get_by_role("button", name="Invite").click()
    # Invited, not partners yet: each organisation's own members answer.
    invited = page.locator("#partners ul.invitations")
    expect(invited).to_contain_text(UBUNTU)
    expect(invited).to_contain_text("invited, not answered yet")
    _accept_as_members(server, page.url.split("/campaigns/")[1].split("#")[0],
                       ("za-ubuntu-labour", "mz-accao-cidada"))
    page.reload()
    partners = page.locator("#partners ul.partners").first
    expect(partners).to_contain_text(UBUNTU)
    expect(partners).to_contain_text(ACM)

    page.get_by_role("combobox", name=f"research {UBUNTU}").select_option("A")
    page.get_by_role("combobox", name=f"research {ACM}").select_option("R")
    page.get_by_role("combobox", name=f"media relations {ACM}").select_option("A")
    page.get_by_role("button", name="Save responsibilities").click()
    expect(page.get_by_role("combobox", name=f"research {UBUNTU}")).to_have_value("A")
    expect(page.get_by_role("combobox", name=f"media relations {ACM}")).to_have_value("A")
    expect(partners).to_contain_text("research (A)")

    page.locator("#commitment-organisation_id").select_option(label=UBUNTU)
    page.locator("#commitment-workstream_id").select_option(label="research")
    page.get_by_label(re.compile("^What was promised")).fill("Brief on wages in the energy sector")
    page.locator("#commitment-due_date").fill("2027-08-15")
    page.get_by_role("button", name="Add commitment").click()
    expect(page.locator("#commitments")).to_contain_text("Brief on wages in the energy sector")

    page.locator("#call-title").fill("Day of action for decent work")
    page.locator("#call-start_date").fill("2027-10-07")
    page.locator("#call-ask").fill("Sign the petition")
    page.get_by_role("button", name="Add call to action").click()
    expect(page.locator("#calls")).to_contain_text("Day of action for decent work")
    expect(page.locator("#calls")).to_contain_text("Sign the petition")
    expect(page.locator("#activity")).to_contain_text("added a call to action")

    # A mistake is reported next to its field, and nothing is saved.
    page.locator("#partner-organisation").fill("no-such-organisation")
    page.get_by_role("button", name="Invite").click()
    expect(page.locator("#e-partner-organisation")).to_contain_text("No organisation")


def test_plan_a_campaign(page: Page, live_server: LiveServer) -> None:
    _plan_a_campaign(page, live_server, "Decent Work Autumn (JS)")


def test_plan_a_campaign_without_javascript(nojs_page: Page, live_server: LiveServer) -> None:
    _plan_a_campaign(nojs_page, live_server, "Decent Work Autumn (no JS)")


def test_demo_campaign_page_shows_overdue_commitments_first(page: Page,
                                                            live_server: LiveServer) -> None:
    log_in(page, live_server.url)
    page.goto(live_server.url + "/campaigns/saude-para-todos-mz")
    expect(page.locator("#commitments h3").first).to_contain_text("overdue")
    expect(page.locator("#commitments li.overdue").first).to_be_visible()
