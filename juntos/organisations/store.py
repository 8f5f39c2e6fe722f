"""Queries on organisations and network memberships."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils.db import Table

from juntos.area import ExtensionPoint
from juntos.clock import iso
from juntos.db import Database, change_counter
from juntos.errors import Conflict, NotFound
from juntos.organisations.models import OrganisationInput
from juntos.organisations.names import fold

LIST_FIELDS = ("languages", "themes")


def _row(row: dict[str, Any]) -> dict[str, Any]:
    for key in LIST_FIELDS:
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key] or "[]")
    row["is_public"] = bool(row.get("is_public"))
    return row


def get(db: Database, slug: str) -> dict[str, Any]:
    rows = list(db.query("select * from organisations where slug = ?", [slug]))
    if not rows:
        raise NotFound(f"No organisation {slug!r}.")
    return _row(rows[0])


def get_by_id(db: Database, org_id: int) -> dict[str, Any]:
    rows = list(db.query("select * from organisations where id = ?", [org_id]))
    if not rows:
        raise NotFound(f"No organisation with id {org_id}.")
    return _row(rows[0])


#: Words a slug may not be, because a page's address uses them where a slug would go
#: (``/{prefix}/new``): filled by the composition root from the routes themselves.
RESERVED_SLUGS: ExtensionPoint[str] = ExtensionPoint("organisations.reserved_slugs")


def slug_taken(db: Database, slug: str, *, except_id: int | None = None) -> bool:
    if slug in RESERVED_SLUGS:
        return True
    sql = "select 1 from organisations where slug = ?"
    params: list[Any] = [slug]
    if except_id is not None:
        sql += " and id != ?"
        params.append(except_id)
    return bool(list(db.query(sql, params)))


def _values(data: OrganisationInput) -> dict[str, Any]:
    values = data.model_dump()
    values["languages"] = json.dumps(data.languages)
    values["themes"] = json.dumps(data.themes)
    values["is_public"] = int(data.is_public)
    return values


def create(
    db: Database, data: OrganisationInput, *, now: datetime, by: int | None = None
) -> dict[str, Any]:
    if slug_taken(db, data.slug):
        raise Conflict(f"The slug {data.slug!r} is already taken.")
    values = _values(data) | {"created_at": iso(now), "updated_at": iso(now), "updated_by": by}
    db["organisations"].insert(values)
    return get(db, data.slug)


def update(
    db: Database, org_id: int, data: OrganisationInput, *, now: datetime, by: int | None = None
) -> dict[str, Any]:
    if slug_taken(db, data.slug, except_id=org_id):
        raise Conflict(f"The slug {data.slug!r} is already taken.")
    db["organisations"].update(
        org_id, _values(data) | {"updated_at": iso(now), "updated_by": by}
    )
    return get_by_id(db, org_id)


def upsert(db: Database, data: OrganisationInput, *, now: datetime) -> int:
    """Insert or update by slug; returns the id. Used by the demo and imports (idempotent)."""
    existing = list(db.query("select id from organisations where slug = ?", [data.slug]))
    if existing:
        db["organisations"].update(existing[0]["id"], _values(data) | {"updated_at": iso(now)})
        return int(existing[0]["id"])
    values = _values(data) | {"created_at": iso(now), "updated_at": iso(now)}
    return inserted_id(db["organisations"].insert(values))


def inserted_id(table: Table) -> int:
    """The key of the row ``table`` just inserted (sqlite-utils types it as optional)."""
    if table.last_pk is None:
        raise RuntimeError(f"Nothing was inserted into {table.name}.")
    return int(table.last_pk)


@dataclass(frozen=True, kw_only=True)
class OrganisationFilter:
    q: str = ""
    kind: str = ""
    country: str = ""
    theme: str = ""
    network: str = ""  # slug of a network the organisation belongs to

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.q:
            # Aliases count too, compared folded so "accao" finds "Acção" under any name.
            clauses.append(
                "(o.name like ? or o.acronym like ? or o.city like ? or exists (select 1 from"
                " organisation_aliases a where a.org_id = o.id and a.kind = 'name'"
                " and (a.alias like ? or a.normalised like ?)))"
            )
            params += [f"%{self.q}%"] * 4 + [f"%{fold(self.q)}%"]
        if self.kind:
            clauses.append("o.kind = ?")
            params.append(self.kind)
        if len(self.country) == 2:
            clauses.append("o.country = ? and o.territory = ''")
            params.append(self.country.upper())
        elif self.country:  # a territory, as organisations there name it
            clauses.append("o.territory = ? collate nocase")
            params.append(self.country)
        if self.theme:
            clauses.append("exists (select 1 from json_each(o.themes) where value = ?)")
            params.append(self.theme.lower())
        if self.network:
            clauses.append(
                "o.id in (select m.member_id from memberships m join organisations n"
                " on n.id = m.network_id where n.slug = ?)"
            )
            params.append(self.network)
        return (" where " + " and ".join(clauses) if clauses else ""), params


def search(
    db: Database, flt: OrganisationFilter, *, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """One page of organisations matching the filter, and the total count."""
    where, params = flt.where()
    total = next(db.query(f"select count(*) as n from organisations o{where}", params))["n"]
    rows = db.query(
        f"select o.* from organisations o{where} order by o.name collate nocase limit ? offset ?",
        [*params, limit, offset],
    )
    return [_row(r) for r in rows], int(total)


def all_slugs_and_names(db: Database) -> list[dict[str, Any]]:
    return list(db.query("select id, slug, name, acronym from organisations order by name"))


def countries_in_use(db: Database) -> list[str]:
    """Countries to filter by: ISO codes, and the territories organisations name themselves
    (Somaliland) as they write them; a code only its territories use is left out."""
    return [
        r["place"]
        for r in db.query(
            "select distinct case when territory != '' then territory else country end as place"
            " from organisations where country != '' order by 1"
        )
    ]


def version(db: Database) -> int:
    """The change counter every write to organisations bumps (by trigger): what caches of
    lists drawn from every organisation key on."""
    return change_counter(db, "organisations_version")


def themes_in_use(db: Database) -> list[str]:
    return [
        r["value"]
        for r in db.query(
            "select distinct j.value from organisations o, json_each(o.themes) j order by 1"
        )
    ]


def add_membership(db: Database, member_id: int, network_id: int, since: str = "") -> None:
    db["memberships"].upsert(
        {"member_id": member_id, "network_id": network_id, "since": since},
        pk=("member_id", "network_id"),
    )


def set_networks(db: Database, member_id: int, network_ids: list[int]) -> None:
    """Make ``member_id`` a member of exactly these networks. Memberships are also the network
    map's ``member of`` ties (with strength, stance, dates, notes), so those kept are left
    alone rather than deleted and re-added."""
    with db.atomic():
        current = {n["id"] for n in networks_of(db, member_id)}
        for network_id in current - set(network_ids):
            db.execute("delete from memberships where member_id = ? and network_id = ?",
                       [member_id, network_id])
        for network_id in network_ids:
            if network_id not in current:
                add_membership(db, member_id, network_id)


def networks_of(db: Database, org_id: int) -> list[dict[str, Any]]:
    return list(
        db.query(
            "select n.id, n.slug, n.name, n.acronym from memberships m"
            " join organisations n on n.id = m.network_id where m.member_id = ? order by n.name",
            [org_id],
        )
    )


def members_of(db: Database, network_id: int) -> list[dict[str, Any]]:
    return list(
        db.query(
            "select o.id, o.slug, o.name, o.acronym, o.short_name, o.country, o.territory"
            " from memberships m"
            " join organisations o on o.id = m.member_id where m.network_id = ? order by o.name",
            [network_id],
        )
    )


def networks(db: Database) -> list[dict[str, Any]]:
    return list(
        db.query("select id, slug, name, acronym from organisations where kind = 'network'"
                 " order by name")
    )


def stats(db: Database) -> dict[str, int]:
    row = next(
        db.query(
            "select count(*) as organisations,"
            " sum(kind = 'network') as networks,"
            " count(distinct nullif(country, '')) as countries from organisations"
        )
    )
    return {k: int(v or 0) for k, v in row.items()}
