"""Posts to make by hand, reminded by e-mail when they fall due (issue 21, item 3): against a
real SMTP server on loopback, `juntos mail send --once` twice gives each member of the manual
account's organisation one reminder, in their language, with the post's text, its page (where
"done" is) and, for a WhatsApp account, the wa.me link with the text; a post already done, a
post not yet due, and other organisations' members get none. Preferences and unsubscribing
hold as for every kind one can refuse."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from juntos.cli import cli
from juntos.clock import iso
from juntos.db import Database
from juntos.mail import digest, outbox, preferences
from juntos.settings import Settings
from juntos.social import accounts, by_hand
from juntos.social.models import AccountInput
from tests.campaigns.conftest import make_campaign
from tests.mail.smtp_server import Inbox
from tests.social.dispatch_support import post_row, scheduled
from tests.support.clock import FrozenClock

TEXT = "Olá! Fund clinics & nurses #Saude\nhttps://example.org/clinics?a=1&b=2"


def _send(mail_settings: Settings) -> str:
    env = {"JUNTOS_SMTP_HOST": "127.0.0.1", "JUNTOS_SMTP_PORT": str(mail_settings.smtp_port),
           "JUNTOS_SMTP_STARTTLS": "false", "JUNTOS_MAIL_FROM": "juntos@example.org",
           "JUNTOS_BASE_URL": "https://juntos.example.org"}
    result = CliRunner().invoke(cli, ["--db", str(mail_settings.db_path), "mail", "send",
                                      "--once"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _account(db: Database, org_id: int, label: str, clock: FrozenClock) -> accounts.Account:
    return accounts.create(db, org_id, AccountInput.validated(platform="manual", label=label),
                           now=clock())


@pytest.fixture
def plan(db, clock, users):  # type: ignore[no-untyped-def]
    """Org A leads a campaign and posts on its WhatsApp groups by hand; a kit to post from."""
    campaign = make_campaign(db, clock, slug="clinics", title="Clinics for all")
    kit = db["social_kits"].insert({"campaign_id": campaign["id"], "title": "Kit",
                                    "created_at": iso(clock())}).last_pk
    whatsapp = _account(db, users["member"].organisation_id, "WhatsApp groups", clock)
    return campaign["id"], kit, whatsapp


def _reminders(inbox: Inbox) -> list:  # type: ignore[type-arg]
    return [m for m in inbox.messages if m["X-Juntos-Kind"] == "social.by_hand"]


def test_a_due_post_reminds_each_member_once_with_the_whatsapp_link(
        db, clock, users, plan, mail_settings, inbox: Inbox) -> None:
    db.execute("update users set language = 'pt' where email = 'member@example.org'")
    campaign_id, kit, whatsapp = plan
    now = datetime.now(UTC)  # `juntos mail send` reads the system clock
    due = scheduled(db, campaign_id, kit, whatsapp, TEXT, now - timedelta(minutes=3))
    done = scheduled(db, campaign_id, kit, whatsapp, "Already posted", now - timedelta(minutes=5))
    by_hand.mark_done(db, post_row(db, done), now=now, user=users["member"],
                      campaign_approver=False)
    scheduled(db, campaign_id, kit, whatsapp, "Later today", now + timedelta(hours=3))
    db.conn.commit()

    _send(mail_settings)
    assert "0 sent" in _send(mail_settings)

    # Org A's coordinator and member, once each: not its viewer, not org B's member.
    reminders = _reminders(inbox)
    assert sorted(m["To"].addresses[0].addr_spec for m in reminders) == [
        "coord@example.org", "member@example.org"]
    english, portuguese = sorted(reminders, key=lambda m: str(m["To"]))
    link = by_hand.whatsapp_link({"text": TEXT})
    assert english["Subject"] == "Time to post by hand on WhatsApp groups"
    assert portuguese["Subject"] != english["Subject"]
    for message in (english, portuguese):
        text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        html = message.get_body(("html",)).get_content()
        assert TEXT in text  # the text to post, as written
        assert link in text and f'href="{link.replace("&", "&amp;")}"' in html
        assert unquote(link.removeprefix("https://wa.me/?text=")) == TEXT
        assert f"https://juntos.example.org/messages/posts/{due}" in text
        assert "Already posted" not in text and "Later today" not in text
        assert message["List-Unsubscribe"].startswith(
            "<https://juntos.example.org/mail/unsubscribe/")
    assert "Acção Cidadã" in english.get_body(("plain",)).get_content()  # why it was sent
    pt_text = portuguese.get_body(("plain",)).get_content()
    assert "membro" in pt_text and "WhatsApp" in pt_text
    # The time in the account's zone (its organisation's: Africa/Maputo).
    local = (now - timedelta(minutes=3)).astimezone(ZoneInfo("Africa/Maputo"))
    assert f"{local:%Y-%m-%d %H:%M} (Africa/Maputo)" in english.get_body(("plain",)).get_content()


def _contents(db: Database) -> list[dict]:  # type: ignore[type-arg]
    rows = list(db.query("select to_addr, content from mail_outbox where kind = ?"
                         " order by id", ["social.by_hand"]))
    return [{"to": r["to_addr"], **json.loads(r["content"])} for r in rows]


def test_not_before_its_time_nor_long_after_nor_without_authority(
        db, clock, users, plan) -> None:
    campaign_id, kit, whatsapp = plan
    now = clock()
    scheduled(db, campaign_id, kit, whatsapp, "Soon", now + timedelta(minutes=1))
    scheduled(db, campaign_id, kit, whatsapp, "Missed long ago", now - timedelta(hours=3))
    scheduled(db, campaign_id, kit, whatsapp, "Not approved", now, status="submitted")
    scheduled(db, campaign_id, kit, whatsapp, "No authority", now, authorised=False)
    digest.run_scans(db, now=now)
    assert _contents(db) == []
    # A minute later the first one is due.
    digest.run_scans(db, now=now + timedelta(minutes=1))
    assert {m["to"] for m in _contents(db)} == {"coord@example.org", "member@example.org"}
    assert all("Soon" in m["paragraphs"] for m in _contents(db))


def test_a_manual_account_that_is_not_whatsapp_gets_the_text_without_the_link(
        db, clock, users, plan) -> None:
    campaign_id, kit, _whatsapp = plan
    facebook = _account(db, users["member"].organisation_id, "Facebook page", clock)
    post = scheduled(db, campaign_id, kit, facebook, "On the page", clock())
    assert digest.run_scans(db, now=clock()) >= 2
    for message in _contents(db):
        assert message["links"] == []
        assert "On the page" in message["paragraphs"]
        assert message["action_path"] == f"/messages/posts/{post}"
        assert "Facebook page" in message["why"]


def test_a_moved_post_reminds_again_at_its_new_time(db, clock, users, plan) -> None:
    campaign_id, kit, whatsapp = plan
    post = scheduled(db, campaign_id, kit, whatsapp, "Moved", clock())
    digest.run_scans(db, now=clock())
    later = clock() + timedelta(days=1)
    db.execute("update social_posts set scheduled_at = ? where id = ?", [iso(later), post])
    digest.run_scans(db, now=later)
    digest.run_scans(db, now=later + timedelta(minutes=10))
    assert len(_contents(db)) == 4  # two members, two times


def test_preferences_and_one_click_unsubscribe_hold(db, clock, users, plan, app) -> None:
    campaign_id, kit, whatsapp = plan
    preferences.set_delivery(db, users["coordinator"].id, "social.by_hand", "daily")
    scheduled(db, campaign_id, kit, whatsapp, "First", clock())
    digest.run_scans(db, now=clock())
    assert [m["to"] for m in _contents(db)] == ["member@example.org"]
    line = next(iter(db.query("select line from mail_digest_items where user_id = ?",
                              [users["coordinator"].id])))["line"]
    assert line.startswith("Time to post by hand on WhatsApp groups")

    token = next(iter(db.query("select unsubscribe_token from mail_outbox where kind = ?",
                               ["social.by_hand"])))["unsubscribe_token"]
    with TestClient(app) as anon:
        assert anon.post(f"/mail/unsubscribe/{token}",
                         data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert outbox.delivery(db, users["member"].id, "social.by_hand") == "never"
    scheduled(db, campaign_id, kit, whatsapp, "Second", clock() + timedelta(minutes=10))
    digest.run_scans(db, now=clock() + timedelta(minutes=10))
    assert [m["to"] for m in _contents(db)] == ["member@example.org"]  # the first one only
