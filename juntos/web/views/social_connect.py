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
from juntos.social import accounts, connecting, credentials
from juntos.social.counting import BLUESKY, MASTODON, X
from juntos.social.platforms import identity
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
            identity = connecting.connect(db, _vault(request), request.app.state.settings,
                                          account, secret, now=now)
            flash(request, _connected(identity))
            return RedirectResponse(_here(org, account), status_code=303)
        except ValidationError as e:
            errors, status = e.errors, 400
        except connecting.VerificationFailed as e:
            field = "access_token" if account.platform == MASTODON else "app_password"
            errors, status = {field: _problem(e, account, request)}, 400
    settings = request.app.state.settings
    return request.app.state.templates.TemplateResponse(request, "social/connect.html", {
        "org": org, "account": account, "errors": errors,
        "state": credentials.state_of(db, account.id, now=request.state.clock()),
        "x_ready": bool(settings.x_consumer_key and settings.x_consumer_secret),
        "platform_labels": {X: N_("X"), MASTODON: N_("Mastodon"), BLUESKY: N_("Bluesky")},
    }, status_code=status)


# What went wrong when the platform was asked, as the person at the form needs to read it.
PROBLEMS = {
    (MASTODON, identity.REFUSED): N_(
        "The instance refused this access token (%(detail)s). Check that it was copied whole, is"
        " not revoked, and has the scopes write:statuses, write:media and read:accounts."),
    (BLUESKY, identity.REFUSED): N_(
        "Bluesky refused this handle and app password (%(detail)s). Check the handle and paste"
        " the app password again."),
    (X, identity.REFUSED): N_("X refused the new access token (%(detail)s). Try signing in again."),
    identity.UNREACHABLE: N_(
        "%(platform)s could not be reached at %(address)s (%(detail)s). Check the address and"
        " the server's connection."),
    identity.TIMEOUT: N_(
        "%(platform)s did not answer within %(seconds)s seconds. Try again in a moment."),
    identity.SERVER_ERROR: N_(
        "%(platform)s answered with an error (%(detail)s). Try again later."),
    identity.RATE_LIMITED: N_(
        "%(platform)s refuses more attempts for now (%(detail)s). Try again later."),
    identity.NOT_A_SERVER: N_(
        "%(address)s did not answer like a %(platform)s server (%(detail)s). Check the"
        " instance address."),
}
PLATFORM_NAMES = {X: "X", MASTODON: "Mastodon", BLUESKY: "Bluesky"}
ADDRESSES = {X: "api.x.com", BLUESKY: "bsky.social"}


def _problem(e: connecting.VerificationFailed, account: accounts.Account,
             request: Request) -> str:
    """The translated message naming what went wrong; nothing was stored."""
    message = PROBLEMS.get((account.platform, e.problem)) or PROBLEMS.get(
        e.problem, PROBLEMS[identity.SERVER_ERROR])
    return _(message, platform=PLATFORM_NAMES.get(account.platform, account.platform),
             address=account.instance_url or ADDRESSES.get(account.platform, ""),
             detail=e.detail or (str(e.code) if e.code else "-"),
             seconds=request.app.state.settings.dispatch_timeout_seconds)


def _connected(who: identity.Identity) -> str:
    if who.display_name:
        return _("Account connected: the platform confirmed it is @%(handle)s (%(name)s).",
                 handle=who.handle, name=who.display_name)
    return _("Account connected: the platform confirmed it is @%(handle)s.", handle=who.handle)


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
    try:
        who = connecting.connect(request.state.db, _vault(request), settings, account, secret,
                                 now=request.state.clock())
    except connecting.VerificationFailed as e:
        flash(request, _problem(e, account, request), "error")
        return RedirectResponse(_here(org, account), status_code=303)
    flash(request, _connected(who))
    return RedirectResponse(_here(org, account), status_code=303)


routes = [
    page("/messages/accounts/{org}/{id}/connect", connect, methods=["GET", "POST"]),
    page("/messages/accounts/{org}/{id}/connect/x", x_start),
    page("/messages/accounts/{org}/{id}/connect/x/callback", x_callback),
]
