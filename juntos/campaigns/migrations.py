"""Schema of the campaigns area. Never edit a released migration: add a new one.

Tables: ``campaigns``; ``participations`` (organisation + role in a campaign);
``workstreams`` and ``assignments`` (the RACI matrix, at most one accountable organisation per
workstream, enforced by a partial unique index as well as in the store); ``commitments``;
``calls_to_action``; ``milestones``; ``campaign_activity`` (who changed what, when).
Dates are ``YYYY-MM-DD``; moments are UTC ISO 8601 with ``Z``. Row ids are stable and never
reused, so other areas may derive identifiers from them (e.g. calendar event UIDs).
"""

from __future__ import annotations

from juntos.db import Database, Migrations, add_change_counter

migrations = Migrations("juntos.campaigns")


@migrations()
def m001_campaigns(db: Database) -> None:
    db["campaigns"].create(
        {
            "id": int,
            "slug": str,
            "title": str,
            "concept": str,
            "objectives": str,
            "themes": str,  # JSON list of lowercase tags
            "countries": str,  # JSON list of ISO 3166 alpha-2 codes
            "regions": str,  # free text, e.g. "Southern Africa"
            "start_date": str,
            "end_date": str,
            "status": str,
            "visibility": str,
            "created_at": str,
            "created_by": int,
            "updated_at": str,
            "updated_by": int,
        },
        pk="id",
        not_null={"slug", "title", "status", "visibility"},
        defaults={"themes": "[]", "countries": "[]", "status": "idea",
                  "visibility": "network", "concept": "", "objectives": "", "regions": ""},
    )
    db["campaigns"].create_index(["slug"], unique=True)
    db["campaigns"].create_index(["status"])
    db["campaigns"].create_index(["start_date"])

    # AUTOINCREMENT everywhere below: ids are never reused after a delete, so identifiers
    # derived from them (calendar UIDs) never point at a different row later.
    db.execute(
        """create table participations (
            id integer primary key autoincrement,
            campaign_id integer not null references campaigns(id) on delete cascade,
            organisation_id integer not null references organisations(id),
            role text not null,
            joined_at text,
            invited_by integer,
            unique (campaign_id, organisation_id)
        )"""
    )
    db.execute("create index idx_participations_org on participations(organisation_id)")

    db.execute(
        """create table workstreams (
            id integer primary key autoincrement,
            campaign_id integer not null references campaigns(id) on delete cascade,
            name text not null,
            position integer not null default 0,
            unique (campaign_id, name)
        )"""
    )
    db.execute(
        """create table assignments (
            workstream_id integer not null references workstreams(id) on delete cascade,
            organisation_id integer not null references organisations(id),
            campaign_id integer not null references campaigns(id) on delete cascade,
            raci text not null check (raci in ('A', 'R', 'C', 'I')),
            primary key (workstream_id, organisation_id)
        )"""
    )
    db.execute("create index idx_assignments_campaign on assignments(campaign_id)")
    # Exactly one accountable organisation per workstream: the store checks it with a clear
    # message; the index makes sure no other path can store a second one.
    db.execute(
        "create unique index idx_assignments_one_accountable on assignments(workstream_id)"
        " where raci = 'A'"
    )

    db.execute(
        """create table commitments (
            id integer primary key autoincrement,
            campaign_id integer not null references campaigns(id) on delete cascade,
            organisation_id integer not null references organisations(id),
            workstream_id integer references workstreams(id) on delete set null,
            title text not null,
            due_date text,
            status text not null default 'open',
            notes text not null default '',
            created_at text,
            created_by integer,
            updated_at text
        )"""
    )
    db.execute("create index idx_commitments_campaign on commitments(campaign_id, due_date)")
    db.execute("create index idx_commitments_org on commitments(organisation_id, due_date)")

    db.execute(
        """create table calls_to_action (
            id integer primary key autoincrement,
            campaign_id integer not null references campaigns(id) on delete cascade,
            title text not null,
            start_date text not null,
            end_date text not null,
            ask text not null default '',
            audience text not null default '',
            tactics text not null default '',
            observance_key text not null default '',
            created_at text,
            created_by integer
        )"""
    )
    db.execute("create index idx_calls_campaign on calls_to_action(campaign_id, start_date)")
    db.execute("create index idx_calls_start on calls_to_action(start_date)")

    db.execute(
        """create table milestones (
            id integer primary key autoincrement,
            campaign_id integer not null references campaigns(id) on delete cascade,
            title text not null,
            date text not null,
            notes text not null default '',
            created_at text,
            created_by integer
        )"""
    )
    db.execute("create index idx_milestones_campaign on milestones(campaign_id, date)")

    db.execute(
        """create table campaign_activity (
            id integer primary key autoincrement,
            campaign_id integer not null references campaigns(id) on delete cascade,
            at text not null,
            user_id integer,
            action text not null,
            detail text not null default ''
        )"""
    )
    db.execute("create index idx_activity_campaign on campaign_activity(campaign_id, id)")


@migrations()
def m002_calendar_change_counter(db: Database) -> None:
    add_change_counter(db, "campaigns_calendar_version",
                    ("campaigns", "participations", "calls_to_action", "milestones",
                     "commitments"))


@migrations()
def m003_partner_consent(db: Database) -> None:
    # Partnership is consent: an organisation added to a campaign is invited, and takes part
    # once one of its members accepts. Rows from before this migration were added without
    # asking; they become "accepted", as they were treated until now (docs/campaigns.md).
    db.execute("alter table participations add column status text not null default 'accepted'")
    db.execute("alter table participations add column responded_at text")
    db.execute("alter table participations add column responded_by integer")
    db.execute("create index idx_participations_org_status"
               " on participations(organisation_id, status)")


@migrations()
def m004_change_counter(db: Database) -> None:
    # Every table a campaign page shows: pieces of it (who does what, the commitments) are
    # kept rendered until any of them changes, whoever writes (web, CLI, import).
    add_change_counter(db, "campaigns_version",
                       ("campaigns", "participations", "workstreams", "assignments",
                        "commitments", "calls_to_action", "milestones"))
