"""Campaign dates in the joint calendar, read from the campaigns' own rows (never copied).

Calls to action, milestones and commitment due dates become all-day calendar events whose UIDs
derive from their row ids (ids are never reused), so a subscriber's copy follows the row
through edits. Visibility follows the campaign: public and network campaigns give public and
network events; a private campaign's dates are ``campaign`` events that only its partners (and
coordinators) see, through the partner lookup registered here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from juntos.accounts.store import User
from juntos.calendar import sources, visibility
from juntos.calendar.filters import Filters
from juntos.calendar.models import Event, Window, make_uid
from juntos.campaigns import visibility as campaign_visibility
from juntos.db import Database, change_counter

VISIBILITY = {"public": "public", "network": "network", "private": "campaign"}
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def partner_campaigns(db: Database, user: User) -> Iterable[int]:
    """Ids of the campaigns the user's organisation is an accepted partner of. Read as one
    row (every page asks, and each row fetched hands the interpreter lock to other threads:
    a coalition's organisation is a partner of dozens of campaigns)."""
    ids = db.execute(
        "select group_concat(p.campaign_id) from participations p"
        " where p.organisation_id = ? and p.status = 'accepted'",
        [user.organisation_id]).fetchone()[0]
    return [int(i) for i in ids.split(",")] if ids else []


def _ids(db: Database, slugs: Iterable[str]) -> dict[str, int]:
    wanted = list(slugs)
    marks = ",".join("?" * len(wanted))
    return {r["slug"]: r["id"] for r in db.query(
        f"select id, slug from campaigns where slug in ({marks})", wanted)}


def _slugs(db: Database, ids: Iterable[int]) -> dict[int, str]:
    wanted = list(ids)
    marks = ",".join("?" * len(wanted))
    return {r["id"]: r["slug"] for r in db.query(
        f"select id, slug from campaigns where id in ({marks})", wanted)}


def _titles(db: Database, ids: Iterable[int],
            viewer: visibility.Viewer | None) -> dict[int, str]:
    """Titles of those campaigns the viewer may see (``None``: every one)."""
    wanted = list(ids)
    marks = ",".join("?" * len(wanted))
    vis, params = _visible(viewer)
    return {r["id"]: r["title"] for r in db.query(
        f"select c.id, c.title from campaigns c where c.id in ({marks}) and {vis}",
        [*wanted, *params])}


def _dated(db: Database, viewer: visibility.Viewer) -> list[int]:
    """Campaigns this viewer may see with calls, milestones or open commitments."""
    vis, params = _visible(viewer)
    return [r["id"] for r in db.query(
        "select c.id from campaigns c where"
        " (exists (select 1 from calls_to_action a where a.campaign_id = c.id)"
        " or exists (select 1 from milestones m where m.campaign_id = c.id)"
        " or exists (select 1 from commitments k where k.campaign_id = c.id"
        f" and k.status != 'done')) and {vis}", params)]


#: Campaign slugs to ids and back, titles, and the campaigns with dates, for the calendar's
#: filters, facets, feed names and event form.
INDEX = visibility.CampaignIndex(ids=_ids, slugs=_slugs, titles=_titles, dated=_dated)


def version(db: Database) -> int:
    """Bumped by trigger on every write to the tables the dates come from (one-row read)."""
    return change_counter(db, "campaigns_calendar_version")


def _visible(viewer: visibility.Viewer | None) -> tuple[str, list[Any]]:
    """The campaigns area's own rule; ``None`` is the administrator's export (everything)."""
    if viewer is None:
        return campaign_visibility.visible_clause_for(signed_in=True, coordinator=True)
    return campaign_visibility.visible_clause_for(
        signed_in=viewer.signed_in, coordinator=viewer.coordinator,
        organisation_id=viewer.organisation_id)


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _sequence(updated_at: str | None) -> int:
    """Rises with every update of the row, as SEQUENCE must (minutes since 2020)."""
    moment = _moment(updated_at)
    return int((moment - EPOCH).total_seconds() // 60) if moment else 0


def _campaign_clause(viewer: visibility.Viewer | None,
                     filters: Filters) -> tuple[str, list[Any]]:
    """Which campaigns' dates to read: visible ones, narrowed in SQL by the filters that are
    about the campaign, so a campaign's timeline does not read every campaign's rows."""
    clause, params = _visible(viewer)
    if filters.campaign:
        clause += " and c.slug = ?"
        params = [*params, filters.campaign]
    if filters.country:
        clause += " and exists (select 1 from json_each(c.countries) where lower(value) = lower(?))"
        params = [*params, filters.country]
    if filters.theme:
        clause += " and exists (select 1 from json_each(c.themes) where lower(value) = ?)"
        params = [*params, filters.theme]
    return clause, params


def _rows(db: Database, viewer: visibility.Viewer | None, window: Window,
          filters: Filters) -> Iterator[dict]:
    vis, params = _campaign_clause(viewer, filters)
    start = (window.start.date() if window.start else date.min).isoformat()
    end = (window.end.date() if window.end else date.max).isoformat()
    yield from db.query(
        f"""select 'call' as kind, a.id, a.title, a.start_date, a.end_date, a.ask as detail,
                   '' as org_name, null as org_id, a.created_at, null as updated_at,
                   'open' as status, c.id as campaign_id, c.slug, c.title as campaign_title,
                   c.visibility, c.countries, c.themes
              from calls_to_action a join campaigns c on c.id = a.campaign_id
             where a.end_date >= ? and a.start_date <= ? and {vis}
            union all
            select 'milestone', m.id, m.title, m.date, m.date, m.notes, '', null, m.created_at,
                   null, 'open', c.id, c.slug, c.title, c.visibility, c.countries, c.themes
              from milestones m join campaigns c on c.id = m.campaign_id
             where m.date between ? and ? and {vis}
            union all
            select 'commitment', k.id, k.title, k.due_date, k.due_date, k.notes, o.name, o.id,
                   k.created_at, k.updated_at, k.status, c.id, c.slug, c.title, c.visibility,
                   c.countries, c.themes
              from commitments k join campaigns c on c.id = k.campaign_id
              join organisations o on o.id = k.organisation_id
             where k.due_date between ? and ? and k.status != 'done' and {vis}""",
        [start, end, *params, start, end, *params, start, end, *params])


def _event(row: dict[str, Any]) -> Event:
    kind = row["kind"]
    first, last = _day(row["start_date"]), _day(row["end_date"] or row["start_date"])
    campaign = row["campaign_title"]
    if kind == "call":
        title, category = f"{row['title']} ({campaign})", "day_of_action"
    elif kind == "milestone":
        title, category = f"{campaign}: {row['title']}", "deadline"
    else:
        title, category = f"Due: {row['title']} ({row['org_name']}, {campaign})", "deadline"
    return Event(
        uid=make_uid(f"campaign-{kind}", row["id"]),
        title=title,
        start=first,
        end=last + timedelta(days=1),  # all-day DTEND is exclusive
        all_day=True,
        description=row["detail"] or "",
        category=category,
        campaign=row["slug"],
        campaign_id=row["campaign_id"],
        organiser_id=row["org_id"],
        organiser_name=row["org_name"] or "",
        countries=tuple(json.loads(row["countries"] or "[]")),
        themes=tuple(json.loads(row["themes"] or "[]")),
        visibility=VISIBILITY.get(row["visibility"], "campaign"),
        status="cancelled" if row["status"] == "dropped" else "confirmed",
        sequence=_sequence(row["updated_at"]),
        created_at=_moment(row["created_at"]),
        updated_at=_moment(row["updated_at"] or row["created_at"]),
        source_label=f"Part of the campaign “{campaign}”.",
    )


def provide(db: Database, viewer: visibility.Viewer | None, filters: Filters,
            window: Window) -> Iterator[Event]:
    """The calendar provider: campaign dates this viewer may see, matching the filters."""
    organiser_slugs = {}
    if filters.org:
        organiser_slugs = {r["id"]: r["slug"] for r in db.query(
            "select id, slug from organisations where slug = ?", [filters.org])}
    for row in _rows(db, viewer, window, filters):
        event = _event(row)
        if filters.matches(event, organiser_slugs.get(event.organiser_id, "")):
            yield event


#: Plugged into the calendar by the campaigns manifest.
SOURCE = sources.Source(provide, version)
