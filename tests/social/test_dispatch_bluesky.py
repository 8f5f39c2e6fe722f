"""The dispatcher against a fake Bluesky PDS on 127.0.0.1: the atproto package itself runs."""

from __future__ import annotations

from juntos.social import accounts, credentials, dispatch
from juntos.social.dispatch import Dispatcher
from juntos.social.platforms.bluesky import new_record_key
from juntos.social.platforms.bluesky.client import facets
from tests.social.dispatch_support import connected, dispatch_settings, post_row, scheduled
from tests.support.fake_platform import FakePlatform, running


def test_links_and_hashtags_become_facets_at_byte_offsets() -> None:
    text = "Saúde já! #Saude https://example.org/clinics."
    found = facets(text)
    raw = text.encode()
    spans = [(raw[f.index.byte_start:f.index.byte_end].decode(), f.features[0].py_type)
             for f in found]
    assert spans == [("#Saude", "app.bsky.richtext.facet#tag"),
                     ("https://example.org/clinics", "app.bsky.richtext.facet#link")]
    assert found[0].features[0].tag == "Saude"


def test_record_keys_are_tids() -> None:
    key = new_record_key(micros=1_700_000_000_000_000, clock_id=7)
    assert len(key) == 13 and key[0] in "234567abcdefghij"
    assert new_record_key(micros=1_700_000_000_000_001, clock_id=0) > key
    # The clock id is random, not the post's id: two databases never share keys by design.
    assert len({new_record_key(micros=1_700_000_000_000_000) for _ in range(50)}) > 40


def test_sent_with_langs_and_facets_and_the_session_is_reused(db, settings, org_b, kit, campaign,
                                                              clock) -> None:
    with running() as fake:
        s = dispatch_settings(settings, fake.base)
        account = connected(db, s, org_b["id"], "bluesky", "ubuntu.bsky.social", clock())
        first = scheduled(db, campaign["id"], kit["id"], account,
                          "Fund clinics #Saude https://example.org", clock(), language="pt")
        second = scheduled(db, campaign["id"], kit["id"], account, "Second", clock())
        worker = Dispatcher(s, clock=clock, worker="w1")
        assert worker.run_once(db) == {str(first): "sent"}  # one at a time per account
        assert worker.run_once(db) == {str(second): "sent"}
        assert fake.logins == 1  # the session from the first post was stored and reused
        record = fake.created[0]["record"]
        assert record["langs"] == ["pt"]
        assert [f["features"][0]["$type"] for f in record["facets"]] == [
            "app.bsky.richtext.facet#tag", "app.bsky.richtext.facet#link"]
        row = post_row(db, first)
        assert fake.created[0]["key"] == row["dispatch_key"]
        assert row["platform_url"] == (
            f"https://bsky.app/profile/ubuntu.bsky.social/post/{row['dispatch_key']}")
        vault = credentials.Vault.from_settings(s)
        assert "session" in credentials.load(db, vault, account.id)


def test_unknown_outcome_is_reconciled_with_get_record(db, settings, org_b, kit, campaign,
                                                       clock) -> None:
    with running(FakePlatform(hang_after_create=1.5)) as fake:
        s = dispatch_settings(settings, fake.base)
        s = s.__class__(**{**s.__dict__, "dispatch_timeout_seconds": 1})
        account = connected(db, s, org_b["id"], "bluesky", "ubuntu.bsky.social", clock())
        post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
        worker = Dispatcher(s, clock=clock, worker="w1")
        assert worker.run_once(db) == {str(post_id): "needs_check"}
        fake.hang_after_create = 0
        clock.advance(minutes=1)
        assert worker.run_once(db) == {str(post_id): "sent"}
        assert len(fake.created) == 1
        assert [(a["action"], a["outcome"]) for a in dispatch.attempts(db, post_id)] == [
            ("send", "unknown"), ("reconcile", "sent")]


def test_a_record_that_never_arrived_is_sent_again_after_checking(db, settings, org_b, kit,
                                                                  campaign, clock) -> None:
    with running() as fake:
        s = dispatch_settings(settings, fake.base)
        account = connected(db, s, org_b["id"], "bluesky", "ubuntu.bsky.social", clock())
        post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
        vault = credentials.Vault.from_settings(s)
        config = dispatch.Config()
        dispatch.claim(db, "dead", clock(), config, 5, vault)  # dies before sending anything
        clock.advance(minutes=6)
        worker = Dispatcher(s, clock=clock, worker="w1")
        assert worker.run_once(db) == {str(post_id): "scheduled"}  # getRecord: absent
        assert worker.run_once(db) == {str(post_id): "sent"}
        assert len(fake.created) == 1


def test_a_rejected_app_password_marks_the_account_expired(db, settings, org_b, kit, campaign,
                                                           clock) -> None:
    with running() as fake:
        s = dispatch_settings(settings, fake.base)
        account = connected(db, s, org_b["id"], "bluesky", "ubuntu.bsky.social", clock())
        post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
        fake.respond_next(401, {"error": "AuthenticationRequired", "message": "Token revoked"})
        assert Dispatcher(s, clock=clock).run_once(db) == {str(post_id): "failed"}
        assert accounts.get(db, account.id).state == "expired"
        assert "Token revoked" in post_row(db, post_id)["error"]
