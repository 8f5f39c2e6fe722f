"""Queues of posts: a campaign's (and its JSON), an organisation's, and the approval inbox."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from juntos.accounts import policy
from juntos.errors import ValidationError
from juntos.organisations import store as orgs
from juntos.social import campaign_link, posts, preview
from juntos.social.models import APPROVED, STATUSES, SUBMITTED
from juntos.web.i18n import gettext as _
from juntos.web.pagination import Pagination, current_page
from juntos.web.routing import flash
from juntos.web.views.social.common import (
    campaign_of,
    post_images,
    redirect,
    render,
    viewer_zone,
)

JSON_PAGE_SIZE = 200


def _ids(values: list[Any]) -> list[int]:
    """Post ids ticked in a form (anything else is ignored)."""
    return [int(str(i)) for i in values if str(i).isdigit()]


def _filter_from_query(request: Request, **fixed: Any) -> posts.QueueFilter:
    q = request.query_params
    status = q.get("status", "")
    wave = q.get("wave", "")
    return posts.QueueFilter(status=status if status in STATUSES else "",
                             day=q.get("day", "")[:10],
                             wave_id=int(wave) if wave.isdigit() else None, **fixed)


def _queue_page(request: Request, flt: posts.QueueFilter) -> tuple[posts.QueuePage, Pagination]:
    per_page = request.app.state.settings.page_size
    result = posts.queue(request.state.db, flt, page=current_page(request), per_page=per_page)
    pagination = Pagination(result.page, per_page, result.total, request.url.path,
                            dict(request.query_params))
    return result, pagination


async def campaign_queue(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    campaign = campaign_of(request)
    if request.method == "POST":
        # Submit the selected drafts (a partner's or the lead's) for approval.
        raw = await request.form()
        ids = _ids(raw.getlist("post"))
        allowed = [p["id"] for p in posts.by_ids(db, ids) if p["campaign_id"] == campaign["id"]
                   and policy.can(user, "social.post.edit", (campaign, p))]
        try:
            done = posts.submit(db, allowed, now=request.state.clock(), by=user.id)
            flash(request, _("%(num)s post(s) submitted for approval.", num=done))
        except ValidationError as e:
            flash(request, e.errors.get("text", e.message), "error")
        return redirect(str(request.url))
    flt = _filter_from_query(request, campaign_id=campaign["id"])
    result, pagination = _queue_page(request, flt)
    return render(request, "social/queue.html", {
        "campaign": campaign, "org": None, "result": result, "pagination": pagination,
        "filter": flt, "counts": posts.status_counts(db, posts.QueueFilter(
            campaign_id=campaign["id"])),
        "may_write": policy.can(user, "social.kit.write", campaign),
        "statuses": STATUSES})


async def campaign_posts_json(request: Request) -> Response:
    db = request.state.db
    campaign = campaign_of(request)
    flt = _filter_from_query(request, campaign_id=campaign["id"])
    result = posts.queue(db, flt, page=current_page(request), per_page=JSON_PAGE_SIZE)
    keys = ("id", "organisation_slug", "organisation_name", "account_id", "platform", "kind",
            "language", "text", "scheduled_at", "status", "wave_id", "kit_id")
    return JSONResponse({
        "campaign": campaign["slug"], "total": result.total, "page": result.page,
        "pages": result.pages, "posts": [{k: row[k] for k in keys} for row in result.rows]})


async def org_queue(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    slug = request.query_params.get("org", "")
    org = orgs.get(db, slug) if slug and user.is_coordinator else orgs.get_by_id(
        db, user.organisation_id)
    flt = _filter_from_query(request, organisation_id=org["id"],
                             campaign_ids=campaign_link.visible_ids(db, user))
    result, pagination = _queue_page(request, flt)
    return render(request, "social/queue.html", {
        "campaign": None, "org": org, "result": result, "pagination": pagination,
        "filter": flt, "counts": posts.status_counts(db, posts.QueueFilter(
            organisation_id=org["id"])),
        "campaigns": campaign_link.titles(db, {r["campaign_id"] for r in result.rows}),
        "may_write": False, "statuses": STATUSES})


def _approvable(request: Request, ids: list[int]) -> list[int]:
    """The posts among ``ids`` this user may act on from the inbox (the policy decides;
    whether an approval holds is the account's organisation's business: ``posts.approve``)."""
    db, user = request.state.db, request.state.user
    return [post["id"] for post in posts.by_ids(db, ids) if policy.can(
        user, "social.post.approve", (campaign_link.by_id(db, post["campaign_id"]), post))]


def _chosen_campaign(value: Any, waiting: dict[int, int]) -> int | None:
    """The campaign the inbox shows: one the person chose, among those with posts waiting."""
    text = str(value or "")
    return int(text) if text.isdigit() and int(text) in waiting else None


def _approve(request: Request, ids: list[int], own: int | None, led: tuple[int, ...]) -> None:
    """Approve, and say what happened: approved and scheduled, approved but waiting for the
    account to be connected, or waiting for the account's own organisation."""
    db, now = request.state.db, request.state.clock()
    done = posts.approve(db, ids, now=now, by=request.state.user.id,
                         organisation_id=own, approves_campaigns=led)
    held = sum(1 for p in posts.by_ids(db, ids)
               if p["status"] == APPROVED and posts.waits_for_account(p))
    if done - held:
        flash(request, _("%(num)s post(s) approved and scheduled.", num=done - held))
    if held:
        flash(request, _("%(num)s post(s) approved but not scheduled: their account is not"
                         " connected. They go out only if it is connected before their time.",
                         num=held), "error")
    if done < len(ids):
        flash(request, _("%(num)s post(s) wait for the account's own organisation:"
                         " one of its members approves them, or it delegates to the"
                         " campaign.", num=len(ids) - done), "error")


