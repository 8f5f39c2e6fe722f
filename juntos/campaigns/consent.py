"""Partnership is consent: an invited organisation's members accept or decline; a partner may
leave. Nobody answers for another organisation, coordinators included.

- ``accept`` / ``decline``: an invitation waiting (``invited``) becomes ``accepted`` or
  ``declined``; only a member (or coordinator) *of that organisation* may answer
  (``may_answer``).
- ``leave``: an accepted partner leaves (``left``); its matrix letters go, its commitments and
  the activity log stay, for the record. A campaign may be left with no lead: coordinators
  can still manage it, and forcing an organisation to stay would not be consent.
- ``invitations_for(db, org_id)``: what an organisation is invited to, each with the
  campaign's summary (shown to the invited organisation even for a private campaign).

Each answer writes one line in the campaign's activity log and one in the organisation's
audit trail, in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from juntos.accounts.roles import COORDINATOR, MEMBER
from juntos.accounts.store import User
from juntos.campaigns import store
from juntos.campaigns.activity import log, org_name
from juntos.campaigns.models import ACCEPTED, DECLINED, INVITED, LEFT
from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Conflict
from juntos.organisations import audit

Row = dict[str, Any]


def may_answer(user: User | None, org_id: int | None) -> bool:
    """Members of the organisation itself (a coordinator only for their own organisation)."""
    return (user is not None and user.role in (MEMBER, COORDINATOR)
            and user.organisation_id == org_id)


def _answer(db: Database, campaign_id: int, org_id: int, *, expected: str, new: str,
            action: str, audit_action: str, now: datetime, by: int | None) -> None:
    with db.atomic():
        cursor = db.execute(
            "update participations set status = ?, responded_at = ?, responded_by = ?"
            " where campaign_id = ? and organisation_id = ? and status = ?",
            [new, iso(now), by, campaign_id, org_id, expected])
        if cursor.rowcount != 1:
            raise Conflict("There is no such invitation or partnership any more.")
        if new == LEFT:
            db.execute("delete from assignments where campaign_id = ? and organisation_id = ?",
                       [campaign_id, org_id])
        log(db, campaign_id, action, org_name(db, org_id), now=now, by=by)
        title = store.get_by_id(db, campaign_id)["title"]
        audit.record(db, org_id, audit_action, title, now=now, by=by)


def accept(db: Database, campaign_id: int, org_id: int, *, now: datetime,
           by: int | None) -> None:
    _answer(db, campaign_id, org_id, expected=INVITED, new=ACCEPTED, action="partner_accepted",
            audit_action="accepted", now=now, by=by)


def decline(db: Database, campaign_id: int, org_id: int, *, now: datetime, by: int) -> None:
    _answer(db, campaign_id, org_id, expected=INVITED, new=DECLINED, action="partner_declined",
            audit_action="declined", now=now, by=by)


def leave(db: Database, campaign_id: int, org_id: int, *, now: datetime, by: int) -> None:
    _answer(db, campaign_id, org_id, expected=ACCEPTED, new=LEFT, action="partner_left",
            audit_action="left", now=now, by=by)


def invitations(db: Database, campaign_id: int) -> list[Row]:
    """Organisations asked but not (or no longer) taking part: invited, declined, left."""
    return list(db.query(
        """select p.organisation_id as id, p.role, p.status, p.joined_at as invited_at,
                  p.responded_at, o.slug, o.name, o.acronym
             from participations p join organisations o on o.id = p.organisation_id
            where p.campaign_id = ? and p.status != 'accepted'
            order by case p.status when 'invited' then 0 else 1 end, o.name collate nocase""",
        [campaign_id]))


def invitations_for(db: Database, org_id: int) -> list[Row]:
    """The invitations waiting for an organisation, with each campaign's summary and who
    invited it (their organisation)."""
    return list(db.query(
        """select c.id, c.slug, c.title, c.concept, c.status, c.start_date, c.end_date,
                  c.visibility, p.role, p.joined_at as invited_at,
                  coalesce(io.name, '') as invited_by_organisation
             from participations p join campaigns c on c.id = p.campaign_id
             left join users u on u.id = p.invited_by
             left join organisations io on io.id = u.organisation_id
            where p.organisation_id = ? and p.status = 'invited'
            order by p.joined_at desc, c.id desc""", [org_id]))


def invitation(db: Database, campaign_id: int, org_id: int) -> Row | None:
    """The waiting invitation of this organisation to this campaign, if any."""
    return next((r for r in invitations_for(db, org_id) if r["id"] == campaign_id), None)
