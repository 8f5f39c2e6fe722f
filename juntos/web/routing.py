"""Routes with their access rule declared next to them.

Every route is protected unless declared ``public``; unsafe methods always need the session's
CSRF token. This is the one place where login, role and CSRF are enforced, so a view cannot
forget them. Object-level rules (may this member edit *this* organisation?) go through
``juntos.accounts.policy.require`` inside the view, which is the same policy module.

Views do their database work and rendering synchronously, so each one runs on a worker thread
(Starlette's threadpool), never on the server's event loop: one slow page does not hold up the
others. The request's body is read on the loop first (the receive channel belongs to it); the
view's coroutine then runs to completion on that thread's own loop, with the request's database
connection, which only that thread uses until the response is returned.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import threading
import weakref
from collections.abc import Awaitable, Callable, Sequence

import anyio
import anyio.to_thread
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from juntos.accounts import policy
from juntos.errors import Forbidden, NotAuthenticated

Endpoint = Callable[[Request], Awaitable[Response]]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The largest id a path may name: SQLite's integers are 64-bit.
MAX_ID = 2**63 - 1


class IdConvertor(Convertor[int]):
    """``{name:int}`` in a page's path: digits that fit an SQLite integer. Longer digits do
    not match the route, so they answer 404 instead of an overflow deep in a query."""

    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        if not 0 <= value <= MAX_ID:
            raise ValueError("An id is a non-negative 64-bit integer.")
        return str(value)


register_url_convertor("id", IdConvertor())


def page(
    path: str,
    endpoint: Endpoint,
    *,
    methods: Sequence[str] = ("GET",),
    public: bool = False,
    action: str | None = None,
    name: str | None = None,
    csrf: bool = True,
    waits: bool = False,
) -> Route:
    """A route whose endpoint runs only for a signed-in user allowed ``action``.

    ``csrf=False`` only for a public POST authorised by a secret in its address and made by
    no browser session (RFC 8058 one-click unsubscribe, posted by the mail provider).
    ``waits=True`` for a page that waits on another server (a platform's sign-in callback):
    it runs on the threads of changes, so a slow platform never holds up the page threads."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        user = request.state.user
        if not public:
            if user is None:
                raise NotAuthenticated("Please log in to see this page.")
            if action:
                policy.require(user, action)
        if request.method not in SAFE_METHODS:
            await request.body()  # on the loop; the form, JSON and uploads then read from it
            if csrf:
                await verify_csrf(request)
        threads: PageThreads | None = getattr(request.app.state, "page_threads", None)
        paced = request.method in SAFE_METHODS and not waits
        limiter = threads.limiter() if threads is not None and paced else None
        return await anyio.to_thread.run_sync(_run_on_worker, endpoint, request,
                                              limiter=limiter)

    path = path.replace(":int}", ":id}")  # every page's integers bounded, in one place
    return Route(path, guarded, methods=list(methods), name=name or endpoint.__name__)


class PageThreads:
    """How many pages a worker process renders at once (``Settings.page_threads``): pages
    beyond that wait their turn on the event loop, in order, instead of eight threads taking
    turns on one interpreter lock, which made each page several times slower under load.
    Changes (POST and the like) run on the default threads: they may wait for SQLite's write
    lock, and must not hold up pages meanwhile. One limiter per event loop (tests run apps
    on several)."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop,
                                                 anyio.CapacityLimiter] = (
            weakref.WeakKeyDictionary())

    def limiter(self) -> anyio.CapacityLimiter:
        loop = asyncio.get_running_loop()
        found = self._by_loop.get(loop)
        if found is None:
            found = self._by_loop[loop] = anyio.CapacityLimiter(self.size)
        return found


class _ThreadLoop:
    """A worker thread's event loop, closed when the thread ends (its locals are dropped).
    Made once per thread: a new loop per request would cost more than a small page."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def __del__(self) -> None:
        self.loop.close()


_worker = threading.local()


def _run_on_worker(endpoint: Endpoint, request: Request) -> Response:
    """Run a view's coroutine to completion on this worker thread's own event loop."""
    held: _ThreadLoop | None = getattr(_worker, "held", None)
    if held is None:
        held = _worker.held = _ThreadLoop()
    return held.loop.run_until_complete(endpoint(request))


async def verify_csrf(request: Request) -> None:
    expected = request.session.get("csrf", "")
    supplied = request.headers.get("x-csrf-token", "")
    content_type = request.headers.get("content-type", "")
    if not supplied and (
        content_type.startswith("application/x-www-form-urlencoded")
        or content_type.startswith("multipart/form-data")
    ):
        form = await request.form()  # cached on the request: the view reads it again for free
        supplied = str(form.get("csrf_token", ""))
    if not expected or not supplied or not hmac.compare_digest(expected, supplied):
        raise Forbidden(
            "This form has expired or did not come from this site. Reload the page and try again."
        )


async def form_dict(request: Request) -> dict[str, str]:
    """The submitted form as plain strings (files are read separately where a view takes them)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session.setdefault("flash", []).append([kind, message])
