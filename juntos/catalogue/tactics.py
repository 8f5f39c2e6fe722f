"""Ideas planned as tactics of campaigns (the ``campaign_tactics`` link table).

The campaigns area is built alongside this one: when its ``campaigns`` table exists, names come
from it; the link itself only needs the campaign's id. Callers decide which campaigns the viewer
may see (``visible_ids``) and filter with it, so a private campaign never shows on an idea page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from juntos.catalogue import store
from juntos.catalogue.models import clean_text
from juntos.clock import iso
from juntos.errors import NotFound


def campaigns_table(db: Database) -> bool:
    return "campaigns" in db.table_names()


def _campaign_names(db: Database, ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids or not campaigns_table(db):
        return {}
    columns = set(db["campaigns"].columns_dict)
    name = "name" if "name" in columns else ("title" if "title" in columns else "id")
    slug = "slug" if "slug" in columns else "id"
    marks = ",".join("?" * len(ids))
    return {r["id"]: r for r in db.query(
        f"select id, {name} as name, {slug} as slug from campaigns where id in ({marks})", ids)}


def add(db: Database, *, campaign_id: int, idea_slug: str, note: str, by: int,
        now: datetime) -> None:
    """Plan an idea as a tactic of a campaign (again: the note is updated)."""
    idea = store.get(db, idea_slug)
    if idea["status"] != "published" or idea["revision_of"] is not None:
        raise NotFound("No such idea.")
    if campaigns_table(db) and not list(db.query("select 1 from campaigns where id = ?",
                                                 [campaign_id])):
        raise NotFound("No such campaign.")
    db["campaign_tactics"].upsert(
        {"campaign_id": campaign_id, "idea_id": idea["id"], "note": clean_text(note)[:500],
         "added_by": by, "added_at": iso(now)}, pk=("campaign_id", "idea_id"))


def remove(db: Database, *, campaign_id: int, idea_id: int) -> None:
    db.execute("delete from campaign_tactics where campaign_id = ? and idea_id = ?",
               [campaign_id, idea_id])


def for_campaign(db: Database, campaign_id: int) -> list[dict[str, Any]]:
    """The tactics planned for a campaign, with the note on how."""
    return list(db.query(
        "select i.id, i.slug, i.title, i.summary, i.risk, t.note, t.added_at,"
        " coalesce(nullif(u.name, ''), u.email) as added_by_name from campaign_tactics t"
        " join ideas i on i.id = t.idea_id left join users u on u.id = t.added_by"
        " where t.campaign_id = ? order by t.added_at", [campaign_id]))


def for_idea(db: Database, idea_id: int, visible_ids: Iterable[int] | None) -> list[dict[str, Any]]:
    """Campaigns that planned this idea, limited to ``visible_ids`` (``None``: no limit)."""
    rows = list(db.query("select campaign_id, note, added_at from campaign_tactics"
                         " where idea_id = ? order by added_at desc", [idea_id]))
    if visible_ids is not None:
        allowed = set(visible_ids)
        rows = [r for r in rows if r["campaign_id"] in allowed]
    names = _campaign_names(db, [r["campaign_id"] for r in rows])
    return [{**r, "name": names.get(r["campaign_id"], {}).get("name"),
             "slug": names.get(r["campaign_id"], {}).get("slug")} for r in rows]


def usage_count(db: Database, idea_id: int) -> int:
    return int(next(db.query("select count(*) as n from campaign_tactics where idea_id = ?",
                             [idea_id]))["n"])


def campaigns(db: Database) -> list[dict[str, Any]] | None:
    """Every campaign row (for the caller's visibility check), or ``None`` without the
    campaigns area's table."""
    if not campaigns_table(db):
        return None
    columns = set(db["campaigns"].columns_dict)
    name = "name" if "name" in columns else ("title" if "title" in columns else "id")
    return [{**r, "name": r[name]} for r in db.query(
        f"select * from campaigns order by {name} collate nocase")]
