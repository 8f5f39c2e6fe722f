"""The messages overview and an organisation's social accounts."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from juntos.accounts import policy
from juntos.errors import NotFound, ValidationError
from juntos.organisations import store as orgs
from juntos.social import accounts, authority, campaign_link, platforms, posts
from juntos.social.models import SUBMITTED, AccountInput
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict
from juntos.web.views.social.common import managed_org, number, redirect, render


async def messages_home(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    org = orgs.get_by_id(db, user.organisation_id)
    led = campaign_link.led_ids(db, user) if user.role != "viewer" else ()
    own = org["id"] if user.role != "viewer" else None
    inbox = posts.status_counts(db, posts.QueueFilter(
        approver=(led, own))).get(SUBMITTED, 0)
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
        "org": org, "account": account, "form": form, "errors": errors,
        "delegations": authority.for_account(db, account.id),
        "delegable": campaign_link.taking_part(db, org["id"]), "today": request.state.clock(
        ).date(), "may_delegate": policy.can(request.state.user, "social.delegation.grant",
                                              org)},
        400 if errors else 200)


# --- delegations: the account's organisation lets a campaign's approvers approve ---------

async def delegation_grant(request: Request) -> Response:
    """Grant (its own members only: ``social.delegation.grant``)."""
    db, user = request.state.db, request.state.user
    org, account = _own_account(request)
    form = await form_dict(request)
    try:
        data = authority.DelegationInput.validated(campaign=form.get("campaign", ""),
                                                   ends_on=form.get("ends_on", ""))
        authority.grant(db, account, data, organisation_id=user.organisation_id,
                        now=request.state.clock(), by=user.id)
    except ValidationError as e:
        for message in e.errors.values():
            flash(request, message, "error")
        return redirect(f"/messages/accounts/{org['slug']}/{account.id}#delegations")
    flash(request, _("Delegation granted."))
    return redirect(f"/messages/accounts/{org['slug']}/{account.id}#delegations")


async def delegation_revoke(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    org, account = _own_account(request)
    authority.revoke(db, account, number(request.path_params["delegation"]),
                     organisation_id=user.organisation_id, now=request.state.clock(),
                     by=user.id)
    flash(request, _("Delegation revoked: posts approved under it will not go out."))
    return redirect(f"/messages/accounts/{org['slug']}/{account.id}#delegations")


def _own_account(request: Request) -> tuple[dict[str, Any], accounts.Account]:
    """The account in the path, when the user's own organisation holds it (coordinators of
    other organisations included: 403)."""
    org = managed_org(request)
    policy.require(request.state.user, "social.delegation.grant", org)
    account = accounts.get(request.state.db, number(request.path_params["id"]))
    if account.organisation_id != org["id"]:
        raise NotFound("No such account.")
    return org, account
