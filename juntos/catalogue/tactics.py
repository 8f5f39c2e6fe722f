"""Ideas planned as tactics of campaigns (the ``campaign_tactics`` link table).

Visibility comes from the campaigns area: an idea page lists only the campaigns the viewer may
see (``visibility.visible_clause``), and a private campaign a viewer may not see is absent
(``NotFound``), never forbidden.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from juntos.accounts.roles import COORDINATOR
from juntos.accounts.store import User
from juntos.campaigns import store as campaigns
from juntos.campaigns import visibility
from juntos.campaigns.models import LEAD_ROLES
from juntos.catalogue import store
from juntos.catalogue.models import clean_text
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import NotFound
from juntos.organisations.names import fold


def visible_campaign(db: Database, user: User | None, campaign_id: int) -> dict[str, Any]:
    """The campaign with its partners' roles, or ``NotFound`` if the user may not see it."""
    campaign = campaigns.get_by_id(db, campaign_id)
    if not visibility.can_view(db, user, campaign):
        raise NotFound("No such campaign.")
    return campaign


def campaign_if_visible(db: Database, user: User | None, campaign_id: int | None
                        ) -> dict[str, Any] | None:
    """The campaign if it exists and the user may see it, else ``None`` (nothing said)."""
    if campaign_id is None:
        return None
    try:
        return visible_campaign(db, user, campaign_id)
    except NotFound:
        return None


def linkable_campaigns(db: Database, user: User | None) -> list[dict[str, Any]]:
    """Campaigns a case story may name: those its editor may see."""
    return campaigns.visible_campaigns(db, user)


def add(db: Database, *, campaign_id: int, idea_slug: str, note: str, by: int | None,
        now: datetime) -> None:
    """Plan an idea as a tactic of a campaign (again: the note is updated)."""
    idea = store.get(db, idea_slug)
    if idea["status"] != "published" or idea["revision_of"] is not None:
        raise NotFound("No such idea.")
    db["campaign_tactics"].upsert(
        {"campaign_id": campaign_id, "idea_id": idea["id"], "note": clean_text(note)[:500],
         "added_by": by, "added_at": iso(now)}, pk=("campaign_id", "idea_id"))


def published_titles(db: Database) -> list[dict[str, Any]]:
    """Every published idea's slug and title, by title: what a person picks a tactic from."""
    return list(db.query("select slug, title from ideas where status = 'published'"
                         " and revision_of is null order by title collate nocase"))


def slug_for(db: Database, text: str) -> str | None:
    """The published idea a typed text names: its address, or its title with case and accents
    ignored when only one idea has it; else None."""
    text = " ".join((text or "").split())
    wanted = fold(text)
    found = [r["slug"] for r in published_titles(db)
             if r["slug"] == text or fold(r["title"]) == wanted]
    return found[0] if len(set(found)) == 1 else None


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


def for_idea(db: Database, idea_id: int, user: User | None) -> list[dict[str, Any]]:
    """Campaigns that planned this idea, only those ``user`` may see."""
    vis, params = visibility.visible_clause(user, "c")
    return list(db.query(
        "select c.id, c.slug, c.title, t.note, t.added_at from campaign_tactics t"
        f" join campaigns c on c.id = t.campaign_id where t.idea_id = ? and {vis}"
        " order by t.added_at desc", [idea_id, *params]))


def plannable(db: Database, user: User | None) -> list[dict[str, Any]]:
    """Campaigns the user may add tactics to: all for coordinators, else those their
    organisation leads (the campaigns area's ``campaign.edit`` rule)."""
    if user is None:
        return []
    rows = campaigns.visible_campaigns(db, user)
    if user.role == COORDINATOR:
        return rows
    marks = ",".join("?" * len(LEAD_ROLES))
    led = {r["campaign_id"] for r in db.query(
        "select campaign_id from participations where organisation_id = ?"
        f" and role in ({marks}) and status = 'accepted'",
        [user.organisation_id, *sorted(LEAD_ROLES)])}
    return [r for r in rows if r["id"] in led]
