"""The small forms on the campaign page: partners and their roles, workstreams and the RACI
matrix, commitments and their statuses, calls to action (also from a suggested international
day) and milestones. Each is one ``save`` given to ``small_form``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import policy
from juntos.campaigns import consent, matrix, planning, schedule, store
from juntos.campaigns.models import CallToActionInput, CommitmentInput, MilestoneInput
from juntos.errors import Forbidden, NotFound, ValidationError
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict
from juntos.web.views.campaigns.common import back, invited_campaign, is_id, today, visible
from juntos.web.views.campaigns.pages import render_page

Form = dict[str, str]


async def small_form(request: Request, *, action: str | None, name: str, anchor: str,
                     save: Callable[[dict[str, Any], Form], object]) -> Response:
    """What every small form on the campaign page does: check the user may, save, and go back
    to the form's section; on a ValidationError, the page again with the errors beside the
    form (400) and nothing saved."""
    campaign = visible(request)
    if action:
        policy.require(request.state.user, action, campaign)
    form = await form_dict(request)
    try:
        save(campaign, form)
    except ValidationError as e:
        return render_page(request, campaign, form=name, errors=e.errors, values=form,
                           status=400)
    return back(campaign, anchor)


def _ids(form: Form, prefix: str) -> dict[int, str]:
    """``{id: value}`` for the fields named ``<prefix><id>``."""
    return {int(k[len(prefix):]): v for k, v in form.items()
            if k.startswith(prefix) and is_id(k[len(prefix):])}


def _stamp(request: Request) -> dict[str, Any]:
    """Who changes the campaign, and when: every change is logged with them."""
    return {"now": request.state.clock(), "by": request.state.user.id}


async def partner_add(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: Form) -> None:
        store.add_partner(request.state.db, campaign["id"], form.get("organisation", ""),
                          form.get("role", "partner"), **_stamp(request))
    return await small_form(request, action="campaign.manage_partners", name="partner",
                            anchor="#partners", save=save)


async def partner_roles(request: Request) -> Response:
    """One form for every partner's role; its "Remove" buttons name the partner to remove."""
    def save(campaign: dict[str, Any], form: Form) -> None:
        if is_id(form.get("remove", "")):
            store.remove_partner(request.state.db, campaign["id"], int(form["remove"]),
                                 **_stamp(request))
        else:
            store.set_roles(request.state.db, campaign["id"], _ids(form, "role-"),
                            **_stamp(request))
    return await small_form(request, action="campaign.manage_partners", name="roles",
                            anchor="#partners", save=save)


async def workstream_add(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: Form) -> None:
        matrix.add_workstream(request.state.db, campaign["id"], form.get("name", ""),
                             **_stamp(request))
    return await small_form(request, action="campaign.edit", name="workstream",
                            anchor="#matrix", save=save)


async def matrix_save(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: Form) -> None:
        cells: dict[tuple[int, int], str] = {}
        for key, value in form.items():
            parts = key.split("-")
            if len(parts) == 3 and parts[0] == "cell" and is_id(parts[1]) and is_id(parts[2]):
                cells[(int(parts[1]), int(parts[2]))] = value
        matrix.set_matrix(request.state.db, campaign["id"], cells, **_stamp(request))
    return await small_form(request, action="campaign.edit", name="matrix", anchor="#matrix",
                            save=save)


async def commitment_add(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: Form) -> None:
        # A new commitment starts open, whatever the form says.
        data = CommitmentInput.validated(**{**form, "status": ""})
        if not policy.can(request.state.user, "commitment.update", (campaign, {
                "organisation_id": data.organisation_id})):
            raise ValidationError({"organisation_id": _(
                "You can record commitments for your own organisation only.")})
        schedule.add_commitment(request.state.db, campaign["id"], data, **_stamp(request))
    return await small_form(request, action="campaign.contribute", name="commitment",
                            anchor="#commitments", save=save)


async def commitment_statuses(request: Request) -> Response:
    """One form for the statuses of every commitment the user may update."""
    def save(campaign: dict[str, Any], form: Form) -> None:
        db = request.state.db
        statuses = _ids(form, "status-")
        rows = {r["id"]: r
                for r in schedule.commitments(db, campaign["id"], today=today(request))}
        for commitment_id in statuses:
            if commitment_id in rows:
                policy.require(request.state.user, "commitment.update",
                               (campaign, rows[commitment_id]))
        schedule.set_statuses(db, campaign["id"], statuses, **_stamp(request))
    return await small_form(request, action=None, name="statuses", anchor="#commitments",
                            save=save)


async def call_add(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: Form) -> None:
        schedule.add_call_to_action(request.state.db, campaign["id"],
                                    CallToActionInput.from_form(form), **_stamp(request))
    return await small_form(request, action="campaign.edit", name="call", anchor="#calls",
                            save=save)


async def call_from_suggestion(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: Form) -> None:
        data = planning.call_from_observance(form.get("observance", ""), form.get("first", ""))
        schedule.add_call_to_action(request.state.db, campaign["id"], data, **_stamp(request))
    return await small_form(request, action="campaign.edit", name="suggestion",
                            anchor="#calls", save=save)


async def milestone_add(request: Request) -> Response:
    def save(campaign: dict[str, Any], form: Form) -> None:
        schedule.add_milestone(request.state.db, campaign["id"],
                               MilestoneInput.validated(**form), **_stamp(request))
    return await small_form(request, action="campaign.edit", name="milestone",
                            anchor="#milestones", save=save)


# --- consent: an organisation's own answer --------------------------------------------------

async def invitation_answer(request: Request) -> Response:
    """Accept or decline the invitation of the user's own organisation (never another's:
    the organisation is the user's, not a form field)."""
    user = request.state.user
    try:
        campaign = visible(request)
    except NotFound:
        campaign = invited_campaign(request)
    if not consent.may_answer(user, user.organisation_id):
        raise Forbidden("Only a member of the invited organisation may answer.")
    form = await form_dict(request)
    answer = consent.accept if form.get("answer") == "accept" else consent.decline
    answer(request.state.db, campaign["id"], user.organisation_id, **_stamp(request))
    if answer is consent.accept:
        flash(request, _("Your organisation takes part in this campaign now."))
        return back(campaign)
    flash(request, _("You declined the invitation."))
    return RedirectResponse("/", status_code=303)


async def leave(request: Request) -> Response:
    """The user's own organisation leaves the campaign; the history stays."""
    user = request.state.user
    campaign = visible(request)
    if not consent.may_answer(user, user.organisation_id):
        raise Forbidden("Only a member of the organisation may take it out of a campaign.")
    consent.leave(request.state.db, campaign["id"], user.organisation_id, **_stamp(request))
    flash(request, _("Your organisation has left the campaign."))
    return back(campaign)
