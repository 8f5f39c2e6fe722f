"""The outbox and its sender against a real SMTP server on loopback: written once by key,
kept when no server is set, retried or failed with the server's words, never resent once
handed over; preferences, digests and one-click unsubscribe; the coordinators' page."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from juntos.clock import iso
from juntos.mail import digest, outbox, preferences
from juntos.mail.kinds import Recipient
from juntos.mail.sender import Sender
from tests.mail.smtp_server import Inbox
from tests.support.web import post_form, soup

KIND = "campaigns.commitment_due"


def _write(db, clock, user_id: int = 1, key: str = "k1", email: str = "coord@example.org"):  # type: ignore[no-untyped-def]
    return outbox.write(db, to=Recipient(user_id, email, "en", "Ana"), kind=KIND, key=key,
                        content=outbox.Content(subject=f"Subject {key}", paragraphs=("Hi.",),
                                               action_label="Open", action_path="/x",
                                               why="Because."), now=clock())


def _status(db, outbox_id: int) -> dict:  # type: ignore[type-arg]
    return next(iter(db.query("select * from mail_outbox where id = ?", [outbox_id])))


def test_writing_twice_with_one_key_writes_once(db, clock, users) -> None:
    first, second = _write(db, clock), _write(db, clock)
    assert (first.outcome, second.outcome) == ("queued", "exists")
    row = _status(db, first.outbox_id)
    assert row["message_id"].startswith("<") and row["status"] == "queued"


def test_without_a_server_mail_is_kept(db, clock, users, settings) -> None:
    written = _write(db, clock)
    assert not Sender(settings, clock=clock).configured
    assert outbox.counts(db)["queued"] == 1
    assert _status(db, written.outbox_id)["status"] == "queued"


def test_a_refusal_fails_with_the_servers_reason_and_a_delay_is_retried(
        db, clock, users, mail_settings, inbox: Inbox) -> None:
    inbox.refuse = "550 5.7.1 Mailbox unavailable"
    failed = _write(db, clock, key="a")
    Sender(mail_settings, clock=clock).run_once()
    row = _status(db, failed.outbox_id)
    assert (row["status"], row["reason"]) == ("failed", "550 5.7.1 Mailbox unavailable")

    inbox.refuse = "451 4.3.0 Try later"
    later = _write(db, clock, key="b")
    Sender(mail_settings, clock=clock).run_once()
    row = _status(db, later.outbox_id)
    assert (row["status"], row["attempts"]) == ("queued", 1)
    assert row["next_attempt_at"] == iso(clock() + timedelta(minutes=1))
    inbox.refuse = ""
    assert Sender(mail_settings, clock=clock).run_once().sent == 0  # not yet due
    clock.advance(minutes=2)
    assert Sender(mail_settings, clock=clock).run_once().sent == 1
    assert len(inbox.messages) == 1


def test_an_unreachable_server_keeps_the_mail_for_later(db, clock, users, settings) -> None:
    written = _write(db, clock)
    dead = replace(settings, smtp_host="127.0.0.1", smtp_port=9, smtp_starttls=False)
    report = Sender(dead, clock=clock, timeout=2).run_once()
    assert report.retried == 1
    row = _status(db, written.outbox_id)
    assert row["status"] == "queued" and "Could not reach" in row["reason"]


def test_a_sender_lost_after_handing_over_is_never_resent_by_itself(
        db, clock, users, mail_settings, inbox: Inbox) -> None:
    before = _write(db, clock, key="before")
    after = _write(db, clock, key="after")
    gone = Sender(mail_settings, clock=clock, lease_seconds=60)
    gone.claim(db)  # claimed both, then "died": one before the final dot, one after
    db.execute("update mail_outbox set data_at = ? where id = ?", [iso(clock()), after.outbox_id])
    db.conn.commit()
    clock.advance(seconds=61)
    assert Sender(mail_settings, clock=clock).run_once().sent == 1
    assert _status(db, before.outbox_id)["status"] == "sent"
    assert _status(db, after.outbox_id)["status"] == "unsure"
    assert [m["Subject"] for m in inbox.messages] == ["Subject before"]
    assert outbox.resolve(db, after.outbox_id, "again", now=clock())
    assert Sender(mail_settings, clock=clock).run_once().sent == 1


def test_preferences_route_messages_to_digests_or_nowhere(db, clock, users) -> None:
    member = users["member"].id
    preferences.set_delivery(db, member, KIND, "weekly")
    assert _write(db, clock, user_id=member, key="w").outcome == "digest"
    preferences.set_delivery(db, member, KIND, "never")
    assert _write(db, clock, user_id=member, key="n").outcome == "skipped"
    # The weekly digest carries the kept line, once per week, and marks it carried.
    assert digest.write_digests(db, "weekly", now=clock()) >= 1
    assert digest.write_digests(db, "weekly", now=clock()) == 0
    row = next(iter(db.query("select content from mail_outbox where user_id = ?"
                             " and kind = 'digest.weekly'", [member])))
    assert "Subject w" in row["content"]


def test_one_click_unsubscribe_needs_no_session(db, clock, users, app) -> None:
    written = _write(db, clock, user_id=users["member"].id)
    token = _status(db, written.outbox_id)["unsubscribe_token"]
    with TestClient(app) as anon:
        page = anon.get(f"/mail/unsubscribe/{token}")
        assert page.status_code == 200
        assert outbox.delivery(db, users["member"].id, KIND) == "immediately"  # GET changes nothing
        done = anon.post(f"/mail/unsubscribe/{token}", data={
            "List-Unsubscribe": "One-Click"})
        assert done.status_code == 200
        assert anon.post("/mail/unsubscribe/nope", data={}).status_code == 404
    assert outbox.delivery(db, users["member"].id, KIND) == "never"


def test_preferences_on_the_account_page(db, clock, users, as_user) -> None:
    client = as_user("member")
    page = soup(client.get("/account"))
    assert page.select_one(f"#mail select[name='{KIND}']") is not None
    post_form(client, "/account/mail", {KIND: "daily"})
    assert outbox.delivery(db, users["member"].id, KIND) == "daily"
    post_form(client, "/account/mail", {KIND: "hourly"})
    assert outbox.delivery(db, users["member"].id, KIND) == "daily"


@pytest.mark.parametrize(("role", "status"), [
    ("anonymous", 303), ("viewer", 403), ("member", 403), ("other_member", 403),
    ("coordinator", 200)])
def test_outbox_page_is_for_coordinators(db, clock, users, app, as_user, role,
                                         status) -> None:
    _write(db, clock)
    if role == "anonymous":
        with TestClient(app, follow_redirects=False) as anon:
            assert anon.get("/mail/outbox").status_code in (status, 302)
        return
    response = as_user(role).get("/mail/outbox")
    assert response.status_code == status
    if status == 200:
        assert "Subject k1" in response.text
        assert soup(response).select_one(".notice") is not None  # no SMTP host: kept


def test_after_a_restore_waiting_mail_is_unsure_not_resent(db, clock, users) -> None:
    from juntos.house import after_restore

    written = _write(db, clock)
    after_restore(db, clock)
    row = _status(db, written.outbox_id)
    assert row["status"] == "unsure" and "backup" in row["reason"]
