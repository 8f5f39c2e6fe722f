"""Queries and changes on campaigns and their partners.

Public API for other areas (calendar, social, catalogue, network map):

- ``get(db, slug)`` / ``get_by_id(db, id)``: a campaign dict (``themes`` and ``countries`` as
  lists, plus ``member_org_ids`` and ``lead_org_ids``); ``NotFound`` if absent. Check what a user
  may see with ``visibility.can_view`` / ``visibility.get_visible``.
- ``search(db, CampaignFilter(...), user=...)``: the campaigns a user may see, filtered by status,
  theme, country, organisation or text; ``visible_campaigns(db, user)`` for all of them.
- ``partners(db, campaign_id)``: organisations with role and workstreams (RACI letters).
- Workstreams and the RACI matrix live in ``juntos.campaigns.matrix``.
- Commitments, calls, milestones: ``juntos.campaigns.schedule``; the log: ``activity``.

Every change takes ``now`` and ``by`` (a user id, or ``None`` for the system) and writes one
``campaign_activity`` row in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from juntos.accounts.store import User
from juntos.area import ExtensionPoint
from juntos.campaigns import mail_link, visibility
from juntos.campaigns.activity import insert, log, org_name
from juntos.campaigns.models import (
    ACCEPTED,
    DEFAULT_WORKSTREAMS,
    INVITED,
    LEAD_ROLES,
    ROLES,
    CampaignInput,
)
from juntos.clock import iso
from juntos.db import Database, change_counter
from juntos.errors import Message, NotFound, ValidationError
from juntos.organisations import audit, picker
from juntos.validation import N_

Row = dict[str, Any]


# --- campaigns ---------------------------------------------------------------------------

def _campaign(row: Row) -> Row:
    for key in ("themes", "countries"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key] or "[]")
    return row


#: A campaign with its participations as one JSON column: one statement and one row (each row
#: fetched hands the interpreter lock to other threads; every campaign page asks).
_SELECT_WITH_ROLES = (
    "select c.*, (select json_group_array(json_array(p.organisation_id, p.role, p.status))"
    " from participations p where p.campaign_id = c.id) as _roles from campaigns c")


def _with_roles(campaign: Row) -> Row:
    rows = [(org, role, status) for org, role, status in json.loads(campaign.pop("_roles"))]
    accepted = [(org, role) for org, role, status in rows if status == ACCEPTED]
    campaign["member_org_ids"] = [org for org, _role in accepted]
    campaign["lead_org_ids"] = [org for org, role in accepted if role in LEAD_ROLES]
    campaign["invited_org_ids"] = [org for org, _role, status in rows if status == INVITED]
    return campaign


def version(db: Database) -> int:
    """Bumped by trigger on every write to a campaign's tables: what kept pieces key on."""
    return change_counter(db, "campaigns_version")


def get(db: Database, slug: str) -> Row:
    """The campaign with this slug (no visibility check: see ``visibility.get_visible``)."""
    rows = list(db.query(_SELECT_WITH_ROLES + " where c.slug = ?", [slug]))
    if not rows:
        raise NotFound(f"No campaign {slug!r}.")
    return _with_roles(_campaign(rows[0]))


def get_by_id(db: Database, campaign_id: int) -> Row:
    rows = list(db.query(_SELECT_WITH_ROLES + " where c.id = ?", [campaign_id]))
    if not rows:
        raise NotFound(f"No campaign with id {campaign_id}.")
    return _with_roles(_campaign(rows[0]))


#: Words a slug may not be, because a page's address uses them where a slug would go
#: (``/{prefix}/new``): filled by the composition root from the routes themselves.
RESERVED_SLUGS: ExtensionPoint[str] = ExtensionPoint("campaigns.reserved_slugs")


def slug_taken(db: Database, slug: str, *, except_id: int | None = None) -> bool:
    if slug in RESERVED_SLUGS:
        return True
    rows = db.query("select id from campaigns where slug = ?", [slug])
    return any(r["id"] != except_id for r in rows)


