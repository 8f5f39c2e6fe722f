"""X's "lead posts once, partners repost": a repost waits for the lead's post, is sent as a
retweet of it, exactly once, and ends with a reason naming the lead's post when the lead's post
cannot be reposted. X is faked with ``responses``; tweepy runs (OAuth 1.0a user context)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import requests
import responses

from juntos.social import credentials, dispatch
from juntos.social.dispatch import Dispatcher
from tests.social.dispatch_support import connected, dispatch_settings, post_row, scheduled

TWEETS = "https://api.twitter.com/2/tweets"
RETWEETS = "https://api.twitter.com/2/users/5151/retweets"  # the partner's user id
RETWEETERS = "https://api.twitter.com/2/tweets/1850/retweeted_by"


@pytest.fixture
def wave(db, settings, org_a, org_b, kit, campaign, clock):  # type: ignore[no-untyped-def]
    s = dispatch_settings(settings)
    lead_account = connected(db, s, org_a["id"], "x", "accaocidada", clock())
    partner = connected(db, s, org_b["id"], "x", "ubuntulabour", clock())
    credentials.store(db, credentials.Vault.from_settings(s), partner.id, {
        "access_token": "5151-partner-token", "access_token_secret": "p-secret"}, now=clock())
    lead = scheduled(db, campaign["id"], kit["id"], lead_account, "Fund clinics now", clock())
    repost = scheduled(db, campaign["id"], kit["id"], partner, "Fund clinics now",
                       clock() + timedelta(minutes=5))
    db.execute("update social_posts set kind = 'repost', repost_of = ? where id = ?",
               [lead, repost])
    db.conn.commit()
    return s, lead, repost


@responses.activate
def test_the_repost_waits_for_the_lead_then_retweets_it(db, wave, clock) -> None:
    s, lead, repost = wave
    responses.post(TWEETS, status=429, json={"title": "Too Many Requests"})
    worker = Dispatcher(s, clock=clock)
    assert worker.run_once(db) == {str(lead): "scheduled"}  # the lead's post is retried
    clock.advance(minutes=6)  # the repost's time has come, but the lead has not posted yet
    responses.replace(responses.POST, TWEETS, status=201,
                      json={"data": {"id": "1850", "text": "Fund clinics now"}})
    assert worker.run_once(db) == {str(lead): "sent"}  # the repost was not claimed with it
    responses.post(RETWEETS, json={"data": {"retweeted": True}})
    assert worker.run_once(db) == {str(repost): "sent"}
    call = responses.calls[-1]
    assert call.request.url == RETWEETS
    assert json.loads(call.request.body) == {"tweet_id": "1850"}
    assert 'oauth_token="5151-partner-token"' in str(call.request.headers["Authorization"])
    assert call.request.req_kwargs["timeout"] == 2
    row = post_row(db, repost)
    assert row["platform_url"] == "https://x.com/accaocidada/status/1850"
    assert worker.run_once(db) == {}
    assert len([c for c in responses.calls if c.request.url == RETWEETS]) == 1


def _lead_sent(db, lead: int) -> None:  # type: ignore[no-untyped-def]
    db.execute("update social_posts set status = 'sent', platform_post_id = '1850',"
               " platform_url = 'https://x.com/accaocidada/status/1850' where id = ?", [lead])
    db.conn.commit()


@responses.activate
def test_already_reposted_counts_as_sent(db, wave, clock) -> None:
    s, lead, repost = wave
    _lead_sent(db, lead)
    clock.advance(minutes=5)
    responses.post(RETWEETS, status=403, json={
        "title": "Forbidden", "status": 403,
        "detail": "You cannot retweet a Tweet that you have already retweeted."})
    assert Dispatcher(s, clock=clock).run_once(db) == {str(repost): "sent"}


@responses.activate
def test_a_retweet_timeout_is_checked_among_the_reposters_not_resent(db, wave, clock) -> None:
    s, lead, repost = wave
    _lead_sent(db, lead)
    clock.advance(minutes=5)
    responses.post(RETWEETS, body=requests.exceptions.ReadTimeout("read timed out"))
    worker = Dispatcher(s, clock=clock)
    assert worker.run_once(db) == {str(repost): "needs_check"}
    responses.get(RETWEETERS, json={"data": [{"id": "77", "name": "A", "username": "a"},
                                             {"id": "5151", "name": "U", "username": "u"}],
                                    "meta": {"result_count": 2}})
    clock.advance(minutes=1)
    assert worker.run_once(db) == {str(repost): "sent"}
    assert [c.request.method for c in responses.calls] == ["POST", "GET"]
    assert [(a["action"], a["outcome"]) for a in dispatch.attempts(db, repost)] == [
        ("send", "unknown"), ("reconcile", "sent")]


@pytest.mark.parametrize(("lead_status", "expected", "words"), [
    ("failed", "failed", "failed, so there is nothing to repost"),
    ("cancelled", "failed", "was cancelled"),
    ("missed", "missed", "was missed"),
])
def test_a_lead_that_will_never_post_ends_its_reposts(db, wave, clock, lead_status, expected,
                                                      words) -> None:
    s, lead, repost = wave
    db.execute("update social_posts set status = ? where id = ?", [lead_status, lead])
    db.conn.commit()
    assert Dispatcher(s, clock=clock).run_once(db) == {}
    row = post_row(db, repost)
    assert row["status"] == expected
    assert f"the lead's post #{lead} (@accaocidada)" in row["error"] and words in row["error"]


def test_a_lead_still_in_needs_check_past_the_window_makes_the_repost_missed(db, wave,
                                                                           clock) -> None:
    s, lead, repost = wave
    db.execute("update social_posts set status = 'needs_check', check_state = 'person'"
               " where id = ?", [lead])
    db.conn.commit()
    worker = Dispatcher(s, clock=clock)
    clock.advance(hours=2)  # within the window: the repost still waits
    worker.run_once(db)
    assert post_row(db, repost)["status"] == "scheduled"
    clock.advance(minutes=6)
    worker.run_once(db)
    row = post_row(db, repost)
    assert row["status"] == "missed"
    assert f"the lead's post #{lead} (@accaocidada) was still in needs check" in row["error"]


def test_a_lead_marked_sent_by_a_person_gives_its_id_to_the_reposts(db, wave, clock) -> None:
    _, lead, _ = wave
    db.execute("update social_posts set status = 'needs_check', check_state = 'person'"
               " where id = ?", [lead])
    db.conn.commit()
    dispatch.mark_sent(db, lead, url="https://x.com/accaocidada/status/1850", now=clock(),
                       by=None)
    assert post_row(db, lead)["platform_post_id"] == "1850"
