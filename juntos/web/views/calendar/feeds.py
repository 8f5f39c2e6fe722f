"""Feeds over HTTP (``/calendar.ics``, ``/calendar/feeds/{token}.ics``) and the account page
of one's private feed. What a feed answers is decided in ``juntos.calendar.serving``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos import db as database
from juntos.calendar import feeds, serving
from juntos.calendar import tokens as feed_tokens
from juntos.calendar.filters import Filters
from juntos.calendar.visibility import viewer_for
from juntos.errors import NotFound
from juntos.organisations import store as orgs
from juntos.web import feedpath
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict, page
from juntos.web.views.calendar.shared import feed_cache, feed_links


def _serve(request: Request, token: str | None) -> Response:
    """Feeds skip the per-request context (see ``web/context.py``): polling clients cost one
    small query on a long-lived connection."""
    state = request.app.state
    result = serving.serve(
        serving.Feeds(state.settings.db_path, state.calendar_feeds, state.feed_memo,
                      getattr(state, "calendar_reader", None), state.settings.public_base_url),
        serving.FeedRequest(token=token, query=request.query_params, headers=request.headers,
                            memo_key=feedpath.memo_key(request.scope),
                            now=request.state.clock(), head=request.method == "HEAD"))
    if result is None:
        raise NotFound(_("No such feed. Its address may have been replaced."))
    return Response(result.body, status_code=result.status, headers=result.headers)


async def public_feed(request: Request) -> Response:
    """Everything public, no login: ``/calendar.ics?campaign=...&country=MZ``. Built in a
    worker thread (a cold build renders events); the fast path answers repeats on the loop."""
    return await anyio.to_thread.run_sync(_serve, request, None)


async def private_feed(request: Request) -> Response:
    """What this token's user may see, re-evaluated at every fetch."""
    return await anyio.to_thread.run_sync(_serve, request, request.path_params["token"])


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """A long-lived read connection for feed polling (the fast path's ``data_version``)."""
    reader = database.connect(app.state.settings.db_path)
    app.state.calendar_reader = reader
    try:
        yield
    finally:
        if getattr(app.state, "calendar_reader", None) is reader:
            app.state.calendar_reader = None
        reader.close()


def _back(value: str) -> str:
    """Where to go after creating the address: a local path (a campaign's page), never
    another site's (``//host`` and ``/\\host`` are other sites to a browser)."""
    if (value.startswith("/") and not value.startswith(("//", "/\\"))
            and value.isprintable() and len(value) <= 300):
        return value
    return "/account#calendar-feed"


async def calendar_section(request: Request) -> dict[str, Any]:
    """What the account page shows of one's private feed: its address, links and size."""
    db = request.state.db
    user = request.state.user
    token = feed_tokens.current(db, user.id)
    size_warning = False
    size = 0
    if token:
        org = orgs.get_by_id(db, user.organisation_id)
        entry = await anyio.to_thread.run_sync(lambda: feeds.served(
            db, feed_cache(request), viewer_for(db, user), Filters(),
            now=request.state.clock(), timezone=org.get("timezone") or "UTC",
            base_url=request.app.state.settings.public_base_url))
        size, size_warning = len(entry.rendered.body), entry.rendered.too_big
    return {"links": feed_links(request, Filters()), "token": token,
            "feed_size": size, "size_warning": size_warning}


async def account_calendar(request: Request) -> Response:
    """``/account/calendar``: the account page (its calendar section is on ``/account``)."""
    return await account_page(request)


async def account_page(request: Request, errors: dict[str, str] | None = None,
                       status: int = 200, extra: dict[str, object] | None = None) -> Response:
    """The account page with its calendar section (and what other sections the caller adds)."""
    response: Response = request.app.state.templates.TemplateResponse(
        request, "calendar/account.html",
        {"errors": errors or {}, **(extra or {}), **await calendar_section(request)},
        status_code=status)
    return response


def _confirm(request: Request, action: str) -> Response:
    """The step before replacing or revoking: works without JavaScript."""
    response: Response = request.app.state.templates.TemplateResponse(
        request, "calendar/confirm_token.html", {"action": action})
    return response


async def regenerate_token(request: Request) -> Response:
    """Create the address, or (after the confirmation step) replace it."""
    db, user = request.state.db, request.state.user
    form = await form_dict(request)
    had = feed_tokens.current(db, user.id) is not None
    if had and form.get("confirm") != "yes":
        return _confirm(request, "replace")
    feed_tokens.regenerate(db, user.id, now=request.state.clock())
    if had:
        flash(request, _("Your private feed has a new address. The old one no longer works."))
        return RedirectResponse("/account#calendar-feed", status_code=303)
    flash(request, _("Your private feed address is created. Subscribe to it in your"
                     " calendar program."))
    return RedirectResponse(_back(form.get("next", "")), status_code=303)


async def revoke_token(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    form = await form_dict(request)
    if feed_tokens.current(db, user.id) is None:
        return RedirectResponse("/account#calendar-feed", status_code=303)
    if form.get("confirm") != "yes":
        return _confirm(request, "revoke")
    feed_tokens.revoke(db, user.id)
    flash(request, _("Your private feed address is revoked."))
    return RedirectResponse("/account#calendar-feed", status_code=303)


routes = [
    page("/calendar.ics", public_feed, methods=["GET", "HEAD"], public=True),
    page("/calendar/feeds/{token}.ics", private_feed, methods=["GET", "HEAD"], public=True),
    page("/account/calendar", account_calendar),
    page("/account/calendar/token", regenerate_token, methods=["POST"]),
    page("/account/calendar/revoke", revoke_token, methods=["POST"]),
]
