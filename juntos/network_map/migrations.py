"""Schema of the network_map area. Never edit a released migration: add a new one.

One source of truth per tie: network membership stays in the organisations area's
``memberships`` table (the organisation form and other areas use it), which this migration
extends with the tie fields (strength, stance, dates, evidence, notes); every other kind lives
in ``ties``, which refuses ``member of``. The ``network_ties`` view joins both into the one list
of ties the map reads. A membership tie's id is ``-(member_id * 1_000_000 + network_id)``: stable
and never colliding with a ``ties`` row.
"""

from __future__ import annotations

from juntos.db import Database, Migrations

migrations = Migrations("juntos.network_map")

MEMBER_OF = "member of"
MEMBERSHIP_ID_BASE = 1_000_000


@migrations()
# Database; ours subclasses it and is what migrate() passes.
def m001_ties(db: Database) -> None:
    db.execute(
        f"""CREATE TABLE ties (
            id INTEGER PRIMARY KEY,
            from_id INTEGER NOT NULL REFERENCES organisations(id),
            to_id INTEGER NOT NULL REFERENCES organisations(id),
            kind TEXT NOT NULL CHECK (kind != '{MEMBER_OF}'),  -- memberships table holds those
            directed INTEGER NOT NULL DEFAULT 1,
            strength INTEGER CHECK (strength BETWEEN 1 AND 5),
            stance TEXT NOT NULL DEFAULT '',
            valid_from TEXT NOT NULL DEFAULT '',
            valid_until TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            attrs TEXT NOT NULL DEFAULT '{{}}',  -- JSON: other attributes kept from imports
            recorded_by INTEGER,
            recorded_at TEXT
        )"""
    )
    db["ties"].create_index(["from_id"])
    db["ties"].create_index(["to_id"])
    db["ties"].create_index(["kind"])
    for column, definition in [
        ("strength", "INTEGER"),
        ("stance", "TEXT NOT NULL DEFAULT 'ally'"),
        ("valid_until", "TEXT NOT NULL DEFAULT ''"),
        ("source", "TEXT NOT NULL DEFAULT ''"),
        ("notes", "TEXT NOT NULL DEFAULT ''"),
        ("attrs", "TEXT NOT NULL DEFAULT '{}'"),
        ("recorded_by", "INTEGER"),
        ("recorded_at", "TEXT"),
    ]:
        db.execute(f"ALTER TABLE memberships ADD COLUMN {column} {definition}")
    db.execute(
        "CREATE VIEW network_ties AS"
        " SELECT id, from_id, to_id, kind, directed, strength, stance, valid_from, valid_until,"
        " source, notes, attrs, recorded_by, recorded_at FROM ties"
        f" UNION ALL SELECT -(member_id * {MEMBERSHIP_ID_BASE} + network_id), member_id,"
        f" network_id, '{MEMBER_OF}', 1, strength, stance, coalesce(since, ''), valid_until,"
        " source, notes, attrs, recorded_by, recorded_at FROM memberships"
    )
    db["actor_attributes"].create(
        {"org_id": int, "attrs": str}, pk="org_id",
        foreign_keys=[("org_id", "organisations", "id")],
    )
    db["actor_positions"].create({"org_id": int, "x": float, "y": float}, pk="org_id")
    # A counter bumped by triggers on every change to actors or ties: the cache key of graphs,
    # metrics and layouts, so a change made anywhere (the organisation form, an import, the CLI)
    # invalidates them without each writer having to remember.
    db["network_version"].create({"id": int, "version": int, "layout_version": int}, pk="id")
    db["network_version"].insert({"id": 1, "version": 1, "layout_version": 0})
    for table in ("organisations", "memberships", "ties"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER network_bump_{table}_{event.lower()} AFTER {event} ON {table}"
                " BEGIN UPDATE network_version SET version = version + 1 WHERE id = 1; END"
            )


@migrations()
def m002_judgements(db: Database) -> None:
    """Net-Map elicited judgements: what people say about an actor's influence on an issue.

    Kept in their own table, never mixed with computed centralities. An issue is free text or
    a campaign (whose visibility then governs who sees the judgement). No trigger bumps the
    network counter: judgements change no graph, layout or metric.
    """
    db.execute(
        """CREATE TABLE judgements (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organisations(id),
            issue TEXT NOT NULL DEFAULT '',
            campaign_id INTEGER,
            influence INTEGER NOT NULL CHECK (influence BETWEEN 0 AND 5),
            stance TEXT NOT NULL CHECK (stance IN ('ally', 'neutral', 'opponent')),
            confidence TEXT NOT NULL CHECK (confidence IN ('low', 'medium', 'high')),
            note TEXT NOT NULL DEFAULT '',
            recorded_by INTEGER,
            recorded_at TEXT NOT NULL,
            CHECK (issue != '' OR campaign_id IS NOT NULL)
        )"""
    )
    db["judgements"].create_index(["org_id"])
    db["judgements"].create_index(["campaign_id"])


@migrations()
def m003_actor_attributes_bump(db: Database) -> None:
    """Attributes kept from imports (e.g. an imported colour) are drawn on the map: a change to
    them bumps the change counter too, like a change to an actor or a tie."""
    for event in ("INSERT", "UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER network_bump_actor_attributes_{event.lower()} AFTER {event}"
            " ON actor_attributes"
            " BEGIN UPDATE network_version SET version = version + 1 WHERE id = 1; END"
        )
