"""Editing the map without JavaScript: record and withdraw a judgement, record a tie, edit it
and delete it after confirming, all through server-rendered forms. Leaves the demo as it was."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser
KIND = "hosts talks with"  # an open kind no demo tie uses


def test_judgements_and_ties_without_javascript(nojs_page: Page,
                                                live_server: LiveServer) -> None:
    page, base = nojs_page, live_server.url
    log_in(page, base)
    page.goto(base + "/network/actors/sadc")

    page.locator("#j-issue").fill("regional trade rules")
    page.locator("#j-influence").select_option("4")
    page.locator("#j-stance").select_option("opponent")
    page.locator("#j-confidence").select_option("high")
    page.get_by_role("button", name="Record the judgement").click()
    judged = page.locator("#judgements-table tbody tr", has_text="regional trade rules")
    expect(judged).to_contain_text("opponent")

    page.locator("#f-kind").fill(KIND)
    page.locator("#f-to").fill("african-union")
    page.locator("#f-strength").fill("2")
    page.get_by_role("button", name="Record the tie").click()
    row = page.locator("#actor-ties tbody tr", has_text=KIND)
    expect(row).to_contain_text("African Union")

    row.get_by_role("link", name="Edit").click()
    page.locator("#f-strength").fill("5")
    page.get_by_role("button", name="Save the tie").click()
    row = page.locator("#actor-ties tbody tr", has_text=KIND)
    expect(row.locator("td").nth(2)).to_have_text("5")

    row.get_by_role("link", name="Delete").click()
    expect(page.locator("#tie-ends")).to_contain_text(KIND)
    page.get_by_role("button", name="Delete the tie").click()
    expect(page.locator("#actor-ties tbody tr", has_text=KIND)).to_have_count(0)

    page.locator("#judgements-table tbody tr", has_text="regional trade rules").get_by_role(
        "button", name="Withdraw").click()
    expect(page.locator("#judgements-table tbody tr",
                        has_text="regional trade rules")).to_have_count(0)
