"""Pages of the campaigns area: list, new/edit, the campaign page and its small forms,
"my commitments", the printable brief, JSON and Markdown exports, and panels for the
dashboard and organisation pages.

Thin: parse the request, call ``juntos.campaigns``, render. A campaign the user may not see is
a 404 everywhere (``visibility.get_visible``; for a visitor without an account, the login page
whether it exists or not). Changing one needs a ``campaign.*`` action from
``juntos.accounts.policy`` (403 for those who can see it but may not change it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from juntos.accounts import policy
from juntos.campaigns import export, planning, schedule, store, visibility
from juntos.campaigns.models import (
    COMMITMENT_STATUSES,
    RACI,
    ROLES,
    STATUSES,
    VISIBILITIES,
    CallToActionInput,
    CommitmentInput,
    MilestoneInput,
)
from juntos.errors import NotAuthenticated, NotFound, ValidationError
from juntos.web import i18n
from juntos.web.i18n import N_
from juntos.web.i18n import gettext as _
from juntos.web.pagination import Pagination, current_page
from juntos.web.panels import campaign_panels
from juntos.web.routing import flash, form_dict, page
from juntos.web.templating import format_day

LABELS: dict[str, dict[str, str]] = {
    "status": {"idea": N_("idea"), "planning": N_("planning"), "active": N_("active"),
               "finished": N_("finished"), "archived": N_("archived")},
    "visibility": {"public": N_("public"), "network": N_("network"),
                   "private": N_("private to its partners")},
    "role": {"lead": N_("lead"), "co-lead": N_("co-lead"), "partner": N_("partner"),
             "supporter": N_("supporter")},
    "commitment": {"overdue": N_("overdue"), "open": N_("open"),
                   "in_progress": N_("in progress"), "done": N_("done"),
                   "dropped": N_("dropped")},
    "raci": {"A": N_("accountable"), "R": N_("responsible"), "C": N_("consulted"),
             "I": N_("informed")},
    "activity": {"created": N_("created the campaign"), "updated": N_("updated the details"),
                 "partner_added": N_("added a partner"),
                 "partner_removed": N_("removed a partner"),
                 "role_changed": N_("changed a role"),
                 "workstream_added": N_("added a workstream"),
                 "matrix_updated": N_("updated the responsibilities"),
                 "commitment_added": N_("added a commitment"),
                 "commitment_status": N_("changed a commitment's status"),
                 "commitment_changed": N_("changed a commitment"),
                 "commitment_deleted": N_("deleted a commitment"),
                 "call_added": N_("added a call to action"),
                 "call_changed": N_("changed a call to action"),
                 "call_deleted": N_("deleted a call to action"),
                 "milestone_added": N_("added a milestone"),
                 "milestone_changed": N_("changed a milestone"),
                 "milestone_deleted": N_("deleted a milestone")},
}

UPCOMING_DAYS = 60


@lru_cache(maxsize=4096)
def _day_in(value: str, language: str) -> str:
    return format_day(value)


def cached_day(value: str | None) -> str:
    """``format_day`` remembered per date and language: long lists repeat the same dates, and
    Babel's formatting is the costliest part of rendering them."""
    return _day_in(value, i18n.current_language()) if value else ""


def _today(request: Request) -> date:
    return request.state.clock().date()


def _render(request: Request, template: str, context: dict[str, Any],
            status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, template, {"labels": LABELS, "cached_day": cached_day, **context},
        status_code=status)


def _visible(request: Request) -> dict[str, Any]:
    """The campaign in the path if the user may see it; else 404 (or, for someone not signed
    in, the login page, whether the campaign exists or not, so nothing is revealed)."""
    try:
        return visibility.get_visible(request.state.db, request.state.user,
                                      request.path_params["slug"])
    except NotFound:
        if request.state.user is None:
            raise NotAuthenticated("Please log in to see this page.") from None
        raise


