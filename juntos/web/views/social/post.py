"""One post: edit, submit, cancel, decide after a failed check; its history; the campaign
page's panel of scheduled posts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from juntos.accounts import policy
from juntos.db import Database
from juntos.errors import Conflict, NotFound, ValidationError
from juntos.social import accounts, by_hand, campaign_link, dispatch, kits, posts
from juntos.web.i18n import N_
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict
from juntos.web.views.social.common import (
    number,
    platform_context,
    redirect,
    render,
    viewer_zone,
)

Action = Callable[[Database, dict[str, Any], dict[str, str], datetime, int], None]


def _resend(db: Database, post: dict[str, Any], form: dict[str, str], now: datetime,
            by: int) -> None:
    dispatch.resend(db, post["id"], now=now, by=by)


def _mark_sent(db: Database, post: dict[str, Any], form: dict[str, str], now: datetime,
               by: int) -> None:
    dispatch.mark_sent(db, post["id"], url=form.get("url", ""), now=now, by=by)


def _cancel(db: Database, post: dict[str, Any], form: dict[str, str], now: datetime,
            by: int) -> None:
    posts.cancel(db, post["id"], now=now, by=by, comment=form.get("comment", ""))


def _submit(db: Database, post: dict[str, Any], form: dict[str, str], now: datetime,
            by: int) -> None:
    posts.submit(db, [post["id"]], now=now, by=by)


def _edit(db: Database, post: dict[str, Any], form: dict[str, str], now: datetime, by: int) -> None:
    posts.edit(db, post["id"], text=form.get("text", ""), now=now, by=by)


#: The form's buttons, in the order they are looked for; saving the text when none is pressed.
ACTIONS: list[tuple[str, Action, str]] = [
    ("resend", _resend, N_("The post will be sent again.")),
    ("mark_sent", _mark_sent, N_("Marked as sent.")),
    ("cancel", _cancel, N_("Post cancelled.")),
    ("submit", _submit, N_("Post submitted for approval.")),
]
SAVE: tuple[str, Action, str] = ("save", _edit, N_("Post saved."))


async def post_view(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    post = posts.get(db, number(request.path_params["id"]))
    campaign = campaign_link.by_id(db, post["campaign_id"])
    if not campaign_link.can_view(db, user, campaign):
        raise NotFound("No such post.")
    may_edit = policy.can(user, "social.post.edit", (campaign, post))
    approver = policy.can(user, "social.approve", campaign)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST" and (await form_dict(request)).get("done"):
        # Posted by hand: the account's organisation (or its delegate) says so.
        if user is None:
            raise NotFound("No such post.")
        by_hand.mark_done(db, post, now=request.state.clock(), user=user,
                          campaign_approver=approver)
        flash(request, _("Marked as posted by hand."))
        return redirect(f"/messages/posts/{post['id']}")
    if request.method == "POST":
        if not may_edit:
            raise NotFound("No such post.")
        form = await form_dict(request)
        _name, act, done = next((a for a in ACTIONS if form.get(a[0])), SAVE)
        try:
            act(db, post, form, request.state.clock(), user.id)
            flash(request, _(done))
            return redirect(f"/messages/posts/{post['id']}")
        except ValidationError as e:
            errors, status = e.errors, 400
            post = {**post, "text": form.get("text", post["text"])}
        except Conflict as e:
            errors, status = {"text": e.message}, 409
    account = accounts.get(db, post["account_id"])
    return render(request, "social/post.html", {
        "post": post, "campaign": campaign, "account": account,
        "may_mark_done": post["status"] in by_hand.DOABLE and by_hand.may_mark_done(
            db, user, post, campaign_approver=approver),
        "whatsapp_link": by_hand.whatsapp_link(post) if by_hand.offers_whatsapp(
            post, account.label, account.handle) else "",
        "errors": errors, "history": posts.history(db, post["id"]), "may_edit": may_edit,
        "attempts": dispatch.attempts(db, post["id"])}, status)


def campaign_panel(request: Request, campaign: dict[str, Any]) -> tuple[str, dict] | None:
    """The campaign's next scheduled posts, on the campaign's page."""
    db = request.state.db
    counts = posts.status_counts(db, posts.QueueFilter(campaign_id=campaign["id"]))
    result = posts.queue(db, posts.QueueFilter(campaign_id=campaign["id"], status="scheduled"),
                         per_page=10, total=counts.get("scheduled", 0))
    zone = viewer_zone(request) if getattr(request.state, "user", None) else "UTC"
    waiting = counts.get("submitted", 0)
    return "social/_campaign_panel.html", {
        "campaign": campaign, "result": result, "zone": zone, "waiting": waiting,
        "kits": len(kits.for_campaign(db, campaign["id"])),
        **platform_context()}
