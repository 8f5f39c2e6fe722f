"""Subscriptions to external feeds, with the remote faked at the httpx edge (respx)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
import respx
from click.testing import CliRunner

from juntos.calendar import store, subscriptions
from juntos.calendar.visibility import PUBLIC
from juntos.cli import cli
from juntos.db import Database
from juntos.errors import ValidationError
from tests.support.web import csrf_token, soup

URL = "https://calendar.example.org/partner/basic.ics"

FEED = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
X-WR-TIMEZONE:Africa/Johannesburg\r
BEGIN:VEVENT\r
UID:march@partner\r
DTSTAMP:20261101T000000Z\r
DTSTART:20261205T080000Z\r
DTEND:20261205T100000Z\r
SUMMARY:{title}\r
SEQUENCE:{sequence}\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:weekly@partner\r
DTSTAMP:20261101T000000Z\r
DTSTART:20261207T070000Z\r
DTEND:20261207T080000Z\r
RRULE:FREQ=WEEKLY;COUNT=10\r
SUMMARY:Weekly partner call\r
END:VEVENT\r
{extra}END:VCALENDAR\r
"""

EXTRA = """BEGIN:VEVENT\r
UID:vigil@partner\r
DTSTAMP:20261101T000000Z\r
DTSTART;VALUE=DATE:20261210\r
SUMMARY:Vigil\r
END:VEVENT\r
"""


def feed(title: str = "March", sequence: int = 0, extra: str = EXTRA) -> str:
    return FEED.format(title=title, sequence=sequence, extra=extra)


@respx.mock
def test_subscribe_sync_update_and_cancel_gone_events(db: Database, org_b, clock) -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(200, text=feed()))
    result = subscriptions.subscribe(db, "webcal://calendar.example.org/partner/basic.ics",
                                     org_slug="org-b", now=clock(), visibility="public")
    assert route.called and result.error == "" and result.report is not None
    assert result.report.created == 3
    weekly = store.get_by_uid(db, "weekly@partner")
    # Google's UTC times with X-WR-TIMEZONE: the series is anchored in the named zone
    assert weekly.tzid == "Africa/Johannesburg" and weekly.start.hour == 9
    assert weekly.source_label == "Feed of Ubuntu Labour"

    route.mock(return_value=httpx.Response(200, text=feed("March (moved)", 1, extra="")))
    clock.advance(hours=6)
    (again,) = subscriptions.sync_all(db, now=clock())
    assert again.report is not None and again.report.updated == 1 and again.report.gone == 1
    assert store.get_by_uid(db, "march@partner").title == "March (moved)"
    vigil = [e for e in store.query(db, PUBLIC, now=clock()) if e.uid == "vigil@partner"]
    assert vigil and vigil[0].removed  # served as cancelled, not silently dropped


@respx.mock
def test_a_broken_or_failing_feed_changes_nothing(db: Database, org_b, clock) -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(200, text=feed()))
    subscriptions.subscribe(db, URL, org_slug="org-b", now=clock())
    before = store.version(db)
    route.mock(return_value=httpx.Response(200, text=feed().replace("END:VCALENDAR", "")))
    (broken,) = subscriptions.sync_all(db, now=clock() + timedelta(hours=1))
    # said in our words: nothing of the remote content is repeated to members
    assert broken.error.startswith("The feed's content was refused")
    route.mock(return_value=httpx.Response(503))
    (down,) = subscriptions.sync_all(db, now=clock() + timedelta(hours=2))
    assert "503" in down.error
    route.mock(side_effect=httpx.ConnectTimeout("slow"))
    (slow,) = subscriptions.sync_all(db, now=clock() + timedelta(hours=3))
    assert "ConnectTimeout" in slow.error
    assert store.count(db) == 3
    assert {e.removed for e in store.query(db, None)} == {False}
    assert store.version(db) - before == 3  # only the error notes were written
    assert URL not in slow.error  # secret addresses never end up in messages


