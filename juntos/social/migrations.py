"""Schema of the social area. Never edit a released migration: add a new one."""

from __future__ import annotations

from juntos.db import Database, Migrations, add_change_counter

migrations = Migrations("juntos.social")


@migrations()
def m001_social_accounts(db: Database) -> None:
    # An organisation's account on a platform. Credentials arrive with the dispatcher issue;
    # until then every non-manual account is "not_connected".
    db["social_accounts"].create(
        {
            "id": int,
            "organisation_id": int,
            "platform": str,  # x | mastodon | bluesky | manual
            "handle": str,
            "instance_url": str,  # Mastodon only
            "label": str,  # manual: where the organisation posts by hand
            "timezone": str,  # empty: the organisation's
            "languages": str,  # JSON list; empty: the organisation's
            "state": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"organisation_id", "platform", "state"},
        defaults={"handle": "", "instance_url": "", "label": "", "timezone": "",
                  "languages": "[]"},
        foreign_keys=[("organisation_id", "organisations", "id")],
    )
    db["social_accounts"].create_index(["organisation_id"])


@migrations()
def m002_kits_variants_posts(db: Database) -> None:
    db.execute(
        """create table social_kits (
            id integer primary key autoincrement,
            campaign_id integer not null references campaigns(id) on delete cascade,
            title text not null,
            core_message text not null default '',
            hashtags text not null default '[]',
            links text not null default '[]',
            call_to_action text not null default '',
            created_at text, created_by integer, updated_at text
        )"""
    )
    db.execute("create index idx_social_kits_campaign on social_kits(campaign_id)")
    # Images live in the database: one file to back up (`juntos backup`), and they are small
    # (size-limited to what every platform accepts).
    db.execute(
        """create table social_kit_images (
            id integer primary key autoincrement,
            kit_id integer not null references social_kits(id) on delete cascade,
            filename text not null,
            content_type text not null,
            size integer not null,
            alt_text text not null,
            data blob not null,
            created_at text
        )"""
    )
    db.execute("create index idx_social_kit_images_kit on social_kit_images(kit_id)")
    db.execute(
        """create table social_variants (
            id integer primary key autoincrement,
            kit_id integer not null references social_kits(id) on delete cascade,
            language text not null,
            platform text not null,
            text text not null,
            updated_at text, updated_by integer,
            unique (kit_id, language, platform)
        )"""
    )
    db.execute(
        """create table social_waves (
            id integer primary key autoincrement,
            kit_id integer not null references social_kits(id) on delete cascade,
            campaign_id integer not null references campaigns(id) on delete cascade,
            mode text not null,
            day text not null,
            at text not null,
            stagger_minutes integer not null default 0,
            x_pattern text not null default 'different',
            created_at text, created_by integer
        )"""
    )
    # AUTOINCREMENT: a post id is never reused, because the dispatcher derives idempotency keys
    # and calendar UIDs from it.
    db.execute(
        """create table social_posts (
            id integer primary key autoincrement,
            campaign_id integer not null references campaigns(id) on delete cascade,
            kit_id integer not null references social_kits(id) on delete cascade,
            wave_id integer references social_waves(id) on delete cascade,
            variant_id integer references social_variants(id) on delete set null,
            account_id integer not null references social_accounts(id),
            organisation_id integer not null references organisations(id),
            platform text not null,
            kind text not null default 'post',
            repost_of integer references social_posts(id),
            language text not null default '',
            text text not null,
            scheduled_at text not null,
            status text not null default 'draft',
            comment text not null default '',
            sequence integer not null default 0,
            version integer not null default 1,
            claimed_by text, lease_until text, attempts integer not null default 0,
            platform_post_id text, platform_url text, error text,
            created_at text, created_by integer, updated_at text
        )"""
    )
    # The dispatcher's claim query: due posts of one status, oldest first.
    db.execute("create index idx_social_posts_due on social_posts(status, scheduled_at)")
    db.execute(
        "create index idx_social_posts_campaign on social_posts(campaign_id, scheduled_at, id)"
    )
    db.execute(
        "create index idx_social_posts_org on social_posts(organisation_id, scheduled_at, id)"
    )
    db.execute("create index idx_social_posts_wave on social_posts(wave_id)")
    # Status counts per campaign and per organisation (queue headers, the inbox badge).
    db.execute("create index idx_social_posts_campaign_status on social_posts(campaign_id, status)")
    db.execute("create index idx_social_posts_org_status on social_posts(organisation_id, status)")
    db.execute(
        """create table social_post_events (
            id integer primary key autoincrement,
            post_id integer not null references social_posts(id) on delete cascade,
            at text not null,
            from_status text,
            to_status text not null,
            user_id integer,
            comment text not null default ''
        )"""
    )
    db.execute("create index idx_social_post_events_post on social_post_events(post_id, id)")


