"""Posts made by hand: the WhatsApp link carries the text, the calendar reminder carries the
link, and "done" marks the post sent with the time, on the account's organisation's authority
only (its members, or a campaign approver under its delegation): a matrix of every role."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import unquote

import pytest

from juntos.organisations import audit
from juntos.social import accounts, authority, by_hand, posts, reminders
from juntos.social.models import AccountInput
from tests.social.dispatch_support import post_row, scheduled
from tests.support.web import csrf_token, soup


def test_the_link_carries_the_text_every_character_encoded() -> None:
    text = "Olá! Fund clinics & nurses #Saúde\nhttps://example.org/a?b=1&c=2"
    link = by_hand.whatsapp_link({"text": text})
    assert link.startswith("https://wa.me/?text=")
    encoded = link.removeprefix("https://wa.me/?text=")
    assert not set("&#?\n ") & set(encoded)  # nothing that would end or split the parameter
    assert unquote(encoded) == text
    assert "Ol%C3%A1%21" in encoded  # UTF-8, percent-encoded


def test_whatsapp_accounts_are_named_by_their_label() -> None:
    assert by_hand.names_whatsapp("WhatsApp groups")
    assert by_hand.names_whatsapp("Grupos de Whats App")
    assert not by_hand.names_whatsapp("Facebook page")


@pytest.fixture
def whatsapp(db, org_b, clock):  # type: ignore[no-untyped-def]
    return accounts.create(db, org_b["id"], AccountInput.validated(
        platform="manual", label="WhatsApp groups"), now=clock())


def _post(db, campaign, kit, account, clock, text="Fund clinics & nurses #Saude"):  # type: ignore[no-untyped-def]
    return scheduled(db, campaign["id"], kit["id"], account, text, clock() + timedelta(hours=1))


def test_the_calendar_reminder_opens_whatsapp_with_the_text(db, org_b, campaign, kit, clock,
                                                            whatsapp) -> None:
    other = accounts.create(db, org_b["id"], AccountInput.validated(
        platform="manual", label="Facebook page"), now=clock())
    wa_post = _post(db, campaign, kit, whatsapp, clock)
    fb_post = _post(db, campaign, kit, other, clock, text="On Facebook")
    events = {e.post_id: e for e in reminders.reminder_events(db, org_b["id"])}
    assert events[wa_post].whatsapp_url == by_hand.whatsapp_link({"text": post_row(
        db, wa_post)["text"]})
    assert events[wa_post].whatsapp_url in events[wa_post].description
    assert events[wa_post].pending
    assert events[fb_post].whatsapp_url == ""


ROLES = ["anonymous", "viewer", "member", "other_member", "coordinator"]
#: org A leads the campaign, org B (the account's) is a partner. Without a delegation only
#: org B's member may say it is done; with one, org A's approvers too; never the viewer.
ALLOWED = {False: {"other_member"}, True: {"other_member", "member", "coordinator"}}


@pytest.mark.parametrize("delegated", [False, True], ids=["own", "delegated"])
@pytest.mark.parametrize("role", ROLES)
def test_who_may_mark_a_post_done(app, client, as_user, users, db, org_b, campaign, kit, clock,
                                  whatsapp, role, delegated) -> None:
    if delegated:
        authority.grant(db, whatsapp, authority.DelegationInput.validated(
            campaign="clinics", ends_on=date(2026, 12, 31)), organisation_id=org_b["id"],
            now=clock(), by=users["other_member"].id)
    post_id = _post(db, campaign, kit, whatsapp, clock)
    web = client if role == "anonymous" else as_user(role)
    page = web.get(f"/messages/posts/{post_id}")
    token = csrf_token(web, "/login") if role == "anonymous" else csrf_token(web, "/account")
    response = web.post(f"/messages/posts/{post_id}", data={"done": "1", "csrf_token": token},
                        follow_redirects=False)
    row = post_row(db, post_id)
    if role in ALLOWED[delegated]:
        assert soup(page).select_one("#by-hand button[name=done]") is not None
        link = soup(page).select_one("#whatsapp-link")
        assert link is not None and link["href"] == by_hand.whatsapp_link(row)
        assert response.status_code == 303
        assert row["status"] == "sent"
        [event] = [e for e in posts.history(db, post_id) if e["to_status"] == "sent"]
        assert event["user_id"] == users[role].id
        assert event["comment"] == "posted by hand at 2026-11-23 09:00 UTC"
        trail = audit.trail(db, org_b["id"])
        assert trail[0]["action"] == "post_done_by_hand" and trail[0]["user_id"] == users[
            role].id
    elif role == "anonymous":  # sent to sign in first
        assert response.status_code == 303 and "/login" in response.headers["location"]
        assert row["status"] == "scheduled"
    else:
        assert response.status_code in (403, 404), response.status_code
        assert row["status"] == "scheduled"
        if page.status_code == 200:
            assert soup(page).select_one("#by-hand") is None


def test_done_twice_is_a_conflict_and_a_late_post_can_still_be_done(
        as_user, db, campaign, kit, clock, whatsapp) -> None:
    post_id = _post(db, campaign, kit, whatsapp, clock)
    db.execute("update social_posts set status = 'missed' where id = ?", [post_id])
    db.conn.commit()
    web = as_user("other_member")
    data = {"done": "1", "csrf_token": csrf_token(web, "/account")}
    assert web.post(f"/messages/posts/{post_id}", data=data,
                    follow_redirects=False).status_code == 303
    assert post_row(db, post_id)["status"] == "sent"
    assert web.post(f"/messages/posts/{post_id}", data=data,
                    follow_redirects=False).status_code == 409
