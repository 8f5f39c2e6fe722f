"""Commitments, calls to action and milestones: the dated parts of a campaign.

- ``commitments(db, campaign_id, today=...)`` (each with ``overdue``), ``grouped_commitments``
  (overdue first), ``my_commitments(db, user, today=...)`` across visible campaigns.
- ``calls_to_action``, ``milestones``, ``upcoming_calls``.
- ``dated_items(db, user, start, end)``: commitments' due dates, calls to action and milestones
  in a period across visible campaigns, each with ``kind`` and a stable ``id``
  (``f"{kind}-{id}"`` is unique and never reused: a sound base for calendar UIDs).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from juntos.accounts.store import User
from juntos.campaigns import store, visibility
from juntos.campaigns.activity import insert, log, org_name
from juntos.campaigns.models import (
    COMMITMENT_STATUSES,
    CallToActionInput,
    CommitmentInput,
    MilestoneInput,
    is_overdue,
)
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import NotFound, ValidationError

Row = dict[str, Any]


# --- commitments -------------------------------------------------------------------------

_COMMITMENT_SELECT = """
    select m.*, o.slug as org_slug, o.name as org_name, o.acronym as org_acronym,
           w.name as workstream
      from commitments m
      join organisations o on o.id = m.organisation_id
      left join workstreams w on w.id = m.workstream_id"""


def commitments(db: Database, campaign_id: int, *, today: date) -> list[Row]:
    """Every commitment of a campaign, each with ``overdue``; by due date (undated last)."""
    rows = list(db.query(
        _COMMITMENT_SELECT + " where m.campaign_id = ?"
        " order by m.due_date is null or m.due_date = '', m.due_date, m.id", [campaign_id]))
    for r in rows:
        r["overdue"] = is_overdue(r, today)
    return rows


def grouped_commitments(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    """Groups in the order a page shows them: overdue first, then by status."""
    groups: dict[str, list[Row]] = {"overdue": [], "open": [], "in_progress": [], "done": [],
                                    "dropped": []}
    for r in rows:
        groups["overdue" if r["overdue"] else r["status"]].append(r)
    return [(k, v) for k, v in groups.items() if v]


def get_commitment(db: Database, campaign_id: int, commitment_id: int) -> Row:
    rows = list(db.query(_COMMITMENT_SELECT + " where m.campaign_id = ? and m.id = ?",
                         [campaign_id, commitment_id]))
    if not rows:
        raise NotFound(f"No commitment {commitment_id}.")
    return rows[0]


def add_commitment(db: Database, campaign_id: int, data: CommitmentInput, *, now: datetime,
                   by: int | None = None) -> int:
    """Record a commitment; the organisation must be a partner, the workstream the campaign's."""
    with db.atomic():
        _check_commitment(db, campaign_id, data)
        values = data.model_dump() | {"campaign_id": campaign_id, "created_at": iso(now),
                                      "created_by": by, "updated_at": iso(now)}
        values["due_date"] = data.due_date or None
        commitment_id = insert(db, "commitments", values)
        log(db, campaign_id, "commitment_added",
            f"{org_name(db, data.organisation_id)}: {data.title}", now=now, by=by)
    return commitment_id


def _check_commitment(db: Database, campaign_id: int, data: CommitmentInput) -> None:
    errors: dict[str, str] = {}
    if not store.is_partner(db, campaign_id, data.organisation_id):
        errors["organisation_id"] = "Unknown organisation: choose a partner of this campaign."
    if data.workstream_id is not None and not list(db.query(
            "select 1 from workstreams where campaign_id = ? and id = ?",
            [campaign_id, data.workstream_id])):
        errors["workstream_id"] = "Choose a workstream of this campaign."
    if errors:
        raise ValidationError(errors)


def update_commitment(db: Database, campaign_id: int, commitment_id: int,
                      data: CommitmentInput, *, now: datetime, by: int | None = None) -> None:
    """Correct what was promised (text, organisation, workstream, date, status, notes)."""
    with db.atomic():
        get_commitment(db, campaign_id, commitment_id)
        _check_commitment(db, campaign_id, data)
        values = data.model_dump() | {"updated_at": iso(now)}
        values["due_date"] = data.due_date or None
        db["commitments"].update(commitment_id, values)
        log(db, campaign_id, "commitment_changed",
            f"{org_name(db, data.organisation_id)}: {data.title}", now=now, by=by)


