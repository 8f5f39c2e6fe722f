"""Month view → filter → copy the feed address → fetch it and find the filtered events."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in

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


def test_a_hostile_rule_and_link_are_refused_on_a_phone(page: Page,
                                                        live_server: LiveServer) -> None:
    """A member types a rule repeating every second and a javascript: link into the event
    form on a phone: both are refused next to their fields, and the calendar still answers."""
    from juntos import demo

    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base, demo.org_demo.MEMBER_EMAIL)
    page.goto(base + "/calendar/events/new")
    page.get_by_label("Title").fill("Every second")
    page.get_by_label("Start").fill("2027-03-08T10:00")
    page.get_by_label("End", exact=True).fill("2027-03-08T11:00")
    page.get_by_label("Repeats (RFC 5545 rule)").fill("FREQ=SECONDLY")
    page.get_by_label("Link").fill("javascript:alert(1)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#e-rrule")).to_contain_text("more often than daily")
    expect(page.locator("#e-url")).to_contain_text("http://, https:// or mailto:")
    page.screenshot(path=str(ARTIFACTS / "calendar-hostile-form-phone.png"), full_page=True)
    assert page.request.get(base + "/calendar.ics").status == 200
    assert page.request.get(base + "/calendar?month=9999-12").status == 400


def test_subscribe_from_a_network_campaign_page_finds_its_events(
        nojs_page: Page, live_server: LiveServer) -> None:
    """On a phone without JavaScript: a network campaign's dates are not in the public feed,
    so its page creates the reader's private feed, comes back, and links the feed filtered by
    the campaign; the calendar program fetches it and finds the campaign's events."""
    from juntos import demo

    page, base = nojs_page, live_server.url
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base, demo.org_demo.VIEWER_EMAIL)
    page.goto(base + "/campaigns/saude-para-todos-mz")
    panel = page.locator("#campaign-calendar")
    create = panel.get_by_role("button", name="Get a feed of this campaign")
    if create.count():  # the first time: created on the spot, back to the campaign
        create.click()
        expect(page).to_have_url(base + "/campaigns/saude-para-todos-mz#campaign-calendar")
        expect(page.locator(".flash").first).to_contain_text("created")
    link = page.locator("#campaign-calendar a.campaign-feed")
    webcal = link.get_attribute("href")
    assert webcal is not None and webcal.startswith("webcal://")
    assert "/calendar/feeds/" in webcal and webcal.endswith("?campaign=saude-para-todos-mz")
    page.screenshot(path=str(ARTIFACTS / "campaign-subscribe-phone.png"), full_page=False)
    feed_url = "http://" + webcal.split("://", 1)[1]
    response = page.request.get(feed_url)  # what the calendar program fetches: no session
    assert response.status == 200
    cal = icalendar.Calendar.from_ical(response.body())
    assert "Saúde para Todos" in str(cal["X-WR-CALNAME"])
    events = {str(v["SUMMARY"]): v for v in cal.walk("VEVENT")}
    assert "Radio debate: medicines in rural health posts" in events  # stored, network
    assert any(title.endswith(": Budget hearing") for title in events)  # a milestone
    assert all("saude-para-todos-mz" in str(v.get("URL", "")) or
               "/calendar/events/" in str(v.get("URL", "")) for v in events.values())
    assert not any(title == LAND_DAY for title in events)  # another campaign's: filtered out
    public = icalendar.Calendar.from_ical(
        page.request.get(base + "/calendar.ics?campaign=saude-para-todos-mz").body())
    assert not public.walk("VEVENT")  # why the page links the private feed