_TAKEN = N_("The short name %(slug)s is already taken; choose another.")


def campaign_input(db: Database, form: dict[str, str], *,
                   except_id: int | None = None) -> CampaignInput:
    """Validate a submitted campaign form, the taken slug included, reporting every problem
    at once (a form shows each next to its field)."""
    try:
        return CampaignInput.validated(**form)
    except ValidationError as e:
        errors = dict(e.errors)
        slug = (form.get("slug") or "").strip().lower()
        if "slug" not in errors and slug and slug_taken(db, slug, except_id=except_id):
            errors["slug"] = Message(_TAKEN, slug=repr(slug))
        raise ValidationError(errors) from None


def _values(data: CampaignInput) -> Row:
    values = data.model_dump()
    values["themes"] = json.dumps(data.themes)
    values["countries"] = json.dumps(data.countries)
    return values


def _organisation_id(db: Database, ref: str | int, field: str) -> int:
    """An organisation's id from its id, or from what a person typed (slug, name, acronym,
    other name: ``organisations.picker``); else a field error. Several organisations going by
    the typed name is an error too, never a silent choice: the form then offers them."""
    if isinstance(ref, int) and db.execute(
            "select 1 from organisations where id = ?", [ref]).fetchone():
        return ref
    text = str(ref).strip()
    if not text:
        raise ValidationError({field: Message(N_("Choose an organisation."))})
    found = picker.pick(db, text)
    if found.found is not None:
        return int(found.found["id"])
    if found.choices:
        raise ValidationError({field: Message(
            N_("Several organisations match “%(name)s”: choose one."), name=text)})
    raise ValidationError({field: Message(
        N_("No organisation matches “%(name)s”. Type part of its name or its"
           " acronym."), name=text)})


def create(db: Database, data: CampaignInput, *, lead: str | int, now: datetime,
           by: int | None = None, workstreams: tuple[str, ...] = DEFAULT_WORKSTREAMS,
           accepted: bool = False) -> Row:
    """Create a campaign led by ``lead`` (an organisation id or slug), with default workstreams.

    The lead takes part at once when ``by`` belongs to it (or is ``None``: the operator at the
    command line), or ``accepted`` (agreed elsewhere: the demo); otherwise it is invited, like
    any partner.

    Raises ``ValidationError`` on ``slug`` (taken) or ``lead`` (unknown organisation); nothing is
    saved then.
    """
    with db.atomic():
        errors: dict[str, str] = {}
        if slug_taken(db, data.slug):
            errors["slug"] = Message(_TAKEN, slug=repr(data.slug))
        try:
            lead_id = _organisation_id(db, lead, "lead")
        except ValidationError as e:
            errors.update(e.errors)
        if errors:
            raise ValidationError(errors)
        stamp = iso(now)
        campaign_id = insert(db, "campaigns", _values(data) | {
            "created_at": stamp, "created_by": by, "updated_at": stamp, "updated_by": by})
        status = _first_status(db, lead_id, by, accepted=accepted or by is None)
        db["participations"].insert({"campaign_id": campaign_id, "organisation_id": lead_id,
                                     "role": "lead", "joined_at": stamp, "invited_by": by,
                                     "status": status})
        if status == INVITED:
            audit.record(db, lead_id, "invited", data.title, now=now, by=by)
        db["workstreams"].insert_all(
            [{"campaign_id": campaign_id, "name": n, "position": i}
             for i, n in enumerate(workstreams)])
        log(db, campaign_id, "created", data.title, now=now, by=by)
    return get_by_id(db, campaign_id)


def update(db: Database, campaign_id: int, data: CampaignInput, *, now: datetime,
           by: int | None = None) -> Row:
    with db.atomic():
        if slug_taken(db, data.slug, except_id=campaign_id):
            raise ValidationError({"slug": Message(_TAKEN, slug=repr(data.slug))})
        db["campaigns"].update(campaign_id, _values(data) | {"updated_at": iso(now),
                                                             "updated_by": by})
        log(db, campaign_id, "updated", data.title, now=now, by=by)
    return get_by_id(db, campaign_id)


