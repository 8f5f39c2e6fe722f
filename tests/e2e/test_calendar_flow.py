"""Month view → filter → copy the feed address → fetch it and find the filtered events."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser

LAND_DAY = "National day of action for land rights"  # demo: Mozambique, in 12 days
HARARE = "Youth climate march, Harare"  # demo: Zimbabwe, in 20 days


def _flow(page: Page, server: LiveServer) -> None:
    base = server.url
    log_in(page, base)
    month = (date.today() + timedelta(days=12)).strftime("%Y-%m")
    page.goto(f"{base}/calendar?month={month}")
    expect(page.locator("table.cal-month")).to_contain_text(LAND_DAY)
    page.get_by_label("Country or region").select_option("MZ")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(f"{base}/calendar?month={month}&campaign=&org=&country=MZ"
                             "&category=&theme=")
    expect(page.locator("table.cal-month")).to_contain_text(LAND_DAY)
    expect(page.locator("table.cal-month")).not_to_contain_text(HARARE)

    feed_url = page.locator("#feed-url").input_value()  # what "Copy" puts on the clipboard
    assert feed_url == f"{base}/calendar.ics?country=MZ"
    webcal = page.locator("a.feed-webcal").get_attribute("href")
    assert webcal == "webcal://" + feed_url.split("://", 1)[1]

    response = page.request.get(feed_url)  # no session needed: a public feed
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.body())
    titles = {str(v["SUMMARY"]) for v in cal.walk("VEVENT")}
    assert LAND_DAY in titles
    assert HARARE not in titles


def test_month_filter_copy_and_fetch_the_feed(page: Page, live_server: LiveServer) -> None:
    _flow(page, live_server)
    page.locator("button.copy[data-copy=feed-url]").click()  # shown only with JavaScript


def test_same_flow_without_javascript(nojs_page: Page, live_server: LiveServer) -> None:
    _flow(nojs_page, live_server)
    expect(nojs_page.locator("button.copy[data-copy=feed-url]")).to_be_hidden()