def _is_id(text: str) -> bool:
    """Digits that fit SQLite's 64-bit integers (a longer number would be a 500, not a 400)."""
    return text.isdigit() and len(text) < 19


def _back(campaign: dict[str, Any], anchor: str = "") -> Response:
    return RedirectResponse(f"/campaigns/{campaign['slug']}{anchor}", status_code=303)


# --- list ---------------------------------------------------------------------------------

async def campaign_list(request: Request) -> Response:
    db = request.state.db
    user = request.state.user
    q = request.query_params
    mine = q.get("mine") == "1"
    flt = store.CampaignFilter(
        q=q.get("q", "").strip(), status=q.get("status", "") if q.get("status") in STATUSES
        else "", theme=q.get("theme", ""), country=q.get("country", ""),
        organisation_id=user.organisation_id if mine else None)
    per_page = request.app.state.settings.page_size
    number = current_page(request)
    rows, total = store.search(db, flt, user=user, limit=per_page,
                               offset=(number - 1) * per_page)
    return _render(request, "campaigns/list.html", {
        "campaigns": rows, "filter": flt, "mine": mine, "statuses": STATUSES,
        "themes": store.themes_in_use(db), "countries": store.countries_in_use(db),
        "pagination": Pagination(number, per_page, total, request.url.path, dict(q)),
    })


# --- new and edit -------------------------------------------------------------------------

def _form_of(campaign: dict[str, Any]) -> dict[str, str]:
    values = {k: "" if v is None else v for k, v in campaign.items()}
    values["themes"] = ", ".join(campaign.get("themes") or [])
    values["countries"] = ", ".join(campaign.get("countries") or [])
    return values


def _render_form(request: Request, *, form: dict[str, Any], errors: dict[str, str],
                 campaign: dict[str, Any] | None, status: int = 200) -> Response:
    return _render(request, "campaigns/form.html", {
        "form": form, "errors": errors, "campaign": campaign, "statuses": STATUSES,
        "visibilities": VISIBILITIES,
    }, status)


async def campaign_new(request: Request) -> Response:
    form = {"status": "planning", "visibility": "network",
            "lead": request.state.user.organisation_slug}
    return _render_form(request, form=form, errors={}, campaign=None)


async def campaign_create(request: Request) -> Response:
    user = request.state.user
    form = await form_dict(request)
    # Only coordinators start a campaign for another organisation; members lead their own.
    lead = form.get("lead", "").strip() if user.is_coordinator else user.organisation_slug
    try:
        data = store.campaign_input(request.state.db, form)
        created = store.create(request.state.db, data, lead=lead or user.organisation_slug,
                               now=request.state.clock(), by=user.id)
    except ValidationError as e:
        return _render_form(request, form=form, errors=e.errors, campaign=None, status=400)
    flash(request, _("Created the campaign."))
    return _back(created)


async def campaign_edit(request: Request) -> Response:
    campaign = _visible(request)
    policy.require(request.state.user, "campaign.edit", campaign)
    return _render_form(request, form=_form_of(campaign), errors={}, campaign=campaign)


async def campaign_update(request: Request) -> Response:
    campaign = _visible(request)
    policy.require(request.state.user, "campaign.edit", campaign)
    form = await form_dict(request)
    try:
        data = store.campaign_input(request.state.db, form, except_id=campaign["id"])
        saved = store.update(request.state.db, campaign["id"], data,
                             now=request.state.clock(), by=request.state.user.id)
    except ValidationError as e:
        return _render_form(request, form=form, errors=e.errors, campaign=campaign, status=400)
    return _back(saved)


# --- the campaign page --------------------------------------------------------------------