@dataclass(frozen=True, kw_only=True)
class CampaignFilter:
    q: str = ""
    status: str = ""
    theme: str = ""
    country: str = ""
    organisation_id: int | None = None  # campaigns this organisation takes part in

    def where(self) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.q:
            clauses.append("(c.title like ? or c.concept like ?)")
            params += [f"%{self.q}%"] * 2
        if self.status:
            clauses.append("c.status = ?")
            params.append(self.status)
        if self.theme:
            clauses.append("exists (select 1 from json_each(c.themes) where value = ?)")
            params.append(self.theme.lower())
        if self.country:
            clauses.append("exists (select 1 from json_each(c.countries) where value = ?)")
            params.append(self.country.upper())
        if self.organisation_id is not None:
            clauses.append("exists (select 1 from participations fp where fp.campaign_id = c.id"
                           " and fp.organisation_id = ? and fp.status = 'accepted')")
            params.append(self.organisation_id)
        return clauses, params


_STATUS_ORDER = ("case c.status when 'active' then 0 when 'planning' then 1 when 'idea' then 2"
                 " when 'finished' then 3 else 4 end")


def search(db: Database, flt: CampaignFilter, *, user: User | None, limit: int = 50,
           offset: int = 0, all_campaigns: bool = False) -> tuple[list[Row], int]:
    """One page of the campaigns ``user`` may see matching ``flt``, and the total count.

    Each row carries ``leads`` (names of lead and co-lead organisations, comma-separated) and
    ``partner_count``; all in two queries whatever the page size. ``all_campaigns`` skips the
    visibility rule: for the command line only, which has the database file in hand anyway.
    """
    clauses, params = flt.where()
    vis, vis_params = ("1 = 1", []) if all_campaigns else visibility.visible_clause(user)
    where = " where " + " and ".join([vis, *clauses])
    all_params = [*vis_params, *params]
    total = next(db.query(f"select count(*) as n from campaigns c{where}", all_params))["n"]
    rows = db.query(
        f"""select c.*,
              (select group_concat(coalesce(nullif(o.acronym, ''), o.name), ', ')
                 from participations p join organisations o on o.id = p.organisation_id
                where p.campaign_id = c.id and p.role in ('lead', 'co-lead')
                  and p.status = 'accepted') as leads,
              (select count(*) from participations p where p.campaign_id = c.id
                and p.status = 'accepted')
                as partner_count
            from campaigns c{where}
            order by {_STATUS_ORDER}, c.start_date desc, c.title collate nocase
            limit ? offset ?""",
        [*all_params, limit, offset])
    return [_campaign(r) for r in rows], int(total)


def visible_campaigns(db: Database, user: User | None) -> list[Row]:
    """Every campaign the user may see (id, slug, title, status, dates, visibility)."""
    vis, params = visibility.visible_clause(user)
    return list(db.query(
        "select c.id, c.slug, c.title, c.status, c.start_date, c.end_date, c.visibility"
        f" from campaigns c where {vis} order by c.start_date, c.title", params))


def campaigns_of_organisation(db: Database, org_id: int, *, user: User | None) -> list[Row]:
    """Campaigns an organisation takes part in, among those ``user`` may see, with its role."""
    vis, params = visibility.visible_clause(user)
    return list(db.query(
        "select c.id, c.slug, c.title, c.status, c.start_date, c.end_date, p.role"
        " from participations p join campaigns c on c.id = p.campaign_id"
        " where p.organisation_id = ? and p.status = 'accepted'"
        f" and {vis} order by {_STATUS_ORDER}, c.start_date desc",
        [org_id, *params]))


def themes_in_use(db: Database) -> list[str]:
    return [r["value"] for r in db.query(
        "select distinct j.value from campaigns c, json_each(c.themes) j order by 1")]


def countries_in_use(db: Database) -> list[str]:
    return [r["value"] for r in db.query(
        "select distinct j.value from campaigns c, json_each(c.countries) j order by 1")]


