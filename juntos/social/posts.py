"""Posts: a variant's text on an account at a moment, and the states it passes through.

Every change of state goes through ``_move``, which checks the transition, bumps ``version``
and ``sequence`` (the calendar reminder's SEQUENCE) and writes a history row in the same
transaction. Changes are compare-and-set on the current status, so two people (or, later, two
dispatcher workers) acting on one post cannot both win: the loser's update touches no row.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Conflict, NotFound, ValidationError
from juntos.social import authority, platforms
from juntos.social.counting import count
from juntos.social.models import (
    APPROVED,
    CANCELLED,
    CONNECTED,
    DRAFT,
    EDITABLE,
    MANUAL_STATE,
    SCHEDULED,
    STATUSES,
    SUBMITTED,
    check_transition,
    new_id,
)
from juntos.social.waves import WavePlan, WaveSpec

PAGE_SIZE = 50
#: Account states whose approved posts are scheduled: connected (the dispatcher posts them), or
#: posted by hand (their reminders are the schedule). Any other account's approved posts wait,
#: approved but not scheduled, until it is connected (``schedule_waiting``).
SCHEDULABLE_STATES = (CONNECTED, MANUAL_STATE)


@dataclass(frozen=True)
class WaveResult:
    wave_id: int
    created: int
    left_out: int


def create_wave(db: Database, *, campaign_id: int, kit_id: int, spec: WaveSpec, wave: WavePlan,
                now: datetime, by: int | None = None) -> WaveResult:
    """Store a confirmed wave: one draft post per row without a blocking problem.

    Rows with blocking problems are left out and counted, so the caller can say so.
    """
    ready = wave.ready
    stamp = iso(now)
    with db.atomic():
        wave_id = new_id(db.execute(
            """insert into social_waves (kit_id, campaign_id, mode, day, at, stagger_minutes,
                                         x_pattern, created_at, created_by)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [kit_id, campaign_id, spec.mode, spec.day.isoformat(), spec.at.strftime("%H:%M"),
             spec.stagger_minutes, spec.x_pattern, stamp, by]).lastrowid)
        lead_post_id: int | None = None
        if any(r.kind == "repost" for r in ready):
            # The lead's own post goes first so the reposts can point at it.
            lead = next(r for r in ready
                        if r.kind == "post" and r.account.id == spec.lead_account_id)
            lead_post_id = _insert(db, [lead], campaign_id, kit_id, wave_id, None, stamp, by)
            ready = [r for r in ready if r is not lead]
        _insert(db, ready, campaign_id, kit_id, wave_id, lead_post_id, stamp, by)
        db.execute(
            """insert into social_post_events (post_id, at, from_status, to_status, user_id,
                                               comment)
               select id, ?, null, 'draft', ?, 'planned in a wave' from social_posts
                where wave_id = ?""", [stamp, by, wave_id])
    return WaveResult(wave_id=wave_id, created=len(wave.ready),
                      left_out=len(wave.rows) - len(wave.ready))