def delete_commitment(db: Database, campaign_id: int, commitment_id: int, *, now: datetime,
                      by: int | None = None) -> None:
    with db.atomic():
        row = get_commitment(db, campaign_id, commitment_id)
        db["commitments"].delete(commitment_id)
        log(db, campaign_id, "commitment_deleted", f"{row['org_name']}: {row['title']}",
            now=now, by=by)


def set_commitment_status(db: Database, campaign_id: int, commitment_id: int, status: str, *,
                          now: datetime, by: int | None = None) -> None:
    if status not in COMMITMENT_STATUSES:
        raise ValidationError({"status": f"Unknown status {status!r}; one of"
                                         f" {', '.join(COMMITMENT_STATUSES)}."})
    with db.atomic():
        row = get_commitment(db, campaign_id, commitment_id)
        db["commitments"].update(commitment_id, {"status": status, "updated_at": iso(now)})
        log(db, campaign_id, "commitment_status", f"{row['title']}: {status}", now=now, by=by)


def set_statuses(db: Database, campaign_id: int, statuses: dict[int, str], *, now: datetime,
                 by: int | None = None) -> int:
    """Change the status of several commitments of one campaign; returns how many changed.

    Errors are keyed ``status-<commitment id>``; nothing is saved when any is wrong.
    """
    current = {r["id"]: r for r in db.query(
        "select id, title, status from commitments where campaign_id = ?", [campaign_id])}
    errors = {f"status-{cid}": "Not a commitment of this campaign."
              for cid in statuses if cid not in current}
    errors |= {f"status-{cid}": f"Unknown status {st!r}; one of"
                                f" {', '.join(COMMITMENT_STATUSES)}."
               for cid, st in statuses.items() if st not in COMMITMENT_STATUSES}
    if errors:
        raise ValidationError(errors)
    changed = {cid: st for cid, st in statuses.items() if current[cid]["status"] != st}
    with db.atomic():
        for cid, st in changed.items():
            db["commitments"].update(cid, {"status": st, "updated_at": iso(now)})
            log(db, campaign_id, "commitment_status", f"{current[cid]['title']}: {st}",
                now=now, by=by)
    return len(changed)


def my_commitments(db: Database, user: User, *, today: date, include_closed: bool = False,
                   limit: int = 500) -> list[Row]:
    """The user's organisation's commitments across the campaigns the user may see, by due
    date, with ``campaign_slug``, ``campaign_title`` and ``overdue``."""
    vis, params = visibility.visible_clause(user)
    status = "" if include_closed else " and m.status in ('open', 'in_progress')"
    rows = list(db.query(
        """select m.*, c.slug as campaign_slug, c.title as campaign_title,
                  w.name as workstream
             from commitments m
             join campaigns c on c.id = m.campaign_id
             left join workstreams w on w.id = m.workstream_id
            where m.organisation_id = ?""" + status + f" and {vis}"
        + " order by m.due_date is null or m.due_date = '', m.due_date, m.id limit ?",
        [user.organisation_id, *params, limit]))
    for r in rows:
        r["overdue"] = is_overdue(r, today)
    return rows


# --- calls to action and milestones ------------------------------------------------------

def calls_to_action(db: Database, campaign_id: int) -> list[Row]:
    return list(db.query("select * from calls_to_action where campaign_id = ?"
                         " order by start_date, id", [campaign_id]))


def add_call_to_action(db: Database, campaign_id: int, data: CallToActionInput, *,
                       now: datetime, by: int | None = None) -> int:
    with db.atomic():
        if data.observance_key and list(db.query(
                "select 1 from calls_to_action where campaign_id = ? and observance_key = ?"
                " and start_date = ?", [campaign_id, data.observance_key, data.start_date])):
            raise ValidationError({"observance_key": "This day is already a call to action."})
        action_id = insert(db, "calls_to_action", data.model_dump() | {
            "campaign_id": campaign_id, "created_at": iso(now), "created_by": by})
        log(db, campaign_id, "call_added", f"{data.start_date} {data.title}", now=now, by=by)
    return action_id


def _one(db: Database, table: str, campaign_id: int, item_id: int) -> Row:
    rows = list(db.query(f"select * from {table} where campaign_id = ? and id = ?",
                         [campaign_id, item_id]))
    if not rows:
        raise NotFound(f"No such item {item_id} in this campaign.")
    return rows[0]


def get_call_to_action(db: Database, campaign_id: int, call_id: int) -> Row:
    return _one(db, "calls_to_action", campaign_id, call_id)