def _page_context(request: Request, campaign: dict[str, Any]) -> dict[str, Any]:
    db = request.state.db
    user = request.state.user
    today = _today(request)
    view = export.overview(db, campaign, today=today)
    can_edit = policy.can(user, "campaign.edit", campaign)
    return {
        **view,
        "groups": schedule.grouped_commitments(view["commitments"]),
        "today": today.isoformat(),
        "can_edit": can_edit,
        "can_manage": policy.can(user, "campaign.manage_partners", campaign),
        "can_contribute": policy.can(user, "campaign.contribute", campaign),
        "suggestions": planning.suggest(campaign, view["calls_to_action"], today=today)
        if can_edit else [],
        "roles": ROLES, "raci": RACI, "commitment_statuses": COMMITMENT_STATUSES,
        # Other areas' panels assume a signed-in user; a public visitor sees the campaign only.
        "panels": campaign_panels(request, campaign) if user is not None else [],
        "errors": {}, "values": {},
    }


def _render_page(request: Request, campaign: dict[str, Any], *, form: str = "",
                 errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
                 status: int = 200) -> Response:
    context = _page_context(request, campaign)
    if form:
        context["errors"] = {form: errors or {}}
        context["values"] = {form: values or {}}
    return _render(request, "campaigns/view.html", context, status)


async def campaign_view(request: Request) -> Response:
    return _render_page(request, _visible(request))


async def campaign_json(request: Request) -> Response:
    campaign = _visible(request)
    view = export.overview(request.state.db, campaign, today=_today(request))
    return JSONResponse(export.to_dict(view))


async def campaign_markdown(request: Request) -> Response:
    campaign = _visible(request)
    view = export.overview(request.state.db, campaign, today=_today(request))
    return PlainTextResponse(export.to_markdown(view), media_type="text/markdown",
                             headers={"content-disposition":
                                      f'attachment; filename="{campaign["slug"]}.md"'})


async def campaign_brief(request: Request) -> Response:
    campaign = _visible(request)
    db = request.state.db
    today = _today(request)
    view = export.overview(db, campaign, today=today)
    # The coming six months, or up to the campaign's end when that is later: a brief for a
    # campaign still in planning must show its own dates.
    horizon = max((today + timedelta(days=183)).isoformat(), campaign.get("end_date") or "")
    upcoming = sorted(
        [("call", a["start_date"], a["title"]) for a in view["calls_to_action"]
         if today.isoformat() <= a["end_date"] and a["start_date"] <= horizon]
        + [("milestone", m["date"], m["title"]) for m in view["milestones"]
           if today.isoformat() <= m["date"] <= horizon]
        + [("commitment", c["due_date"], f"{c['org_acronym'] or c['org_name']}: {c['title']}")
           for c in view["commitments"]
           if c["due_date"] and c["status"] in ("open", "in_progress")
           and c["due_date"] <= horizon],
        key=lambda item: item[1])
    return _render(request, "campaigns/brief.html", {**view, "upcoming": upcoming,
                                                     "today": today.isoformat()})


# --- the small forms on the campaign page -------------------------------------------------

async def _small_form(request: Request, *, action: str | None, name: str, anchor: str,
                      save: Callable[[dict[str, Any], dict[str, str]], object]) -> Response:
    """What every small form on the campaign page does: check the user may, save, and go back
    to the form's section; on a ValidationError, the page again with the errors beside the
    form (400) and nothing saved."""
    campaign = _visible(request)
    if action:
        policy.require(request.state.user, action, campaign)
    form = await form_dict(request)
    try:
        save(campaign, form)
    except ValidationError as e:
        return _render_page(request, campaign, form=name, errors=e.errors, values=form,
                            status=400)
    return _back(campaign, anchor)


def call_input(form: dict[str, str]) -> CallToActionInput:
    return CallToActionInput.validated(
        title=form.get("title", ""), start_date=form.get("start_date", ""),
        end_date=form.get("end_date", ""), ask=form.get("ask", ""),
        audience=form.get("audience", ""), tactics=form.get("tactics", ""))


def milestone_input(form: dict[str, str]) -> MilestoneInput:
    return MilestoneInput.validated(title=form.get("title", ""), date=form.get("date", ""),
                                    notes=form.get("notes", ""))