# --- partners ----------------------------------------------------------------------------

def partners(db: Database, campaign_id: int) -> list[Row]:
    """Partner organisations (those that accepted), leads first, each with ``role`` and
    ``workstreams``: a list of ``{"id", "name", "raci"}`` for the workstreams it has a letter
    in. Invitations waiting, declined or left: ``consent.invitations``."""
    rows = list(db.query(
        """select p.organisation_id as id, p.role, p.joined_at, o.slug, o.name, o.acronym,
                  o.short_name, o.country
             from participations p join organisations o on o.id = p.organisation_id
            where p.campaign_id = ? and p.status = 'accepted'
            order by case p.role when 'lead' then 0 when 'co-lead' then 1
                     when 'partner' then 2 else 3 end, o.name collate nocase""",
        [campaign_id]))
    by_org: dict[int, list[Row]] = {r["id"]: [] for r in rows}
    for a in db.query(
        """select a.organisation_id, a.raci, w.id, w.name from assignments a
             join workstreams w on w.id = a.workstream_id
            where a.campaign_id = ? order by w.position, w.id""", [campaign_id]):
        by_org.setdefault(a["organisation_id"], []).append(
            {"id": a["id"], "name": a["name"], "raci": a["raci"]})
    for r in rows:
        r["workstreams"] = by_org.get(r["id"], [])
    return rows


def add_partner(db: Database, campaign_id: int, organisation: str | int, role: str, *,
                now: datetime, by: int | None = None, accepted: bool = False) -> Row:
    """Invite an organisation (id, slug, name or acronym) with a role; ``ValidationError`` on
    ``organisation`` (unknown, already a partner or invited) or ``role``.

    It takes part once one of its members accepts (``consent.accept``). When ``by`` belongs to
    that organisation it has consented already; ``accepted`` records a partnership agreed
    elsewhere (the operator's demo and fixtures), never an answer given for someone else.
    An organisation that declined or left may be invited again.
    """
    _check_role(role)
    with db.atomic():
        org_id = _organisation_id(db, organisation, "organisation")
        current = participation_status(db, campaign_id, org_id)
        if current == ACCEPTED:
            raise ValidationError({"organisation": "This organisation is already a partner."})
        if current == INVITED:
            raise ValidationError({"organisation": "This organisation is already invited."})
        status = _first_status(db, org_id, by, accepted=accepted)
        values = {"campaign_id": campaign_id, "organisation_id": org_id, "role": role,
                  "joined_at": iso(now), "invited_by": by, "status": status,
                  "responded_at": iso(now) if status == ACCEPTED else None,
                  "responded_by": by if status == ACCEPTED else None}
        db["participations"].upsert(values, pk=("campaign_id", "organisation_id"))
        name = org_name(db, org_id)
        action = "partner_added" if status == ACCEPTED else "partner_invited"
        log(db, campaign_id, action, f"{name} ({role})", now=now, by=by)
        if status == INVITED:
            title = get_by_id(db, campaign_id)["title"]
            audit.record(db, org_id, "invited", f"{title} ({role})", now=now, by=by)
            mail_link.partner_invited(db, campaign_id, org_id, role, now=now)
    return next(p for p in partners(db, campaign_id) + _invited(db, campaign_id)
                if p["id"] == org_id)


def _invited(db: Database, campaign_id: int) -> list[Row]:
    return [{"id": r["organisation_id"], "role": r["role"], "status": r["status"],
             "workstreams": []} for r in db.query(
        "select organisation_id, role, status from participations where campaign_id = ?"
        " and status = 'invited'", [campaign_id])]


def _first_status(db: Database, org_id: int, by: int | None, *, accepted: bool) -> str:
    """Accepted when agreed already or asked by one of the organisation's own members."""
    if accepted:
        return ACCEPTED
    if by is not None:
        rows = list(db.query("select organisation_id, role from users where id = ?", [by]))
        if rows and rows[0]["organisation_id"] == org_id and rows[0]["role"] != "viewer":
            return ACCEPTED
    return INVITED


