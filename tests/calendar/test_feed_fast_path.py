"""The feed fast path answers from memory only while nothing in the database has changed."""

from __future__ import annotations

from datetime import date

import pytest

from juntos.calendar import store
from juntos.calendar import tokens as feed_tokens
from juntos.db import Database
from tests.calendar.helpers import event
from tests.calendar.test_web import _titles

SKIP = {"date", "server"}


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert a.status_code == b.status_code
    assert a.content == b.content
    assert ({k: v for k, v in a.headers.items() if k not in SKIP}
            == {k: v for k, v in b.headers.items() if k not in SKIP})


@pytest.fixture
def public_event(db: Database, org_a, clock):  # type: ignore[no-untyped-def]
    return store.save(db, event(uid="fast@test", title="Day of action", start=date(2026, 12, 3),
                                end=date(2026, 12, 4), organiser_id=org_a["id"],
                                countries=("MZ",)), now=clock())


def test_repeated_requests_are_answered_from_memory_with_the_same_bytes_and_headers(
        app, client, public_event) -> None:  # type: ignore[no-untyped-def]
    for headers in ({}, {"accept-encoding": "gzip"}, {"accept-encoding": "identity"}):
        first = client.get("/calendar.ics?country=MZ", headers=headers)
        assert _titles(first.content) == {"Day of action"}
        hits = app.state.feed_memo.hits
        again = client.get("/calendar.ics?country=MZ", headers=headers)
        assert app.state.feed_memo.hits == hits + 1
        _same(first, again)
    etag = first.headers["etag"]
    hits = app.state.feed_memo.hits
    not_modified = client.get("/calendar.ics?country=MZ", headers={"if-none-match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == etag
    head = client.head("/calendar.ics?country=MZ", headers={"accept-encoding": "identity"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(first.content))
    assert app.state.feed_memo.hits == hits + 2
    # another query string is another answer, never the remembered one
    assert _titles(client.get("/calendar.ics?country=ZA").content) == set()


def test_any_write_sends_the_next_request_down_the_full_path(
        app, client, db, public_event, clock) -> None:  # type: ignore[no-untyped-def]
    etag = client.get("/calendar.ics").headers["etag"]
    assert client.get("/calendar.ics", headers={"if-none-match": etag}).status_code == 304
    store.save(db, public_event.with_changes(title="Moved day of action"), now=clock())
    hits = app.state.feed_memo.hits
    changed = client.get("/calendar.ics", headers={"if-none-match": etag})
    assert app.state.feed_memo.hits == hits
    assert changed.status_code == 200 and _titles(changed.content) == {"Moved day of action"}


def test_a_new_day_is_not_served_from_yesterdays_memory(
        app, client, public_event, clock) -> None:  # type: ignore[no-untyped-def]
    client.get("/calendar.ics")
    clock.advance(days=1)
    hits = app.state.feed_memo.hits
    client.get("/calendar.ics")
    assert app.state.feed_memo.hits == hits


def test_a_revoked_token_stops_at_once_even_when_its_feed_was_remembered(
        app, client, db, users, public_event, clock) -> None:  # type: ignore[no-untyped-def]
    token = feed_tokens.regenerate(db, users["member"].id, now=clock())
    url = f"/calendar/feeds/{token}.ics"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["cache-control"].startswith("private")
    client.get(url)  # the first build may have written (rendered events): full path once more
    hits = app.state.feed_memo.hits
    _same(first, client.get(url))
    assert app.state.feed_memo.hits == hits + 1
    feed_tokens.revoke(db, users["member"].id)
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"if-none-match": first.headers["etag"]}).status_code == 404