@respx.mock
def test_oversized_feed_is_refused(db: Database, org_b, clock) -> None:
    respx.get(URL).mock(return_value=httpx.Response(
        200, content=b"x" * (subscriptions.MAX_BYTES + 1)))
    result = subscriptions.subscribe(db, URL, org_slug="org-b", now=clock())
    assert "larger than" in result.error and store.count(db) == 0


def test_only_web_addresses_are_accepted(db: Database, org_b, clock) -> None:
    with pytest.raises(Exception, match="https://"):
        subscriptions.subscribe(db, "file:///etc/passwd", org_slug="org-b", now=clock())


@respx.mock
def test_cli_subscribe_sync_and_observances(settings, db, org_b) -> None:  # type: ignore[no-untyped-def]
    respx.get(URL).mock(return_value=httpx.Response(200, text=feed()))
    runner = CliRunner()
    base = ["--db", str(settings.db_path)]
    r = runner.invoke(cli, [*base, "calendar", "subscribe", URL, "--org", "org-b"])
    assert r.exit_code == 0, r.output
    assert "3 new" in r.output
    r = runner.invoke(cli, [*base, "calendar", "sync"])
    assert r.exit_code == 0, r.output
    assert "1 subscription(s) synced" in r.output
    r = runner.invoke(cli, [*base, "calendar", "observances"])
    assert r.exit_code == 0 and "113 international days" in r.output
    r = runner.invoke(cli, [*base, "calendar", "export", "--public",
                            "--category", "international_day"])
    assert r.exit_code == 0
    assert r.output.count("BEGIN:VEVENT") == 113
    assert "UID:observance-international-women-s-day@juntos" in r.output
    # the administrator's export includes network events; --public does not
    r = runner.invoke(cli, [*base, "calendar", "export"])
    assert "Weekly partner call" in r.output
    r = runner.invoke(cli, [*base, "calendar", "export", "--public"])
    assert "Weekly partner call" not in r.output


def _post(client, path: str, data: dict):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/calendar/import")})


@respx.mock
def test_a_member_subscribes_refreshes_and_unsubscribes_on_the_web(
        as_user, db, org_b, clock) -> None:  # type: ignore[no-untyped-def]
    respx.get(URL).mock(return_value=httpx.Response(200, text=feed()))
    partner = as_user("other_member")  # a member of org B
    r = _post(partner, "/calendar/subscriptions",
              {"url": URL, "label": "Ubuntu <b>calendar</b>", "visibility": "network"})
    assert r.status_code == 200 and "3 events up to date" in r.text
    sources = soup(r).select_one("#sources + .table-wrap table")
    assert "Ubuntu <b>calendar</b>" in sources.get_text()  # as text
    (source,) = subscriptions.list_sources(db)
    assert source["organisation_id"] == org_b["id"] and store.count(db) == 3
    again = _post(partner, "/calendar/subscriptions", {"url": URL, "visibility": "network"})
    assert again.status_code == 400
    assert "already subscribes" in soup(again).select_one("#e-url").get_text()
    inside = _post(partner, "/calendar/subscriptions", {"url": "http://127.0.0.1:8000/x.ics"})
    assert inside.status_code == 400
    assert "inside this server's network" in soup(inside).select_one("#e-url").get_text()
    assert len(subscriptions.list_sources(db)) == 1
    # someone of another organisation sees the source but may not remove it
    other = as_user("member")
    page = soup(other.get("/calendar/import"))
    assert not page.select(f"form[action='/calendar/subscriptions/{source['id']}/delete']")
    assert _post(other, f"/calendar/subscriptions/{source['id']}/delete", {}).status_code == 403
    assert _post(as_user("viewer"), "/calendar/subscriptions", {"url": URL}).status_code == 403
    refreshed = _post(partner, f"/calendar/subscriptions/{source['id']}/sync", {})
    assert "3 events up to date" in refreshed.text
    gone = _post(partner, f"/calendar/subscriptions/{source['id']}/delete", {})
    assert gone.status_code == 200 and "3 events show as cancelled" in gone.text
    assert subscriptions.list_sources(db) == []
    assert {e.removed for e in store.query(db, None)} == {True}  # cancelled, not vanished