def commitment_input(form: dict[str, str], organisation_id: object, *,
                     status: str = "") -> CommitmentInput:
    return CommitmentInput.validated(
        organisation_id=organisation_id, workstream_id=form.get("workstream_id", ""),
        title=form.get("title", ""), due_date=form.get("due_date", ""), status=status,
        notes=form.get("notes", ""))


async def partner_add(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: dict[str, str]) -> None:
        store.add_partner(request.state.db, campaign["id"], form.get("organisation", ""),
                          form.get("role", "partner"), now=request.state.clock(),
                          by=request.state.user.id)
    return await _small_form(request, action="campaign.manage_partners", name="partner",
                             anchor="#partners", save=save)


async def partner_roles(request: Request) -> Response:
    """One form for every partner's role; its "Remove" buttons name the partner to remove."""
    def save(campaign: dict[str, Any], form: dict[str, str]) -> None:
        db, now, by = request.state.db, request.state.clock(), request.state.user.id
        if _is_id(form.get("remove", "")):
            store.remove_partner(db, campaign["id"], int(form["remove"]), now=now, by=by)
        else:
            roles = {int(k[5:]): v for k, v in form.items()
                     if k.startswith("role-") and _is_id(k[5:])}
            store.set_roles(db, campaign["id"], roles, now=now, by=by)
    return await _small_form(request, action="campaign.manage_partners", name="roles",
                             anchor="#partners", save=save)


async def workstream_add(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: dict[str, str]) -> None:
        store.add_workstream(request.state.db, campaign["id"], form.get("name", ""),
                             now=request.state.clock(), by=request.state.user.id)
    return await _small_form(request, action="campaign.edit", name="workstream",
                             anchor="#matrix", save=save)


async def matrix_save(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: dict[str, str]) -> None:
        cells: dict[tuple[int, int], str] = {}
        for key, value in form.items():
            parts = key.split("-")
            if len(parts) == 3 and parts[0] == "cell" and _is_id(parts[1]) and _is_id(parts[2]):
                cells[(int(parts[1]), int(parts[2]))] = value
        store.set_matrix(request.state.db, campaign["id"], cells, now=request.state.clock(),
                         by=request.state.user.id)
    return await _small_form(request, action="campaign.edit", name="matrix", anchor="#matrix",
                             save=save)


async def commitment_add(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: dict[str, str]) -> None:
        user = request.state.user
        data = commitment_input(form, form.get("organisation_id", ""))
        if not policy.can(user, "commitment.update", (campaign, {
                "organisation_id": data.organisation_id})):
            raise ValidationError({"organisation_id": _(
                "You can record commitments for your own organisation only.")})
        schedule.add_commitment(request.state.db, campaign["id"], data,
                                now=request.state.clock(), by=user.id)
    return await _small_form(request, action="campaign.contribute", name="commitment",
                             anchor="#commitments", save=save)


async def commitment_statuses(request: Request) -> Response:
    """One form for the statuses of every commitment the user may update."""
    def save(campaign: dict[str, Any], form: dict[str, str]) -> None:
        db = request.state.db
        statuses = {int(k[7:]): v for k, v in form.items()
                    if k.startswith("status-") and _is_id(k[7:])}
        rows = {r["id"]: r
                for r in schedule.commitments(db, campaign["id"], today=_today(request))}
        for commitment_id in statuses:
            if commitment_id in rows:
                policy.require(request.state.user, "commitment.update",
                               (campaign, rows[commitment_id]))
        schedule.set_statuses(db, campaign["id"], statuses, now=request.state.clock(),
                              by=request.state.user.id)
    return await _small_form(request, action=None, name="statuses", anchor="#commitments",
                             save=save)


