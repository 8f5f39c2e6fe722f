"""The dispatcher against a fake Mastodon on 127.0.0.1: Mastodon.py itself runs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from juntos.social import accounts, credentials, dispatch
from juntos.social.dispatch import Config, Dispatcher
from tests.social.dispatch_support import connected, dispatch_settings, post_row, scheduled
from tests.support.fake_platform import FakePlatform, running


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    with running() as fake:
        yield fake


@pytest.fixture
def setup(db, settings, org_b, kit, campaign, clock, fake):  # type: ignore[no-untyped-def]
    s = dispatch_settings(settings, fake.base)
    account = connected(db, s, org_b["id"], "mastodon", "ubuntu", clock())
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics now #Health",
                        clock() - timedelta(seconds=5), language="en")
    worker = Dispatcher(s, clock=clock, config=Config(), worker="w1")
    return s, account, post_id, worker


def test_a_due_post_is_sent_once_with_an_idempotency_key(db, setup, fake) -> None:
    _, _, post_id, worker = setup
    assert worker.run_once(db) == {str(post_id): "sent"}
    row = post_row(db, post_id)
    assert row["platform_post_id"] == "1"
    assert row["platform_url"] == f"{fake.base}/@someone/1"
    [made] = fake.created
    assert made["key"] == row["dispatch_key"] and len(made["key"]) == 36  # a random UUID
    assert made["text"] == "Fund clinics now #Health" and made["language"] == "en"
    assert made["auth"] == "Bearer masto-token-SECRET-123"
    assert worker.run_once(db) == {}  # nothing is sent twice
    assert [(a["action"], a["outcome"], a["code"]) for a in dispatch.attempts(db, post_id)] == [
        ("send", "sent", 200)]


def test_a_post_not_yet_due_waits(db, setup, clock, fake) -> None:
    _, account, _, worker = setup
    later = scheduled(db, 1, 1, account, "Later", clock() + timedelta(minutes=5))
    worker.run_once(db)
    assert post_row(db, later)["status"] == "scheduled"
    clock.advance(minutes=5)
    assert worker.run_once(db) == {str(later): "sent"}


def test_429_with_reset_header_waits_for_the_reset(db, setup, clock, fake) -> None:
    _, account, post_id, worker = setup
    reset = clock() + timedelta(minutes=10)
    fake.respond_next(429, {"error": "Too many requests"},
                      {"X-RateLimit-Reset": reset.isoformat(), "X-RateLimit-Remaining": "0",
                       "X-RateLimit-Limit": "300"})
    assert worker.run_once(db) == {str(post_id): "scheduled"}
    row = post_row(db, post_id)
    assert row["next_attempt_at"] >= "2026-11-23T09:10:00Z"
    state = credentials.state_of(db, account.id, now=clock())
    assert state["rate_limited_until"] == "2026-11-23T09:10:00Z"
    clock.advance(minutes=5)
    assert worker.run_once(db) == {}  # still limited
    clock.advance(minutes=6)
    assert worker.run_once(db) == {str(post_id): "sent"}
    assert len(fake.created) == 1


def test_server_errors_are_settled_by_a_resend_with_the_same_key(db, setup, clock,
                                                                   fake) -> None:
    # A 5xx after the body was sent may come after the status was made: never a blind resend.
    _, _, post_id, worker = setup
    fake.respond_next(503, {"error": "Service unavailable"})
    fake.respond_next(502, {"error": "Bad gateway"})
    assert worker.run_once(db) == {str(post_id): "needs_check"}
    clock.advance(seconds=30)
    assert worker.run_once(db) == {}  # its request might still be running on the server
    clock.advance(seconds=31)
    assert worker.run_once(db) == {str(post_id): "needs_check"}  # the resend met a 502
    clock.advance(seconds=61)
    assert worker.run_once(db) == {str(post_id): "sent"}
    assert [(a["action"], a["code"]) for a in dispatch.attempts(db, post_id)] == [
        ("send", 503), ("reconcile", 502), ("reconcile", 200)]
    assert len(fake.created) == 1


def test_a_connection_refused_is_certainly_not_sent_and_retried(db, settings, org_b, kit,
                                                                 campaign, clock) -> None:
    s = dispatch_settings(settings, "http://127.0.0.1:9")  # nothing listens on the discard port
    account = connected(db, s, org_b["id"], "mastodon", "ubuntu", clock())
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
    assert Dispatcher(s, clock=clock, worker="w1").run_once(db) == {str(post_id): "scheduled"}
    assert "before sending" in post_row(db, post_id)["error"]


def test_401_fails_the_post_and_marks_the_account_expired(db, setup, clock, fake) -> None:
    _, account, post_id, worker = setup
    fake.respond_next(401, {"error": "The access token was revoked"})
    assert worker.run_once(db) == {str(post_id): "failed"}
    row = post_row(db, post_id)
    assert "The access token was revoked" in row["error"]
    assert accounts.get(db, account.id).state == "expired"


def test_422_is_permanent_with_the_platform_reason(db, setup, fake) -> None:
    _, _, post_id, worker = setup
    fake.respond_next(422, {"error": "Validation failed: Text character limit of 500 exceeded"})
    assert worker.run_once(db) == {str(post_id): "failed"}
    assert "character limit of 500" in post_row(db, post_id)["error"]


def test_a_post_too_late_is_missed_not_sent(db, setup, clock, fake) -> None:
    _, _, post_id, worker = setup
    clock.advance(hours=2, minutes=1)
    assert worker.run_once(db) == {}
    row = post_row(db, post_id)
    assert row["status"] == "missed" and "2 h" in row["error"]
    assert fake.created == []


def test_timeout_after_send_needs_check_then_idempotent_resend_marks_it_sent(
        db, settings, org_b, kit, campaign, clock) -> None:
    with running(FakePlatform(hang_after_create=1.5)) as fake:
        s = dispatch_settings(settings, fake.base)
        s = s.__class__(**{**s.__dict__, "dispatch_timeout_seconds": 1})
        account = connected(db, s, org_b["id"], "mastodon", "ubuntu", clock())
        post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
        worker = Dispatcher(s, clock=clock, worker="w1")
        assert worker.run_once(db) == {str(post_id): "needs_check"}
        assert len(fake.created) == 1  # it did go out
        fake.hang_after_create = 0
        clock.advance(minutes=1)
        assert worker.run_once(db) == {str(post_id): "sent"}
        assert len(fake.created) == 1  # the resend carried the same key: no second status
        assert post_row(db, post_id)["platform_post_id"] == "1"
        assert [(a["action"], a["outcome"]) for a in dispatch.attempts(db, post_id)] == [
            ("send", "unknown"), ("reconcile", "sent")]


def test_a_dead_workers_lease_expires_into_needs_check_never_a_blind_resend(
        db, setup, clock, fake) -> None:
    s, _, post_id, _ = setup
    config = Config()
    vault = credentials.Vault.from_settings(s)
    [claimed] = dispatch.claim(db, "dead-worker", clock(), config, 10, vault)
    assert claimed.job.post_id == post_id and post_row(db, post_id)["status"] == "sending"
    other = Dispatcher(s, clock=clock, worker="w2")
    assert other.run_once(db) == {}  # still leased to the dead worker
    clock.advance(minutes=6)
    assert other.run_once(db) == {str(post_id): "sent"}  # checked: resend with the same key
    assert len(fake.created) == 1
    events = [e["comment"] for e in db.query(
        "select comment from social_post_events where post_id = ?", [post_id])]
    assert any("dead-worker stopped before recording" in c for c in events)


def test_a_post_approved_after_its_time_goes_out_late_within_the_window(db, setup, clock,
                                                                         fake) -> None:
    _, account, _, worker = setup
    late = scheduled(db, 1, 1, account, "Approved late", clock() - timedelta(minutes=30),
                     status="approved")
    assert worker.run_once(db) == {str(late): "sent"}  # oldest first
    assert fake.created[0]["text"] == "Approved late"


def test_the_cli_sends_what_is_due_once(db, setup, fake, monkeypatch) -> None:
    from click.testing import CliRunner

    from juntos.cli import cli

    s, _, post_id, _ = setup
    from datetime import UTC, datetime

    from juntos.clock import iso

    db.execute("update social_posts set scheduled_at = ? where id = ?",  # the CLI's clock is real
               [iso(datetime.now(UTC)), post_id])
    db.conn.commit()
    for name, value in [("SOCIAL_API_BASE", s.social_api_base),
                        ("CREDENTIALS_KEY", credentials.with_credentials_key(s).credentials_key)]:
        monkeypatch.setenv(f"JUNTOS_{name}", value)
    result = CliRunner().invoke(cli, ["--db", str(s.db_path), "social", "dispatch", "--once"])
    assert result.exit_code == 0, result.output
    assert "1 post(s) handled." in result.output
    assert post_row(db, post_id)["status"] == "sent" and len(fake.created) == 1


def test_the_app_runs_the_dispatcher_in_process_when_asked(db, setup, clock, fake) -> None:
    import time

    from starlette.testclient import TestClient

    from juntos.house import create_app

    s, _, post_id, _ = setup
    with TestClient(create_app(s, clock=clock, dispatch=True)):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and post_row(db, post_id)["status"] != "sent":
            time.sleep(0.1)
    assert post_row(db, post_id)["status"] == "sent" and len(fake.created) == 1
