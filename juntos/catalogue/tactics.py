"""Ideas planned as tactics of campaigns (the ``campaign_tactics`` link table).

Visibility comes from the campaigns area: an idea page lists only the campaigns the viewer may
see (``visibility.visible_clause``), and a private campaign a viewer may not see is absent
(``NotFound``), never forbidden.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from juntos.accounts.roles import COORDINATOR
from juntos.accounts.store import User
from juntos.campaigns import store as campaigns
from juntos.campaigns import visibility
from juntos.campaigns.models import LEAD_ROLES
from juntos.catalogue import store
from juntos.catalogue.facet_index import FacetCache
from juntos.catalogue.models import clean_text
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import NotFound, ValidationError
from juntos.organisations.names import fold
from juntos.validation import N_, FormInput

#: How far a planned tactic is; labels translated where shown.
STATUSES: dict[str, str] = {
    "planned": N_("planned"),
    "under_way": N_("under way"),
    "done": N_("done"),
    "dropped": N_("dropped"),
}


def _blank_is_none(value: Any) -> Any:
    return None if value is None or str(value).strip() == "" else value


class TacticInput(FormInput):
    """How a campaign will use an idea: a note, the partner that owns it, a date, a status."""

    note: Annotated[str, BeforeValidator(lambda v: clean_text(str(v or "")))] = Field(
        "", max_length=500)
    owner_id: Annotated[int | None, BeforeValidator(_blank_is_none)] = None
    due_date: Annotated[date | None, BeforeValidator(_blank_is_none)] = None
    status: Literal["planned", "under_way", "done", "dropped"] = "planned"


#: Campaign statuses still worth planning in (the campaigns area's vocabulary); a finished or
#: archived campaign is offered last and never chosen for the user.
OPEN_STATUSES = ("idea", "planning", "active")


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


def add(db: Database, *, campaign_id: int, idea_slug: str, data: TacticInput,
        by: int | None, now: datetime) -> None:
    """Plan an idea as a tactic of a campaign (again: its note, owner, date and status are
    updated). The owner must be one of the campaign's accepted partners: nothing is planned in
    an organisation's name without it."""
    idea = store.get(db, idea_slug)
    if idea["status"] != "published" or idea["revision_of"] is not None:
        raise NotFound("No such idea.")
    if data.owner_id is not None and data.owner_id not in campaigns.get_by_id(
            db, campaign_id)["member_org_ids"]:
        raise ValidationError({"owner_id": N_("Choose one of the campaign's partners.")})
    values = {"note": data.note, "owner_id": data.owner_id,
              "due_date": data.due_date.isoformat() if data.due_date else None,
              "status": data.status}
    # Only what was submitted changes: adding again from the idea page, which asks for a note
    # only, keeps the owner, date and status set on the campaign page.
    db["campaign_tactics"].upsert(
        {"campaign_id": campaign_id, "idea_id": idea["id"], "added_by": by,
         "added_at": iso(now), **{k: v for k, v in values.items() if k in data.model_fields_set}},
        pk=("campaign_id", "idea_id"))


def published_titles(db: Database) -> list[dict[str, Any]]:
    """Every published idea's slug and title, by title: what a typed title is matched against."""
    return list(db.query("select slug, title from ideas where status = 'published'"
                         " and revision_of is null order by title collate nocase"))


#: Suggestions offered while typing an idea's title on a campaign page: a few, not the whole
#: catalogue (10,000 ideas would weigh hundreds of kilobytes on every campaign page).
SUGGESTIONS = 50


def suggested_titles(db: Database, themes: list[str], *,
                     cache: FacetCache | None = None) -> list[dict[str, Any]]:
    """A few published ideas, those on the campaign's themes first, each part by title.
    Sorting the whole catalogue for them takes milliseconds: with ``cache`` they are read
    once per change of the catalogue and set of themes."""
    def read() -> list[dict[str, Any]]:
        marks = ",".join("?" for _ in themes) or "null"
        return list(db.query(
            "select slug, title from ideas where status = 'published' and revision_of is null"
            " order by id in (select idea_id from idea_facets where facet = 'theme'"
            f" and value in ({marks})) desc, title collate nocase limit ?",
            [*themes, SUGGESTIONS]))

    if cache is None:
        return read()
    return cache.kept(db, ("suggested titles", tuple(sorted(themes))), read)


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
    """The tactics planned for a campaign, with the note on how, the owner, date and status:
    dated ones by date, then the undated in the order they were planned."""
    return list(db.query(
        "select i.id, i.slug, i.title, i.summary, i.risk, t.note, t.added_at, t.due_date,"
        " t.status, t.owner_id, o.name as owner_name, o.acronym as owner_acronym,"
        " coalesce(nullif(u.name, ''), u.email) as added_by_name from campaign_tactics t"
        " join ideas i on i.id = t.idea_id left join users u on u.id = t.added_by"
        " left join organisations o on o.id = t.owner_id"
        " where t.campaign_id = ? order by t.due_date is null, t.due_date, t.added_at",
        [campaign_id]))


def owners(db: Database, campaign_id: int) -> list[tuple[int, str]]:
    """``(id, name)`` of the organisations that may own a campaign's tactic: its partners."""
    return [(p["id"], p["name"]) for p in campaigns.partners(db, campaign_id)]


def for_idea(db: Database, idea_id: int, user: User | None) -> list[dict[str, Any]]:
    """Campaigns that planned this idea, only those ``user`` may see."""
    vis, params = visibility.visible_clause(user, "c")
    return list(db.query(
        "select c.id, c.slug, c.title, t.note, t.added_at from campaign_tactics t"
        f" join campaigns c on c.id = t.campaign_id where t.idea_id = ? and {vis}"
        " order by t.added_at desc", [idea_id, *params]))


def plannable(db: Database, user: User | None) -> list[dict[str, Any]]:
    """Campaigns the user may add tactics to: all for coordinators, else those their
    organisation leads (the campaigns area's ``campaign.edit`` rule); those still to come or
    under way first, finished and archived ones after (``open`` says which)."""
    if user is None:
        return []
    rows = sorted(campaigns.visible_campaigns(db, user),
                  key=lambda r: r["status"] not in OPEN_STATUSES)
    for r in rows:
        r["open"] = r["status"] in OPEN_STATUSES
    if user.role == COORDINATOR:
        return rows
    marks = ",".join("?" * len(LEAD_ROLES))
    led = {r["campaign_id"] for r in db.query(
        "select campaign_id from participations where organisation_id = ?"
        f" and role in ({marks}) and status = 'accepted'",
        [user.organisation_id, *sorted(LEAD_ROLES)])}
    return [r for r in rows if r["id"] in led]