def participation_status(db: Database, campaign_id: int, org_id: int) -> str | None:
    """``invited``, ``accepted``, ``declined``, ``left``, or ``None`` (never asked)."""
    rows = list(db.query("select status from participations where campaign_id = ? and"
                         " organisation_id = ?", [campaign_id, org_id]))
    return rows[0]["status"] if rows else None


def set_role(db: Database, campaign_id: int, org_id: int, role: str, *, now: datetime,
             by: int | None = None) -> None:
    _check_role(role)
    with db.atomic():
        _require_partner(db, campaign_id, org_id)
        _keep_a_lead(db, campaign_id, org_id, new_role=role)
        db.execute("update participations set role = ? where campaign_id = ? and"
                   " organisation_id = ?", [role, campaign_id, org_id])
        log(db, campaign_id, "role_changed", f"{org_name(db, org_id)} ({role})", now=now, by=by)


def set_roles(db: Database, campaign_id: int, roles: dict[int, str], *, now: datetime,
              by: int | None = None) -> None:
    """Change several partners' roles at once; afterwards at least one lead must remain.

    Errors are keyed ``role-<organisation id>`` (or ``role`` when no lead would remain).
    """
    errors = {f"role-{org}": f"Unknown role {role!r}; one of {', '.join(ROLES)}."
              for org, role in roles.items() if role not in ROLES}
    current = {r["organisation_id"]: r["role"] for r in db.query(
        "select organisation_id, role from participations where campaign_id = ?"
        " and status = 'accepted'", [campaign_id])}
    errors |= {f"role-{org}": "This organisation is not a partner."
               for org in roles if org not in current}
    if errors:
        raise ValidationError(errors)
    changed = {org: role for org, role in roles.items() if current[org] != role}
    if not any(role in LEAD_ROLES for role in (current | changed).values()):
        raise ValidationError({"role": "A campaign needs at least one lead or co-lead."})
    with db.atomic():
        for org, role in changed.items():
            db.execute("update participations set role = ? where campaign_id = ? and"
                       " organisation_id = ?", [role, campaign_id, org])
            log(db, campaign_id, "role_changed", f"{org_name(db, org)} ({role})", now=now,
                by=by)


def remove_partner(db: Database, campaign_id: int, org_id: int, *, now: datetime,
                   by: int | None = None) -> None:
    """Remove a partner and its matrix letters (or withdraw an invitation); its commitments
    stay, for the record."""
    with db.atomic():
        if participation_status(db, campaign_id, org_id) != INVITED:
            _require_partner(db, campaign_id, org_id)
        _keep_a_lead(db, campaign_id, org_id, new_role=None)
        db.execute("delete from assignments where campaign_id = ? and organisation_id = ?",
                   [campaign_id, org_id])
        db.execute("delete from participations where campaign_id = ? and organisation_id = ?",
                   [campaign_id, org_id])
        log(db, campaign_id, "partner_removed", org_name(db, org_id), now=now, by=by)
        audit.record(db, org_id, "removed", get_by_id(db, campaign_id)["title"], now=now, by=by)


def is_partner(db: Database, campaign_id: int, org_id: int) -> bool:
    """Has the organisation accepted (an invitation waiting is not a partnership)?"""
    return participation_status(db, campaign_id, org_id) == ACCEPTED


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError({"role": f"Unknown role {role!r}; one of {', '.join(ROLES)}."})


def _require_partner(db: Database, campaign_id: int, org_id: int) -> None:
    if not is_partner(db, campaign_id, org_id):
        raise ValidationError({"organisation": "This organisation is not a partner."})


def _keep_a_lead(db: Database, campaign_id: int, org_id: int, *, new_role: str | None) -> None:
    if new_role in LEAD_ROLES:
        return
    others = list(db.query(
        "select 1 from participations where campaign_id = ? and organisation_id != ?"
        " and role in ('lead', 'co-lead') and status = 'accepted'", [campaign_id, org_id]))
    if not others:
        raise ValidationError({"role": "A campaign needs at least one lead or co-lead."})
