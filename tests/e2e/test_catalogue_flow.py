"""The catalogue in Chromium: search, narrow by a facet, open an idea, propose as a member,
publish as a coordinator, find it by search; contributed script never runs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from juntos.organisations import demo as org_demo
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser

PAYLOAD = ('<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
           "<svg onload=\"window.__xss = 3\"></svg>")


def test_search_facet_propose_publish_find(page: Page, live_server) -> None:
    base = live_server.url
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    log_in(page, base, org_demo.MEMBER_EMAIL)
    page.goto(base + "/ideas")
    page.get_by_label("Search ideas").fill("petition")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".hit h2 a").first).to_be_visible()
    assert page.locator(".hit .snippet mark").count() >= 1
    page.locator('.facets a[data-facet="risk"][data-value="low"]').click()
    expect(page).to_have_url(re.compile(r"risk=low"))
    assert "q=petition" in page.url
    titles = page.locator(".hit h2 a").all_inner_texts()
    assert "Online petition with a delivery event" in titles
    page.get_by_role("link", name="Online petition with a delivery event").click()
    expect(page.locator("h1")).to_have_text("Online petition with a delivery event")
    expect(page.locator(".safety")).to_be_visible()

    page.goto(base + "/ideas")
    page.get_by_role("link", name="Propose an idea").click()
    page.get_by_label("Title").fill("Lantern walk for clean water " + PAYLOAD)
    page.get_by_label("Summary").fill("Families walk with lanterns to the broken pump. " + PAYLOAD)
    page.locator("#f-class").select_option("creative")
    page.locator("#f-risk").select_option("low")
    page.get_by_label("Description").fill("## Steps\n\n- Meet at dusk\n\n" + PAYLOAD)
    page.get_by_label("Safety notes").fill("Walk in groups. " + PAYLOAD)
    page.get_by_role("button", name="Propose").click()
    expect(page.locator(".flash")).to_contain_text("review")
    expect(page.locator(".status-box")).to_contain_text("Waiting for review")

    page.get_by_role("button", name="Log out").click()
    log_in(page, base)  # the demo coordinator
    page.goto(base + "/ideas/review")
    page.locator(".queue a", has_text="Lantern walk").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash")).to_contain_text("Published")

    page.goto(base + "/ideas")
    page.get_by_label("Search ideas").fill("lanterns")
    page.get_by_role("button", name="Search").click()
    hit = page.locator(".hit h2 a").first
    expect(hit).to_contain_text("Lantern walk for clean water")
    hit.click()
    expect(page.locator("h1")).to_contain_text("<script>window.__xss = 1</script>")
    expect(page.locator(".prose h2").first).to_have_text("Steps")
    assert page.evaluate("window.__xss") is None
    assert page.locator(".prose script, .prose img, .prose svg, h1 img").count() == 0
    assert dialogs == []


def test_search_and_facets_work_without_javascript(nojs_page: Page, live_server) -> None:
    base = live_server.url
    log_in(nojs_page, base, org_demo.MEMBER_EMAIL)
    nojs_page.goto(base + "/ideas?q=radio")
    count = nojs_page.locator(".hit").count()
    nojs_page.locator('.facets a[data-facet="class"][data-value="media"]').click()
    assert "class=media" in nojs_page.url
    assert 0 < nojs_page.locator(".hit").count() <= count
    nojs_page.get_by_role("link", name="Radio call-in campaign").click()
    expect(nojs_page.locator("h1")).to_have_text("Radio call-in campaign")


def test_add_and_edit_a_case_story_without_javascript(nojs_page: Page, live_server) -> None:
    """A member tells a story linked to a campaign, then edits it: protection on erases the
    place and the organisation, a second idea is linked. Plain forms, no script."""
    page, base = nojs_page, live_server.url
    log_in(page, base, org_demo.MEMBER_EMAIL)
    page.goto(base + "/stories/new?idea=radio-call-in-campaign")
    page.get_by_label("Title").fill("Night-shift nurses on the radio")
    page.locator("#f-reason").fill("Nurses answered listeners")
    page.get_by_label("Date").fill("2025-09-12")
    page.get_by_label("Place", exact=True).fill("Bairro Muahivire")
    page.get_by_label("Region", exact=True).fill("Nampula")
    page.get_by_label("Country", exact=True).select_option("MZ")  # chosen by name from a list
    page.get_by_label("What happened").fill("Three nurses answered questions for an hour.")
    page.locator("#f-outcome").select_option("partly")
    page.locator("#f-campaign_id").select_option(
        label="Saúde para Todos: access to health in Mozambique")
    page.get_by_role("button", name="Save the story").click()
    expect(page.locator("h1")).to_have_text("Night-shift nurses on the radio")
    expect(page.locator('a[href="/campaigns/saude-para-todos-mz"]')).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Bairro Muahivire")

    page.get_by_role("link", name="Edit").click()
    expect(page.locator("#f-idea")).to_have_value("radio-call-in-campaign")
    page.get_by_label("Protect the people involved").check()
    page.locator("#f-idea_1").fill("budget-tracking")
    page.locator("#f-reason_1").fill("Figures for the callers")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator(".flash")).to_be_visible()
    facts = page.locator(".facts")
    expect(facts).to_contain_text("protected")
    expect(facts).not_to_contain_text("Bairro Muahivire")
    expect(page.get_by_role("link", name="Budget tracking")).to_be_visible()
    expect(page.locator(".history li").first).to_contain_text("Protection")
