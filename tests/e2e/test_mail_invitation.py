"""In Chromium: a coordinator invites someone; the invitation arrives at a real SMTP server on
loopback; its link, opened in the browser at phone size, sets a password; the new person logs
in; the same link, opened again, is refused."""

from __future__ import annotations

import re
from dataclasses import replace

from playwright.sync_api import Page, expect

from juntos.mail.sender import Sender
from tests.e2e.conftest import log_in
from tests.mail.smtp_server import smtp_server

PASSWORD = "a long new passphrase 42"


def test_an_invitation_link_sets_a_password_once(page: Page, live_server) -> None:
    base = live_server.url
    log_in(page, base)
    page.goto(base + "/users/invite")
    page.locator("#f-email").fill("convidada@example.org")
    page.locator("#f-name").fill("Convidada")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator("body")).to_contain_text("Invitation to convidada@example.org")

    with smtp_server() as (inbox, port):
        settings = replace(live_server.settings, smtp_host="127.0.0.1", smtp_port=port,
                           smtp_starttls=False)
        assert Sender(settings).run_once().sent >= 1
        (message,) = inbox.to("convidada@example.org")
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"(http://127\.0\.0\.1:\d+/password/set/\S+)", text).group(1)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(link)
    expect(page.locator("body")).to_contain_text("convidada@example.org")
    page.locator("#f-password").fill(PASSWORD)
    page.locator("#f-confirm").fill(PASSWORD)
    page.get_by_role("button", name="Set password").click()
    page.wait_for_url(base + "/login")
    log_in(page, base, "convidada@example.org", PASSWORD)

    page.context.clear_cookies()
    page.goto(link)
    expect(page.locator("[role=alert]")).to_contain_text("used already or has expired")
