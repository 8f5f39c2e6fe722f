"""Telegram channels through the fake Bot API on 127.0.0.1 (real HTTP, httpx runs): formatted
text, photos with their caption, errors, connecting (the bot must administer the channel), and
an unknown outcome left to a person, never resent (bots cannot read a channel's history)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from juntos.social import accounts, dispatch, kits
from juntos.social.dispatch import Dispatcher
from juntos.social.platforms import telegram
from juntos.social.platforms.identity import REFUSED, VerificationFailed
from tests.social.dispatch_support import connected, dispatch_settings, post_row, scheduled
from tests.support.fake_pages import channel
from tests.support.fake_platform import FakePlatform, running

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
TOKEN = "777:SECRET-bot"


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    with running(FakePlatform(telegram_bots={TOKEN: 777}, telegram_channels={
            "ubuntuchannel": channel("ubuntuchannel", -1001, "Ubuntu Labour news")})) as fake:
        yield fake


@pytest.fixture
def chan(db, settings, org_b, clock, fake):  # type: ignore[no-untyped-def]
    s = replace(dispatch_settings(settings, fake.base), dispatch_timeout_seconds=1)
    account = connected(db, s, org_b["id"], "telegram", "ubuntuchannel", clock())
    return s, account, Dispatcher(s, clock=clock, worker="w1")


def test_text_is_sent_escaped_in_html_mode(db, chan, campaign, kit, clock, fake) -> None:
    _, account, worker = chan
    text = "Clinics <now> & always: https://example.org/a?b=1&c=2"
    post_id = scheduled(db, campaign["id"], kit["id"], account, text, clock())
    assert worker.run_once(db) == {str(post_id): "sent"}
    [item] = fake.created
    assert item["method"] == "sendMessage" and item["parse_mode"] == "HTML"
    assert item["text"] == ("Clinics &lt;now&gt; &amp; always:"
                            " https://example.org/a?b=1&amp;c=2")
    assert post_row(db, post_id)["platform_url"] == f"https://t.me/ubuntuchannel/{item['id']}"
    path = next(r[1] for r in fake.requests if r[1].endswith("/sendMessage"))
    assert path == f"/bot{TOKEN}/sendMessage"  # Bot API paths under the API base


def test_one_image_is_a_photo_with_the_text_as_caption(db, chan, campaign, kit, clock,
                                                       fake) -> None:
    _, account, worker = chan
    kits.add_image(db, kit["id"], filename="clinic.png", data=PNG, alt_text="A clinic",
                   now=clock())
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Clinics now", clock())
    assert worker.run_once(db) == {str(post_id): "sent"}
    [item] = fake.created
    assert item["method"] == "sendPhoto" and item["text"] == "Clinics now"
    assert [p["data"] for p in item["photos"]] == [PNG]


def test_two_images_are_an_album_captioned_once(db, chan, campaign, kit, clock, fake) -> None:
    _, account, worker = chan
    for name in ("a.png", "b.png"):
        kits.add_image(db, kit["id"], filename=name, data=PNG, alt_text="A clinic", now=clock())
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Clinics now", clock())
    assert worker.run_once(db) == {str(post_id): "sent"}
    [item] = fake.created
    assert item["method"] == "sendMediaGroup" and len(item["photos"]) == 2
    assert item["text"] == "Clinics now" and item["parse_mode"] == "HTML"


def test_a_caption_over_1024_fails_with_the_reason_rather_than_cut(db, chan, campaign, kit,
                                                                   clock, fake) -> None:
    _, account, worker = chan
    kits.add_image(db, kit["id"], filename="clinic.png", data=PNG, alt_text="A clinic",
                   now=clock())
    post_id = scheduled(db, campaign["id"], kit["id"], account, "a" * 1025, clock())
    assert worker.run_once(db) == {str(post_id): "failed"}
    assert "1024 characters in a photo's caption" in post_row(db, post_id)["error"]
    assert fake.created == []


def test_429_waits_for_retry_after(db, chan, campaign, kit, clock, fake) -> None:
    _, account, worker = chan
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
    fake.respond_next(429, {"ok": False, "error_code": 429, "description": "Too Many Requests:"
                            " retry after 35", "parameters": {"retry_after": 35}})
    assert worker.run_once(db) == {str(post_id): "scheduled"}
    assert db.execute("select rate_limited_until from social_accounts where id = ?",
                      [account.id]).fetchone()[0] == "2026-11-23T09:00:35Z"


def test_a_revoked_bot_token_marks_the_account_expired(db, chan, campaign, kit, clock,
                                                       fake) -> None:
    _, account, worker = chan
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
    fake.telegram_bots.clear()
    assert worker.run_once(db) == {str(post_id): "failed"}
    assert accounts.get(db, account.id).state == "expired"
    assert TOKEN not in (post_row(db, post_id)["error"] or "")


def test_an_unknown_outcome_waits_for_a_person_never_resent(db, chan, campaign, kit, clock,
                                                            fake) -> None:
    _, account, worker = chan
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
    fake.hang_after_create = 1.5  # the message is posted; the answer comes too late
    assert worker.run_once(db) == {str(post_id): "needs_check"}
    fake.hang_after_create = 0
    clock.advance(seconds=61)
    assert worker.run_once(db) == {str(post_id): "needs_check"}
    row = post_row(db, post_id)
    assert row["check_state"] == "person" and "read the channel" in row["error"]
    clock.advance(hours=1)
    assert worker.run_once(db) == {}
    assert len(fake.created) == 1  # never resent
    assert [a["action"] for a in dispatch.attempts(db, post_id)] == ["send", "reconcile"]
    assert not [r for r in fake.requests[1:] if r[0] == "POST" and "send" in r[1]]
    dispatch.mark_sent(db, post_id, url="https://t.me/ubuntuchannel/1", now=clock(), by=None)
    assert post_row(db, post_id)["status"] == "sent"


def test_connecting_checks_the_bot_administers_the_channel(settings, fake) -> None:
    s = dispatch_settings(settings, fake.base)
    found = telegram.PLATFORM.verify(s, {"channel": "UbuntuChannel", "bot_token": TOKEN}, "")
    assert (found.handle, found.display_name) == ("ubuntuchannel", "Ubuntu Labour news")
    assert found.keep == {"chat_id": "-1001", "bot": "juntos_test_bot"}
    fake.telegram_admins["ubuntuchannel"] = set()
    with pytest.raises(VerificationFailed) as not_admin:
        telegram.PLATFORM.verify(s, {"channel": "ubuntuchannel", "bot_token": TOKEN}, "")
    assert not_admin.value.problem == REFUSED and "not an administrator" in not_admin.value.detail
    with pytest.raises(VerificationFailed) as missing:
        telegram.PLATFORM.verify(s, {"channel": "nosuchchannel", "bot_token": TOKEN}, "")
    assert "chat not found" in missing.value.detail
    with pytest.raises(VerificationFailed) as bad_token:
        telegram.PLATFORM.verify(s, {"channel": "ubuntuchannel", "bot_token": "1:nope"}, "")
    assert bad_token.value.problem == REFUSED


def test_a_group_is_not_a_channel(settings, fake) -> None:
    fake.telegram_channels["friends"] = {**channel("friends", -5), "type": "supergroup"}
    with pytest.raises(VerificationFailed) as group:
        telegram.PLATFORM.verify(dispatch_settings(settings, fake.base),
                                 {"channel": "friends", "bot_token": TOKEN}, "")
    assert "not a channel" in group.value.detail

