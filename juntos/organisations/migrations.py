"""Schema of the organisations area. Never edit a released migration: add a new one."""

from __future__ import annotations

from juntos.db import Database, Migrations, add_change_counter, count_changes_of

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


@migrations()
def m003_aliases(db: Database) -> None:
    # Other names an organisation goes by (former names, translations, spellings, acronyms),
    # and, with kind 'slug', the addresses of organisations merged into it (they redirect).
    db["organisation_aliases"].create(
        {
            "id": int,
            "org_id": int,
            "alias": str,
            "kind": str,  # 'name' (edited on the form) or 'slug' (left by a merge)
            "normalised": str,  # names.fold(alias): how aliases are looked up
            "created_at": str,
        },
        pk="id",
        not_null={"org_id", "alias", "kind", "normalised"},
        defaults={"kind": "name"},
        foreign_keys=[("org_id", "organisations", "id")],
    )
    db.execute("CREATE UNIQUE INDEX idx_organisation_aliases_unique"
               " ON organisation_aliases(org_id, kind, normalised)")
    db.execute("CREATE INDEX idx_organisation_aliases_normalised"
               " ON organisation_aliases(normalised)")
    db.execute("CREATE UNIQUE INDEX idx_organisation_aliases_slug"
               " ON organisation_aliases(alias) WHERE kind = 'slug'")


@migrations()
def m004_merges(db: Database) -> None:
    # What a person decided about likely duplicates: merges done, and pairs that are not one.
    db["organisation_merges"].create(
        {
            "id": int,
            "kept_id": int,  # follows later merges, so the history stays with the survivor
            "dropped_id": int,  # gone: no foreign key
            "dropped_slug": str,
            "dropped_name": str,
            "dropped_row": str,  # JSON: the dropped organisation as it was
            "repointed": str,  # JSON: {table: {column: [row keys]}}
            "removed": str,  # JSON: {table: [rows]} deleted as exact or self duplicates
            "changes": str,  # JSON: {field: [survivor's old value, new value]}
            "merged_at": str,
            "merged_by": int,
            "merged_by_name": str,
        },
        pk="id",
        not_null={"kept_id", "dropped_id", "merged_at"},
        foreign_keys=[("kept_id", "organisations", "id")],
    )
    db["organisation_merges"].create_index(["kept_id"])
    db["organisation_distinct_pairs"].create(
        {"a_id": int, "b_id": int, "decided_at": str, "decided_by": int},
        pk=("a_id", "b_id"),
        foreign_keys=[("a_id", "organisations", "id"), ("b_id", "organisations", "id")],
    )
    db["organisation_distinct_pairs"].create_index(["b_id"])


@migrations()
def m005_audit_trail(db: Database) -> None:
    # Every act done in an organisation's name or on its behalf (invitations and answers,
    # delegations, approvals of posts on its accounts, connections of its accounts), for its
    # members to read. Written by the areas that do the acts, in the same transaction.
    db.execute(
        """create table organisation_audit (
            id integer primary key autoincrement,
            organisation_id integer not null references organisations(id) on delete cascade,
            at text not null,
            user_id integer,
            action text not null,
            detail text not null default ''
        )"""
    )
    db.execute("create index idx_organisation_audit_org on organisation_audit(organisation_id, id)")


@migrations()
def m006_change_counter(db: Database) -> None:
    # Bumped by every write to organisations: the list page's filter choices (countries,
    # themes, networks) are cached by it rather than read from every row on every view.
    add_change_counter(db, "organisations_version", ("organisations",))


@migrations()
def m007_display_names(db: Database) -> None:
    # A short name for tables and narrow places (empty: the acronym, else the name), and the
    # name the organisation gives its country or territory (Somaliland for SO), shown instead
    # of the ISO name while the code stays for data exchange.
    db.execute("alter table organisations add column short_name text not null default ''")
    db.execute("alter table organisations add column territory text not null default ''")


@migrations()
def m008_names_counted(db: Database) -> None:
    # Other names count as changes of the organisations too: the picker's index of names is
    # kept by the counter, exactly, instead of a signature that a same-length rename missed.
    count_changes_of(db, "organisations_version", ("organisation_aliases",))


@migrations()
def m009_memberships_counted(db: Database) -> None:
    # Memberships of networks count as changes of the organisations too: the list's pages are
    # kept by the counter, and its "network" filter reads them.
    count_changes_of(db, "organisations_version", ("memberships",))
