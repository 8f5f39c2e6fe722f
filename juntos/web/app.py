"""``create_app(settings)``: builds the whole Starlette app; nothing here is global."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import replace

from sqlite_utils.migrations import Migrations
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from juntos import db as database
from juntos.clock import Clock, system_clock
from juntos.errors import JuntosError
from juntos.runner import Runner, Task
from juntos.settings import Settings
from juntos.web import errors
from juntos.web.context import Connections, RequestContextMiddleware
from juntos.web.feedpath import FeedFastPath
from juntos.web.logfilter import install_redaction
from juntos.web.routing import PageThreads
from juntos.web.templating import STATIC_DIR, build_templates
from juntos.web.webarea import WebArea


class CachedStatic(StaticFiles):
    """Static files; those requested with a content hash (``?v=``) are cached for a year."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if b"v=" in scope.get("query_string", b""):
            response.headers["cache-control"] = "public, max-age=31536000, immutable"
        return response


def create_app(settings: Settings, *, areas: Sequence[WebArea],
               migrations: Sequence[Migrations], tasks: Sequence[Task] = (),
               clock: Clock = system_clock) -> Starlette:
    """The app from the house's parts (``juntos.house.create_app`` passes them).

    ``areas``: every area's pages, in order; ``migrations``: applied at start-up; ``tasks``:
    background work run, for the app's lifetime, by the one ``Runner`` the lifespan owns.
    """
    settings = settings.with_secret()
    install_redaction()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = database.connect(settings.db_path)
        try:
            applied = database.migrate(db, migrations)
        finally:
            db.close()
        if applied:
            logging.getLogger("juntos").info("Applied %d migration(s).", len(applied))
        async with AsyncExitStack() as stack:
            for area in areas:  # areas may hold something for the app's lifetime
                if area.lifespan is not None:
                    await stack.enter_async_context(area.lifespan(app))
            runner = Runner(settings, clock)
            app.state.runner = runner
            runner.start(tasks)
            stack.callback(runner.stop)
            stack.callback(connections.close)
            yield

    connections = Connections(settings.db_path)  # kept open between requests
    routes = [
        *(route for area in areas for route in area.routes),
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
            Middleware(RequestContextMiddleware, settings=replace(settings), clock=clock,
                       connections=connections),
        ],
        exception_handlers={
            JuntosError: errors.juntos_error,
            HTTPException: errors.http_error,
            sqlite3.OperationalError: errors.database_error,
            OverflowError: errors.out_of_range,
            500: errors.server_error,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.page_threads = PageThreads(settings.page_threads)
    app.state.areas = tuple(areas)
    for area in areas:
        for name, factory in (area.state or {}).items():
            setattr(app.state, name, factory())
    app.state.migrations = tuple(migrations)
    app.state.templates = build_templates()
    app.state.clock = clock
    app.state.connections = connections
    return app
