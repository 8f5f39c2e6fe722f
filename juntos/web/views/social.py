"""Pages of the social area: accounts, kits and variants, the wave planner, queues, the approval
inbox and each post's history. Thin: parse, check the policy, call juntos.social, render."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from juntos.accounts import policy
from juntos.errors import Conflict, NotFound, ValidationError
from juntos.organisations import store as orgs
from juntos.social import accounts, campaign_link, dispatch, kits, posts, waves
from juntos.social import permissions as _permissions  # noqa: F401  (registers the actions)
from juntos.social.counting import LIMITS, PLATFORMS
from juntos.social.models import STATUSES, SUBMITTED, AccountInput
from juntos.web.i18n import N_
from juntos.web.i18n import gettext as _
from juntos.web.pagination import Pagination, current_page
from juntos.web.routing import flash, form_dict, page
from juntos.web.views import social_connect
from juntos.web.webarea import WebArea

PLATFORM_LABELS = {"x": N_("X"), "mastodon": N_("Mastodon"), "bluesky": N_("Bluesky"),
                   "manual": N_("By hand (reminder)")}
STATUS_LABELS = {
    "draft": N_("draft"), "submitted": N_("submitted"), "approved": N_("approved"),
    "scheduled": N_("scheduled"), "sending": N_("sending"), "sent": N_("sent"),
    "failed": N_("failed"), "needs_check": N_("needs check"), "cancelled": N_("cancelled"),
    "missed": N_("missed"),
}
PROBLEM_LABELS = {
    waves.NO_VARIANT: N_("No variant in the account's language"),
    waves.TOO_LONG: N_("Over length"),
    waves.IN_PAST: N_("Time in the past"),
    waves.NOT_CONNECTED: N_("Account not connected"),
    waves.DUPLICATE_X: N_("Same text as other X accounts: X forbids this"),
    waves.DUPLICATE: N_("Same text as other accounts"),
    waves.TIME_SHIFTED: N_("Local time does not exist that day (clock change): moved later"),
}
ATTEMPT_LABELS = {
    "send": N_("send"), "reconcile": N_("check"), "sent": N_("sent"),
    "transient": N_("try again later"), "permanent": N_("refused"),
    "unknown": N_("no answer"), "absent": N_("not found"),
}
PREVIEW_ROWS = 300
JSON_PAGE_SIZE = 200


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    context.setdefault("platform_labels", PLATFORM_LABELS)
    context.setdefault("status_labels", STATUS_LABELS)
    context.setdefault("problem_labels", PROBLEM_LABELS)
    context.setdefault("attempt_labels", ATTEMPT_LABELS)
    context.setdefault("platform_options", [(p, _(PLATFORM_LABELS[p])) for p in PLATFORMS])
    return request.app.state.templates.TemplateResponse(request, name, context,
                                                        status_code=status)


def _redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound("No such item.") from None


# --- overview ----------------------------------------------------------------------------

async def messages_home(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    org = orgs.get_by_id(db, user.organisation_id)
    inbox = posts.status_counts(db, posts.QueueFilter(
        campaign_ids=campaign_link.led_ids(db, user))).get(SUBMITTED, 0)
    own = posts.status_counts(db, posts.QueueFilter(organisation_id=org["id"]))
    return _render(request, "social/home.html", {
        "org": org, "accounts": accounts.for_organisation(db, org["id"]), "inbox": inbox,
        "own": own})


# --- accounts ----------------------------------------------------------------------------

def _managed_org(request: Request) -> dict[str, Any]:
    """The organisation in the path, if the user manages its accounts; 404 otherwise."""
    org = orgs.get(request.state.db, request.path_params["org"])
    if not policy.can(request.state.user, "social.account.manage", org):
        raise NotFound("No such organisation.")
    return org


def _account_input(form: dict[str, str]) -> AccountInput:
    return AccountInput.validated(
        platform=form.get("platform", ""), handle=form.get("handle", ""),
        instance_url=form.get("instance_url", ""), timezone=form.get("timezone", ""),
        languages=form.get("languages", "").replace(",", " ").split(),
        label=form.get("label", ""))


async def account_list(request: Request) -> Response:
    db = request.state.db
    org = _managed_org(request)
    form: dict[str, Any] = {"platform": "manual"}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await form_dict(request)
        try:
            accounts.create(db, org["id"], _account_input(form), now=request.state.clock())
            flash(request, _("Account added."))
            return _redirect(f"/messages/accounts/{org['slug']}")
        except ValidationError as e:
            errors, status = e.errors, 400
    return _render(request, "social/accounts.html", {
        "org": org, "accounts": accounts.for_organisation(db, org["id"]), "form": form,
        "errors": errors, "platforms": PLATFORMS}, status)


async def account_edit(request: Request) -> Response:
    db = request.state.db
    org = _managed_org(request)
    account = accounts.get(db, _int(request.path_params["id"]))
    if account.organisation_id != org["id"]:
        raise NotFound("No such account.")
    form: dict[str, Any] = {
        "platform": account.platform, "handle": account.handle,
        "instance_url": account.instance_url, "timezone": account.own_timezone,
        "languages": " ".join(account.own_languages), "label": account.label}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await form_dict(request)
        if form.get("delete"):
            accounts.delete(db, account.id)
            flash(request, _("Account removed."))
            return _redirect(f"/messages/accounts/{org['slug']}")
        try:
            accounts.update(db, account.id, _account_input(form), now=request.state.clock())
            flash(request, _("Account saved."))
            return _redirect(f"/messages/accounts/{org['slug']}")
        except ValidationError as e:
            errors, status = e.errors, 400
    return _render(request, "social/account_edit.html", {
        "org": org, "account": account, "form": form, "errors": errors,
        "platforms": PLATFORMS}, status)


# --- kits --------------------------------------------------------------------------------

def _campaign(request: Request) -> dict[str, Any]:
    return campaign_link.visible(request.state.db, request.state.user,
                                 request.path_params["slug"])


def _kit(request: Request, campaign: dict[str, Any]) -> dict[str, Any]:
    kit = kits.get(request.state.db, _int(request.path_params["kit"]))
    if kit["campaign_id"] != campaign["id"]:
        raise NotFound("No such kit.")
    return kit


async def kit_list(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    campaign = _campaign(request)
    form: dict[str, Any] = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        policy.require(user, "social.kit.write", campaign)
        form = await form_dict(request)
        try:
            kit = kits.create(db, campaign["id"], _kit_input(form), now=request.state.clock(),
                              by=user.id)
            return _redirect(f"/campaigns/{campaign['slug']}/kits/{kit['id']}")
        except ValidationError as e:
            errors, status = e.errors, 400
    return _render(request, "social/kits.html", {
        "campaign": campaign, "kits": kits.for_campaign(db, campaign["id"]), "form": form,
        "errors": errors}, status)


def _kit_input(form: dict[str, str]) -> kits.KitInput:
    return kits.KitInput.validated(
        title=form.get("title", ""), core_message=form.get("core_message", ""),
        hashtags=form.get("hashtags", ""), links=form.get("links", ""),
        call_to_action=form.get("call_to_action", ""))


def _kit_page(request: Request, campaign: dict[str, Any], kit: dict[str, Any], *,
              kit_form: dict[str, Any] | None = None, kit_errors: dict[str, str] | None = None,
              variant_form: dict[str, Any] | None = None,
              variant_errors: dict[str, dict[str, str]] | None = None,
              image_errors: dict[str, str] | None = None, status: int = 200) -> Response:
    db = request.state.db
    saved = kits.variants(db, kit["id"])
    return _render(request, "social/kit.html", {
        "campaign": campaign, "kit": kit, "variants": saved, "images": kits.images(db, kit["id"]),
        "kit_form": kit_form or {**kit, "hashtags": " ".join(kit["hashtags"]),
                                 "links": "\n".join(kit["links"])},
        "kit_errors": kit_errors or {},
        "variant_form": variant_form or {}, "variant_errors": variant_errors or {},
        "image_errors": image_errors or {}, "platforms": PLATFORMS, "limits": LIMITS,
        "may_write": policy.can(request.state.user, "social.kit.write", campaign),
        "may_approve": policy.can(request.state.user, "social.approve", campaign),
    }, status)


async def kit_view(request: Request) -> Response:
    campaign = _campaign(request)
    kit = _kit(request, campaign)
    if request.method == "GET":
        return _kit_page(request, campaign, kit)
    policy.require(request.state.user, "social.kit.write", campaign)
    form = await form_dict(request)
    try:
        kits.update(request.state.db, kit["id"], _kit_input(form), now=request.state.clock())
    except ValidationError as e:
        return _kit_page(request, campaign, kit, kit_form=form, kit_errors=e.errors, status=400)
    flash(request, _("Kit saved."))
    return _redirect(f"/campaigns/{campaign['slug']}/kits/{kit['id']}")


async def variants_save(request: Request) -> Response:
    """Save every variant textarea at once (side by side), plus an optional new one.

    Nothing is saved if any variant breaks its platform's rule: each error is shown next to
    its variant, with the count and the rule."""
    db, user = request.state.db, request.state.user
    campaign = _campaign(request)
    kit = _kit(request, campaign)
    policy.require(user, "social.kit.write", campaign)
    form = await form_dict(request)
    existing = {str(v["id"]): v for v in kits.variants(db, kit["id"])}
    wanted: list[tuple[str, str, str, str]] = []  # (key, language, platform, text)
    for key, variant in existing.items():
        if f"text_{key}" in form:
            wanted.append((key, variant["language"], variant["platform"], form[f"text_{key}"]))
    if form.get("new_text", "").strip() or form.get("new_language", "").strip():
        wanted.append(("new", form.get("new_language", "").strip().lower(),
                       form.get("new_platform", ""), form.get("new_text", "")))
    errors: dict[str, dict[str, str]] = {}
    for key, language, platform, text in wanted:
        try:
            kits.check_variant(language, platform, text.replace("\r\n", "\n").strip())
        except ValidationError as e:
            errors[key] = e.errors
    if errors:
        return _kit_page(request, campaign, kit, variant_form=form, variant_errors=errors,
                         status=400)
    now = request.state.clock()
    with db.atomic():
        for _key, language, platform, text in wanted:
            kits.save_variant(db, kit["id"], language=language, platform=platform, text=text,
                              now=now, by=user.id)
        for key in existing:
            if form.get(f"delete_{key}"):
                kits.delete_variant(db, int(key))
    flash(request, _("Variants saved."))
    return _redirect(f"/campaigns/{campaign['slug']}/kits/{kit['id']}#variants")


async def image_add(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    campaign = _campaign(request)
    kit = _kit(request, campaign)
    policy.require(user, "social.kit.write", campaign)
    form = await request.form()
    upload = form.get("image")
    data = await upload.read() if upload is not None and not isinstance(upload, str) else b""
    filename = getattr(upload, "filename", "") or "image"
    try:
        kits.add_image(db, kit["id"], filename=filename, data=data,
                       alt_text=str(form.get("alt_text", "")), now=request.state.clock())
    except ValidationError as e:
        return _kit_page(request, campaign, kit, image_errors=e.errors, status=400)
    flash(request, _("Image added."))
    return _redirect(f"/campaigns/{campaign['slug']}/kits/{kit['id']}#images")


async def image_view(request: Request) -> Response:
    db = request.state.db
    image = kits.image_data(db, _int(request.path_params["id"]))
    kit = kits.get(db, image["kit_id"])
    campaign = campaign_link.by_id(db, kit["campaign_id"])
    if not campaign_link.can_view(db, request.state.user, campaign):
        raise NotFound("No such image.")
    return Response(image["data"], media_type=image["content_type"],
                    headers={"Cache-Control": "private, max-age=86400",
                             "X-Content-Type-Options": "nosniff"})


# --- waves -------------------------------------------------------------------------------

def _wave_accounts(request: Request, campaign: dict[str, Any],
                   platforms: list[str]) -> list[accounts.Account]:
    found = accounts.for_organisations(request.state.db, campaign_link.partner_org_ids(campaign))
    return [a for a in found if a.platform in platforms]


async def wave_plan(request: Request) -> Response:
    """GET: the form. POST with preview: the preview table; with confirm: store the drafts.

    Planning a wave over every partner's accounts is the leads' (and coordinators') call."""
    db, user = request.state.db, request.state.user
    campaign = _campaign(request)
    kit = _kit(request, campaign)
    policy.require(user, "social.approve", campaign)
    form: dict[str, Any] = {"mode": waves.LOCAL, "at": "09:00", "stagger_minutes": "0",
                            "x_pattern": waves.X_DIFFERENT_TEXT}
    chosen = list(PLATFORMS)
    errors: dict[str, str] = {}
    preview = None
    status = 200
    if request.method == "POST":
        raw = await request.form()
        form = await form_dict(request)
        chosen = [p for p in raw.getlist("platforms") if p in PLATFORMS] or list(PLATFORMS)
        try:
            spec = waves.WaveSpec.validated(
                mode=form.get("mode", ""), day=form.get("day", ""), at=form.get("at", ""),
                stagger_minutes=form.get("stagger_minutes", "0"),
                x_pattern=form.get("x_pattern", waves.X_DIFFERENT_TEXT),
                lead_account_id=form.get("lead_account_id") or None)
            preview = waves.plan(_wave_accounts(request, campaign, chosen),
                                 kits.variant_texts(db, kit["id"]), spec,
                                 now=request.state.clock())
            if form.get("confirm"):
                result = posts.create_wave(db, campaign_id=campaign["id"], kit_id=kit["id"],
                                           spec=spec, wave=preview, now=request.state.clock(),
                                           by=user.id)
                flash(request, _("%(created)s draft posts created; %(left)s left out because of "
                                 "their problems.", created=result.created, left=result.left_out))
                return _redirect(f"/campaigns/{campaign['slug']}/posts?wave={result.wave_id}")
        except ValidationError as e:
            errors, status, preview = e.errors, 400, None
    x_accounts = [a for a in _wave_accounts(request, campaign, ["x"])]
    return _render(request, "social/wave.html", {
        "campaign": campaign, "kit": kit, "form": form, "errors": errors, "preview": preview,
        "preview_rows": preview.rows[:PREVIEW_ROWS] if preview else [],
        "platforms": PLATFORMS, "chosen": chosen, "x_accounts": x_accounts,
        "blocking": waves.BLOCKING}, status)


# --- queues ------------------------------------------------------------------------------

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
    campaign = _campaign(request)
    if request.method == "POST":
        # Submit the selected drafts (a partner's or the lead's) for approval.
        raw = await request.form()
        ids = [int(i) for i in raw.getlist("post") if str(i).isdigit()]
        allowed = [p["id"] for p in posts.by_ids(db, ids) if p["campaign_id"] == campaign["id"]
                   and policy.can(user, "social.post.edit", (campaign, p))]
        try:
            done = posts.submit(db, allowed, now=request.state.clock(), by=user.id)
            flash(request, _("%(num)s post(s) submitted for approval.", num=done))
        except ValidationError as e:
            flash(request, e.errors.get("text", e.message), "error")
        return _redirect(str(request.url))
    flt = _filter_from_query(request, campaign_id=campaign["id"])
    result, pagination = _queue_page(request, flt)
    return _render(request, "social/queue.html", {
        "campaign": campaign, "org": None, "result": result, "pagination": pagination,
        "filter": flt, "counts": posts.status_counts(db, posts.QueueFilter(
            campaign_id=campaign["id"])),
        "may_write": policy.can(user, "social.kit.write", campaign),
        "statuses": STATUSES})


async def campaign_posts_json(request: Request) -> Response:
    db = request.state.db
    campaign = _campaign(request)
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
    return _render(request, "social/queue.html", {
        "campaign": None, "org": org, "result": result, "pagination": pagination,
        "filter": flt, "counts": posts.status_counts(db, posts.QueueFilter(
            organisation_id=org["id"])),
        "campaigns": campaign_link.titles(db, {r["campaign_id"] for r in result.rows}),
        "may_write": False, "statuses": STATUSES})


async def inbox(request: Request) -> Response:
    """Submitted posts of the campaigns the user leads: approve, or send back with a comment."""
    db, user = request.state.db, request.state.user
    led = campaign_link.led_ids(db, user)
    if request.method == "POST":
        raw = await request.form()
        ids = [int(i) for i in raw.getlist("post") if str(i).isdigit()]
        ids = [p["id"] for p in posts.by_ids(db, ids) if p["campaign_id"] in led]
        now = request.state.clock()
        try:
            if raw.get("send_back"):
                done = posts.send_back(db, ids, comment=str(raw.get("comment", "")), now=now,
                                       by=user.id)
                flash(request, _("%(num)s post(s) sent back.", num=done))
            else:
                done = posts.approve(db, ids, now=now, by=user.id)
                flash(request, _("%(num)s post(s) approved and scheduled.", num=done))
        except ValidationError:
            flash(request, _("Say what should change when sending posts back."), "error")
        return _redirect("/messages/inbox")
    flt = posts.QueueFilter(campaign_ids=led, status=SUBMITTED)
    result, pagination = _queue_page(request, flt)
    return _render(request, "social/inbox.html", {
        "result": result, "pagination": pagination,
        "campaigns": campaign_link.titles(db, {r["campaign_id"] for r in result.rows})})


# --- one post ----------------------------------------------------------------------------

async def post_view(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    post = posts.get(db, _int(request.path_params["id"]))
    campaign = campaign_link.by_id(db, post["campaign_id"])
    if not campaign_link.can_view(db, user, campaign):
        raise NotFound("No such post.")
    may_edit = policy.can(user, "social.post.edit", (campaign, post))
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise NotFound("No such post.")
        form = await form_dict(request)
        now = request.state.clock()
        try:
            if form.get("resend"):
                dispatch.resend(db, post["id"], now=now, by=user.id)
                flash(request, _("The post will be sent again."))
            elif form.get("mark_sent"):
                dispatch.mark_sent(db, post["id"], url=form.get("url", ""), now=now, by=user.id)
                flash(request, _("Marked as sent."))
            elif form.get("cancel"):
                posts.cancel(db, post["id"], now=now, by=user.id, comment=form.get("comment", ""))
                flash(request, _("Post cancelled."))
            elif form.get("submit"):
                posts.submit(db, [post["id"]], now=now, by=user.id)
                flash(request, _("Post submitted for approval."))
            else:
                posts.edit(db, post["id"], text=form.get("text", ""), now=now, by=user.id)
                flash(request, _("Post saved."))
            return _redirect(f"/messages/posts/{post['id']}")
        except ValidationError as e:
            errors, status = e.errors, 400
            post = {**post, "text": form.get("text", post["text"])}
        except Conflict as e:
            errors, status = {"text": e.message}, 409
    account = accounts.get(db, post["account_id"])
    return _render(request, "social/post.html", {
        "post": post, "campaign": campaign, "account": account, "errors": errors,
        "history": posts.history(db, post["id"]), "may_edit": may_edit,
        "attempts": dispatch.attempts(db, post["id"]),
        "limit": LIMITS.get(post["platform"])}, status)


# --- panels ------------------------------------------------------------------------------

def campaign_panel(request: Request, campaign: dict[str, Any]) -> tuple[str, dict] | None:
    """The campaign's next scheduled posts, on the campaign's page."""
    db = request.state.db
    result = posts.queue(db, posts.QueueFilter(campaign_id=campaign["id"], status="scheduled"),
                         per_page=10)
    return "social/_campaign_panel.html", {
        "campaign": campaign, "result": result,
        "kits": len(kits.for_campaign(db, campaign["id"])),
        "platform_labels": PLATFORM_LABELS}


routes = [
    *social_connect.routes,
    page("/messages", messages_home),
    page("/messages/accounts/{org}", account_list, methods=["GET", "POST"]),
    page("/messages/accounts/{org}/{id}", account_edit, methods=["GET", "POST"]),
    page("/messages/queue", org_queue),
    page("/messages/inbox", inbox, methods=["GET", "POST"]),
    page("/messages/posts/{id}", post_view, methods=["GET", "POST"]),
    page("/messages/images/{id}", image_view),
    page("/campaigns/{slug}/kits", kit_list, methods=["GET", "POST"]),
    page("/campaigns/{slug}/kits/{kit}", kit_view, methods=["GET", "POST"]),
    page("/campaigns/{slug}/kits/{kit}/variants", variants_save, methods=["POST"]),
    page("/campaigns/{slug}/kits/{kit}/images", image_add, methods=["POST"]),
    page("/campaigns/{slug}/kits/{kit}/wave", wave_plan, methods=["GET", "POST"]),
    page("/campaigns/{slug}/posts.json", campaign_posts_json),
    page("/campaigns/{slug}/posts", campaign_queue, methods=["GET", "POST"]),
]

WEB = WebArea(name="social", routes=routes, campaign_panel=campaign_panel)
