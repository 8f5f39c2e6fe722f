"""The signed-in user's own settings: the private calendar feed, language, password, sessions."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import store as accounts
from juntos.calendar import tokens as feed_tokens
from juntos.errors import TooManyAttempts, ValidationError
from juntos.web import i18n
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict, page
from juntos.web.views import mail as mail_views
from juntos.web.views.auth import login_throttle, safe_next
from juntos.web.views.calendar.feeds import account_page
from juntos.web.webarea import WebArea


async def _render(request: Request, errors: dict[str, str] | None = None,
                  status: int = 200) -> Response:
    """The account page, with the sections other areas add (the calendar feed, e-mail)."""
    return await account_page(request, errors, status,
                              extra=mail_views.preference_context(request))


async def settings_page(request: Request) -> Response:
    return await _render(request)


async def save_language(request: Request) -> Response:
    form = await form_dict(request)
    language = form.get("language", "")
    if language and language not in i18n.LANGUAGES:
        return await _render(request, {"language": _("Choose one of the offered languages.")}, 400)
    accounts.set_language(request.state.db, request.state.user.id, language)
    request.session.pop("lang", None)  # the saved preference rules from now on
    i18n.set_language(language or i18n.DEFAULT_LANGUAGE)
    flash(request, _("Language saved."))
    return RedirectResponse("/account", status_code=303)


async def change_password(request: Request) -> Response:
    form = await form_dict(request)
    try:
        accounts.change_password(
            request.state.db,
            request.state.user.id,
            current=form.get("current", ""),
            new=form.get("new", ""),
            confirm=form.get("confirm", ""),
            throttle=login_throttle(request),
            now=request.state.clock(),
        )
    except ValidationError as e:
        return await _render(request, e.errors, 400)  # messages are shown translated
    except TooManyAttempts:
        error = _("Too many wrong passwords. Wait a few minutes and try again.")
        return await _render(request, {"current": error}, 429)
    # The epoch rose: keep this session, every other one has ended.
    me = accounts.get(request.state.db, request.state.user.id)
    if me is not None:
        request.session["epoch"] = me.session_epoch
    flash(request, _("Password changed. You were logged out on every other device."))
    # A feed address is a secret too, but calendar apps hold it: offer renewal, do not force it.
    if feed_tokens.current(request.state.db, request.state.user.id):
        flash(request, _("Your private calendar feed address still works. If it may have leaked"
                         " with your password, replace it below."))
        return RedirectResponse("/account#calendar-feed", status_code=303)
    return RedirectResponse("/account", status_code=303)


async def logout_everywhere(request: Request) -> Response:
    accounts.end_sessions(request.state.db, request.state.user.id)
    accounts.end_session(request.state.db, str(request.session.get("sid", "")),
                         now=request.state.clock())
    request.session.clear()
    flash(request, _("You are logged out on every device, this one included."))
    return RedirectResponse("/login", status_code=303)


async def switch_language(request: Request) -> Response:
    """The language switch (the header's EN | PT, the login page's list): kept in the
    session, and as a signed-in user's preference; back to the page it was used on."""
    form = await form_dict(request)
    language = form.get("language", "")
    if language in i18n.LANGUAGES:
        request.session["lang"] = language
        if request.state.user is not None:
            accounts.set_language(request.state.db, request.state.user.id, language)
    return RedirectResponse(safe_next(form.get("next", "") or "/login"), status_code=303)


routes = [
    page("/account", settings_page, name="account"),
    page("/account/language", save_language, methods=["POST"]),
    page("/account/password", change_password, methods=["POST"]),
    page("/account/logout-everywhere", logout_everywhere, methods=["POST"]),
    page("/language", switch_language, methods=["POST"], public=True),
]

WEB = WebArea(name="account", routes=routes)