@migrations()
def m100_dispatch(db: Database) -> None:
    # Numbered from 100 so the kits issue can keep adding m003.. without clashing; sqlite-utils
    # orders by registration, not by name, and each name is applied once.
    # Credentials live in their own table, encrypted (Fernet), one row per connected account,
    # deleted on disconnect. secure_delete is switched on while deleting (see credentials.py).
    db.execute(
        """create table social_account_secrets (
            account_id integer primary key references social_accounts(id) on delete cascade,
            sealed text not null,
            updated_at text
        )"""
    )
    db.execute("alter table social_accounts add column state_detail text not null default ''")
    db.execute("alter table social_accounts add column rate_limited_until text")
    db.execute("alter table social_accounts add column connected_at text")
    # dispatch_key: Bluesky record key / Mastodon idempotency key, chosen and stored before the
    # first create call. next_attempt_at: backoff. check: '' | 'auto' (reconcile) | 'person'.
    # first_sent_at: when the first create call left (Mastodon keeps idempotency keys ~1 h).
    db.execute("alter table social_posts add column dispatch_key text")
    db.execute("alter table social_posts add column next_attempt_at text")
    db.execute("alter table social_posts add column check_state text not null default ''")
    db.execute("alter table social_posts add column first_sent_at text")
    db.execute(
        """create table social_post_attempts (
            id integer primary key autoincrement,
            post_id integer not null references social_posts(id) on delete cascade,
            at text not null,
            worker text not null,
            action text not null,      -- send | reconcile
            outcome text not null,     -- sent | transient | permanent | unknown | found | absent
            code integer,              -- platform HTTP status, when there was one
            detail text not null default ''
        )"""
    )
    db.execute("create index idx_social_post_attempts_post on social_post_attempts(post_id, id)")
    db.execute("create index idx_social_posts_account_status on social_posts(account_id, status)")


@migrations()
def m101_calendar_change_counter(db: Database) -> None:
    # Reminders in private feeds come from posts and accounts: every write to them bumps one
    # counter (by trigger) that the calendar's feed cache reads, instead of scanning posts.
    add_change_counter(db, "social_calendar_version", ("social_posts", "social_accounts"))


@migrations()
def m102_verified_identity(db: Database) -> None:
    # The name the platform gave when the credentials were checked on connecting ("connected
    # as"), so a person sees at once that the right account was connected.
    db.execute("alter table social_accounts add column display_name text not null default ''")


@migrations()
def m103_random_dispatch_keys(db: Database) -> None:
    # Keys were derived from the post id (juntos-post-<id>), which repeats after a restore, in a
    # fresh database or in a second install posting to the same account: Mastodon then replays
    # the older post's status. Every post not yet tried gets a random key now (posts already
    # tried keep theirs: their first request may have carried it). Bluesky's keys are TIDs.
    import secrets
    import time
    import uuid

    b32 = "234567abcdefghijklmnopqrstuvwxyz"

    def tid() -> str:
        value = ((time.time_ns() // 1000) << 10) | secrets.randbelow(1024)
        return "".join(reversed([b32[(value >> (5 * i)) & 31] for i in range(13)]))

    rows = db.execute("select id, platform from social_posts where first_sent_at is null"
                      " and status not in ('sent', 'cancelled', 'failed', 'missed')").fetchall()
    for post_id, platform in rows:
        key = tid() if platform == "bluesky" else str(uuid.uuid4())
        db.execute("update social_posts set dispatch_key = ? where id = ?", [key, post_id])
    # claimed_at: when the current attempt's request could first have left, so an unknown
    # outcome waits until that request can no longer be running on the server.
    db.execute("alter table social_posts add column claimed_at text")


@migrations()
def m104_posting_authority(db: Database) -> None:
    # Posting authority stays with the account's organisation. A delegation: one of its members
    # lets a named campaign's approvers approve posts on one of its accounts, until an end date
    # (inclusive), unless revoked. An authority row: who (which organisation) authorised a post,
    # or under which delegation; the dispatcher checks it again when it claims the post.
    db.execute(
        """create table social_delegations (
            id integer primary key autoincrement,
            account_id integer not null references social_accounts(id) on delete cascade,
            campaign_id integer not null references campaigns(id) on delete cascade,
            ends_on text not null,
            granted_at text not null,
            granted_by integer,
            revoked_at text,
            revoked_by integer
        )"""
    )
    db.execute("create index idx_social_delegations_account"
               " on social_delegations(account_id, campaign_id)")
    db.execute(
        """create table social_post_authority (
            post_id integer primary key references social_posts(id) on delete cascade,
            organisation_id integer not null,
            user_id integer,
            delegation_id integer references social_delegations(id),
            at text not null
        )"""
    )
    # Posts approved before this migration: authorised only when the approver belonged to the
    # account's organisation (docs/social.md); the others wait for that organisation.
    db.execute(
        """insert into social_post_authority (post_id, organisation_id, user_id, at)
           select p.id, p.organisation_id, e.user_id, e.at from social_posts p
             join social_post_events e on e.id = (
                  select max(id) from social_post_events where post_id = p.id
                     and to_status = 'approved')
             join users u on u.id = e.user_id and u.organisation_id = p.organisation_id
            where p.status in ('approved', 'scheduled', 'sending', 'needs_check')"""
    )


@migrations()
def m105_app_keys(db: Database) -> None:
    # Platforms' app keys (X's consumer key and secret) set on the web by a coordinator, each
    # sealed with the credentials key like an account's tokens (juntos.social.appkeys).
    db.execute(
        """create table social_app_keys (
            name text primary key,
            sealed text not null,
            updated_at text not null,
            updated_by integer
        )"""
    )
