"""The campaigns list, new and edit, the campaign page and its exports (JSON, Markdown, the
printable brief), "my commitments", and panels for the dashboard and organisation pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from juntos.accounts import policy
from juntos.campaigns import activity, consent, export, planning, schedule, store
from juntos.campaigns.memo import CampaignMemo
from juntos.campaigns.models import COMMITMENT_STATUSES, RACI, ROLES, STATUSES, VISIBILITIES
from juntos.errors import NotFound, ValidationError
from juntos.organisations import picker
from juntos.organisations import store as orgs
from juntos.web.i18n import gettext as _
from juntos.web.pagination import Pagination, current_page
from juntos.web.panels import brief_panels, campaign_panels
from juntos.web.routing import flash, form_dict
from juntos.web.templating import kept_piece
from juntos.web.views.campaigns.common import (
    LABELS,
    UPCOMING_DAYS,
    back,
    invited_campaign,
    options,
    render,
    today,
    visible,
)

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
    return render(request, "campaigns/list.html", {
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
    typed = str(form.get("lead") or "")
    db = request.state.db
    chosen_themes = _split(form.get("themes", ""))
    known = sorted(set(store.themes_in_use(db)) | set(orgs.themes_in_use(db)), key=str.casefold)
    return render(request, "campaigns/form.html", {
        "lead_choices": picker.pick(db, typed).choices if errors.get("lead") and typed else [],
        "chosen_countries": [c.upper() for c in _split(form.get("countries", ""))],
        "chosen_themes": chosen_themes, "known_themes": known,
        "new_themes": ", ".join(t for t in chosen_themes if t not in known),
        "form": form, "errors": errors, "campaign": campaign, "statuses": STATUSES,
        "visibilities": VISIBILITIES,
    }, status)


def _split(text: str) -> list[str]:
    return [t.strip() for t in str(text or "").split(",") if t.strip()]


async def _campaign_form(request: Request) -> dict[str, str]:
    """The form, its lists (countries chosen in a list, themes ticked or typed new) joined as
    the campaign's input reads them."""
    form = await form_dict(request)
    raw = await request.form()
    if "countries" in raw or "countries_list" in raw:
        form["countries"] = ", ".join(str(c) for c in raw.getlist("countries"))
    if "themes_known" in raw or "themes" in raw:
        form["themes"] = ", ".join([*map(str, raw.getlist("themes_known")),
                                    *_split(form.get("themes", ""))])
    form.pop("themes_known", None)
    form.pop("countries_list", None)
    return form


async def campaign_new(request: Request) -> Response:
    own = picker.pick(request.state.db, request.state.user.organisation_slug or "").found
    form = {"status": "planning", "visibility": "network", "lead": own["label"] if own else ""}
    return _render_form(request, form=form, errors={}, campaign=None)


async def campaign_create(request: Request) -> Response:
    user = request.state.user
    form = await _campaign_form(request)
    # Only coordinators start a campaign for another organisation; members lead their own.
    lead = form.get("lead", "").strip() if user.is_coordinator else user.organisation_slug
    try:
        data = store.campaign_input(request.state.db, form)
        created = store.create(request.state.db, data, lead=lead or user.organisation_slug,
                               now=request.state.clock(), by=user.id)
    except ValidationError as e:
        return _render_form(request, form=form, errors=e.errors, campaign=None, status=400)
    flash(request, _("Created the campaign."))
    return back(created)


async def campaign_edit(request: Request) -> Response:
    campaign = visible(request)
    policy.require(request.state.user, "campaign.edit", campaign)
    return _render_form(request, form=_form_of(campaign), errors={}, campaign=campaign)


async def campaign_update(request: Request) -> Response:
    campaign = visible(request)
    policy.require(request.state.user, "campaign.edit", campaign)
    form = await _campaign_form(request)
    try:
        data = store.campaign_input(request.state.db, form, except_id=campaign["id"])
        saved = store.update(request.state.db, campaign["id"], data,
                             now=request.state.clock(), by=request.state.user.id)
    except ValidationError as e:
        return _render_form(request, form=form, errors=e.errors, campaign=campaign, status=400)
    return back(saved)


