"""Connecting social accounts: X sign-in (OAuth 1.0a), Mastodon token, Bluesky app password;
disconnecting. Thin: parse, check the policy, call juntos.social.credentials, render.

Secrets go from the form straight into the vault; no page ever shows one back.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import policy
from juntos.errors import NotFound, ValidationError
from juntos.organisations import store as orgs
from juntos.social import accounts, credentials
from juntos.social.counting import BLUESKY, MASTODON, X
from juntos.web.i18n import N_
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict, page

SESSION_KEY = "x_oauth"


def _account(request: Request) -> tuple[dict[str, Any], accounts.Account]:
    """The organisation and account in the path, if the user manages them; 404 otherwise."""
    db = request.state.db
    org = orgs.get(db, request.path_params["org"])
    if not policy.can(request.state.user, "social.account.manage", org):
        raise NotFound("No such organisation.")
    try:
        account = accounts.get(db, int(request.path_params["id"]))
    except ValueError:
        raise NotFound("No such account.") from None
    if account.organisation_id != org["id"] or account.platform not in (X, MASTODON, BLUESKY):
        raise NotFound("No such account.")
    return org, account


def _vault(request: Request) -> credentials.Vault:
    return credentials.Vault.from_settings(request.app.state.settings)


def _here(org: dict[str, Any], account: accounts.Account) -> str:
    return f"/messages/accounts/{org['slug']}/{account.id}/connect"


async def connect(request: Request) -> Response:
    db = request.state.db
    org, account = _account(request)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await form_dict(request)
        now = request.state.clock()
        if form.get("disconnect"):
            credentials.disconnect(db, account.id, now=now)
            flash(request, _("Account disconnected; its credentials are deleted."))
            return RedirectResponse(_here(org, account), status_code=303)
        try:
            secret = _secret_from(account, form)
            credentials.store(db, _vault(request), account.id, secret, now=now)
            flash(request, _("Account connected."))
            return RedirectResponse(_here(org, account), status_code=303)
        except ValidationError as e:
            errors, status = e.errors, 400
    settings = request.app.state.settings
    return request.app.state.templates.TemplateResponse(request, "social/connect.html", {
        "org": org, "account": account, "errors": errors,
        "state": credentials.state_of(db, account.id, now=request.state.clock()),
        "x_ready": bool(settings.x_consumer_key and settings.x_consumer_secret),
        "platform_labels": {X: N_("X"), MASTODON: N_("Mastodon"), BLUESKY: N_("Bluesky")},
    }, status_code=status)


def _secret_from(account: accounts.Account, form: dict[str, str]) -> dict[str, Any]:
    if account.platform == MASTODON:
        token = form.get("access_token", "").strip()
        if not token or len(token) > 200 or any(c.isspace() for c in token):
            raise ValidationError({"access_token": _(
                "Paste the access token from your instance's Development settings.")})
        return {"access_token": token}
    if account.platform == BLUESKY:
        password = form.get("app_password", "").strip()
        if not password or len(password) > 100:
            raise ValidationError({"app_password": _(
                "Paste an app password from Bluesky's Settings → Privacy and security.")})
        return {"identifier": account.handle, "app_password": password}
    raise ValidationError({"platform": _("X accounts connect through Sign in with X.")})


async def x_start(request: Request) -> Response:
    """Send the person to X to authorise this app; X sends them back to ``x_callback``."""
    from juntos.social.platforms import x as x_platform

    org, account = _account(request)
    settings = request.app.state.settings
    if account.platform != X or not (settings.x_consumer_key and settings.x_consumer_secret):
        raise NotFound("X sign-in is not set up.")
    try:
        url, request_token = x_platform.sign_in_url(
            settings, f"{settings.public_base_url}{_here(org, account)}/x/callback")
    except x_platform.SignInFailed:
        flash(request, _("X did not answer. Try again in a moment."), "error")
        return RedirectResponse(_here(org, account), status_code=303)
    request.session[SESSION_KEY] = {"account": account.id, **request_token}
    return RedirectResponse(url, status_code=303)


async def x_callback(request: Request) -> Response:
    from juntos.social.platforms import x as x_platform

    org, account = _account(request)
    settings = request.app.state.settings
    pending = request.session.pop(SESSION_KEY, None) or {}
    token = request.query_params.get("oauth_token", "")
    verifier = request.query_params.get("oauth_verifier", "")
    if (pending.get("account") != account.id or pending.get("oauth_token") != token
            or not verifier):
        flash(request, _("X did not confirm the connection. Try again."), "error")
        return RedirectResponse(_here(org, account), status_code=303)
    try:
        secret = x_platform.access_tokens(settings, {
            "oauth_token": token, "oauth_token_secret": pending.get("oauth_token_secret", "")},
            verifier)
    except x_platform.SignInFailed:
        flash(request, _("X did not confirm the connection. Try again."), "error")
        return RedirectResponse(_here(org, account), status_code=303)
    credentials.store(request.state.db, _vault(request), account.id, secret,
                      now=request.state.clock())
    flash(request, _("Account connected."))
    return RedirectResponse(_here(org, account), status_code=303)


routes = [
    page("/messages/accounts/{org}/{id}/connect", connect, methods=["GET", "POST"]),
    page("/messages/accounts/{org}/{id}/connect/x", x_start),
    page("/messages/accounts/{org}/{id}/connect/x/callback", x_callback),
]
