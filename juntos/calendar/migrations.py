"""Schema of the calendar area. Never edit a released migration: add a new one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlite_utils.migrations import Migrations

from juntos.db import Database

migrations = Migrations("juntos.calendar")


def step(func: Callable[[Database], None]) -> Callable[[Database], None]:
    """``@migrations()`` for a step taking our ``Database``: sqlite-utils types the argument
    as its own base class, and ``juntos.db.migrate`` always passes ours."""
    migrations()(cast(Any, func))
    return func


@step
def m001_events(db: Database) -> None:
    db["calendar_sources"].create(
        {
            "id": int,
            "kind": str,  # upload, subscription, observances
            "label": str,
            "url": str,  # subscriptions only; may hold a secret address: never logged
            "organisation_id": int,
            "created_at": str,
            "last_synced_at": str,
            "last_error": str,
            "etag": str,
            "visibility": str,  # given to the events a subscription brings in
        },
        pk="id",
        not_null={"kind", "label"},
        foreign_keys=[("organisation_id", "organisations", "id")],
    )
    db["calendar_events"].create(
        {
            "id": int,
            "uid": str,
            "recurrence_id": str,  # '' for a series or single event; set for an override
            "title": str,
            "description": str,
            "location": str,
            "url": str,
            "start": str,  # date, or wall-clock datetime in tzid
            "end": str,  # exclusive for all-day events
            "all_day": int,
            "tzid": str,
            "rrule": str,
            "exdates": str,  # JSON list of moments as in start
            "rdates": str,  # JSON list
            "category": str,
            # A campaign slug. Deliberately no foreign key: the campaigns area is connected
            # through juntos.calendar.sources once both have landed.
            "campaign": str,
            "organiser_id": int,
            "countries": str,  # JSON list of ISO codes or region names
            "themes": str,  # JSON list
            "visibility": str,
            "status": str,
            "sequence": int,
            "created_at": str,
            "updated_at": str,
            "deleted_at": str,
            "source_id": int,
            "start_utc": str,  # first instant, for windows and ordering
            "last_utc": str,  # end of the last occurrence; NULL: the series never ends
        },
        pk="id",
        not_null={"uid", "title", "start", "end", "visibility", "status"},
        defaults={"recurrence_id": "", "sequence": 0, "exdates": "[]", "rdates": "[]",
                  "countries": "[]", "themes": "[]", "description": "", "location": "",
                  "url": "", "rrule": "", "campaign": "", "tzid": "UTC"},
        foreign_keys=[("organiser_id", "organisations", "id"),
                      ("source_id", "calendar_sources", "id")],
    )
    db["calendar_events"].create_index(["uid", "recurrence_id"], unique=True)
    db["calendar_events"].create_index(["campaign"])
    db["calendar_events"].create_index(["organiser_id"])
    db["calendar_events"].create_index(["start_utc"])
    db["calendar_events"].create_index(["source_id"])


@step
def m002_feed_tokens(db: Database) -> None:
    # selector: the indexed first part of a token; the whole token is then compared in
    # constant time, so lookups never reveal how much of a guess was right.
    db["calendar_feed_tokens"].create(
        {"user_id": int, "selector": str, "token": str, "created_at": str},
        pk="user_id",
        not_null={"selector", "token"},
        foreign_keys=[("user_id", "users", "id")],
    )
    db["calendar_feed_tokens"].create_index(["selector"], unique=True)


@step
def m003_change_counter(db: Database) -> None:
    # Every write that can change a feed bumps one counter, by trigger, so no writer (web,
    # CLI, sync, another area) can forget to invalidate the cache of rendered feeds.
    db["calendar_version"].create({"id": int, "version": int}, pk="id")
    db["calendar_version"].insert({"id": 1, "version": 0})
    for table, ops in (("calendar_events", ("INSERT", "UPDATE", "DELETE")),
                       ("calendar_sources", ("INSERT", "UPDATE", "DELETE")),
                       ("organisations", ("UPDATE",))):
        for op in ops:
            db.execute(
                f"CREATE TRIGGER calendar_bump_{table}_{op.lower()} AFTER {op} ON {table}"
                " BEGIN UPDATE calendar_version SET version = version + 1 WHERE id = 1; END"
            )


@step
def m004_rendered(db: Database) -> None:
    # Each event's VEVENT, rendered with icalendar when it is written: building a feed of
    # thousands of events then joins stored bytes instead of rendering them all again. Not
    # watched by the change counter: it is derived data, checked by its fingerprint.
    db.execute(
        "CREATE TABLE calendar_rendered (event_id INTEGER PRIMARY KEY REFERENCES"
        " calendar_events(id) ON DELETE CASCADE, fingerprint TEXT NOT NULL, ics BLOB NOT NULL)"
    )


@step
def m005_campaign_ids(db: Database) -> None:
    # Events reference campaigns by id: visibility and filters follow the id, so a campaign
    # created later with a free slug (or renamed to it) never reaches an older event. Filled
    # from the slug where a campaign with that slug exists now (the campaigns table is read
    # once, here, if it exists); events whose slug matches no campaign keep NULL, and a
    # campaign-visibility event without an id is seen by coordinators and its organiser only.
    # No foreign key: the campaigns area sits above the calendar.
    db.execute("ALTER TABLE calendar_events ADD COLUMN campaign_id INTEGER")
    if "campaigns" in db.table_names():
        db.execute("UPDATE calendar_events SET campaign_id = (SELECT c.id FROM campaigns c"
                   " WHERE c.slug = calendar_events.campaign) WHERE campaign != ''")
    db["calendar_events"].create_index(["campaign_id"])
