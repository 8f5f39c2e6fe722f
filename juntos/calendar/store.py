"""Events in SQLite: saving with SEQUENCE rules, soft deletion, and filtered queries."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.rrule import rruleset, rrulestr

from juntos.calendar.filters import Filters
from juntos.calendar.models import (
    SIGNIFICANT,
    Event,
    Window,
    _naive_rule,
    moment_text,
    parse_moment,
    validate,
)
from juntos.calendar.visibility import (
    Viewer,
    campaign_ids,
    campaign_slugs,
    campaign_titles,
    dated_campaigns,
    sql_clause,
)
from juntos.clock import iso
from juntos.db import Database, change_counter
from juntos.errors import NotFound

#: Cancelled and deleted events stay in feeds this long, so clients remove their copies.
GRACE = timedelta(days=90)


ALL_TIME = Window()
NO_FILTERS = Filters()


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def from_row(row: dict[str, Any]) -> Event:
    all_day = bool(row["all_day"])
    return Event(
        id=row["id"], uid=row["uid"], title=row["title"], description=row["description"] or "",
        location=row["location"] or "", url=row["url"] or "",
        start=parse_moment(row["start"], all_day=all_day),
        end=parse_moment(row["end"], all_day=all_day), all_day=all_day,
        tzid=row["tzid"] or "UTC", rrule=row["rrule"] or "",
        exdates=tuple(parse_moment(x, all_day=all_day) for x in json.loads(row["exdates"])),
        rdates=tuple(parse_moment(x, all_day=all_day) for x in json.loads(row["rdates"])),
        recurrence_id=(parse_moment(row["recurrence_id"], all_day=all_day)
                       if row["recurrence_id"] else None),
        category=row["category"] or "partner_event", campaign=row["campaign"] or "",
        campaign_id=row["campaign_id"],
        organiser_id=row["organiser_id"], organiser_name=row.get("organiser_name") or "",
        countries=tuple(json.loads(row["countries"])), themes=tuple(json.loads(row["themes"])),
        visibility=row["visibility"], status=row["status"], sequence=row["sequence"] or 0,
        created_at=_when(row["created_at"]), updated_at=_when(row["updated_at"]),
        deleted_at=_when(row["deleted_at"]), source_id=row["source_id"],
        source_label=row.get("source_label") or "",
        source_kind=row.get("source_kind") or "",
    )


def _last_instant(event: Event) -> datetime | None:
    """End of the last occurrence, or ``None`` for a series without COUNT or UNTIL."""
    if not event.is_recurring:
        return event.aware(event.end)
    if event.rrule and "COUNT=" not in event.rrule and "UNTIL=" not in event.rrule:
        return None
    start = event.start if isinstance(event.start, datetime) else datetime.combine(
        event.start, datetime.min.time())
    rules = rruleset()
    if event.rrule:
        rules.rrule(rrulestr(_naive_rule(event.rrule), dtstart=start))  # type: ignore[arg-type]
    rules.rdate(start)
    for extra in event.rdates:
        rules.rdate(extra if isinstance(extra, datetime)
                    else datetime.combine(extra, datetime.min.time()))
    last = None
    for last in rules:  # noqa: B007 - bounded by COUNT/UNTIL
        pass
    assert last is not None
    value: date | datetime = last if not event.all_day else last.date()
    return event.aware(value) + event.duration()


def _values(event: Event) -> dict[str, Any]:
    last = _last_instant(event)
    return {
        "uid": event.uid, "recurrence_id": moment_text(event.recurrence_id)
        if event.recurrence_id else "", "title": event.title.strip(),
        "description": event.description, "location": event.location, "url": event.url,
        "start": moment_text(event.start), "end": moment_text(event.end),
        "all_day": int(event.all_day), "tzid": event.tzid or "UTC", "rrule": event.rrule,
        "exdates": json.dumps([moment_text(x) for x in event.exdates]),
        "rdates": json.dumps([moment_text(x) for x in event.rdates]),
        "category": event.category, "campaign": event.campaign,
        "campaign_id": event.campaign_id,
        "organiser_id": event.organiser_id, "countries": json.dumps(list(event.countries)),
        "themes": json.dumps(list(event.themes)), "visibility": event.visibility,
        "status": event.status, "source_id": event.source_id,
        "start_utc": iso(event.aware(event.start)), "last_utc": iso(last) if last else None,
    }


def _existing(db: Database, uid: str, recurrence_id: str) -> dict[str, Any] | None:
    rows = list(db.query("select * from calendar_events where uid = ? and recurrence_id = ?",
                         [uid, recurrence_id]))
    return rows[0] if rows else None


def save(db: Database, event: Event, *, now: datetime) -> Event:
    """Insert, or update by UID: the UID never changes and SEQUENCE rises on every change a
    client must see. Saving an identical event writes nothing (the feed's ETag stays)."""
    validate(event)
    values = _values(event)
    old = _existing(db, values["uid"], values["recurrence_id"])
    if old is None:
        values |= {"sequence": event.sequence, "created_at": iso(event.created_at or now),
                   "updated_at": iso(event.updated_at or now), "deleted_at": None}
        pk = db["calendar_events"].insert(values).last_pk
        return _rendered(db, get(db, int(pk)))  # type: ignore[arg-type]
    changed = {k: v for k, v in values.items() if old.get(k) != v}
    if old["deleted_at"]:
        changed["deleted_at"] = None
    if not changed:
        return from_row(old)
    significant = any(k in SIGNIFICANT for k in changed) or "deleted_at" in changed
    sequence = max(old["sequence"] or 0, event.sequence)
    if significant and event.sequence <= (old["sequence"] or 0):
        sequence = (old["sequence"] or 0) + 1
    changed |= {"sequence": sequence, "updated_at": iso(now)}
    db["calendar_events"].update(old["id"], changed)
    return _rendered(db, get(db, old["id"]))


def _rendered(db: Database, event: Event) -> Event:
    from juntos.calendar import rendered  # rendering needs the feed module, which needs models

    rendered.refresh(db, event)
    return event


def get(db: Database, event_id: int) -> Event:
    rows = list(db.query(_SELECT + " where e.id = ?", [event_id]))
    if not rows:
        raise NotFound(f"No event {event_id}.")
    return from_row(rows[0])


def get_by_uid(db: Database, uid: str) -> Event:
    rows = list(db.query(_SELECT + " where e.uid = ? and e.recurrence_id = ''", [uid]))
    if not rows:
        raise NotFound(f"No event with UID {uid!r}.")
    return from_row(rows[0])


def cancel(db: Database, event_id: int, *, now: datetime) -> Event:
    """Cancelled, not removed: feeds keep it as STATUS:CANCELLED for the grace period."""
    event = get(db, event_id)
    return save(db, event.with_changes(status="cancelled"), now=now)


def delete(db: Database, event_id: int, *, now: datetime) -> None:
    """Soft delete (with its overrides): served as cancelled for 90 days, then purged."""
    event = get(db, event_id)
    with db.atomic():
        _soft_delete(db, event.uid, now)


def _soft_delete(db: Database, uid: str, now: datetime) -> None:
    for row in list(db.query("select id, sequence from calendar_events where uid = ?"
                             " and deleted_at is null", [uid])):
        db["calendar_events"].update(row["id"], {"deleted_at": iso(now),
                                                 "sequence": row["sequence"] + 1,
                                                 "updated_at": iso(now)})


def purge(db: Database, *, now: datetime) -> int:
    """Forget events deleted longer ago than the grace period."""
    cursor = db.execute("delete from calendar_events where deleted_at is not null and"
                        " deleted_at < ?", [iso(now - GRACE)])
    return cursor.rowcount


_SELECT = ("select e.*, o.name as organiser_name, s.label as source_label, s.kind as source_kind"
           " from calendar_events e left join organisations o on o.id = e.organiser_id"
           " left join calendar_sources s on s.id = e.source_id")


def query(db: Database, viewer: Viewer | None, filters: Filters = NO_FILTERS, *,
          window: Window = ALL_TIME, now: datetime | None = None,
          include_removed: bool = True, limit: int | None = None) -> list[Event]:
    """Events (series with their overrides) for ``viewer`` (``None``: the administrator's
    export, everything). Removed events come back only within the grace period of ``now``."""
    where, params = filters.sql(db)
    clauses = [where]
    if viewer is not None:
        clause, extra = sql_clause(viewer)
        clauses.append(clause)
        params += extra
    if window.end is not None:
        clauses.append("e.start_utc <= ?")
        params.append(iso(window.end))
    if window.start is not None:
        clauses.append("(e.last_utc is null or e.last_utc >= ?)")
        params.append(iso(window.start))
    if not include_removed:
        clauses.append("e.deleted_at is null and e.status != 'cancelled'")
    elif now is not None:
        clauses.append("(e.deleted_at is null or e.deleted_at >= ?)")
        params.append(iso(now - GRACE))
        clauses.append("(e.status != 'cancelled' or e.updated_at >= ?)")
        params.append(iso(now - GRACE))
    sql = (_SELECT + " where " + " and ".join(clauses)
           + " order by e.start_utc, e.uid, e.recurrence_id")
    if limit:
        sql += f" limit {int(limit)}"
    return [from_row(r) for r in db.query(sql, params)]


def count(db: Database) -> int:
    return int(next(db.query("select count(*) as n from calendar_events"))["n"])


def version(db: Database) -> int:
    """The change counter every write bumps (by trigger): part of every feed cache key."""
    return change_counter(db, "calendar_version")


def uids(db: Database, source_id: int | None = None) -> set[str]:
    sql = "select distinct uid from calendar_events"
    params: list[Any] = []
    if source_id is not None:
        sql += " where source_id = ?"
        params.append(source_id)
    return {r["uid"] for r in db.query(sql, params)}


def mark_gone(db: Database, source_id: int, keep: set[str], *, now: datetime) -> int:
    """Events of a source no longer upstream: deleted, so feeds cancel them (not vanish)."""
    gone = uids(db, source_id) - keep
    for uid in gone:
        _soft_delete(db, uid, now)
    return len(gone)


def facets(db: Database, viewer: Viewer) -> dict[str, list[Any]]:
    """Values the filters can take among the events this viewer may see."""
    clause, params = sql_clause(viewer)
    base = f"from calendar_events e where e.deleted_at is null and {clause}"
    # campaigns (slug, title) with events here, or dates of their own, this viewer may see
    ids = {r["v"] for r in db.query(
        f"select distinct e.campaign_id as v {base} and e.campaign_id is not null", params)}
    ids |= dated_campaigns(db, viewer)
    titles = campaign_titles(db, ids, viewer)
    campaigns = sorted(((slug, titles.get(i) or slug) for i, slug in
                        campaign_slugs(db, ids).items()), key=lambda c: c[1].casefold())
    organisers = [(r["slug"], r["name"]) for r in db.query(
        "select distinct o.slug, o.name from organisations o join calendar_events e"
        f" on e.organiser_id = o.id where e.deleted_at is null and {clause} order by o.name",
        params)]
    countries = [r["v"] for r in db.query(
        f"select distinct j.value as v {base.replace('from calendar_events e', 'from calendar_events e, json_each(e.countries) j')} order by v",  # noqa: E501
        params)]
    themes = [r["v"] for r in db.query(
        f"select distinct lower(j.value) as v {base.replace('from calendar_events e', 'from calendar_events e, json_each(e.themes) j')} order by v",  # noqa: E501
        params)]
    return {"campaigns": campaigns, "organisers": organisers, "countries": countries,
            "themes": themes}


def campaign_themes(db: Database, campaign: str, viewer: Viewer) -> list[str]:
    """Themes of a campaign's events that ``viewer`` may see: a private campaign's themes are
    no more public than its events. A stand-in until the campaigns area provides its own."""
    clause, params = sql_clause(viewer)
    campaign_id = campaign_ids(db, [campaign]).get(campaign)
    if campaign_id is None:
        return []
    return [r["v"] for r in db.query(
        "select distinct lower(j.value) as v from calendar_events e, json_each(e.themes) j"
        f" where e.campaign_id = ? and e.deleted_at is null and {clause} order by v",
        [campaign_id, *params])]
