"""Connect a (fake) Mastodon account in the browser, schedule a post a few seconds ahead, and
watch it become sent with a link. Connecting checks the token with the instance, so this test
serves the live server's database on a second port whose platform calls go to a fake Mastodon
on 127.0.0.1; the dispatcher runs beside it as `juntos social dispatch` would."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from juntos import db as database
from juntos.social import accounts
from juntos.social.dispatch import Dispatcher
from tests.e2e.conftest import LiveServer, free_port, log_in, start_server
from tests.social.dispatch_support import scheduled
from tests.support.fake_platform import running

pytestmark = pytest.mark.browser

ORG = "forum-juntos-mz"


def test_connect_mastodon_schedule_and_see_it_sent(page, live_server: LiveServer) -> None:
    with running() as fake:
        settings = replace(live_server.settings, port=free_port(), social_api_base=fake.base)
        server, thread = start_server(settings)
        try:
            _connect_schedule_and_watch(page, f"http://127.0.0.1:{settings.port}", settings,
                                        fake)
        finally:
            server.should_exit = True
            thread.join(timeout=10)


def _connect_schedule_and_watch(page, base, settings, fake) -> None:  # type: ignore[no-untyped-def]
    log_in(page, base)
    page.goto(f"{base}/messages/accounts/{ORG}")
    page.get_by_label("Platform").select_option("mastodon")
    page.get_by_label("Handle").fill("forum_dispatch")
    page.get_by_label("Mastodon instance").fill("https://masto.example.org")
    page.get_by_role("button", name="Add account").click()
    row = page.locator("table.accounts tr", has_text="@forum_dispatch@masto.example.org")
    expect(row).to_contain_text("not connected")
    row.get_by_role("link", name="Connect").click()
    page.get_by_label("Access token").fill("fake-token-for-e2e")
    page.get_by_role("button", name="Connect").click()
    expect(page.locator("#account-state")).to_have_text("connected")
    expect(page.locator("#account-identity")).to_contain_text(fake.display_name)
    expect(page.locator("body")).not_to_contain_text("fake-token-for-e2e")

    db = database.connect(settings.db_path)
    try:
        account = next(a for a in accounts.for_organisation(
            db, db.execute("select id from organisations where slug = ?", [ORG]).fetchone()[0])
            if a.display_name == fake.display_name)
        # A campaign the forum takes part in (the dispatcher posts only for partners that
        # accepted), with a kit; the post carries the forum's own approval.
        campaign_id = db.execute(
            "select campaign_id from participations where status = 'accepted' and"
            " organisation_id = ? order by campaign_id limit 1",
            [account.organisation_id]).fetchone()[0]
        kit_id = db.execute("insert into social_kits (campaign_id, title) values (?, 'e2e')",
                            [campaign_id]).lastrowid
        db.conn.commit()
        post_id = scheduled(db, campaign_id, kit_id, account, "Juntos e2e: clinics for all",
                            datetime.now(UTC) + timedelta(seconds=3))
    finally:
        db.close()

    worker = Dispatcher(settings)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        page.goto(f"{base}/messages/posts/{post_id}")
        expect(page.locator("h1 .status")).to_have_text("scheduled")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            page.reload()
            if page.locator("#published-link").count():
                break
            page.wait_for_timeout(500)
    finally:
        worker.stop.set()
        thread.join(timeout=10)
    expect(page.locator("h1 .status")).to_have_text("sent")
    link = page.locator("#published-link")
    expect(link).to_have_attribute("href", f"{fake.base}/@someone/1")
    assert [item["text"] for item in fake.created] == ["Juntos e2e: clinics for all"]
    expect(page.locator("table.attempts")).to_contain_text("sent")
