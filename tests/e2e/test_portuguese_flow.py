"""Portuguese as a first language: the language chosen at login stays, the header's EN | PT
switch works on every page (also without JavaScript), and a Portuguese message kit's
{country} becomes a Portuguese country name."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from juntos import house
from juntos.accounts import store as accounts
from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.organisations import demo as org_demo
from tests.e2e.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser

DAY = f"{datetime.now(UTC).year + 1}-01-15"


def _new_user(server: LiveServer, email: str) -> None:
    db = house.open_db(server.settings.db_path)
    accounts.create(db, email=email, password=org_demo.DEMO_PASSWORD, org_slug="forum-juntos-mz",
                    role="member", name="Leitora", now=datetime.now(UTC))
    db.close()


def _language_of(server: LiveServer, email: str) -> str:
    db = house.open_db(server.settings.db_path)
    try:
        return accounts.get_by_email(db, email).language
    finally:
        db.close()


def test_language_chosen_at_login_is_kept_and_the_header_switches(page: Page,
                                                                   live_server: LiveServer):
    base, email = live_server.url, "leitora@e2e.example"
    _new_user(live_server, email)
    page.goto(base + "/login")
    page.locator("#f-language").select_option("pt")
    page.locator("form.language button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Entrar no Juntos")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Palavra-passe").fill(org_demo.DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Entrar").click()
    page.wait_for_url(base + "/")
    expect(page.get_by_role("navigation", name="Principal")).to_contain_text("Campanhas")
    assert _language_of(live_server, email) == "pt"  # kept as the user's preference

    page.goto(base + "/ideas?q=greve")
    expect(page.locator("html")).to_have_attribute("lang", "pt")
    page.locator("form.lang-switch").get_by_role("button", name="EN").click()
    expect(page).to_have_url(re.compile(r"/ideas\?q=greve$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Campaigns")
    assert _language_of(live_server, email) == "en"
    page.locator("form.lang-switch").get_by_role("button", name="PT").click()
    expect(page.get_by_role("navigation", name="Principal")).to_contain_text("Campanhas")


def test_header_switch_works_without_javascript(nojs_page: Page, live_server: LiveServer):
    base, email = live_server.url, "leitor-nojs@e2e.example"
    _new_user(live_server, email)
    log_in(nojs_page, base, email)
    nojs_page.goto(base + "/calendar")
    nojs_page.locator("form.lang-switch").get_by_role("button", name="PT").click()
    expect(nojs_page).to_have_url(base + "/calendar")
    expect(nojs_page.locator("html")).to_have_attribute("lang", "pt")
    expect(nojs_page.get_by_role("navigation", name="Principal")).to_contain_text("Calendário")


def test_a_portuguese_kit_names_the_country_in_portuguese(page: Page, live_server: LiveServer):
    base, slug = live_server.url, "e2e-pais-em-portugues"
    db = house.open_db(live_server.settings.db_path)
    now = datetime.now(UTC)
    campaigns.create(db, CampaignInput.validated(title="O nosso país", slug=slug),
                     lead="samvirke-dk", now=now)
    campaign = campaigns.get(db, slug)
    for org in ("mz-accao-cidada", "sz-lutsango-women"):
        campaigns.add_partner(db, campaign["id"], org, "partner", accepted=True, now=now)
    db.close()
    log_in(page, base, "member@demo.juntos.example")
    page.goto(f"{base}/campaigns/{slug}/kits")
    page.get_by_label(re.compile("^Title")).fill("País")
    page.get_by_role("button", name="Create kit").click()
    for language, text in (("pt", "{org} defende hoje a terra em {country}."),
                           ("en", "{org} stands for land rights today in {country}.")):
        page.get_by_label("Language code").fill(language)
        page.locator("#f-new_platform").select_option("manual")
        page.locator("#f-new_text").fill(text)
        page.get_by_role("button", name="Save variants").click()
    page.get_by_role("link", name="Plan a wave").click()
    page.locator("#f-day").fill(DAY)
    page.locator("#f-at").fill("09:00")
    for platform in ("X", "Mastodon", "Bluesky", "Facebook Page", "Telegram channel"):
        page.get_by_label(platform, exact=True).uncheck()
    page.get_by_role("button", name="Preview").click()
    rows = page.locator("table.preview tbody tr")
    expect(rows.filter(has_text="Acção Cidadã").first).to_contain_text(
        "defende hoje a terra em Moçambique.")
    expect(rows.filter(has_text="Lutsango").first).to_contain_text("today in Eswatini.")
    expect(page.locator("table.preview")).not_to_contain_text(re.compile(r"em MZ|in SZ"))