def update_call_to_action(db: Database, campaign_id: int, call_id: int,
                          data: CallToActionInput, *, now: datetime,
                          by: int | None = None) -> None:
    """Change a call to action; a link to an international day survives only on its date."""
    with db.atomic():
        current = get_call_to_action(db, campaign_id, call_id)
        values = data.model_dump()
        values["observance_key"] = (current["observance_key"]
                                    if data.start_date == current["start_date"] else "")
        db["calls_to_action"].update(call_id, values)
        log(db, campaign_id, "call_changed", f"{data.start_date} {data.title}", now=now, by=by)


def _delete(db: Database, table: str, campaign_id: int, item_id: int, *, action: str,
            day: str, now: datetime, by: int | None) -> None:
    with db.atomic():
        row = _one(db, table, campaign_id, item_id)
        db[table].delete(item_id)
        log(db, campaign_id, action, f"{row[day]} {row['title']}", now=now, by=by)


def delete_call_to_action(db: Database, campaign_id: int, call_id: int, *, now: datetime,
                          by: int | None = None) -> None:
    _delete(db, "calls_to_action", campaign_id, call_id, action="call_deleted",
            day="start_date", now=now, by=by)


def milestones(db: Database, campaign_id: int) -> list[Row]:
    return list(db.query("select * from milestones where campaign_id = ? order by date, id",
                         [campaign_id]))


def add_milestone(db: Database, campaign_id: int, data: MilestoneInput, *, now: datetime,
                  by: int | None = None) -> int:
    with db.atomic():
        milestone_id = insert(db, "milestones", data.model_dump() | {
            "campaign_id": campaign_id, "created_at": iso(now), "created_by": by})
        log(db, campaign_id, "milestone_added", f"{data.date} {data.title}", now=now, by=by)
    return milestone_id


def get_milestone(db: Database, campaign_id: int, milestone_id: int) -> Row:
    return _one(db, "milestones", campaign_id, milestone_id)


def update_milestone(db: Database, campaign_id: int, milestone_id: int, data: MilestoneInput,
                     *, now: datetime, by: int | None = None) -> None:
    with db.atomic():
        get_milestone(db, campaign_id, milestone_id)
        db["milestones"].update(milestone_id, data.model_dump())
        log(db, campaign_id, "milestone_changed", f"{data.date} {data.title}", now=now, by=by)


def delete_milestone(db: Database, campaign_id: int, milestone_id: int, *, now: datetime,
                     by: int | None = None) -> None:
    _delete(db, "milestones", campaign_id, milestone_id, action="milestone_deleted",
            day="date", now=now, by=by)


def upcoming_calls(db: Database, user: User | None, *, start: date, end: date,
                   limit: int = 10) -> list[Row]:
    """Calls to action overlapping [start, end] in campaigns the user may see."""
    vis, params = visibility.visible_clause(user)
    return list(db.query(
        "select a.*, c.slug as campaign_slug, c.title as campaign_title"
        " from calls_to_action a join campaigns c on c.id = a.campaign_id"
        f" where a.end_date >= ? and a.start_date <= ? and {vis}"
        " order by a.start_date, a.id limit ?",
        [start.isoformat(), end.isoformat(), *params, limit]))


def dated_items(db: Database, user: User | None, start: date, end: date) -> list[Row]:
    """Everything dated in [start, end] across campaigns the user may see, for calendars.

    Rows: ``kind`` (``commitment``, ``call``, ``milestone``), ``id`` (stable), ``campaign_id``,
    ``campaign_slug``, ``campaign_title``, ``title``, ``start_date``, ``end_date``.
    Dropped and done commitments are left out.
    """
    vis, params = visibility.visible_clause(user)
    s, e = start.isoformat(), end.isoformat()
    return list(db.query(
        f"""select 'call' as kind, a.id, c.id as campaign_id, c.slug as campaign_slug,
                   c.title as campaign_title, a.title, a.start_date, a.end_date
              from calls_to_action a join campaigns c on c.id = a.campaign_id
             where a.end_date >= ? and a.start_date <= ? and {vis}
            union all
            select 'milestone', m.id, c.id, c.slug, c.title, m.title, m.date, m.date
              from milestones m join campaigns c on c.id = m.campaign_id
             where m.date between ? and ? and {vis}
            union all
            select 'commitment', k.id, c.id, c.slug, c.title, k.title, k.due_date, k.due_date
              from commitments k join campaigns c on c.id = k.campaign_id
             where k.due_date between ? and ? and k.status in ('open', 'in_progress')
               and {vis}
            order by 7, 1, 2""",
        [s, e, *params, s, e, *params, s, e, *params]))