# --- the campaign page --------------------------------------------------------------------

# How many coming dates the top of a campaign page shows (the brief lists them all).
NEXT_STEPS = 5

def _reader_context(request: Request, campaign: dict[str, Any]) -> dict[str, Any]:
    """What the page shows whoever reads it and whatever is kept: the reader's rights, the
    other areas' panels and the activity."""
    user = request.state.user
    db = request.state.db
    return {
        "campaign": campaign,
        "today": today(request).isoformat(),
        "can_edit": policy.can(user, "campaign.edit", campaign),
        "can_manage": policy.can(user, "campaign.manage_partners", campaign),
        "can_contribute": policy.can(user, "campaign.contribute", campaign),
        "may_answer": consent.may_answer(user, user.organisation_id if user else None),
        "may_leave": user is not None and consent.may_answer(user, user.organisation_id)
        and user.organisation_id in campaign["member_org_ids"],
        # Other areas' panels assume a signed-in user; a public visitor sees the campaign only.
        "panels": campaign_panels(request, campaign) if user is not None else [],
        "activity": activity.activity(db, campaign["id"],
                                      people=_sees_people(request, campaign)),
        "errors": {}, "values": {},
        # What the page's long pieces (who does what, the commitments) are kept by: this
        # campaign's tables and the organisations' names, as they are now.
        "pieces": (campaign["id"], store.version(db), orgs.version(db)),
    }


def _plan_context(request: Request, campaign: dict[str, Any],
                  reader: dict[str, Any]) -> dict[str, Any]:
    """What the plan (partners, who does what, commitments, calls, milestones) shows."""
    day = today(request)
    # the activity log is the reader's own, read in ``_reader_context``
    view = export.overview(request.state.db, campaign, today=day, with_activity=False)
    return {
        **view,
        "groups": schedule.grouped_commitments(view["commitments"]),
        "upcoming": export.upcoming(view, today=day)[:NEXT_STEPS],
        "suggestions": planning.suggest(campaign, view["calls_to_action"], today=day)
        if reader["can_edit"] else [],
        "roles": ROLES, "raci": RACI, "commitment_statuses": COMMITMENT_STATUSES,
        "role_options": options(ROLES, LABELS["role"]), "raci_options": options(RACI),
        "status_options": options(COMMITMENT_STATUSES, LABELS["commitment"]),
        "invitation": _own_invitation(request, campaign),
        "invitations": consent.invitations(request.state.db, campaign["id"])
        if reader["can_edit"] or reader["can_contribute"] else [],
    }


#: The name the plan is kept by (``fragment`` in campaigns/view.html).
PLAN = "campaigns/view.html plan"


def _plan_key(request: Request, context: dict[str, Any]) -> tuple[Any, ...]:
    """What the page's plan (everything above the other areas' panels and the activity) is
    kept by: the campaign's data (``pieces``), today, and all the reader may do here (their
    rights, organisation and role), and which panels the page's menu lists."""
    user = request.state.user
    return (context["pieces"], context["today"], context["can_edit"], context["can_manage"],
            context["can_contribute"], context["may_answer"], context["may_leave"],
            user.role if user else None, user.organisation_id if user else None,
            tuple(panel.area for panel in context["panels"]))


def render_page(request: Request, campaign: dict[str, Any], *, form: str = "",
                errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
                status: int = 200) -> Response:
    """The campaign page; with ``form``, that small form's errors and values beside it.
    When the plan is kept for this reader, what only the plan shows is not read at all."""
    context = _reader_context(request, campaign)
    context["plan_key"] = _plan_key(request, context)
    context["plan_html"] = None if form else kept_piece(request, PLAN, context["plan_key"])
    if context["plan_html"] is None:
        context.update(_plan_context(request, campaign, context))
    if form:
        context["errors"] = {form: errors or {}}
        context["values"] = {form: values or {}}
    typed = (values or {}).get("organisation", "")
    context["partner_choices"] = picker.pick(request.state.db, typed).choices \
        if form == "partner" and (errors or {}).get("organisation") and typed else []
    return render(request, "campaigns/view.html", context, status)