async def inbox(request: Request) -> Response:
    """Submitted posts of the campaigns the user leads and on their organisation's accounts,
    one campaign at a time (chosen, never preselected): approve (on the account's
    organisation's authority), or send back with a comment."""
    db, user = request.state.db, request.state.user
    led = campaign_link.led_ids(db, user) if user.role != "viewer" else ()
    own = user.organisation_id if user.role != "viewer" else None
    waiting_filter = posts.QueueFilter(approver=(led, own), status=SUBMITTED)
    waiting = posts.campaign_counts(db, waiting_filter)
    if request.method == "POST":
        raw = await request.form()
        campaign_id = _chosen_campaign(raw.get("campaign"), waiting)
        if campaign_id is None:
            flash(request, _("Choose a campaign first: posts are approved one campaign at a"
                             " time."), "error")
            return redirect("/messages/inbox")
        ids = [p["id"] for p in posts.by_ids(db, _ids(raw.getlist("post")))
               if p["campaign_id"] == campaign_id]
        ids = _approvable(request, ids)
        try:
            if raw.get("send_back"):
                done = posts.send_back(db, ids, comment=str(raw.get("comment", "")),
                                       now=request.state.clock(), by=user.id)
                flash(request, _("%(num)s post(s) sent back.", num=done))
            elif ids:
                _approve(request, ids, own, led)
            else:
                flash(request, _("Select the posts to approve."), "error")
        except ValidationError:
            flash(request, _("Say what should change when sending posts back."), "error")
        return redirect(f"/messages/inbox?campaign={campaign_id}")
    campaign_id = _chosen_campaign(request.query_params.get("campaign"), waiting)
    titles = campaign_link.titles(db, set(waiting))
    context: dict[str, Any] = {
        "waiting": waiting, "campaigns": titles, "campaign_id": campaign_id,
        "total": sum(waiting.values()), "zone": viewer_zone(request),
        "posts_waiting_for_account": posts.waits_for_account,
        "campaign_choices": sorted(((str(c), titles[c]["title"]) for c in waiting
                                    if c in titles), key=lambda c: c[1].casefold())}
    if campaign_id is not None:
        result, pagination = _queue_page(request, replace(waiting_filter,
                                                          campaign_id=campaign_id))
        context.update(result=result, pagination=pagination, previews={
            p["id"]: preview.preview(p["platform"], p["text"]) for p in result.rows},
            images=post_images(db, result.rows))
    return render(request, "social/inbox.html", context)
