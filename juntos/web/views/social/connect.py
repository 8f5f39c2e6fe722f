"""Connecting social accounts: credentials pasted into a form (Mastodon token, Bluesky app
password) or the platform's own sign-in (X, OAuth 1.0a); disconnecting. Thin: parse, check the
policy, call juntos.social.connecting, render. What each platform asks for is its declaration's
business (``Platform.connect_fields``, ``Platform.sign_in``).

Secrets go from the form straight into the vault; no page ever shows one back.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import policy
from juntos.errors import NotFound, ValidationError
from juntos.organisations import store as orgs
from juntos.settings import Settings
from juntos.social import accounts, appkeys, connecting, credentials, platforms
from juntos.social.platforms import identity
from juntos.social.platforms.base import SignIn
from juntos.web.i18n import N_
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict, page
from juntos.web.views.social.common import platform_context

SESSION_KEY = "x_oauth"  # the pending sign-in's request token, in the session cookie


def _account(request: Request) -> tuple[dict[str, Any], accounts.Account]:
    """The organisation and account in the path, if the user manages them and the account is
    on a platform Juntos posts to; 404 otherwise."""
    db = request.state.db
    org = orgs.get(db, request.path_params["org"])
    if not policy.can(request.state.user, "social.account.manage", org):
        raise NotFound("No such organisation.")
    try:
        account = accounts.get(db, int(request.path_params["id"]))
    except ValueError:
        raise NotFound("No such account.") from None
    if account.organisation_id != org["id"] or not platforms.get(account.platform).posts:
        raise NotFound("No such account.")
    return org, account


def _settings(request: Request) -> Settings:
    """The app's settings with the platforms' app keys set on the web (``appkeys``)."""
    return appkeys.effective(request.state.db, _vault(request), request.app.state.settings)


def _vault(request: Request) -> credentials.Vault:
    return credentials.Vault.from_settings(request.app.state.settings)


def _here(org: dict[str, Any], account: accounts.Account) -> str:
    return f"/messages/accounts/{org['slug']}/{account.id}/connect"


def _back(org: dict[str, Any], account: accounts.Account) -> Response:
    return RedirectResponse(_here(org, account), status_code=303)


async def connect(request: Request) -> Response:
    db = request.state.db
    org, account = _account(request)
    platform = platforms.get(account.platform)
    settings = _settings(request)
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await form_dict(request)
        now = request.state.clock()
        if form.get("disconnect"):
            connecting.disconnect(db, account, now=now, by=request.state.user.id)
            flash(request, _("Account disconnected; its credentials are deleted."))
            return _back(org, account)
        try:
            secret = connecting.secret_from(account, form)
            # DNS and the platform are waited for in a worker thread, never on the event loop.
            identity = await run_in_threadpool(connecting.connect, db, _vault(request),
                                               settings, account, secret, now=now,
                                               by=request.state.user.id)
            flash(request, _connected(identity))
            return _back(org, account)
        except ValidationError as e:
            errors = e.errors
        except connecting.VerificationFailed as e:
            field = platform.connect_fields[0].name if platform.connect_fields else "platform"
            errors = {field: _problem(e, account, request)}
    return request.app.state.templates.TemplateResponse(request, "social/connect.html", {
        "org": org, "account": account, "errors": errors, "platform": platform,
        "state": credentials.state_of(db, account.id, now=request.state.clock()),
        "sign_in_ready": platform.sign_in is not None and platform.sign_in.ready(settings),
        "may_set_keys": policy.can(request.state.user, "social.settings"),
        **platform_context(),
    }, status_code=400 if errors else 200)


# What went wrong when the platform was asked, as the person at the form needs to read it
# (a refusal is in each platform's own words: ``Platform.refused``). No connection and no
# answer read the same, without the library's words: they would tell whoever types addresses
# into this form which ports are open where.
NO_ANSWER = N_("The %(platform)s server at %(address)s did not answer. Check the address, or"
               " try again in a moment.")
PROBLEMS = {
    identity.UNREACHABLE: NO_ANSWER,
    identity.TIMEOUT: NO_ANSWER,
    identity.INSIDE: N_(
        "%(address)s is not a public address on the internet; accounts may only be connected"
        " to public %(platform)s servers."),
    identity.SERVER_ERROR: N_(
        "%(platform)s answered with an error (%(detail)s). Try again later."),
    identity.RATE_LIMITED: N_(
        "%(platform)s refuses more attempts for now (%(detail)s). Try again later."),
    identity.NOT_A_SERVER: N_(
        "%(address)s did not answer like a %(platform)s server. Check the instance"
        " address."),
}


def _problem(e: connecting.VerificationFailed, account: accounts.Account,
             request: Request) -> str:
    """The translated message naming what went wrong; nothing was stored."""
    platform = platforms.get(account.platform)
    if e.problem == identity.REFUSED and platform.refused:
        message = platform.refused
    else:
        message = PROBLEMS.get(e.problem, PROBLEMS[identity.SERVER_ERROR])
    return _(message, platform=platform.label,
             address=account.instance_url or platform.address,
             # the HTTP status only: a remote's own words may quote anything
             detail=e.detail if e.problem == identity.REFUSED else (
                 f"HTTP {e.code}" if e.code else "-"),
             seconds=request.app.state.settings.dispatch_timeout_seconds)


def _connected(who: identity.Identity) -> str:
    if who.display_name:
        return _("Account connected: the platform confirmed it is @%(handle)s (%(name)s).",
                 handle=who.handle, name=who.display_name)
    return _("Account connected: the platform confirmed it is @%(handle)s.", handle=who.handle)


def _sign_in(request: Request) -> tuple[dict[str, Any], accounts.Account, SignIn]:
    """The account, if its platform connects by signing in there (its id in the path)."""
    org, account = _account(request)
    sign_in = platforms.get(account.platform).sign_in
    if (request.path_params["platform"] != account.platform or sign_in is None
            or not sign_in.ready(_settings(request))):
        raise NotFound("Signing in is not set up for this platform.")
    return org, account, sign_in


async def sign_in_start(request: Request) -> Response:
    """Send the person to the platform to authorise this app; it sends them back to
    ``sign_in_callback``."""
    org, account, sign_in = _sign_in(request)
    settings = _settings(request)
    label = platforms.get(account.platform).label
    callback = f"{settings.public_base_url}{_here(org, account)}/{account.platform}/callback"
    try:
        url, request_token = sign_in.start(settings, callback)
    except identity.SignInFailed:
        flash(request, _("%(platform)s did not answer. Try again in a moment.", platform=label),
              "error")
        return _back(org, account)
    request.session[SESSION_KEY] = {"account": account.id, **request_token}
    return RedirectResponse(url, status_code=303)


async def sign_in_callback(request: Request) -> Response:
    org, account, sign_in = _sign_in(request)
    settings = _settings(request)
    label = platforms.get(account.platform).label
    pending = request.session.pop(SESSION_KEY, None) or {}
    token = request.query_params.get("oauth_token", "")
    verifier = request.query_params.get("oauth_verifier", "")
    try:
        if (pending.get("account") != account.id or pending.get("oauth_token") != token
                or not verifier):
            raise identity.SignInFailed("not the sign-in we started")
        secret = sign_in.finish(settings, {
            "oauth_token": token, "oauth_token_secret": pending.get("oauth_token_secret", "")},
            verifier)
    except identity.SignInFailed:
        flash(request, _("%(platform)s did not confirm the connection. Try again.",
                         platform=label), "error")
        return _back(org, account)
    try:
        who = connecting.connect(request.state.db, _vault(request), settings, account, secret,
                                 now=request.state.clock(), by=request.state.user.id)
    except connecting.VerificationFailed as e:
        flash(request, _problem(e, account, request), "error")
        return _back(org, account)
    flash(request, _connected(who))
    return _back(org, account)


routes = [
    page("/messages/accounts/{org}/{id}/connect", connect, methods=["GET", "POST"]),
    page("/messages/accounts/{org}/{id}/connect/{platform}", sign_in_start),
    # waits on the platform (the token exchange), not on the page threads
    page("/messages/accounts/{org}/{id}/connect/{platform}/callback", sign_in_callback,
         waits=True),
]
