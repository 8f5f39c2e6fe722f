"""Per-request context: a database connection, the signed-in user, CSRF token, language.

A pure ASGI middleware (not BaseHTTPMiddleware) so that context variables set here are seen by
the endpoint and so that request bodies stream through untouched.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from juntos import db as database
from juntos.accounts import store as accounts
from juntos.clock import Clock
from juntos.errors import PayloadTooLarge
from juntos.settings import Settings
from juntos.web import i18n
from juntos.web.errors import error_response

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    # No referrer at all: private feed tokens live in URLs and must never leak to other sites.
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
        b" object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    ),
]


class Connections:
    """Database connections kept open between requests, one app's (``app.state.connections``).

    Opening one costs more than a small page: SQLite reads the whole schema at a connection's
    first statement. A request takes one, uses it from one thread at a time (the view's
    worker), and gives it back; an unfinished transaction is rolled back first.
    """

    def __init__(self, path: Path | str, *, keep: int = 16) -> None:
        self.path = path
        self.keep = keep
        self._idle: list[database.Database] = []
        self._lock = threading.Lock()

    def take(self) -> database.Database:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return database.connect(self.path)

    def give_back(self, db: database.Database) -> None:
        try:
            if db.conn.in_transaction:
                db.conn.rollback()
        except sqlite3.Error:  # closed or broken: not worth keeping
            return
        with self._lock:
            if len(self._idle) < self.keep:
                self._idle.append(db)
                return
        db.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for db in idle:
            db.close()


# Calendar feeds too: polled by every subscriber's client, they open what they need themselves.
CONTEXT_FREE = ("/static/", "/healthz", "/calendar.ics", "/calendar/feeds/")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings, clock: Clock,
                 connections: Connections | None = None) -> None:
        self.app = app
        self.settings = settings
        self.clock = clock
        self.connections = connections or Connections(settings.db_path, keep=0)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        state = request.state
        state.settings = self.settings
        state.clock = self.clock
        if scope["path"].startswith(CONTEXT_FREE):
            # Static files need nothing; the health check opens the database itself so that
            # it can answer 503 when the database cannot be reached.
            state.user = None
            state.csrf_token = ""
            await self.app(scope, receive, send)
            return
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.settings.max_upload_bytes:
            state.csrf_token = ""
            response = error_response(request, 413, _too_large_message(self.settings))
            await response(scope, receive, send)
            return
        db = self.connections.take()
        state.db = db
        session: dict[str, Any] = scope.get("session", {})
        uid = session.get("uid")
        user = _signed_in(db, session, uid)
        if uid is not None and user is None:
            session.pop("uid", None)
        state.user = user
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        state.csrf_token = session["csrf"]
        # A language chosen in this session (login page, header switch) comes first, then
        # the user's preference, then the browser's.
        language = i18n.negotiate(
            session.get("lang", "") or (state.user.language if state.user else ""),
            request.headers.get("accept-language", ""),
        )
        token = i18n.set_language(language)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                present = {k.lower() for k, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                headers.append((b"content-language", language.encode()))
            await send(message)

        try:
            await self.app(scope, _limited(receive, self.settings), send_with_headers)
        finally:
            i18n._current.reset(token)
            self.connections.give_back(db)


def _signed_in(db: database.Database, session: dict[str, Any],
               uid: object) -> accounts.User | None:
    """The session's user, while its epoch is current (no password change, "log out
    everywhere" or deactivation since) and it was not ended by logging out; else None."""
    sid = session.get("sid")
    if not isinstance(uid, int) or not isinstance(sid, str):
        return None
    user = accounts.for_session(db, uid, sid)
    return user if user is not None and session.get("epoch", 0) == user.session_epoch else None


def _too_large_message(settings: Settings) -> str:
    mb = settings.max_upload_bytes / (1024 * 1024)
    return f"The upload is larger than the {mb:g} MB this server accepts."


def _limited(receive: Receive, settings: Settings) -> Receive:
    """Count body bytes as they arrive: a chunked upload has no Content-Length to check."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > settings.max_upload_bytes:
                raise PayloadTooLarge(_too_large_message(settings))
        return message

    return wrapped
