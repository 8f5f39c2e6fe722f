"""Facebook Pages through the fake Graph API on 127.0.0.1 (real HTTP, httpx runs): text with
its link, photos with alt text, errors by Facebook's codes, and exactly once by reading the
Page's recent posts after an unknown outcome."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from juntos.social import accounts, credentials, dispatch, kits
from juntos.social.dispatch import Dispatcher
from juntos.social.platforms import facebook
from juntos.social.platforms.identity import REFUSED, VerificationFailed
from tests.social.dispatch_support import connected, dispatch_settings, post_row, scheduled
from tests.support.fake_platform import FakePlatform, running

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
ALT = "A nurse hands a child a vaccination card"


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    with running(FakePlatform(facebook_usernames={"4321": "ubuntulabour"})) as fake:
        yield fake


@pytest.fixture
def page(db, settings, org_b, clock, fake):  # type: ignore[no-untyped-def]
    s = replace(dispatch_settings(settings, fake.base), dispatch_timeout_seconds=1)
    account = connected(db, s, org_b["id"], "facebook", "4321", clock())
    return s, account, Dispatcher(s, clock=clock, worker="w1")


def _trail(db, post_id: int) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(a["action"], a["outcome"]) for a in dispatch.attempts(db, post_id)]


def test_text_goes_to_the_pages_feed_with_its_link(db, page, campaign, kit, clock,
                                                   fake) -> None:
    _, account, worker = page
    text = "Fund clinics in Beira: https://example.org/clinics. Sign today!"
    post_id = scheduled(db, campaign["id"], kit["id"], account, text, clock())
    assert worker.run_once(db) == {str(post_id): "sent"}
    [item] = fake.created
    assert item["text"] == text and item["link"] == "https://example.org/clinics"
    assert item["page"] == "4321"
    row = post_row(db, post_id)
    assert row["platform_post_id"] == item["id"]
    assert row["platform_url"] == f"https://www.facebook.com/{item['id']}"
    feed = [r for r in fake.requests if r[1].endswith("/feed")]
    assert feed[0][1] == "/v25.0/4321/feed"  # Graph API paths under the API base
    assert feed[0][2]["Authorization"] == "Bearer page-4321-SECRET"  # never in the URL


def test_photos_go_up_unpublished_with_alt_text_then_one_post(db, page, campaign, kit, clock,
                                                              fake) -> None:
    _, account, worker = page
    kits.add_image(db, kit["id"], filename="clinic.png", data=PNG, alt_text=ALT, now=clock())
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Clinics now", clock())
    assert worker.run_once(db) == {str(post_id): "sent"}
    [media] = fake.media
    assert media["data"] == PNG and media["alt"] == ALT and media["published"] == "false"
    [item] = fake.created
    assert item["media_ids"] == [media["id"]] and item["link"] is None


def test_an_upload_refused_leaves_no_post_and_is_not_unknown(db, page, campaign, kit, clock,
                                                            fake) -> None:
    _, account, worker = page
    kits.add_image(db, kit["id"], filename="clinic.png", data=PNG, alt_text=ALT, now=clock())
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Clinics now", clock())
    fake.media_answer = (500, {"error": {"message": "An unknown error occurred", "code": 1,
                                         "is_transient": True}})
    assert worker.run_once(db) == {str(post_id): "scheduled"}
    assert fake.created == []


def test_code_190_marks_the_account_expired(db, page, campaign, kit, clock, fake) -> None:
    _, account, worker = page
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
    fake.respond_next(400, {"error": {"message": "Error validating access token: the session"
                                                 " has been invalidated", "code": 190}})
    assert worker.run_once(db) == {str(post_id): "failed"}
    assert accounts.get(db, account.id).state == "expired"


def test_rate_limit_waits_for_the_usage_headers_time(db, page, campaign, kit, clock,
                                                    fake) -> None:
    _, account, worker = page
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
    usage = {"4321": [{"type": "pages", "call_count": 100,
                       "estimated_time_to_regain_access": 20}]}
    fake.respond_next(400, {"error": {"message": "Page request limit reached", "code": 32}},
                      {"X-Business-Use-Case-Usage": json.dumps(usage)})
    assert worker.run_once(db) == {str(post_id): "scheduled"}
    assert db.execute("select rate_limited_until from social_accounts where id = ?",
                      [account.id]).fetchone()[0] == "2026-11-23T09:20:00Z"


def test_duplicate_refusal_is_permanent_with_facebooks_words(db, page, campaign, kit, clock,
                                                            fake) -> None:
    _, account, worker = page
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
    fake.respond_next(400, {"error": {"message": "Duplicate status message", "code": 506}})
    assert worker.run_once(db) == {str(post_id): "failed"}
    assert "Duplicate status message" in post_row(db, post_id)["error"]


def test_a_lost_reply_is_found_among_the_pages_posts_never_resent(db, page, campaign, kit,
                                                                   clock, fake) -> None:
    _, account, worker = page
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics #Saude", clock())
    fake.hang_after_create = 1.5  # the post is made; the answer comes after the timeout
    assert worker.run_once(db) == {str(post_id): "needs_check"}
    fake.hang_after_create = 0
    assert worker.run_once(db) == {}  # not before the request has surely ended
    clock.advance(seconds=61)
    assert worker.run_once(db) == {str(post_id): "sent"}
    [item] = fake.created
    assert post_row(db, post_id)["platform_post_id"] == item["id"]
    assert _trail(db, post_id) == [("send", "unknown"), ("reconcile", "sent")]


def test_a_5xx_after_sending_with_nothing_made_is_sent_once_after_looking(
        db, page, campaign, kit, clock, fake) -> None:
    _, account, worker = page
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
    fake.respond_next(502, {"error": {"message": "Bad gateway", "code": 2}})
    assert worker.run_once(db) == {str(post_id): "needs_check"}
    clock.advance(seconds=61)
    assert worker.run_once(db) == {str(post_id): "scheduled"}  # looked: absent, safe to send
    assert worker.run_once(db) == {str(post_id): "sent"}
    assert len(fake.created) == 1
    assert _trail(db, post_id) == [("send", "unknown"), ("reconcile", "absent"),
                                   ("send", "sent")]


def test_a_page_that_cannot_be_read_leaves_it_to_a_person(db, page, campaign, kit, clock,
                                                         fake) -> None:
    _, account, worker = page
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
    fake.respond_next(503, {"error": {"message": "Service unavailable", "code": 2}})
    assert worker.run_once(db) == {str(post_id): "needs_check"}
    clock.advance(seconds=61)
    fake.facebook_read_answer = (403, {"error": {"message": "(#10) Requires"
                                                 " pages_read_engagement", "code": 10}})
    assert worker.run_once(db) == {str(post_id): "needs_check"}
    row = post_row(db, post_id)
    assert row["check_state"] == "person" and "pages_read_engagement" in row["error"]
    clock.advance(hours=1)
    assert worker.run_once(db) == {} and fake.created == []  # never resent blindly


def test_connecting_checks_the_token_opens_this_page(db, settings, fake) -> None:
    s = dispatch_settings(settings, fake.base)
    by_id = facebook.PLATFORM.verify(s, {"page": "4321", "page_token": "page-4321-x"}, "")
    assert (by_id.handle, by_id.display_name, by_id.keep) == ("4321", "Ubuntu Labour",
                                                              {"page_id": "4321"})
    by_name = facebook.PLATFORM.verify(
        s, {"page": "ubuntulabour", "page_token": "page-4321-x"}, "")
    assert by_name.keep == {"page_id": "4321"}
    with pytest.raises(VerificationFailed) as person:  # a user token, not the Page's
        facebook.PLATFORM.verify(s, {"page": "4321", "page_token": "user-token"}, "")
    assert person.value.problem == REFUSED and "A Person" in person.value.detail
    with pytest.raises(VerificationFailed) as other:
        facebook.PLATFORM.verify(s, {"page": "9999", "page_token": "page-4321-x"}, "")
    assert other.value.problem == REFUSED
    fake.verify_answer = (400, {"error": {"message": "Invalid OAuth access token.", "code": 190}})
    with pytest.raises(VerificationFailed) as bad:
        facebook.PLATFORM.verify(s, {"page": "4321", "page_token": "page-4321-x"}, "")
    assert bad.value.problem == REFUSED and "Invalid OAuth" in bad.value.detail


def test_the_secret_is_sealed_with_the_page_id(db, settings, org_b, clock, fake) -> None:
    from juntos.social import connecting

    s = credentials.with_credentials_key(dispatch_settings(settings, fake.base))
    vault = credentials.Vault.from_settings(s)
    account = accounts.create(db, org_b["id"], accounts.AccountInput.validated(
        platform="facebook", handle="ubuntulabour"), now=clock())
    secret = connecting.secret_from(account, {"page_token": "page-4321-x"})
    connecting.connect(db, vault, s, account, secret, now=clock())
    assert credentials.load(db, vault, account.id) == {
        "page": "ubuntulabour", "page_token": "page-4321-x", "page_id": "4321"}
    assert accounts.get(db, account.id).display_name == "Ubuntu Labour"
