"""``create_app(settings)``: builds the whole Starlette app; nothing here is global."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import replace

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from juntos import db as database
from juntos.clock import Clock, system_clock
from juntos.errors import JuntosError
from juntos.settings import Settings, settings_from_env
from juntos.web import errors
from juntos.web.context import RequestContextMiddleware
from juntos.web.feedpath import FeedFastPath
from juntos.web.logfilter import install_redaction
from juntos.web.templating import STATIC_DIR, build_templates
from juntos.web.views import (
    account,
    auth,
    calendar,
    campaign_items,
    campaigns,
    catalogue,
    home,
    network_map,
    organisations,
    social,
    users,
)


class CachedStatic(StaticFiles):
    """Static files; those requested with a content hash (``?v=``) are cached for a year."""

    async def get_response(self, path, scope):  # type: ignore[no-untyped-def]
        response = await super().get_response(path, scope)
        if b"v=" in scope.get("query_string", b""):
            response.headers["cache-control"] = "public, max-age=31536000, immutable"
        return response


def create_app(settings: Settings, *, clock: Clock = system_clock,
               dispatch: bool = False) -> Starlette:
    """``dispatch``: also run the social dispatcher in a thread (``juntos serve`` does)."""
    settings = settings.with_secret()
    install_redaction()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = database.connect(settings.db_path)
        try:
            applied = database.migrate(db)
        finally:
            db.close()
        if applied:
            logging.getLogger("juntos").info("Applied %d migration(s).", len(applied))
        async with AsyncExitStack() as stack:
            # Areas may run something for the app's lifetime: ``lifespan(app)`` in their views.
            for module in (campaigns, calendar, network_map, catalogue, social):
                hook = getattr(module, "lifespan", None)
                if hook is not None:
                    await stack.enter_async_context(hook(app))
            if dispatch:
                from juntos.social.dispatch import start_in_thread

                worker = start_in_thread(settings, clock=clock)
                stack.callback(worker.thread.join, 10)  # type: ignore[attr-defined]
                stack.callback(worker.stop.set)  # runs first: callbacks unwind in reverse
            yield

    routes = [
        *home.routes,
        *auth.routes,
        *account.routes,
        *users.routes,
        *organisations.routes,
        *campaigns.routes,
        *campaign_items.routes,
        *calendar.routes,
        *network_map.routes,
        *catalogue.routes,
        *social.routes,
        Mount("/static", app=CachedStatic(directory=STATIC_DIR), name="static"),
    ]
    app = Starlette(
        debug=False,
        routes=routes,
        middleware=[
            Middleware(FeedFastPath),  # before everything else: polled feeds must stay cheap
            Middleware(GZipMiddleware, minimum_size=800),
            Middleware(
                SessionMiddleware,
                secret_key=settings.secret_key,
                session_cookie="juntos_session",
                same_site="lax",
                https_only=settings.secure_cookies,
                max_age=14 * 24 * 3600,
            ),
            Middleware(RequestContextMiddleware, settings=replace(settings), clock=clock),
        ],
        exception_handlers={
            JuntosError: errors.juntos_error,
            HTTPException: errors.http_error,
            500: errors.server_error,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.templates = build_templates()
    app.state.clock = clock
    return app


def app_from_env() -> Starlette:
    """The app of each worker of ``juntos serve --workers N``, from the ``JUNTOS_*`` variables
    that ``serve`` sets (uvicorn starts workers from an import string, not an object)."""
    settings = settings_from_env()
    return create_app(settings, dispatch=settings.dispatch_in_process)