def _insert(db: Database, rows: Sequence[Any], campaign_id: int, kit_id: int, wave_id: int,
            repost_of: int | None, stamp: str, by: int | None) -> int | None:
    values = [
        (campaign_id, kit_id, wave_id, r.variant.id if r.variant else None, r.account.id,
         r.account.organisation_id, r.account.platform, r.kind,
         repost_of if r.kind == "repost" else None,
         r.variant.language if r.variant else "", r.text, iso(r.utc), DRAFT, stamp, by, stamp,
         platforms.get(r.account.platform).new_key())
        for r in rows
    ]
    # dispatch_key: chosen now and stored with the post (a backup holds it), never derived
    # from the id, which repeats in a restored or fresh database.
    sql = """insert into social_posts (campaign_id, kit_id, wave_id, variant_id, account_id,
               organisation_id, platform, kind, repost_of, language, text, scheduled_at, status,
               created_at, created_by, updated_at, dispatch_key)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
    if len(values) == 1:  # executemany does not report lastrowid
        return db.conn.execute(sql, values[0]).lastrowid
    db.conn.executemany(sql, values)
    return None


def get(db: Database, post_id: int) -> dict[str, Any]:
    rows = list(db.query(f"{_SELECT} where p.id = ?", [post_id]))
    if not rows:
        raise NotFound(f"No post {post_id}.")
    return rows[0]


def _move(db: Database, post: dict[str, Any], wanted: str, *, now: datetime, by: int | None,
          comment: str = "", changes: dict[str, Any] | None = None) -> None:
    check_transition(post["status"], wanted)
    sets = {"status": wanted, "updated_at": iso(now), **(changes or {})}
    if wanted == DRAFT and comment:
        sets["comment"] = comment
    assignments = ", ".join(f"{k} = ?" for k in sets)
    cursor = db.execute(
        f"update social_posts set {assignments}, version = version + 1, sequence = sequence + 1"
        " where id = ? and status = ? and version = ?",
        [*sets.values(), post["id"], post["status"], post["version"]])
    if cursor.rowcount != 1:
        raise Conflict("This post changed meanwhile. Reload the page and try again.")
    if wanted in (DRAFT, SUBMITTED, CANCELLED):
        authority.withdraw(db, post["id"])
    db.execute(
        "insert into social_post_events (post_id, at, from_status, to_status, user_id, comment)"
        " values (?, ?, ?, ?, ?, ?)", [post["id"], iso(now), post["status"], wanted, by, comment])


def submit(db: Database, post_ids: Iterable[int], *, now: datetime, by: int | None) -> int:
    """Drafts go to the campaign leads for approval. Over-length text cannot be submitted."""
    done = 0
    with db.atomic():
        for post in by_ids(db, post_ids):
            if post["status"] != DRAFT:
                continue
            measured = count(post["platform"], post["text"])
            if post["kind"] == "post" and not measured.ok:
                raise ValidationError({"text": f"Post {post['id']}: {measured.problem}"})
            _move(db, post, SUBMITTED, now=now, by=by)
            done += 1
    return done


def approve(db: Database, post_ids: Iterable[int], *, now: datetime, by: int | None,
            organisation_id: int | None = None,
            approves_campaigns: Container[int] = ()) -> int:
    """Approve submitted posts and schedule them; a post whose time has passed stays approved,
    and so does one whose account is not connected (``waits_for_account``: it is scheduled
    when the account connects, ``schedule_waiting``).

    Only on the account's organisation's authority (``authority.approval``): the approver
    belongs to it (``organisation_id``), or approves the post's campaign
    (``approves_campaigns``) under a delegation the organisation granted. Other posts stay
    submitted, waiting for that organisation; the count says how many were approved.
    """
    done = 0
    with db.atomic():
        for post in by_ids(db, post_ids):
            if post["status"] != SUBMITTED:
                continue
            found = authority.approval(
                db, post, organisation_id=organisation_id,
                campaign_approver=post["campaign_id"] in approves_campaigns)
            if found is False:
                continue
            _move(db, post, APPROVED, now=now, by=by)
            authority.record(db, post, found, now=now, by=by)
            done += 1
            if post["scheduled_at"] > iso(now) and post["account_state"] in SCHEDULABLE_STATES:
                _move(db, get(db, post["id"]), SCHEDULED, now=now, by=by)
    return done


def waits_for_account(post: dict[str, Any]) -> bool:
    """Whether the post cannot be scheduled because its account is not connected."""
    return post["account_state"] not in SCHEDULABLE_STATES


def schedule_waiting(db: Database, account_id: int, *, now: datetime, by: int | None) -> int:
    """Schedule the account's approved posts still to come (it has just been connected)."""
    done = 0
    with db.atomic():
        for post in db.query(f"{_SELECT} where p.account_id = ? and p.status = ?"
                             " and p.scheduled_at > ?", [account_id, APPROVED, iso(now)]):
            _move(db, post, SCHEDULED, now=now, by=by, comment="account connected")
            done += 1
    return done


def send_back(db: Database, post_ids: Iterable[int], *, comment: str, now: datetime,
              by: int | None) -> int:
    """Return submitted posts to draft with the lead's comment."""
    comment = " ".join(comment.split())
    if not comment:
        raise ValidationError({"comment": "Say what should change."})
    done = 0
    with db.atomic():
        for post in by_ids(db, post_ids):
            if post["status"] == SUBMITTED:
                _move(db, post, DRAFT, now=now, by=by, comment=comment)
                done += 1
    return done


def cancel(db: Database, post_id: int, *, now: datetime, by: int | None, comment: str = "") -> None:
    with db.atomic():
        _move(db, get(db, post_id), CANCELLED, now=now, by=by, comment=comment)


def edit(db: Database, post_id: int, *, text: str, now: datetime, by: int | None) -> None:
    """Change a post's text. An approved or scheduled post goes back to draft for approval."""
    post = get(db, post_id)
    if post["status"] not in EDITABLE:
        raise Conflict(f"A post that is {post['status']} can no longer be edited.")
    text = text.replace("\r\n", "\n").strip()
    measured = count(post["platform"], text)
    if not text:
        raise ValidationError({"text": "A post needs some text."})
    if not measured.ok:
        raise ValidationError({"text": measured.problem})
    with db.atomic():
        if post["status"] == DRAFT:
            db.execute("update social_posts set text = ?, updated_at = ?, version = version + 1,"
                       " sequence = sequence + 1 where id = ?", [text, iso(now), post_id])
        else:
            _move(db, post, DRAFT, now=now, by=by, comment="edited", changes={"text": text})


