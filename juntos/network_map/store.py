"""Queries on ties, actor attributes, cached positions and the change counter."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from juntos.clock import iso
from juntos.db import Database
from juntos.errors import NotFound
from juntos.network_map.migrations import MEMBERSHIP_ID_BASE
from juntos.network_map.models import MEMBER_OF, TieInput

ACTOR_COLUMNS = ("id, slug, name, acronym, short_name, kind, country, territory, region, city,"
                 " themes, description")


def version(db: Database) -> int:
    """The change counter: bumped by triggers on every write to organisations or ties."""
    return int(next(db.query("select version from network_version where id = 1"))["version"])


def add_tie(db: Database, tie: TieInput, *, now: datetime, by: int | None = None,
            attrs: dict[str, Any] | None = None) -> int:
    """Store a tie; ``member of`` ties go to the memberships table (one row per pair)."""
    values = tie.model_dump() | {"directed": int(tie.directed), "recorded_at": iso(now),
                            "recorded_by": by, "attrs": json.dumps(attrs or {})}
    if tie.kind == MEMBER_OF:
        for key in ("from_id", "to_id", "kind", "directed"):
            values.pop(key)
        values |= {"member_id": tie.from_id, "network_id": tie.to_id,
                   "since": values.pop("valid_from")}
        db["memberships"].upsert(values, pk=("member_id", "network_id"))
        return -(tie.from_id * MEMBERSHIP_ID_BASE + tie.to_id)
    return _inserted(db["ties"].insert(values).last_pk)


def get_tie(db: Database, tie_id: int) -> dict[str, Any]:
    """One tie as the map reads it (a membership tie has a negative id); NotFound if none."""
    rows = list(db.query("select * from network_ties where id = ?", [tie_id]))
    if not rows:
        raise NotFound(f"No tie {tie_id}.")
    row = rows[0]
    return row | {"directed": bool(row["directed"]), "attrs": json.loads(row["attrs"] or "{}")}


def update_tie(db: Database, tie_id: int, tie: TieInput, *, now: datetime,
               by: int | None = None) -> int:
    """Change a tie's fields (its ends may be swapped); returns its id, which changes when the
    tie moves between the memberships table and the ties table (its kind becomes or stops
    being ``member of``). Attributes kept from an import stay; who and when become the editor's.
    """
    old = get_tie(db, tie_id)
    if tie_id > 0 and tie.kind != MEMBER_OF:
        values = tie.model_dump() | {"directed": int(tie.directed), "recorded_at": iso(now),
                                "recorded_by": by}
        db["ties"].update(tie_id, values)
        return tie_id
    with db.atomic():
        delete_tie(db, tie_id)
        return add_tie(db, tie, now=now, by=by, attrs=old["attrs"])


def delete_tie(db: Database, tie_id: int) -> None:
    if tie_id < 0:
        member, network = divmod(-tie_id, MEMBERSHIP_ID_BASE)
        sql, params = "member_id = ? and network_id = ?", [member, network]
        table = "memberships"
    else:
        table, sql, params = "ties", "id = ?", [tie_id]
    if not list(db.query(f"select 1 from {table} where {sql}", params)):
        raise NotFound(f"No tie {tie_id}.")
    db.execute(f"delete from {table} where {sql}", params)


def _actor(row: dict[str, Any]) -> dict[str, Any]:
    row["themes"] = json.loads(row.get("themes") or "[]")
    for key in ("acronym", "country", "region", "city", "description"):
        row[key] = row.get(key) or ""  # rows written outside the form may hold NULL
    return row


def actors(db: Database) -> list[dict[str, Any]]:
    """Every organisation is an actor of the map."""
    return [_actor(r) for r in db.query(f"select {ACTOR_COLUMNS} from organisations order by id")]


def ties(db: Database) -> list[dict[str, Any]]:
    rows = db.query("select * from network_ties order by id")
    # Most ties have no attributes: skip parsing "{}" (a second at 100,000 ties).
    return [r | {"directed": bool(r["directed"]),
                 "attrs": json.loads(r["attrs"]) if r["attrs"] and r["attrs"] != "{}" else {}}
            for r in rows]


def actor_attributes(db: Database) -> dict[int, dict[str, Any]]:
    return {r["org_id"]: json.loads(r["attrs"]) for r in db.query("select * from actor_attributes")}


def set_actor_attributes(db: Database, org_id: int, attrs: dict[str, Any]) -> None:
    db["actor_attributes"].upsert({"org_id": org_id, "attrs": json.dumps(attrs)}, pk="org_id")


def layout_version(db: Database) -> int:
    """The change counter the stored layout was computed for."""
    return int(next(db.query(
        "select layout_version from network_version where id = 1"))["layout_version"])


def positions(db: Database) -> tuple[int, dict[int, tuple[float, float]]]:
    """The last computed layout and the change counter it was computed for."""
    return layout_version(db), {r["org_id"]: (r["x"], r["y"])
                                for r in db.query("select * from actor_positions")}


def save_positions(db: Database, at_version: int, pos: dict[int, tuple[float, float]]) -> None:
    with db.atomic():
        db.execute("delete from actor_positions")
        db["actor_positions"].insert_all(
            ({"org_id": k, "x": round(float(x), 2), "y": round(float(y), 2)}
             for k, (x, y) in pos.items()), batch_size=2000)
        db.execute("update network_version set layout_version = ? where id = 1", [at_version])


def _inserted(pk: object) -> int:
    """The id sqlite-utils reports for a row just inserted (typed ``Any | None`` there)."""
    if not isinstance(pk, int):
        raise TypeError(f"expected the new row's id, got {pk!r}")
    return pk
