"""Every main page at a phone's width (360 px) and a laptop's (1280 px), in English and
Portuguese, as a member: nothing scrolls the page sideways (wide tables scroll in their own
box), and the header's links, the in-page menus and the buttons are 44 px touch targets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import LiveServer
from tests.e2e.main_pages import LOCALES, MAIN_PAGES, MEASURE, NARROW, WIDE, log_in_as_member

SIZES = {"360": NARROW, "1280": WIDE}
Pages = dict[tuple[str, str], Page]


@pytest.fixture(scope="module")
def member_pages(browser: Browser, live_server: LiveServer) -> Iterator[Pages]:
    """One logged-in page per language and width, shared by the module's tests (a login each
    would cost more than the checks)."""
    contexts, pages = [], {}
    for lang, locale in LOCALES.items():
        for width, size in SIZES.items():
            context = browser.new_context(viewport=size, locale=locale)
            context.set_default_timeout(15_000)
            page = context.new_page()
            log_in_as_member(page, live_server.url)
            contexts.append(context)
            pages[(lang, width)] = page
    yield pages
    for context in contexts:
        context.close()


@pytest.mark.parametrize("lang", list(LOCALES))
@pytest.mark.parametrize("width", list(SIZES))
@pytest.mark.parametrize("name, path", MAIN_PAGES, ids=[name for name, _ in MAIN_PAGES])
def test_the_page_fits_the_screen_and_its_controls_can_be_tapped(
        member_pages: Pages, live_server: LiveServer,
        name: str, path: str, width: str, lang: str) -> None:
    page = member_pages[(lang, width)]
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200, path
    assert page.locator("html").get_attribute("lang") == lang
    found = page.evaluate(MEASURE)
    assert found["scrollWidth"] <= found["width"], (
        f"{path} is {found['scrollWidth']} px wide at {width} px: {found['wide']}")
    assert not found["small"], f"{path} at {width} px: under 44 px: {found['small']}"


def test_the_month_becomes_a_list_of_days_on_a_phone(
        member_pages: Pages, live_server: LiveServer) -> None:
    page = member_pages[("en", "360")]
    page.goto(live_server.url + "/calendar?month=2026-11")
    days = page.locator(".cal-month td:visible")
    assert days.count() >= 1
    # One day a row, across the screen, named by its weekday; days without events left out;
    # events of several days once, as a bar with their dates.
    first = days.first.bounding_box()
    assert first is not None and first["width"] > 300
    assert page.locator(".cal-month td:visible .wd").first.is_visible()
    assert page.locator(".cal-month thead").bounding_box()["width"] <= 1  # type: ignore[index]
    for i in range(days.count()):
        assert days.nth(i).locator(".cal-item, .cal-more, .cal-bar").count() > 0


def test_the_campaign_page_opens_on_its_menu_and_next_steps(
        member_pages: Pages, live_server: LiveServer) -> None:
    page = member_pages[("en", "360")]
    page.goto(live_server.url + "/campaigns/saude-para-todos-mz")
    menu = page.get_by_role("navigation", name="On this page")
    next_steps = page.locator("#next")
    box = next_steps.bounding_box()
    assert box is not None and box["y"] < NARROW["height"], "next steps below the first screen"
    menu.get_by_role("link", name="Planned tactics").click()
    page.wait_for_url("**#area-catalogue")
    tactics = page.locator("#area-catalogue .tactic-meta").first
    assert tactics.is_visible()
    # Status, date and owner, each in words ("unionsRemove" was two words run together).
    assert "·" in tactics.inner_text()