def by_ids(db: Database, post_ids: Iterable[int]) -> list[dict[str, Any]]:
    ids = sorted({int(i) for i in post_ids})
    found: list[dict[str, Any]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found.extend(db.query(f"{_SELECT} where p.id in ({marks})", chunk))
    return found


def history(db: Database, post_id: int) -> list[dict[str, Any]]:
    return list(db.query(
        """select e.*, u.email as user_email, u.name as user_name from social_post_events e
             left join users u on u.id = e.user_id where e.post_id = ? order by e.id""",
        [post_id]))


# --- queues ------------------------------------------------------------------------------

_SELECT = (
    "select p.*, a.handle, a.instance_url, a.label as account_label, a.state as account_state,"
    " coalesce(nullif(a.timezone, ''), nullif(o.timezone, ''), 'UTC') as account_timezone,"
    " o.name as organisation_name, o.slug as organisation_slug"
    " from social_posts p join social_accounts a on a.id = p.account_id"
    " join organisations o on o.id = p.organisation_id"
)


@dataclass(frozen=True, kw_only=True)
class QueueFilter:
    campaign_id: int | None = None
    organisation_id: int | None = None
    campaign_ids: tuple[int, ...] | None = None  # restrict to campaigns the viewer may see
    status: str = ""
    day: str = ""  # YYYY-MM-DD (UTC day)
    wave_id: int | None = None
    # The approval inbox: posts of these campaigns, or on this organisation's accounts.
    approver: tuple[tuple[int, ...], int | None] | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = ["1 = 1"]
        params: list[Any] = []
        if self.approver is not None:
            led, own = self.approver
            marks = ",".join("?" * len(led)) or "null"
            clauses.append(f"(p.campaign_id in ({marks}) or p.organisation_id = ?)")
            params.extend([*led, own])
        if self.campaign_id is not None:
            clauses.append("p.campaign_id = ?")
            params.append(self.campaign_id)
        if self.organisation_id is not None:
            clauses.append("p.organisation_id = ?")
            params.append(self.organisation_id)
        if self.campaign_ids is not None:
            marks = ",".join("?" * len(self.campaign_ids)) or "null"
            clauses.append(f"p.campaign_id in ({marks})")
            params.extend(self.campaign_ids)
        if self.status:
            if self.status not in STATUSES:
                raise ValidationError({"status": f"Unknown status {self.status!r}."})
            clauses.append("p.status = ?")
            params.append(self.status)
        if self.day:
            clauses.append("p.scheduled_at >= ? and p.scheduled_at < ?")
            params.extend([f"{self.day}T00:00:00Z", f"{self.day}T99"])
        if self.wave_id is not None:
            clauses.append("p.wave_id = ?")
            params.append(self.wave_id)
        return " and ".join(clauses), params


@dataclass(frozen=True)
class QueuePage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


def queue(db: Database, flt: QueueFilter, *, page: int = 1, per_page: int = PAGE_SIZE,
          total: int | None = None) -> QueuePage:
    """Posts in time order, one page at a time (indexes on campaign/org + scheduled_at).
    ``total``: how many the filter finds, when the caller has counted them already."""
    where, params = flt.where()
    if total is None:
        total = db.execute(f"select count(*) from social_posts p where {where}",
                           params).fetchone()[0]
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    if not total:
        return QueuePage(rows=[], total=0, page=page, pages=pages)
    # Page through the (campaign|organisation, scheduled_at, id) index first, then join only
    # the rows shown: an OFFSET over the joined query would join every skipped row too.
    ids = [r[0] for r in db.execute(
        f"select p.id from social_posts p where {where} order by p.scheduled_at, p.id"
        " limit ? offset ?", [*params, per_page, (page - 1) * per_page])]
    marks = ",".join("?" * len(ids)) or "null"
    rows = list(db.query(f"{_SELECT} where p.id in ({marks}) order by p.scheduled_at, p.id",
                         ids))
    return QueuePage(rows=rows, total=total, page=page, pages=pages)


def all_posts(db: Database, flt: QueueFilter) -> list[dict[str, Any]]:
    where, params = flt.where()
    return list(db.query(f"{_SELECT} where {where} order by p.scheduled_at, p.id", params))


def campaign_counts(db: Database, flt: QueueFilter) -> dict[int, int]:
    """How many of the filter's posts each campaign has (the inbox's choice of campaign)."""
    where, params = flt.where()
    return {r["campaign_id"]: r["n"] for r in db.query(
        f"select p.campaign_id, count(*) as n from social_posts p where {where}"
        " group by p.campaign_id", params)}


def status_counts(db: Database, flt: QueueFilter) -> dict[str, int]:
    where, params = flt.where()
    return {r["status"]: r["n"] for r in db.query(
        f"select p.status, count(*) as n from social_posts p where {where} group by p.status",
        params)}
