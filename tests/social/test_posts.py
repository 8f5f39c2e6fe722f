"""Posts through their states: waves confirmed, submitted, approved, scheduled, edited, history."""

from __future__ import annotations

from datetime import date, time

import pytest

from juntos.errors import Conflict, ValidationError
from juntos.social import kits, posts, reminders
from juntos.social.models import TransitionRefused
from juntos.social.waves import LOCAL, WaveSpec, plan
from tests.social.dispatch_support import approve_as_owners


def make_wave(db, kit, accounts, clock, day=date(2026, 11, 25)):  # type: ignore[no-untyped-def]
    spec = WaveSpec(mode=LOCAL, day=day, at=time(9))
    wave = plan(accounts, kits.variant_texts(db, kit["id"]), spec, now=clock())
    return posts.create_wave(db, campaign_id=kit["campaign_id"], kit_id=kit["id"], spec=spec,
                             wave=wave, now=clock(), by=None)


def ids(db):  # type: ignore[no-untyped-def]
    return [r["id"] for r in posts.all_posts(db, posts.QueueFilter(campaign_id=1))]


def test_confirmed_wave_creates_drafts_with_filled_text(db, kit, social_accounts, clock) -> None:
    result = make_wave(db, kit, social_accounts, clock)
    assert (result.created, result.left_out) == (2, 0)
    rows = posts.all_posts(db, posts.QueueFilter(campaign_id=1))
    assert [(r["platform"], r["status"], r["scheduled_at"]) for r in rows] == [
        ("manual", "draft", "2026-11-25T07:00:00Z"),  # Maputo, UTC+2
        ("mastodon", "draft", "2026-11-25T07:00:00Z"),  # Johannesburg, UTC+2
    ]
    assert rows[0]["text"].startswith("Financiem")  # Portuguese first for org A
    assert rows[1]["text"] == "Ubuntu Labour in Durban: fund clinics now #Health"


def test_rows_with_blocking_problems_are_left_out_and_counted(db, kit, social_accounts,
                                                              clock) -> None:
    result = make_wave(db, kit, social_accounts, clock, day=date(2026, 11, 1))  # in the past
    assert (result.created, result.left_out) == (0, 2)


def test_submit_approve_schedules_with_history(db, kit, social_accounts, clock, users) -> None:
    make_wave(db, kit, social_accounts, clock)
    lead = users["coordinator"]
    assert posts.submit(db, ids(db), now=clock(), by=users["member"].id) == 2
    # The lead's coordinator approves its own organisation's post; org B's waits for org B.
    assert posts.approve(db, ids(db), now=clock(), by=lead.id,
                         organisation_id=lead.organisation_id, approves_campaigns=[1]) == 1
    partner = users["other_member"]
    assert posts.approve(db, ids(db), now=clock(), by=partner.id,
                         organisation_id=partner.organisation_id) == 1
    first = ids(db)[0]
    assert posts.get(db, first)["status"] == "scheduled"
    steps = [(e["from_status"], e["to_status"]) for e in posts.history(db, first)]
    assert steps == [(None, "draft"), ("draft", "submitted"), ("submitted", "approved"),
                     ("approved", "scheduled")]


def test_editing_a_scheduled_post_returns_it_to_draft(db, kit, social_accounts, clock) -> None:
    make_wave(db, kit, social_accounts, clock)
    post_id = ids(db)[0]
    posts.submit(db, [post_id], now=clock(), by=None)
    approve_as_owners(db, [post_id], now=clock())
    posts.edit(db, post_id, text="New words", now=clock(), by=None)
    post = posts.get(db, post_id)
    assert (post["status"], post["text"]) == ("draft", "New words")
    # Only approved posts are scheduled: a draft cannot jump there.
    with pytest.raises(TransitionRefused):
        posts._move(db, post, "scheduled", now=clock(), by=None)


def test_send_back_needs_a_comment(db, kit, social_accounts, clock) -> None:
    make_wave(db, kit, social_accounts, clock)
    posts.submit(db, ids(db), now=clock(), by=None)
    with pytest.raises(ValidationError):
        posts.send_back(db, ids(db), comment=" ", now=clock(), by=None)
    assert posts.send_back(db, ids(db), comment="Shorter please", now=clock(), by=None) == 2
    assert posts.get(db, ids(db)[0])["comment"] == "Shorter please"


