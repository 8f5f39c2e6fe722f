"""Logging in and out."""

from __future__ import annotations

import secrets
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import store as accounts
from juntos.errors import TooManyAttempts
from juntos.web import i18n
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict, page
from juntos.web.webarea import WebArea


def safe_next(target: str) -> str:
    """Only local paths: an open redirect after login is a phishing tool."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def login_throttle(request: Request) -> accounts.Throttle:
    """The login limits from the settings; the current-password check shares them."""
    settings = request.app.state.settings
    return accounts.Throttle(
        per_account=settings.login_attempts_per_account,
        per_address=settings.login_attempts_per_address,
        window=timedelta(seconds=settings.login_window_seconds),
    )


async def login_form(request: Request) -> Response:
    if request.state.user:
        return RedirectResponse(safe_next(request.query_params.get("next", "/")), 303)
    return request.app.state.templates.TemplateResponse(
        request, "auth/login.html", {"next": request.query_params.get("next", "/"), "error": ""}
    )


async def login(request: Request) -> Response:
    form = await form_dict(request)
    throttle = login_throttle(request)
    address = request.client.host if request.client else "unknown"
    status = 400
    try:
        user = accounts.authenticate(
            request.state.db,
            form.get("email", ""),
            form.get("password", ""),
            address=address,
            throttle=throttle,
            now=request.state.clock(),
        )
        error = _("E-mail or password is not right.")
    except TooManyAttempts:
        user = None
        error = _("Too many failed logins. Wait a few minutes and try again.")
        status = 429
    if user is None:
        return request.app.state.templates.TemplateResponse(
            request,
            "auth/login.html",
            {"next": form.get("next", "/"), "error": error, "email": form.get("email", "")},
            status_code=status,
        )
    chosen = request.session.get("lang", "")
    request.session.clear()
    if chosen in i18n.LANGUAGES:
        # The language chosen before logging in stays: for this session, and as the user's
        # preference when they have none yet.
        request.session["lang"] = chosen
        if not user.language:
            accounts.set_language(request.state.db, user.id, chosen)
    request.session["uid"] = user.id
    request.session["epoch"] = user.session_epoch
    request.session["sid"] = accounts.new_session_id()
    request.session["csrf"] = secrets.token_urlsafe(32)  # a new token for the new session
    return RedirectResponse(safe_next(form.get("next", "/")), status_code=303)


async def logout(request: Request) -> Response:
    """Ends this session for good: a copy of the cookie no longer signs anyone in."""
    accounts.end_session(request.state.db, str(request.session.get("sid", "")),
                         now=request.state.clock())
    request.session.clear()
    flash(request, _("You are logged out."))
    return RedirectResponse("/login", status_code=303)


routes = [
    page("/login", login_form, public=True, name="login"),
    page("/login", login, methods=["POST"], public=True, name="login_post"),
    page("/logout", logout, methods=["POST"], public=True, name="logout"),
]

WEB = WebArea(name="auth", routes=routes)
