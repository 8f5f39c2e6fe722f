"""On a phone: a reminder to post by hand in a WhatsApp group opens WhatsApp with the text
ready (the link's text is the post's, encoded), from the calendar's agenda and from the post's
page, and from the e-mail reminder of a post falling due, and "Done: I posted it" marks the
post sent with the time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect

from juntos import db as database
from juntos import demo
from juntos.mail import compose
from juntos.social import accounts, mail_link
from juntos.social.models import AccountInput
from tests.e2e.conftest import ARTIFACTS, LiveServer, log_in
from tests.social.dispatch_support import scheduled

pytestmark = pytest.mark.browser

ORG = "forum-juntos-mz"  # the demo coordinator's organisation
TEXT = "Marcha amanhã às 9h & traga água! #Saúde\nhttps://example.org/marcha?dia=1&hora=9"


def _whatsapp_post(live_server: LiveServer, at: datetime | None = None) -> int:
    db = database.connect(live_server.settings.db_path)
    try:
        org_id = db.execute("select id from organisations where slug = ?", [ORG]).fetchone()[0]
        account = accounts.create(db, org_id, AccountInput.validated(
            platform="manual", label="WhatsApp groups (e2e)"), now=datetime.now(UTC))
        campaign_id = db.execute(
            "select campaign_id from participations where status = 'accepted' and"
            " organisation_id = ? order by campaign_id limit 1", [org_id]).fetchone()[0]
        kit_id = db.execute("insert into social_kits (campaign_id, title) values (?, 'e2e wa')",
                            [campaign_id]).lastrowid
        db.conn.commit()
        return scheduled(db, campaign_id, kit_id, account, TEXT,
                         at or datetime.now(UTC) + timedelta(hours=2))
    finally:
        db.close()


def test_whatsapp_reminder_opens_whatsapp_with_the_text_and_done_marks_it(
        page: Page, live_server: LiveServer) -> None:
    base = live_server.url
    post_id = _whatsapp_post(live_server)
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base)

    page.goto(f"{base}/calendar/agenda")
    reminder = page.locator("li.cal-item", has=page.locator(
        f"a.by-hand-page[href='/messages/posts/{post_id}']"))
    href = reminder.locator("a").first.get_attribute("href") or ""
    assert href.startswith("https://wa.me/?text=")
    assert unquote(href.removeprefix("https://wa.me/?text=")) == TEXT
    expect(reminder.get_by_role("link", name="Open in WhatsApp")).to_have_attribute("href", href)
    reminder.screenshot(path=str(ARTIFACTS / "by-hand-agenda-phone.png"))

    page.goto(f"{base}/messages/posts/{post_id}")
    link = page.locator("#whatsapp-link")
    expect(link).to_be_visible()
    href = link.get_attribute("href") or ""
    assert unquote(href.removeprefix("https://wa.me/?text=")) == TEXT
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#by-hand").screenshot(path=str(ARTIFACTS / "by-hand-post-phone.png"))
    page.get_by_role("button", name="Done: I posted it").click()
    expect(page.locator("h1 .status")).to_have_text("sent")
    expect(page.locator("ol.history")).to_contain_text("posted by hand at")
    expect(page.locator("#by-hand")).to_have_count(0)

    page.goto(f"{base}/calendar/agenda")  # done: no more "done" beside the reminder
    expect(page.locator(f"a.by-hand-page[href='/messages/posts/{post_id}']")).to_have_count(0)


def test_the_e_mail_reminder_opens_whatsapp_and_leads_to_done(
        page: Page, live_server: LiveServer) -> None:
    """The e-mail a due post gives its organisation's coordinator, read on a phone: its
    WhatsApp link carries the text, its other link opens the post's page, where "done" is."""
    now = datetime.now(UTC)
    post_id = _whatsapp_post(live_server, at=now - timedelta(minutes=1))
    settings = replace(live_server.settings, base_url=live_server.url)
    db = database.connect(settings.db_path)
    try:
        mail_link.by_hand_scan(db, now=now)
        db.conn.commit()
        row = next(iter(db.query(
            "select o.* from mail_outbox o join users u on u.id = o.user_id"
            " where o.key like ? and u.email = ?",
            [f"social.by_hand:{post_id}:%", demo.org_demo.COORDINATOR_EMAIL])))
        message = compose.build(row, settings, now=now)
    finally:
        db.close()
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server.url)
    page.set_content(message.get_body(("html",)).get_content())
    href = page.get_by_role("link", name="Open WhatsApp with the text ready").get_attribute(
        "href") or ""
    assert unquote(href.removeprefix("https://wa.me/?text=")) == TEXT
    page.screenshot(path=str(ARTIFACTS / "by-hand-mail-phone.png"), full_page=True)
    page.get_by_role("link", name="Open the post to say it is done").click()
    page.wait_for_url(f"{live_server.url}/messages/posts/{post_id}")
    page.get_by_role("button", name="Done: I posted it").click()
    expect(page.locator("h1 .status")).to_have_text("sent")
