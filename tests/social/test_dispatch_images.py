"""Posts carry their kit's images with alt text, on every platform; uploading is not posting.

X is faked with ``responses`` (tweepy's v1.1 media upload, then the alt text, then the post);
Mastodon and Bluesky by the fake platform on 127.0.0.1 (Mastodon.py and atproto run).
"""

from __future__ import annotations

import json

import pytest
import requests
import responses

from juntos.social import kits
from juntos.social.dispatch import Dispatcher
from tests.social.dispatch_support import connected, dispatch_settings, post_row, scheduled
from tests.support.fake_platform import running

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + b"jpeg-bytes" * 50
ALT_1 = "A nurse hands a child a vaccination card at a rural clinic"
ALT_2 = "Queue of people outside the clinic at dawn"
UPLOAD = "https://upload.twitter.com/1.1/media/upload.json"
METADATA = "https://upload.twitter.com/1.1/media/metadata/create.json"
TWEETS = "https://api.twitter.com/2/tweets"


@pytest.fixture
def with_images(db, kit, clock):  # type: ignore[no-untyped-def]
    kits.add_image(db, kit["id"], filename="clinic.png", data=PNG, alt_text=ALT_1, now=clock())
    kits.add_image(db, kit["id"], filename="queue.jpg", data=JPEG, alt_text=ALT_2, now=clock())
    return kit


def _media(media_id: str) -> dict:
    return {"media_id": int(media_id), "media_id_string": media_id, "size": 10,
            "expires_after_secs": 86400, "image": {"image_type": "image/png", "w": 1, "h": 1}}


@responses.activate
def test_x_uploads_each_image_sets_its_alt_text_then_posts_with_them(
        db, settings, org_b, campaign, with_images, clock) -> None:
    s = dispatch_settings(settings)
    account = connected(db, s, org_b["id"], "x", "ubuntulabour", clock())
    post_id = scheduled(db, campaign["id"], with_images["id"], account, "Fund clinics", clock())
    responses.post(UPLOAD, json=_media("7001"))
    responses.post(UPLOAD, json=_media("7002"))
    responses.post(METADATA, body="")
    responses.post(TWEETS, status=201, json={"data": {"id": "1850", "text": "Fund clinics"}})
    assert Dispatcher(s, clock=clock).run_once(db) == {str(post_id): "sent"}
    calls = [(c.request.method, c.request.url.split("?")[0]) for c in responses.calls]
    assert calls == [("POST", UPLOAD), ("POST", METADATA), ("POST", UPLOAD), ("POST", METADATA),
                     ("POST", TWEETS)]
    first, second = responses.calls[0].request, responses.calls[2].request
    assert PNG in first.body and b'filename="clinic.png"' in first.body
    assert JPEG in second.body
    assert 'oauth_token="4242-x-token-SECRET"' in str(first.headers["Authorization"])
    assert json.loads(responses.calls[1].request.body) == {
        "media_id": "7001", "alt_text": {"text": ALT_1}}
    assert json.loads(responses.calls[3].request.body)["alt_text"] == {"text": ALT_2}
    assert json.loads(responses.calls[4].request.body) == {
        "text": "Fund clinics", "media": {"media_ids": ["7001", "7002"]}}
    assert all(c.request.req_kwargs["timeout"] == 2 for c in responses.calls)


@responses.activate
def test_an_upload_timeout_is_retried_and_never_counts_as_a_post(
        db, settings, org_b, campaign, with_images, clock) -> None:
    s = dispatch_settings(settings)
    account = connected(db, s, org_b["id"], "x", "ubuntulabour", clock())
    post_id = scheduled(db, campaign["id"], with_images["id"], account, "Fund clinics", clock())
    responses.post(UPLOAD, body=requests.exceptions.ReadTimeout("read timed out"))
    worker = Dispatcher(s, clock=clock)
    assert worker.run_once(db) == {str(post_id): "scheduled"}  # not "needs check"
    assert "could not upload an image" in post_row(db, post_id)["error"]
    assert not [c for c in responses.calls if c.request.url == TWEETS]
    responses.replace(responses.POST, UPLOAD, json=_media("7003"))
    responses.post(METADATA, body="")
    responses.post(TWEETS, status=201, json={"data": {"id": "1851", "text": "Fund clinics"}})
    clock.advance(minutes=5)
    assert worker.run_once(db) == {str(post_id): "sent"}
    assert len([c for c in responses.calls if c.request.url == TWEETS]) == 1


def test_mastodon_uploads_images_with_their_description(db, settings, org_b, campaign,
                                                        with_images, clock) -> None:
    with running() as fake:
        s = dispatch_settings(settings, fake.base)
        account = connected(db, s, org_b["id"], "mastodon", "ubuntu", clock())
        post_id = scheduled(db, campaign["id"], with_images["id"], account, "Fund clinics",
                            clock())
        assert Dispatcher(s, clock=clock).run_once(db) == {str(post_id): "sent"}
        assert [(m["data"], m["content_type"], m["alt"]) for m in fake.media] == [
            (PNG, "image/png", ALT_1), (JPEG, "image/jpeg", ALT_2)]
        [status] = fake.created
        assert status["media_ids"] == [m["id"] for m in fake.media]
        assert status["key"] == post_row(db, post_id)["dispatch_key"]


def test_mastodon_without_write_media_fails_saying_so(db, settings, org_b, campaign,
                                                      with_images, clock) -> None:
    with running() as fake:
        s = dispatch_settings(settings, fake.base)
        account = connected(db, s, org_b["id"], "mastodon", "ubuntu", clock())
        post_id = scheduled(db, campaign["id"], with_images["id"], account, "Fund clinics",
                            clock())
        fake.verify_answer = None
        fake.media_answer = (403, {"error": "This action is outside the authorized scopes"})
        assert Dispatcher(s, clock=clock).run_once(db) == {str(post_id): "failed"}
        assert "write:media" in post_row(db, post_id)["error"]
        assert fake.created == []


def test_bluesky_embeds_uploaded_blobs_with_alt_text(db, settings, org_b, campaign,
                                                     with_images, clock) -> None:
    with running() as fake:
        s = dispatch_settings(settings, fake.base)
        account = connected(db, s, org_b["id"], "bluesky", "ubuntu.bsky.social", clock())
        post_id = scheduled(db, campaign["id"], with_images["id"], account, "Fund clinics",
                            clock())
        assert Dispatcher(s, clock=clock).run_once(db) == {str(post_id): "sent"}
        assert [(m["data"], m["content_type"]) for m in fake.media] == [
            (PNG, "image/png"), (JPEG, "image/jpeg")]
        uploads = [r for r in fake.requests if r[1] == "/xrpc/com.atproto.repo.uploadBlob"]
        assert all(r[2]["Authorization"].startswith("Bearer ") for r in uploads)
        embed = fake.created[0]["record"]["embed"]
        assert embed["$type"] == "app.bsky.embed.images"
        assert [(i["alt"], i["image"]["ref"]["$link"], i["image"]["mimeType"])
                for i in embed["images"]] == [(ALT_1, "bafkreifake0001", "image/png"),
                                              (ALT_2, "bafkreifake0002", "image/jpeg")]
