"""Schema of the social area. Never edit a released migration: add a new one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

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