def test_over_length_edit_is_refused(db, kit, social_accounts, clock) -> None:
    make_wave(db, kit, social_accounts, clock)
    mastodon_post = ids(db)[1]
    with pytest.raises(ValidationError, match="501/500"):
        posts.edit(db, mastodon_post, text="a" * 501, now=clock(), by=None)


def test_stale_version_loses(db, kit, social_accounts, clock) -> None:
    make_wave(db, kit, social_accounts, clock)
    stale = posts.get(db, ids(db)[0])
    posts.submit(db, [stale["id"]], now=clock(), by=None)
    # Someone acting on the page they loaded before the submit: their change touches nothing.
    with pytest.raises(Conflict):
        posts._move(db, {**stale, "status": "submitted"}, "approved", now=clock(), by=None)
    assert posts.get(db, stale["id"])["status"] == "submitted"


def test_queue_pages_and_filters(db, kit, social_accounts, clock) -> None:
    for day in (25, 26, 27):
        make_wave(db, kit, social_accounts, clock, day=date(2026, 11, day))
    page = posts.queue(db, posts.QueueFilter(campaign_id=1), page=2, per_page=4)
    assert (page.total, page.pages, len(page.rows)) == (6, 2, 2)
    one_day = posts.queue(db, posts.QueueFilter(campaign_id=1, day="2026-11-26"))
    assert one_day.total == 2
    org = social_accounts[1].organisation_id
    assert posts.queue(db, posts.QueueFilter(organisation_id=org)).total == 3
    with pytest.raises(ValidationError):
        posts.queue(db, posts.QueueFilter(status="lost"))


def test_manual_posts_become_reminders_and_cancelling_keeps_the_uid(db, kit, social_accounts,
                                                                   clock) -> None:
    make_wave(db, kit, social_accounts, clock)
    org = social_accounts[0].organisation_id
    assert reminders.reminder_events(db, org) == []  # drafts are not reminders yet
    posts.submit(db, ids(db), now=clock(), by=None)
    db.execute("update social_accounts set state = 'connected' where platform != 'manual'")
    approve_as_owners(db, ids(db), now=clock())
    [event] = reminders.reminder_events(db, org)
    assert event.summary.startswith("Post: Financiem as clínicas")
    assert event.description.startswith("Financiem as clínicas já https://example.org/clinics")
    assert event.alarm_before.total_seconds() == 15 * 60
    assert event.status == "CONFIRMED" and event.start.isoformat() == "2026-11-25T07:00:00+00:00"
    schedule = reminders.campaign_schedule(db, kit["campaign_id"])
    assert [s.platform for s in schedule] == ["manual", "mastodon"]
    posts.cancel(db, event.post_id, now=clock(), by=None)
    assert len(reminders.campaign_schedule(db, kit["campaign_id"])) == 1
    [cancelled] = reminders.reminder_events(db, org)
    assert (cancelled.uid, cancelled.status) == (event.uid, "CANCELLED")
    assert cancelled.sequence > event.sequence


def test_posts_made_before_random_keys_get_one_and_tried_ones_keep_theirs(tmp_path) -> None:
    """The migration to random keys: posts never tried get a fresh key (a UUID; a TID on
    Bluesky); a post already tried keeps the key its first request may have carried."""
    from juntos import db as database
    from juntos import house
    from juntos.social import migrations as social_migrations

    path = tmp_path / "old.db"
    old = database.connect(path)
    for m in house.migrations():
        if m is social_migrations.migrations:
            m.apply(old, stop_before="m103_random_dispatch_keys")
            break
        m.apply(old)
    old.execute("PRAGMA foreign_keys = OFF")  # a bare post row is enough here
    for n, (platform, first) in enumerate([("mastodon", None), ("bluesky", None),
                                           ("mastodon", "2026-11-23T09:00:00Z")], start=1):
        old.execute("insert into social_posts (id, campaign_id, kit_id, account_id,"
                    " organisation_id, platform, text, scheduled_at, status, dispatch_key,"
                    " first_sent_at) values (?, 1, 1, 1, 1, ?, 'x', '2026-11-23T09:00:00Z',"
                    " 'scheduled', ?, ?)", [n, platform, f"juntos-post-{n}", first])
    old.conn.commit()
    old.close()
    db = house.open_db(path)
    keys = {r["id"]: r["dispatch_key"] for r in db.query("select id, dispatch_key"
                                                          " from social_posts")}
    assert len(keys[1]) == 36 and keys[1].count("-") == 4
    assert len(keys[2]) == 13 and "-" not in keys[2]
    assert keys[3] == "juntos-post-3"
    db.close()
