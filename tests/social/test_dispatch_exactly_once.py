"""Exactly once against a fake Mastodon that keeps Idempotency-Keys as the real one does (per
account, checked before creating and stored after, no lock, forgotten after 3,600 s): lost
replies, slow servers, long rate limits, restores and dead workers end with one status per post,
each post marked sent with its own status's address, or waiting for a person."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from juntos import db as database
from juntos import house
from juntos.social import credentials, dispatch
from juntos.social.dispatch import Config, Dispatcher
from juntos.social.platforms.outcomes import Sent
from tests.social.dispatch_support import connected, dispatch_settings, post_row, scheduled
from tests.support.fake_platform import FakePlatform, running


@pytest.fixture
def fake(clock):  # type: ignore[no-untyped-def]
    with running(FakePlatform(clock=lambda: clock().timestamp())) as fake:
        yield fake


@pytest.fixture
def masto(db, settings, org_b, clock, fake):  # type: ignore[no-untyped-def]
    s = replace(dispatch_settings(settings, fake.base), dispatch_timeout_seconds=1)
    account = connected(db, s, org_b["id"], "mastodon", "ubuntu", clock())
    return s, account, Dispatcher(s, clock=clock, worker="w1")


def _trail(db, post_id: int) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(a["action"], a["outcome"]) for a in dispatch.attempts(db, post_id)]


def test_a_lost_reply_then_a_long_rate_limit_is_found_by_looking_never_resent(
        db, masto, campaign, kit, clock, fake) -> None:
    _, account, worker = masto
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics #Health", clock())
    fake.reset_after_create = 1  # the status is made; the connection drops before the reply
    assert worker.run_once(db) == {str(post_id): "needs_check"}
    assert len(fake.created) == 1
    clock.advance(seconds=61)
    reset = clock() + timedelta(minutes=65)
    fake.respond_next(429, {"error": "Too many requests"},
                      {"X-RateLimit-Reset": reset.isoformat(), "X-RateLimit-Remaining": "0"})
    assert worker.run_once(db) == {str(post_id): "needs_check"}  # resend met the limit
    clock.advance(minutes=65, seconds=1)  # Mastodon has forgotten the key by now
    assert worker.run_once(db) == {str(post_id): "sent"}
    [status] = fake.created  # looked for, not resent
    row = post_row(db, post_id)
    assert row["platform_post_id"] == status["id"]
    assert row["platform_url"] == f"{fake.base}/@someone/{status['id']}"
    assert _trail(db, post_id) == [("send", "unknown"), ("reconcile", "transient"),
                                   ("reconcile", "sent")]


def test_a_slow_server_is_not_overlapped_by_the_check(db, masto, campaign, kit, clock,
                                                      fake) -> None:
    _, account, worker = masto
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
    fake.processing = 2.5  # the client gives up after 1 s; the server goes on creating
    assert worker.run_once(db) == {str(post_id): "needs_check"}
    clock.advance(seconds=30)
    assert worker.run_once(db) == {}  # the first request may still be running: nobody looks
    deadline = time.monotonic() + 10
    while (fake.in_progress or not fake.created) and time.monotonic() < deadline:
        time.sleep(0.05)  # the settle bound's premise: by then the server has finished
    clock.advance(seconds=31)
    assert worker.run_once(db) == {str(post_id): "sent"}
    [status] = fake.created  # the resend carried the key, now stored: the same status
    assert post_row(db, post_id)["platform_post_id"] == status["id"]


def test_keys_are_unique_across_a_restore_and_due_posts_are_checked_not_resent(
        db, masto, campaign, kit, clock, fake, settings, tmp_path) -> None:
    _, account, worker = masto
    due = scheduled(db, campaign["id"], kit["id"], account, "Wave one", clock())
    backup = tmp_path / "backup.db"
    database.backup(db, backup)  # holds the due post, with its key, not yet sent
    assert worker.run_once(db) == {str(due): "sent"}
    clock.advance(minutes=1)
    after = scheduled(db, campaign["id"], kit["id"], account, "Made after the backup", clock())
    assert worker.run_once(db) == {str(after): "sent"}
    assert len(fake.created) == 2

    database.restore(backup, settings.db_path, house.migrations(),
                     after=lambda d: house.after_restore(d, clock))
    row = post_row(db, due)
    assert row["status"] == "needs_check" and "restored from a backup" in row["error"]
    # The same id again, in the restored database: a new post with a key of its own.
    fresh = scheduled(db, campaign["id"], kit["id"], account, "A new post", clock())
    assert fresh == after
    clock.advance(minutes=1)
    worker.run_once(db)
    worker.run_once(db)  # one post at a time per account
    assert post_row(db, due)["status"] == "sent"
    assert post_row(db, due)["platform_post_id"] == fake.created[0]["id"]  # recognised
    assert post_row(db, fresh)["status"] == "sent"
    assert len(fake.created) == 3  # the new post has its own status, not the old one's
    assert post_row(db, fresh)["platform_post_id"] == fake.created[2]["id"]
    assert fake.created[2]["text"] == "A new post"


@pytest.mark.parametrize("when", ["seconds", "http-date"])
def test_a_429_with_only_retry_after_holds_the_account_without_failing_its_posts(
        db, masto, campaign, kit, clock, fake, when: str) -> None:
    _, account, worker = masto
    first = scheduled(db, campaign["id"], kit["id"], account, "One", clock())
    second = scheduled(db, campaign["id"], kit["id"], account, "Two", clock())
    value = "120" if when == "seconds" else format_datetime(
        clock() + timedelta(seconds=120), usegmt=True)
    fake.respond_next(429, {"error": "Too many requests"}, {"Retry-After": value})
    assert worker.run_once(db) == {str(first): "scheduled"}
    state = credentials.state_of(db, account.id, now=clock())
    assert state["rate_limited_until"] == "2026-11-23T09:02:00Z"
    clock.advance(seconds=60)
    assert worker.run_once(db) == {}  # the account's other post waits, not failed
    assert post_row(db, second)["status"] == "scheduled"
    clock.advance(seconds=61)
    worker.run_once(db)
    worker.run_once(db)
    assert {post_row(db, p)["status"] for p in (first, second)} == {"sent"}
    assert len(fake.created) == 2


def test_after_the_key_window_a_post_not_found_goes_to_a_person(db, masto, campaign, kit,
                                                                clock, fake) -> None:
    _, account, worker = masto
    post_id = scheduled(db, campaign["id"], kit["id"], account, "Fund clinics", clock())
    fake.respond_next(504, {"error": "Gateway timeout"})  # nothing was made, but who knows
    assert worker.run_once(db) == {str(post_id): "needs_check"}
    clock.advance(seconds=61)
    fake.respond_next(429, {"error": "Too many requests"}, {"Retry-After": "3300"})
    assert worker.run_once(db) == {str(post_id): "needs_check"}
    clock.advance(seconds=3301)  # past the window: no resend, however tempting
    assert worker.run_once(db) == {str(post_id): "needs_check"}
    row = post_row(db, post_id)
    assert row["check_state"] == "person"
    assert "no status with this text" in row["error"] and "resend or mark sent" in row["error"]
    assert fake.created == []


def test_the_heartbeat_keeps_a_live_workers_lease_and_a_dead_ones_post_is_done_in_90_s(
        db, masto, campaign, kit, clock, fake) -> None:
    s, account, worker = masto
    config = Config()
    vault = credentials.Vault.from_settings(s)
    alive = scheduled(db, campaign["id"], kit["id"], account, "Alive", clock())
    [claimed] = dispatch.claim(db, "w1", clock(), config, 10, vault)
    for _ in range(4):  # 100 s in flight on a 30 s lease, renewed by the heartbeat
        clock.advance(seconds=25)
        assert worker.renew(db) == 1
        dispatch.claim(db, "w2", clock(), config, 10, vault)
        assert post_row(db, alive)["status"] == "sending"
    db.execute("update social_posts set status = 'cancelled' where id = ?", [alive])
    db.conn.commit()

    # A worker killed mid-send: the status went out, the worker never recorded it.
    dead = scheduled(db, campaign["id"], kit["id"], account, "Dead", clock())
    start = clock()
    [claimed] = dispatch.claim(db, "dead-worker", clock(), config, 10, vault)
    outcome, _ = dispatch.execute(claimed, s)  # the status is made; the worker dies unrecorded
    assert isinstance(outcome, Sent)
    other = Dispatcher(s, clock=clock, worker="w2")
    while post_row(db, dead)["status"] != "sent" and clock() - start < timedelta(seconds=90):
        clock.advance(seconds=1)
        other.run_once(db)
    assert post_row(db, dead)["status"] == "sent"
    assert clock() - start <= timedelta(seconds=90)
    assert len([c for c in fake.created if c["text"] == "Dead"]) == 1


def test_juntos_restore_sends_nothing_again_it_checks(db, masto, campaign, kit, clock, settings,
                                                      tmp_path) -> None:
    from click.testing import CliRunner

    from juntos.cli import cli

    _, account, _ = masto
    due = scheduled(db, campaign["id"], kit["id"], account, "Due", datetime.now(UTC))
    later = scheduled(db, campaign["id"], kit["id"], account, "Later",
                      datetime.now(UTC) + timedelta(days=1))
    backup = tmp_path / "backup.db"
    database.backup(db, backup)
    result = CliRunner().invoke(cli, ["restore", str(backup), "--db", str(settings.db_path),
                                      "--yes"])
    assert result.exit_code == 0, result.output
    assert post_row(db, due)["status"] == "needs_check"
    assert post_row(db, due)["check_state"] == "auto"
    assert post_row(db, later)["status"] == "scheduled"  # not due: nothing to fear
