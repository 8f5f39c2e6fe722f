"""The activity log: every change to a campaign records who made it and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from juntos.clock import iso
from juntos.db import Database

Row = dict[str, Any]


# --- activity log ------------------------------------------------------------------------

def insert(db: Database, table: str, row: Row) -> int:
    """Add a row to ``table`` and return its id (sqlite-utils types ``last_pk`` as optional)."""
    pk = db[table].insert(row).last_pk
    if pk is None:
        raise RuntimeError(f"{table}: the new row has no id")
    return int(pk)


def log(db: Database, campaign_id: int, action: str, detail: str = "", *, now: datetime,
        by: int | None = None) -> None:
    """One line in the campaign's activity log: who (``by``), when (``now``), what."""
    db["campaign_activity"].insert({"campaign_id": campaign_id, "at": iso(now), "user_id": by,
                                    "action": action, "detail": detail[:300]})


def activity(db: Database, campaign_id: int, *, people: bool = True, limit: int = 20
             ) -> list[Row]:
    """Latest changes first, with who made each (empty for the system).

    With ``people=False`` (a viewer outside the campaign's partners) the author is their
    organisation, never a person's name or e-mail address: staff of some partners are at risk.
    """
    who = ("coalesce(nullif(u.name, ''), u.email, '')" if people
           else "coalesce(o.name, '')")
    return list(db.query(
        f"""select a.id, a.at, a.action, a.detail, a.user_id, {who} as user_name
             from campaign_activity a left join users u on u.id = a.user_id
             left join organisations o on o.id = u.organisation_id
            where a.campaign_id = ? order by a.id desc limit ?""", [campaign_id, limit]))


def org_name(db: Database, org_id: int) -> str:
    """An organisation's name for a log line (its id if it has gone)."""
    rows = list(db.query("select name from organisations where id = ?", [org_id]))
    return rows[0]["name"] if rows else str(org_id)
