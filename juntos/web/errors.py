"""Errors become pages here, and only here: HTML for pages, JSON for ``.json`` paths."""

from __future__ import annotations

import logging
import sqlite3
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from juntos.db import is_locked
from juntos.errors import JuntosError, NotAuthenticated
from juntos.web import i18n
from juntos.web.i18n import N_

log = logging.getLogger("juntos.web")

TITLES = {
    400: N_("Something in the request is not right"),
    401: N_("Please log in"),
    403: N_("You cannot do that here"),
    404: N_("Page not found"),
    405: N_("Method not allowed"),
    409: N_("That conflicts with something already there"),
    413: N_("Too large"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong on our side"),
    503: N_("Temporarily unavailable"),
}


def wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or request.headers.get("accept", "").startswith(
        "application/json"
    )


def error_response(request: Request, status: int, message: str = "") -> Response:
    if wants_json(request):
        return JSONResponse({"error": message or TITLES.get(status, "Error")}, status_code=status)
    templates = getattr(request.app.state, "templates", None)
    if templates is None or not hasattr(request.state, "csrf_token"):
        return PlainTextResponse(message or TITLES.get(status, "Error"), status_code=status)
    name = f"errors/{status}.html" if status in (400, 403, 404, 500) else "errors/generic.html"
    return templates.TemplateResponse(
        request,
        name,
        {"status": status, "title": i18n.gettext(TITLES.get(status, "Error")), "message": message},
        status_code=status,
    )


async def juntos_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, JuntosError)
    if isinstance(exc, NotAuthenticated) and not wants_json(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    return error_response(request, exc.status_code, exc.message)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail if exc.status_code not in (404, 405) else ""
    return error_response(request, exc.status_code, message)


async def out_of_range(request: Request, exc: Exception) -> Response:
    """A number in the request too large for the database (an id typed by hand, a query
    parameter): the request is wrong, not the server (400, never 500)."""
    log.info("Out-of-range number on %s %s: %s", request.method, request.url.path, exc)
    return error_response(request, 400, i18n.gettext(OUT_OF_RANGE))


OUT_OF_RANGE = N_("A number in this request is out of range.")


async def server_error(request: Request, exc: Exception) -> Response:
    # The traceback goes to the server log, never to the page.
    log.error("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, "")


BUSY = N_("Juntos is busy saving other changes. Nothing was saved: please try again in a moment.")


async def database_error(request: Request, exc: Exception) -> Response:
    """A write that still found the database locked after every retry (``Database.atomic``
    waits and tries again): 503 with a message and Retry-After, never a 500."""
    assert isinstance(exc, sqlite3.OperationalError)
    if not is_locked(exc):
        return await server_error(request, exc)
    log.warning("database locked on %s %s after retries", request.method, request.url.path)
    response = error_response(request, 503, i18n.gettext(BUSY))
    response.headers["Retry-After"] = "5"
    return response