def _own_invitation(request: Request, campaign: dict[str, Any]) -> dict[str, Any] | None:
    user = request.state.user
    if user is None or user.organisation_id not in campaign.get("invited_org_ids", ()):
        return None
    return consent.invitation(request.state.db, campaign["id"], user.organisation_id)


async def campaign_view(request: Request) -> Response:
    try:
        campaign = visible(request)
    except NotFound:
        # A private campaign shows its summary to the organisations it invited, and only that.
        campaign = invited_campaign(request)
        return render(request, "campaigns/invitation.html", {
            "campaign": campaign, "invitation": _own_invitation(request, campaign),
            "may_answer": consent.may_answer(request.state.user,
                                             request.state.user.organisation_id)})
    return render_page(request, campaign)


def _overview(request: Request) -> dict[str, Any]:
    campaign = visible(request)
    return export.overview(request.state.db, campaign, today=today(request),
                           people=_sees_people(request, campaign))


def _sees_people(request: Request, campaign: dict[str, Any]) -> bool:
    """Who did what, by name, only for the campaign's partners and the network's coordinators;
    everyone else (anonymous visitors of a public campaign included) sees organisations."""
    user = request.state.user
    if user is None:
        return False
    return user.is_coordinator or store.is_partner(request.state.db, campaign["id"],
                                                   user.organisation_id)


async def campaign_json(request: Request) -> Response:
    return JSONResponse(export.to_dict(_overview(request)))


async def campaign_markdown(request: Request) -> Response:
    view = _overview(request)
    return PlainTextResponse(export.to_markdown(view), media_type="text/markdown",
                             headers={"content-disposition":
                                      f'attachment; filename="{view["campaign"]["slug"]}.md"'})


async def campaign_brief(request: Request) -> Response:
    view = _overview(request)
    day = today(request)
    return render(request, "campaigns/brief.html", {
        **view, "upcoming": export.upcoming(view, today=day), "today": day.isoformat(),
        "panels": brief_panels(request, view["campaign"])})


# --- my commitments -----------------------------------------------------------------------

async def my_commitments(request: Request) -> Response:
    include_closed = request.query_params.get("all") == "1"
    rows = schedule.my_commitments(request.state.db, request.state.user,
                                   today=today(request), include_closed=include_closed)
    return render(request, "campaigns/mine.html", {
        "commitments": rows, "include_closed": include_closed,
        "commitment_statuses": COMMITMENT_STATUSES})


# --- panels for shared pages --------------------------------------------------------------

def dashboard_panel(request: Request) -> tuple[str, dict[str, Any]] | None:
    """My organisation's next commitments (overdue first) and upcoming calls to action."""
    db = request.state.db
    user = request.state.user
    day = today(request)
    memo: CampaignMemo = request.app.state.campaign_memo
    # the same for every reader of one organisation and role (what they may see), that day
    reader = (user.organisation_id, user.role, day)
    mine = memo.get(db, ("next commitments", *reader),
                    lambda: schedule.my_commitments(db, user, today=day, limit=6))
    calls = memo.get(db, ("upcoming calls", *reader), lambda: schedule.upcoming_calls(
        db, user, start=day, end=day + timedelta(days=UPCOMING_DAYS), limit=6))
    return "campaigns/_dashboard_panel.html", {
        "commitments": mine, "calls": calls, "labels": LABELS, "days": UPCOMING_DAYS,
        "invitations": consent.invitations_for(db, user.organisation_id),
        "may_answer": consent.may_answer(user, user.organisation_id)}


def organisation_panel(request: Request, org: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The campaigns an organisation takes part in, among those the viewer may see."""
    rows = store.campaigns_of_organisation(request.state.db, org["id"],
                                           user=request.state.user)
    return "campaigns/_organisation_panel.html", {"campaigns": rows, "labels": LABELS}
