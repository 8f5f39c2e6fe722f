"""The dispatcher against X faked with ``responses``: tweepy itself runs (OAuth 1.0a signing)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import requests
import responses

from juntos.social import accounts, dispatch
from juntos.social.dispatch import Dispatcher
from tests.social.dispatch_support import connected, dispatch_settings, post_row, scheduled

TWEETS = "https://api.twitter.com/2/tweets"
TIMELINE = "https://api.twitter.com/2/users/4242/tweets"


@pytest.fixture
def x(db, settings, org_b, kit, campaign, clock):  # type: ignore[no-untyped-def]
    s = dispatch_settings(settings)
    account = connected(db, s, org_b["id"], "x", "ubuntulabour", clock())
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics in Durban",
                        clock(), wave_id=None)
    return s, account, post_id


@responses.activate
def test_sent_with_oauth1_user_context(db, x, clock) -> None:
    s, _, post_id = x
    responses.post(TWEETS, status=201, json={"data": {"id": "1850", "text": "Fund"}})
    assert Dispatcher(s, clock=clock).run_once(db) == {str(post_id): "sent"}
    call = responses.calls[0]
    assert call.request.req_kwargs["timeout"] == 2  # every call has one (tweepy sets none)
    assert json.loads(call.request.body) == {"text": "Fund clinics in Durban"}
    auth = call.request.headers["Authorization"]
    assert auth.startswith("OAuth ") and 'oauth_token="4242-x-token-SECRET"' in auth
    assert post_row(db, post_id)["platform_url"] == "https://x.com/ubuntulabour/status/1850"


@responses.activate
def test_429_honours_x_rate_limit_reset(db, x, clock) -> None:
    s, account, post_id = x
    reset = int((clock() + timedelta(minutes=15)).timestamp())
    responses.post(TWEETS, status=429, json={"title": "Too Many Requests"},
                   headers={"x-rate-limit-reset": str(reset)})
    assert Dispatcher(s, clock=clock).run_once(db) == {str(post_id): "scheduled"}
    assert post_row(db, post_id)["next_attempt_at"] >= "2026-11-23T09:15:00Z"
    assert db.execute("select rate_limited_until from social_accounts where id = ?",
                      [account.id]).fetchone()[0] == "2026-11-23T09:15:00Z"


@responses.activate
def test_duplicate_content_403_fails_with_xs_reason(db, x, clock) -> None:
    s, _, post_id = x
    responses.post(TWEETS, status=403, json={
        "detail": "You are not allowed to create a Tweet with duplicate content.",
        "title": "Forbidden", "status": 403})
    assert Dispatcher(s, clock=clock).run_once(db) == {str(post_id): "failed"}
    assert "duplicate content" in post_row(db, post_id)["error"]


@responses.activate
def test_401_marks_the_account_expired(db, x, clock) -> None:
    s, account, post_id = x
    responses.post(TWEETS, status=401, json={"title": "Unauthorized", "detail": "Unauthorized"})
    assert Dispatcher(s, clock=clock).run_once(db) == {str(post_id): "failed"}
    assert accounts.get(db, account.id).state == "expired"


@responses.activate
def test_out_of_credit_fails_the_waves_other_x_posts(db, settings, org_a, org_b, kit, campaign,
                                                     clock) -> None:
    s = dispatch_settings(settings)
    wave = db.execute(
        "insert into social_waves (kit_id, campaign_id, mode, day, at) values (?, ?, ?, ?, ?)",
        [kit["id"], campaign["id"], "instant", "2026-11-23", "09:00"]).lastrowid
    db.conn.commit()
    first = connected(db, s, org_b["id"], "x", "ubuntulabour", clock())
    second = connected(db, s, org_a["id"], "x", "accaocidada", clock())
    sent_now = scheduled(db, campaign["id"], kit["id"], first, "Fund clinics", clock(),
                         wave_id=wave)
    later = scheduled(db, campaign["id"], kit["id"], second, "Financiem",
                      clock() + timedelta(minutes=2), wave_id=wave)
    responses.post(TWEETS, status=402, json={"title": "Payment Required",
                                             "detail": "Your account has no credits."})
    assert Dispatcher(s, clock=clock).run_once(db) == {str(sent_now): "failed"}
    for post_id in (sent_now, later):
        row = post_row(db, post_id)
        assert row["status"] == "failed" and "out of API credit" in row["error"]
    assert len(responses.calls) == 1


@responses.activate
def test_timeout_after_send_is_reconciled_from_recent_posts(db, x, clock) -> None:
    s, _, post_id = x
    responses.post(TWEETS, body=requests.exceptions.ReadTimeout("read timed out"))
    assert Dispatcher(s, clock=clock).run_once(db) == {str(post_id): "needs_check"}
    responses.get(TIMELINE, json={"data": [
        {"id": "1849", "text": "Something else", "edit_history_tweet_ids": ["1849"]},
        {"id": "1851", "text": "Fund clinics in Durban", "edit_history_tweet_ids": ["1851"]}]})
    clock.advance(minutes=1)
    assert Dispatcher(s, clock=clock).run_once(db) == {str(post_id): "sent"}
    assert post_row(db, post_id)["platform_post_id"] == "1851"
    assert [c.request.method for c in responses.calls] == ["POST", "GET"]  # never resent
    assert [(a["action"], a["outcome"]) for a in dispatch.attempts(db, post_id)] == [
        ("send", "unknown"), ("reconcile", "sent")]
