"""The messages overview and an organisation's social accounts."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from juntos.errors import NotFound, ValidationError
from juntos.organisations import store as orgs
from juntos.social import accounts, campaign_link, platforms, posts
from juntos.social.models import SUBMITTED, AccountInput
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict
from juntos.web.views.social.common import managed_org, number, redirect, render


async def messages_home(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    org = orgs.get_by_id(db, user.organisation_id)
    inbox = posts.status_counts(db, posts.QueueFilter(
        campaign_ids=campaign_link.led_ids(db, user))).get(SUBMITTED, 0)
    own = posts.status_counts(db, posts.QueueFilter(organisation_id=org["id"]))
    return render(request, "social/home.html", {
        "org": org, "accounts": accounts.for_organisation(db, org["id"]), "inbox": inbox,
        "own": own})


def _account_input(form: dict[str, str]) -> AccountInput:
    return AccountInput.validated(
        platform=form.get("platform", ""), handle=form.get("handle", ""),
        instance_url=form.get("instance_url", ""), timezone=form.get("timezone", ""),
        languages=form.get("languages", "").replace(",", " ").split(),
        label=form.get("label", ""))


def _save(request: Request, org: dict[str, Any], account_id: int | None,
          form: dict[str, str]) -> dict[str, str]:
    """Create (no ``account_id``) or update the account from the form; the errors by field,
    none when it is saved."""
    db, now = request.state.db, request.state.clock()
    try:
        data = _account_input(form)
    except ValidationError as e:
        return e.errors
    if account_id is None:
        accounts.create(db, org["id"], data, now=now)
    else:
        accounts.update(db, account_id, data, now=now)
    return {}


async def account_list(request: Request) -> Response:
    db = request.state.db
    org = managed_org(request)
    form: dict[str, Any] = {"platform": platforms.MANUAL}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await form_dict(request)
        errors = _save(request, org, None, form)
        if not errors:
            flash(request, _("Account added."))
            return redirect(f"/messages/accounts/{org['slug']}")
    return render(request, "social/accounts.html", {
        "org": org, "accounts": accounts.for_organisation(db, org["id"]), "form": form,
        "errors": errors}, 400 if errors else 200)


async def account_edit(request: Request) -> Response:
    db = request.state.db
    org = managed_org(request)
    account = accounts.get(db, number(request.path_params["id"]))
    if account.organisation_id != org["id"]:
        raise NotFound("No such account.")
    form: dict[str, Any] = {
        "platform": account.platform, "handle": account.handle,
        "instance_url": account.instance_url, "timezone": account.own_timezone,
        "languages": " ".join(account.own_languages), "label": account.label}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await form_dict(request)
        if form.get("delete"):
            accounts.delete(db, account.id)
            flash(request, _("Account removed."))
            return redirect(f"/messages/accounts/{org['slug']}")
        errors = _save(request, org, account.id, form)
        if not errors:
            flash(request, _("Account saved."))
            return redirect(f"/messages/accounts/{org['slug']}")
    return render(request, "social/account_edit.html", {
        "org": org, "account": account, "form": form, "errors": errors},
        400 if errors else 200)
