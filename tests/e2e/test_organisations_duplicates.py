"""A coordinator reviews likely duplicates and merges a pair, without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser


def test_coordinator_merges_a_duplicate_without_javascript(nojs_page: Page,
                                                          live_server: LiveServer) -> None:
    page, base = nojs_page, live_server.url
    log_in(page, base)
    page.goto(base + "/organisations")
    page.get_by_role("link", name="Likely duplicates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Likely duplicates")
    pair = page.locator("li.dupe").filter(has_text="ACCAO CIDADA MOCAMBIQUE")
    expect(pair).to_contain_text("same acronym (ACM)")
    expect(page.locator("li.dupe").filter(has_text="Community Land Alliance")).to_have_count(1)
    pair.get_by_role("link", name="Review and merge").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Merge")
    expect(page.locator("table.merge")).to_contain_text("https://accao-cidada.example.org")
    page.get_by_role("button", name="Merge into this one: Acção Cidadã Moçambique").click()

    expect(page).to_have_url(base + "/organisations/mz-accao-cidada")
    expect(page.locator(".flash")).to_contain_text("Merged ACCAO CIDADA MOCAMBIQUE into")
    expect(page.locator("dl.facts")).to_contain_text("https://accao-cidada.example.org")
    history = page.locator("ul.merges")
    expect(history).to_contain_text("ACCAO CIDADA MOCAMBIQUE, on")
    expect(history).to_contain_text("memberships")

    page.goto(base + "/organisations/accao-cidada-mocambique")
    expect(page).to_have_url(base + "/organisations/mz-accao-cidada")
    page.goto(base + "/organisations/duplicates")
    expect(page.locator("li.dupe").filter(has_text="ACCAO CIDADA")).to_have_count(0)
