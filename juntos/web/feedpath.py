"""Calendar feeds answered before the middleware stack, when nothing can have changed.

Subscribed calendars poll every few minutes, all day, and nearly always get the same bytes or a
304. The full path costs a token lookup, the partner lookup and one version query per event
source, then the session and gzip middleware. Here one ``PRAGMA data_version`` on the long-lived
feed reader stands in for all of those: SQLite changes it whenever any other connection commits,
so an answer remembered for this exact URL (path, token and query string) under the same data
version and day is still the answer the full path would give. Any write anywhere (an event, a
revoked token, a partner removed from a campaign) falls back to the full path, which remembers
the new answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date
from email.utils import parsedate_to_datetime

from starlette.types import ASGIApp, Receive, Scope, Send

from juntos.calendar.feedcache import Entry
from juntos.db import Database

FEED_PATHS = ("/calendar.ics", "/calendar/feeds/")
CONTENT_TYPE = "text/calendar; charset=utf-8"


def data_version(db: Database) -> int:
    """Changes whenever another connection commits; the reader itself never writes."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])


def not_modified(headers: Mapping[str, str], entry: Entry) -> bool:
    """RFC 9110 conditional GET: If-None-Match wins over If-Modified-Since."""
    inm = headers.get("if-none-match")
    if inm is not None:
        wanted = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return entry.rendered.etag in wanted or "*" in wanted
    ims = headers.get("if-modified-since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return entry.last_modified <= since
    return False


@dataclass(frozen=True)
class FeedAnswer:
    """What a feed request gets: status, headers and body, the same on either path."""

    status: int
    headers: dict[str, str]
    body: bytes


def answer(entry: Entry, headers: Mapping[str, str], *, private: bool,
           head: bool = False) -> FeedAnswer:
    out = {
        "etag": entry.rendered.etag,
        "last-modified": entry.last_modified_http,
        "cache-control": ("private" if private else "public") + ", max-age=900",
    }
    if not_modified(headers, entry):
        return FeedAnswer(304, {**out, "vary": "Accept-Encoding"}, b"")
    body = entry.rendered.body
    if "gzip" in headers.get("accept-encoding", ""):
        # compressed once per build; the app's GZip middleware leaves it (and its Vary) alone
        body = entry.gzipped
        out["content-encoding"] = "gzip"
        out["vary"] = "Accept-Encoding"
    out["content-disposition"] = 'inline; filename="juntos.ics"'
    out["content-type"] = CONTENT_TYPE
    out["content-length"] = str(len(body))
    return FeedAnswer(200, out, b"" if head else body)


@dataclass(frozen=True)
class Remembered:
    entry: Entry
    version: int
    day: date
    private: bool


class FeedMemo:
    """The last answer per feed URL, bounded; ``hits`` lets tests see the fast path work."""

    def __init__(self, max_entries: int = 2048) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[tuple[str, bytes], Remembered] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0

    def remember(self, key: tuple[str, bytes], item: Remembered) -> None:
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def lookup(self, key: tuple[str, bytes], *, version: int, day: date) -> Remembered | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item.version != version or item.day != day:
                del self._items[key]
                return None
            self.hits += 1
            return item


def memo_key(scope: Scope) -> tuple[str, bytes]:
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
        clock: Callable[[], object] = state.clock
        item = memo.lookup(memo_key(scope), version=data_version(reader),
                           day=clock().date())  # type: ignore[attr-defined]
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
