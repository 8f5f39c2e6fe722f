"""Schema of the organisations area. Never edit a released migration: add a new one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("juntos.organisations")


@migrations()
def m001_organisations(db: Database) -> None:
    db["organisations"].create(
        {
            "id": int,
            "slug": str,
            "name": str,
            "acronym": str,
            "kind": str,
            "country": str,
            "region": str,
            "city": str,
            "timezone": str,
            "languages": str,  # JSON list of language codes
            "themes": str,  # JSON list of lowercase tags
            "website": str,
            "description": str,
            "is_public": int,
            "created_at": str,
            "updated_at": str,
            "updated_by": int,
        },
        pk="id",
        not_null={"slug", "name", "kind"},
        defaults={"is_public": 0, "languages": "[]", "themes": "[]"},
    )
    db["organisations"].create_index(["slug"], unique=True)
    db["organisations"].create_index(["country"])
    db["organisations"].create_index(["kind"])
    db.execute("CREATE INDEX idx_organisations_name ON organisations(name COLLATE NOCASE)")


@migrations()
def m002_memberships(db: Database) -> None:
    # An organisation may belong to several networks; a network is an organisation too.
    db["memberships"].create(
        {"member_id": int, "network_id": int, "since": str},
        pk=("member_id", "network_id"),
        foreign_keys=[
            ("member_id", "organisations", "id"),
            ("network_id", "organisations", "id"),
        ],
    )
    db["memberships"].create_index(["network_id"])