async def call_add(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: dict[str, str]) -> None:
        schedule.add_call_to_action(request.state.db, campaign["id"], call_input(form),
                                    now=request.state.clock(), by=request.state.user.id)
    return await _small_form(request, action="campaign.edit", name="call", anchor="#calls",
                             save=save)


async def call_from_suggestion(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: dict[str, str]) -> None:
        data = planning.call_from_observance(form.get("observance", ""), form.get("first", ""))
        schedule.add_call_to_action(request.state.db, campaign["id"], data,
                                    now=request.state.clock(), by=request.state.user.id)
    return await _small_form(request, action="campaign.edit", name="suggestion",
                             anchor="#calls", save=save)


async def milestone_add(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: dict[str, str]) -> None:
        schedule.add_milestone(request.state.db, campaign["id"], milestone_input(form),
                               now=request.state.clock(), by=request.state.user.id)
    return await _small_form(request, action="campaign.edit", name="milestone",
                             anchor="#milestones", save=save)


# --- my commitments -----------------------------------------------------------------------

async def my_commitments(request: Request) -> Response:
    include_closed = request.query_params.get("all") == "1"
    rows = schedule.my_commitments(request.state.db, request.state.user,
                                   today=_today(request), include_closed=include_closed)
    return _render(request, "campaigns/mine.html", {
        "commitments": rows, "include_closed": include_closed,
        "commitment_statuses": COMMITMENT_STATUSES})


# --- panels for shared pages --------------------------------------------------------------

def dashboard_panel(request: Request) -> tuple[str, dict[str, Any]] | None:
    """My organisation's next commitments (overdue first) and upcoming calls to action."""
    db = request.state.db
    user = request.state.user
    today = _today(request)
    mine = schedule.my_commitments(db, user, today=today, limit=6)
    calls = schedule.upcoming_calls(db, user, start=today,
                                    end=today + timedelta(days=UPCOMING_DAYS), limit=6)
    return "campaigns/_dashboard_panel.html", {
        "commitments": mine, "calls": calls, "labels": LABELS, "days": UPCOMING_DAYS}


def organisation_panel(request: Request, org: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The campaigns an organisation takes part in, among those the viewer may see."""
    rows = store.campaigns_of_organisation(request.state.db, org["id"],
                                           user=request.state.user)
    return "campaigns/_organisation_panel.html", {"campaigns": rows, "labels": LABELS}


routes = [
    page("/campaigns", campaign_list, name="campaigns"),
    page("/campaigns/new", campaign_new, action="campaign.create"),
    page("/campaigns/new", campaign_create, methods=["POST"], action="campaign.create"),
    page("/campaigns/commitments", my_commitments, name="my_commitments"),
    # Public routes: a public campaign is readable without an account; the rest ask to log in.
    page("/campaigns/{slug}.json", campaign_json, public=True),
    page("/campaigns/{slug}.md", campaign_markdown, public=True),
    page("/campaigns/{slug}", campaign_view, name="campaign", public=True),
    page("/campaigns/{slug}/brief", campaign_brief, public=True),
    page("/campaigns/{slug}/edit", campaign_edit),
    page("/campaigns/{slug}/edit", campaign_update, methods=["POST"]),
    page("/campaigns/{slug}/partners", partner_add, methods=["POST"]),
    page("/campaigns/{slug}/partners/roles", partner_roles, methods=["POST"]),
    page("/campaigns/{slug}/workstreams", workstream_add, methods=["POST"]),
    page("/campaigns/{slug}/matrix", matrix_save, methods=["POST"]),
    page("/campaigns/{slug}/commitments", commitment_add, methods=["POST"]),
    page("/campaigns/{slug}/commitments/statuses", commitment_statuses, methods=["POST"]),
    page("/campaigns/{slug}/calls", call_add, methods=["POST"]),
    page("/campaigns/{slug}/calls/suggested", call_from_suggestion, methods=["POST"]),
    page("/campaigns/{slug}/milestones", milestone_add, methods=["POST"]),
]
