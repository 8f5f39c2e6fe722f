"""Calendar feeds answered before the middleware stack, when nothing can have changed.

The full path costs a token lookup, the partner lookup and one version query per event
source, then the session and gzip middleware. Here one ``PRAGMA data_version`` on the
long-lived feed reader stands in for all of those (see ``juntos.calendar.serving``): an answer
remembered for this exact URL under the same data version and day is replayed as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.types import ASGIApp, Receive, Scope, Send

from juntos.calendar.serving import FeedMemo, MemoKey, answer, data_version
from juntos.db import Database

FEED_PATHS = ("/calendar.ics", "/calendar/feeds/")


def memo_key(scope: Scope) -> MemoKey:
    return scope["path"], scope.get("query_string", b"")


class FeedFastPath:
    """Outermost ASGI layer: serve a remembered feed answer, or pass the request on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] not in ("GET", "HEAD")
                or not scope["path"].startswith(FEED_PATHS)):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        reader: Database | None = getattr(state, "calendar_reader", None)
        memo: FeedMemo | None = getattr(state, "feed_memo", None)
        if reader is None or memo is None:
            await self.app(scope, receive, send)
            return
        clock: Callable[[], datetime] = state.clock
        # the reader is shared with feeds built in worker threads: if one holds it now, this
        # request takes the full path (in a thread) rather than make the event loop wait
        if not memo.reader_lock.acquire(blocking=False):
            await self.app(scope, receive, send)
            return
        try:
            version = data_version(reader)
        finally:
            memo.reader_lock.release()
        item = memo.lookup(memo_key(scope), version=version, day=clock().date())
        if item is None:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        result = answer(item.entry, headers, private=item.private,
                        head=scope["method"] == "HEAD")
        await send({"type": "http.response.start", "status": result.status,
                    "headers": [(k.encode(), v.encode()) for k, v in result.headers.items()]})
        await send({"type": "http.response.body", "body": result.body})
