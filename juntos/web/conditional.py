"""ETag and Cache-Control for pages and data that change rarely: a conditional GET answers
304 without building (or sending) the body again (RFC 9110 §13.1.2, §15.4.5).

The tag is made from what the body depends on (change counters, the query, the language), so
it is known before the body is built.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

#: Kept by the browser but checked with the server before every use: a 304 costs one round
#: trip and no body, and a change is seen at once. Private: the pages are a signed-in user's.
REVALIDATE = "private, no-cache"


def etag_of(*parts: object) -> str:
    """A strong validator from the values the body depends on."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    return f'"{digest}"'


def matches(request: Request, etag: str) -> bool:
    """Whether the client's If-None-Match names ``etag`` (or ``*``); weak tags compare too."""
    header = request.headers.get("if-none-match", "")
    if not header:
        return False
    wanted = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in wanted or "*" in wanted


def conditional(request: Request, etag: str, build: Callable[[], Response], *,
                cache_control: str = REVALIDATE, vary: str = "") -> Response:
    """A 304 when the client holds ``etag``, else ``build()``; both carry the validators."""
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if vary:
        headers["Vary"] = vary
    if matches(request, etag):
        return Response(status_code=304, headers=headers)
    response = build()
    response.headers.update(headers)
    return response


def tagged(request: Request, response: Response) -> Response:
    """A rendered page with an ETag of its own bytes: the server still builds it, but a
    client that holds it gets a 304 and no body (what counts on a slow link). For pages whose
    inputs have no single version to name (an idea's page reads five areas' rows)."""
    if response.status_code != 200:
        return response
    etag = f'"{hashlib.blake2b(bytes(response.body), digest_size=12).hexdigest()}"'
    headers = {"ETag": etag, "Cache-Control": REVALIDATE}
    if matches(request, etag):
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return response
