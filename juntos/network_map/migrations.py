"""Schema of the network_map area. Never edit a released migration: add a new one.

Ties are the one source of truth for relations between actors, network membership included:
the organisations area's ``memberships`` table becomes a view over ``member of`` ties, with
INSTEAD OF triggers so the organisation form (``set_networks``) and every query that reads
``memberships`` keep working while writing to ``ties``.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("juntos.network_map")

MEMBER_OF = "member of"


@migrations()
def m001_ties(db: Database) -> None:
    db["ties"].create(
        {
            "id": int,
            "from_id": int,
            "to_id": int,
            "kind": str,  # member of, partner, funds, influences, targets, ... (extensible)
            "directed": int,
            "strength": int,  # 1-5, or NULL when unknown
            "stance": str,  # ally, neutral, opponent, or ''
            "valid_from": str,  # ISO date or ''
            "valid_until": str,  # ISO date or '' (open)
            "source": str,  # where the tie is documented (evidence)
            "notes": str,
            "attrs": str,  # JSON: other attributes kept from imports
            "recorded_by": int,
            "recorded_at": str,
        },
        pk="id",
        not_null={"from_id", "to_id", "kind"},
        defaults={"directed": 1, "stance": "", "valid_from": "", "valid_until": "",
                  "source": "", "notes": "", "attrs": "{}"},
        foreign_keys=[("from_id", "organisations", "id"), ("to_id", "organisations", "id")],
    )
    db["ties"].create_index(["from_id"])
    db["ties"].create_index(["to_id"])
    db["ties"].create_index(["kind"])
    # One membership per (member, network): the same key the old memberships table had.
    db.execute(
        "CREATE UNIQUE INDEX ties_one_membership ON ties(from_id, to_id)"
        f" WHERE kind = '{MEMBER_OF}'"
    )
    db.execute(
        "INSERT INTO ties (from_id, to_id, kind, directed, stance, valid_from)"
        f" SELECT member_id, network_id, '{MEMBER_OF}', 1, 'ally', coalesce(since, '')"
        " FROM memberships"
    )
    db.execute("DROP TABLE memberships")
    db.execute(
        "CREATE VIEW memberships AS SELECT from_id AS member_id, to_id AS network_id,"
        f" valid_from AS since FROM ties WHERE kind = '{MEMBER_OF}'"
    )
    db.execute(
        "CREATE TRIGGER memberships_insert INSTEAD OF INSERT ON memberships BEGIN"
        " INSERT INTO ties (from_id, to_id, kind, directed, stance, valid_from)"
        f" VALUES (NEW.member_id, NEW.network_id, '{MEMBER_OF}', 1, 'ally',"
        " coalesce(NEW.since, ''))"
        f" ON CONFLICT (from_id, to_id) WHERE kind = '{MEMBER_OF}'"
        " DO UPDATE SET valid_from = CASE WHEN excluded.valid_from != ''"
        " THEN excluded.valid_from ELSE ties.valid_from END;"
        " END"
    )
    db.execute(
        "CREATE TRIGGER memberships_delete INSTEAD OF DELETE ON memberships BEGIN"
        " DELETE FROM ties WHERE from_id = OLD.member_id AND to_id = OLD.network_id"
        f" AND kind = '{MEMBER_OF}';"
        " END"
    )
    db["actor_attributes"].create(
        {"org_id": int, "attrs": str}, pk="org_id",
        foreign_keys=[("org_id", "organisations", "id")],
    )
    db["actor_positions"].create(
        {"org_id": int, "x": float, "y": float}, pk="org_id",
    )
    # A counter bumped by triggers on every change to actors or ties: the cache key of graphs,
    # metrics and layouts, so a change made anywhere (the organisation form, an import, the CLI)
    # invalidates them without each writer having to remember.
    db["network_version"].create({"id": int, "version": int, "layout_version": int}, pk="id")
    db["network_version"].insert({"id": 1, "version": 1, "layout_version": 0})
    for table in ("organisations", "ties"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER network_bump_{table}_{event.lower()} AFTER {event} ON {table}"
                " BEGIN UPDATE network_version SET version = version + 1 WHERE id = 1; END"
            )
