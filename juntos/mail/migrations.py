"""Schema of the mail area: the outbox, preferences, unsubscribe tokens and digest items."""

from __future__ import annotations

from juntos.db import Database, Migrations

migrations = Migrations("juntos.mail")


@migrations()
def m001_outbox(db: Database) -> None:
    # One row per message to one person. ``key`` makes writing idempotent (a reminder scan run
    # twice writes one row); ``message_id`` is fixed here, never at sending. ``data_at``: the
    # moment the sender was about to end the DATA command (docs/mail.md, "Exactly once").
    db.execute(
        """create table mail_outbox (
            id integer primary key autoincrement,
            key text not null unique,
            message_id text not null unique,
            kind text not null,
            user_id integer,
            to_addr text not null,
            language text not null default 'en',
            content text not null,
            unsubscribe_token text not null default '',
            status text not null default 'queued',
            attempts integer not null default 0,
            next_attempt_at text not null,
            claimed_by text not null default '',
            lease_until text not null default '',
            data_at text not null default '',
            sent_at text not null default '',
            reason text not null default '',
            created_at text not null
        )"""
    )
    db.execute("create index idx_mail_outbox_due on mail_outbox(status, next_attempt_at)")
    db.execute("create index idx_mail_outbox_created on mail_outbox(created_at)")
    db.execute(
        """create table mail_preferences (
            user_id integer not null,
            kind text not null,
            delivery text not null,
            primary key (user_id, kind)
        )"""
    )
    db.execute(
        """create table mail_unsubscribe (
            token text primary key,
            user_id integer not null,
            kind text not null,
            unique (user_id, kind)
        )"""
    )
    # Messages whose reader chose a digest: kept until the digest that carries them is written.
    db.execute(
        """create table mail_digest_items (
            id integer primary key autoincrement,
            key text not null unique,
            user_id integer not null,
            kind text not null,
            delivery text not null,
            line text not null,
            created_at text not null,
            digested_in integer
        )"""
    )
    db.execute("create index idx_mail_digest_pending on mail_digest_items(user_id, digested_in)")
