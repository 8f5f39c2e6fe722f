"""Log in, see the dashboard, create an organisation, log out: with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser


def _create_organisation_flow(page: Page, server: LiveServer, name: str) -> None:
    base = server.url
    page.goto(base + "/organisations")
    assert "/login" in page.url  # anonymous: sent to log in first
    log_in(page, base)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Campaigns")

    page.get_by_role("link", name="Organisations", exact=True).click()
    page.get_by_role("link", name="New organisation").click()
    page.get_by_label(re.compile(r"^Name")).fill(name)
    page.get_by_label("Country", exact=True).select_option("UG")
    page.get_by_label("Time zone").fill("Africa/Kampala")
    page.get_by_label("Themes").fill("land rights, climate")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.locator("dl.facts")).to_contain_text("Uganda")
    expect(page.locator("dl.facts")).to_contain_text("land rights")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Log in")
    page.goto(base + "/")
    assert "/login" in page.url


def test_login_dashboard_create_organisation_logout(page: Page, live_server: LiveServer) -> None:
    _create_organisation_flow(page, live_server, "Kampala Land Watch")


def test_same_flow_without_javascript(nojs_page: Page, live_server: LiveServer) -> None:
    _create_organisation_flow(nojs_page, live_server, "Gulu Climate Youth")


def test_form_errors_are_shown_next_to_fields(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server.url)
    page.goto(live_server.url + "/organisations/new")
    page.get_by_label(re.compile(r"^Name")).fill("Bad Zone Org")
    page.get_by_label("Time zone").fill("Mars/Olympus")  # countries are chosen from a list
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#e-timezone")).to_contain_text("not an IANA time zone")
    expect(page.get_by_label(re.compile(r"^Name"))).to_have_value("Bad Zone Org")