@pytest.mark.parametrize("address", ["http://127.0.0.1:8000/calendar.ics",
                                     "http://169.254.169.254/latest/meta-data",
                                     "webcal://10.1.2.3/feed.ics", "http://[::1]/x.ics"])
def test_a_feed_inside_the_servers_network_is_refused(db: Database, org_b, clock,
                                                      address: str) -> None:
    with pytest.raises(ValidationError, match="inside this server's network"):
        subscriptions.subscribe(db, address, org_slug="org-b", now=clock())
    assert subscriptions.list_sources(db) == []


@respx.mock
def test_a_redirect_into_the_servers_network_is_refused_too(db: Database, org_b,
                                                            clock) -> None:
    respx.get(URL).mock(return_value=httpx.Response(
        302, headers={"location": "http://127.0.0.1:9/secret.ics"}))
    inner = respx.get("http://127.0.0.1:9/secret.ics").mock(
        return_value=httpx.Response(200, text=feed()))
    result = subscriptions.subscribe(db, URL, org_slug="org-b", now=clock())
    assert "inside this server's network" in result.error
    assert not inner.called and store.count(db) == 0
    # the operator may allow it, for a partner's server on the same LAN
    (allowed,) = subscriptions.sync_all(db, now=clock(), allow_private=True)
    assert allowed.error == "" and inner.called and store.count(db) == 3


@respx.mock
def test_the_server_syncs_every_refreshable_source_as_a_runner_task(
        db: Database, settings, org_b, clock) -> None:  # type: ignore[no-untyped-def]
    import threading
    from dataclasses import replace

    from juntos.calendar import manifest
    from juntos.runner import Runner, TaskContext

    (task,) = manifest.AREA.tasks
    assert task.period(replace(settings, calendar_sync_minutes=60)) == 3600
    assert Runner(settings, clock).start([task]) == []  # 0 minutes (the tests'): off
    route = respx.get(URL).mock(return_value=httpx.Response(200, text=feed()))
    subscriptions.subscribe(db, URL, org_slug="org-b", now=clock())
    route.mock(return_value=httpx.Response(200, text=feed("March (moved)", 1)))
    clock.advance(hours=1)
    task.run(TaskContext(settings, clock, threading.Event()))
    assert store.get_by_uid(db, "march@partner").title == "March (moved)"


def test_source_kinds_are_plugged_in_and_drawn_on_the_import_page(as_user) -> None:
    from juntos.calendar import kinds

    assert {k.id for k in kinds.KINDS} >= {"upload", "subscription"}
    assert kinds.kind("subscription").refresh is not None
    assert kinds.kind("upload").refresh is None
    page = soup(as_user("member").get("/calendar/import"))
    actions = [f["action"] for f in page.select("form[action]")
               if f["action"] in ("/calendar/import", "/calendar/subscriptions")]
    assert actions == ["/calendar/import", "/calendar/subscriptions"]  # upload first
    assert page.select_one("form[action='/calendar/import']")["enctype"] == \
        "multipart/form-data"
    assert page.select_one("#f-sub-visibility") and page.select_one("#f-visibility")


@respx.mock
def test_any_kind_is_added_through_its_generic_address(as_user, db, org_b) -> None:
    respx.get(URL).mock(return_value=httpx.Response(200, text=feed()))
    partner = as_user("other_member")
    r = _post(partner, "/calendar/sources/subscription", {"url": URL, "visibility": "network"})
    assert r.status_code == 200 and "3 events up to date" in r.text
    assert _post(partner, "/calendar/sources/nonsense", {}).status_code == 404
    assert [s["kind"] for s in subscriptions.list_sources(db)] == ["subscription"]
