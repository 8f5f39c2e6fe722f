"""Editing and deleting a campaign's dated items: calls to action, milestones, commitments.

Each item has a page of its own (``/campaigns/{slug}/{kind}/{id}/edit``) so that it works
without JavaScript; the three kinds differ only in their fields, their domain functions and who
may change them, which ``ITEMS`` describes once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from juntos.accounts import policy
from juntos.campaigns import matrix, schedule, store
from juntos.campaigns.models import (
    COMMITMENT_STATUSES,
    CallToActionInput,
    CommitmentInput,
    MilestoneInput,
)
from juntos.errors import NotFound, ValidationError
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict
from juntos.web.views.campaigns.common import back, is_id, render, visible

Row = dict[str, Any]


def _call(form: dict[str, str], current: Row, may_move: bool) -> CallToActionInput:
    return CallToActionInput.from_form(form)


def _milestone(form: dict[str, str], current: Row, may_move: bool) -> MilestoneInput:
    return MilestoneInput.validated(**form)


def _commitment(form: dict[str, str], current: Row, may_move: bool) -> CommitmentInput:
    """A partner corrects its own promise; only a lead may hand it to another partner."""
    organisation = form.get("organisation_id", "") if may_move else current["organisation_id"]
    return CommitmentInput.validated(**{**form, "organisation_id": organisation})


@dataclass(frozen=True)
class Item:
    kind: str  # the URL segment
    anchor: str
    get: Callable[..., Row]
    update: Callable[..., None]
    delete: Callable[..., None]
    parse: Callable[[dict[str, str], Row, bool], BaseModel]
    commitment: bool = False  # commitments are changed under ``commitment.update``


ITEMS = {
    "calls": Item("calls", "#calls", schedule.get_call_to_action,
                  schedule.update_call_to_action, schedule.delete_call_to_action, _call),
    "milestones": Item("milestones", "#milestones", schedule.get_milestone,
                       schedule.update_milestone, schedule.delete_milestone, _milestone),
    "commitments": Item("commitments", "#commitments", schedule.get_commitment,
                        schedule.update_commitment, schedule.delete_commitment, _commitment,
                        commitment=True),
}


def _item(request: Request) -> tuple[Item, Row, Row]:
    """The item in the path, after the campaign's visibility and the user's right to change
    it; an id that is not this campaign's is a 404, whatever it is elsewhere."""
    item = ITEMS[request.url.path.split("/")[3]]  # /campaigns/{slug}/{kind}/{id}/...
    campaign = visible(request)
    raw = request.path_params["item_id"]
    if not is_id(raw):
        raise NotFound(_("No such item in this campaign."))
    row = item.get(request.state.db, campaign["id"], int(raw))
    if item.commitment:
        policy.require(request.state.user, "commitment.update", (campaign, row))
    else:
        policy.require(request.state.user, "campaign.edit", campaign)
    return item, campaign, row


def _render_item(request: Request, item: Item, campaign: Row, row: Row, *,
                 values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                 status: int = 200) -> Response:
    may_move = policy.can(request.state.user, "campaign.edit", campaign)
    db = request.state.db
    return render(request, "campaigns/item.html", {
        "c": campaign, "kind": item.kind, "item": row, "values": values or row,
        "errors": errors or {}, "may_move": may_move,
        "partners": store.partners(db, campaign["id"]) if item.commitment else [],
        "workstreams": matrix.workstreams(db, campaign["id"]) if item.commitment else [],
        "commitment_statuses": COMMITMENT_STATUSES,
    }, status)


async def edit_item(request: Request) -> Response:
    item, campaign, row = _item(request)
    return _render_item(request, item, campaign, row)


async def update_item(request: Request) -> Response:
    item, campaign, row = _item(request)
    form = await form_dict(request)
    may_move = policy.can(request.state.user, "campaign.edit", campaign)
    try:
        data = item.parse(form, row, may_move)
        item.update(request.state.db, campaign["id"], row["id"], data,
                    now=request.state.clock(), by=request.state.user.id)
    except ValidationError as e:
        return _render_item(request, item, campaign, row, values=form, errors=e.errors,
                            status=400)
    flash(request, _("Saved."))
    return back(campaign, item.anchor)


async def delete_item(request: Request) -> Response:
    item, campaign, row = _item(request)
    item.delete(request.state.db, campaign["id"], row["id"], now=request.state.clock(),
                by=request.state.user.id)
    flash(request, _("Deleted: %(title)s", title=row["title"]))
    return back(campaign, item.anchor)
