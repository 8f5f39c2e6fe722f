"""Serving a feed: which cache entry answers a request, and whether with bytes or a 304.

No HTTP here: the web layer turns a request into a ``FeedRequest`` and a ``FeedAnswer`` back
into a response, and the fast path (``juntos/web/feedpath.py``) replays remembered answers.

Subscribed calendars poll every few minutes, all day, and nearly always get the same bytes or
a 304. So every answer is remembered (``FeedMemo``) under its URL with SQLite's
``PRAGMA data_version`` on the long-lived feed reader: it changes whenever any other
connection commits, so a remembered answer under the same data version and day is still the
answer the full path would give. Any write anywhere (an event, a revoked token, a partner
removed from a campaign) sends the next request down the full path, which remembers anew.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from cachetools import LRUCache

from juntos import db as database
from juntos.calendar import feeds, tokens
from juntos.calendar.feedcache import Entry, FeedCache
from juntos.calendar.filters import Filters
from juntos.calendar.visibility import Viewer, viewer_for
from juntos.db import Database

CONTENT_TYPE = "text/calendar; charset=utf-8"
#: A feed URL: its path (with the token) and its query string.
MemoKey = tuple[str, bytes]


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
    """The last answer per feed URL, least recently used dropped first; one per app.
    ``hits`` lets tests see the fast path work."""

    def __init__(self, max_entries: int = 2048) -> None:
        self.max_entries = max_entries
        self._items: LRUCache[MemoKey, Remembered] = LRUCache(maxsize=max_entries)
        self._lock = threading.Lock()  # cachetools caches are not thread-safe
        #: Held while the app's long-lived feed reader is used: feeds are served from worker
        #: threads, and one sqlite3 connection must not run two statements at once.
        self.reader_lock = threading.Lock()
        self.hits = 0

    def remember(self, key: MemoKey, item: Remembered) -> None:
        with self._lock:
            self._items[key] = item

    def lookup(self, key: MemoKey, *, version: int, day: date) -> Remembered | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item.version != version or item.day != day:
                del self._items[key]
                return None
            self.hits += 1
            return item


@dataclass(frozen=True)
class FeedRequest:
    """A feed request as the calendar sees it: the token (``None``: the public feed), the
    query string's filters, the conditional headers, and the URL it is remembered under."""

    token: str | None
    query: Mapping[str, str]
    headers: Mapping[str, str]
    memo_key: MemoKey
    now: datetime
    head: bool = False


@dataclass(frozen=True)
class Feeds:
    """What serving needs for one app: the database, its caches and the feed reader (a
    long-lived read connection the app's lifespan opens; ``None`` outside it)."""

    db_path: Path
    cache: FeedCache
    memo: FeedMemo
    reader: Database | None = None
    #: The site's public address, which each event's link to its page starts with.
    base_url: str = ""


def serve(feeds_: Feeds, request: FeedRequest) -> FeedAnswer | None:
    """The answer to a feed request, remembered for the fast path; ``None`` for an unknown
    or revoked token. Polling clients cost one small query on the reader."""
    reader, own = feeds_.reader, feeds_.reader is None
    if reader is None:
        reader = database.connect(feeds_.db_path)
    try:
        with feeds_.memo.reader_lock:
            # read first, so that a write during this request misses the memo next time
            version = None if own else data_version(reader)
            found = _lookup(feeds_, reader, request)
        if found is None:
            return None
        if isinstance(found, Entry):
            entry = found
        elif own:
            entry = _build(feeds_, request, reader, *found)
        else:
            # Built on the reader itself: the VEVENT bytes a build stores (rendered with the
            # site's address) are its own commits, which leave its data_version, and so the
            # answer just remembered, as they are. One build at a time; the others wait for
            # it and find it in the cache.
            with feeds_.memo.reader_lock:
                entry = feeds_.cache.get(found[0]) or _build(feeds_, request, reader, *found)
        if version is not None:
            feeds_.memo.remember(request.memo_key, Remembered(
                entry, version, request.now.date(), private=request.token is not None))
    finally:
        if own:
            reader.close()
    return answer(entry, request.headers, private=request.token is not None, head=request.head)


_ToBuild = tuple[tuple[str, ...], Viewer, Filters, str, str]
#: Languages a feed's generated titles come in (``?lang=pt``; a private feed: its owner's).
FEED_LANGUAGES = ("en", "pt")


def _lookup(feeds_: Feeds, reader: Database, request: FeedRequest) -> Entry | _ToBuild | None:
    """The cached entry, or what building it needs; ``None`` for an unknown token."""
    user, timezone = None, "UTC"
    if request.token is not None:
        found = tokens.owner(reader, request.token)
        if found is None:
            return None
        user, timezone = found
    viewer = viewer_for(reader, user)
    filters = Filters.from_query(request.query)
    asked = request.query.get("lang", "")
    language = asked if asked in FEED_LANGUAGES else (
        user.language if user is not None and user.language in FEED_LANGUAGES else "en")
    key = feeds.cache_key(reader, viewer, filters, now=request.now, timezone=timezone,
                          language=language)
    return feeds_.cache.get(key) or (key, viewer, filters, timezone, language)


def _build(feeds_: Feeds, request: FeedRequest, db: Database, key: tuple[str, ...],
           viewer: Viewer, filters: Filters, timezone: str, language: str) -> Entry:
    return feeds.build(db, feeds_.cache, key, viewer, filters, now=request.now,
                       timezone=timezone, base_url=feeds_.base_url, language=language)
