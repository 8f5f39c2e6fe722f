"""Calendar pages and feeds through the real app: visibility, filters, caching, tokens."""

from __future__ import annotations

import logging
from datetime import date, datetime

import icalendar
import pytest

from juntos.calendar import store
from juntos.calendar import tokens as feed_tokens
from juntos.db import Database
from tests.calendar.helpers import event, parse_all, timed
from tests.support.interop import interop_path
from tests.support.web import csrf_token, post_form, soup


@pytest.fixture
def events(db: Database, users, org_a, org_b, clock):  # type: ignore[no-untyped-def]
    """Upcoming events of every visibility (the clock is 2026-11-23). The campaign
    "autumn-2027" is led by a third organisation: neither A nor B is a partner."""
    from juntos.campaigns import store as campaigns
    from juntos.campaigns.models import CampaignInput
    from juntos.organisations import store as orgs
    from juntos.organisations.models import OrganisationInput

    orgs.create(db, OrganisationInput.validated(name="Third", slug="org-c"), now=clock())
    autumn = campaigns.create(db, CampaignInput.validated(title="Autumn", slug="autumn-2027"),
                              lead="org-c", now=clock())["id"]
    made = {}
    for key, values in {
        "public": dict(title="Public day of action", campaign="autumn-2027", campaign_id=autumn,
                       countries=("MZ",), category="day_of_action", organiser_id=org_a["id"]),
        "public_za": dict(title="Johannesburg march", countries=("ZA",),
                          organiser_id=org_b["id"]),
        "network": dict(title="Network meeting", visibility="network"),
        "org_a": dict(title="Org A private planning", visibility="organisation",
                      organiser_id=org_a["id"]),
        "org_b": dict(title="Org B private planning", visibility="organisation",
                      organiser_id=org_b["id"]),
        "partners": dict(title="Partners-only retreat", visibility="campaign",
                         campaign="autumn-2027", campaign_id=autumn),
    }.items():
        made[key] = store.save(db, event(uid=f"{key}@test", start=date(2026, 12, 3),
                                         end=date(2026, 12, 4), **values), now=clock())
    return made


def _titles(body: bytes) -> set[str]:
    return {str(v["SUMMARY"]) for v in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def test_public_feed_needs_no_login_and_shows_only_public_events(client, events) -> None:
    r = client.get("/calendar.ics")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/calendar; charset=utf-8"
    assert _titles(r.content) == {"Public day of action", "Johannesburg march"}
    parse_all(r.content)


def test_feed_filters_are_query_parameters(client, events) -> None:
    r = client.get("/calendar.ics?campaign=autumn-2027&country=MZ")
    assert _titles(r.content) == {"Public day of action"}
    assert _titles(client.get("/calendar.ics?country=ZA").content) == {"Johannesburg march"}
    assert client.get("/calendar.ics?category=nonsense").status_code == 400


def test_etag_and_last_modified_give_304_and_a_change_gives_new_bytes(
        app, client, events, db, clock) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/calendar.ics")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    builds = app.state.calendar_feeds.builds
    again = client.get("/calendar.ics", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag
    assert client.get("/calendar.ics", headers={"if-modified-since": modified}).status_code == 304
    assert app.state.calendar_feeds.builds == builds  # cache hits never rebuild
    clock.advance(minutes=5)
    store.save(db, events["public"].with_changes(title="Moved day of action"), now=clock())
    changed = client.get("/calendar.ics", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "Moved day of action" in _titles(changed.content)
    assert client.get("/calendar.ics",
                      headers={"if-modified-since": modified}).status_code == 200


def test_feed_is_gzipped_when_asked(client, events) -> None:
    r = client.get("/calendar.ics", headers={"accept-encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["vary"] == "Accept-Encoding"
    assert "Public day of action" in _titles(r.content)  # the client inflates it
    plain = client.get("/calendar.ics", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["etag"] == r.headers["etag"]


def _token_for(client, users, role) -> str:  # type: ignore[no-untyped-def]
    """Create (or, confirmed, replace) the private feed address; the address shown."""
    r = post_form(client, "/account/calendar/token", {"confirm": "yes"},
                  form_page="/account/calendar")
    assert r.status_code == 200
    page = soup(client.get("/account/calendar"))
    url = page.select_one("#calendar-feed #private-feed-url").get_text().strip()
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_private_feed_shows_exactly_what_its_user_may_see(as_user, users, events, db,
                                                          client) -> None:
    member = as_user("member")
    token = _token_for(member, users, "member")
    assert len(token) >= 12 + 22  # selector + 128 random bits
    body = client.get(f"/calendar/feeds/{token}.ics").content
    assert _titles(body) == {"Public day of action", "Johannesburg march", "Network meeting",
                             "Org A private planning"}
    coordinator = as_user("coordinator")
    ctoken = _token_for(coordinator, users, "coordinator")
    assert "Partners-only retreat" in _titles(client.get(f"/calendar/feeds/{ctoken}.ics").content)
    # re-evaluated at every fetch: the member moves to org B
    db["users"].update(users["member"].id, {"organisation_id": events["org_b"].organiser_id})
    moved = _titles(client.get(f"/calendar/feeds/{token}.ics").content)
    assert "Org B private planning" in moved and "Org A private planning" not in moved


def test_tokens_are_revocable_and_regenerable(as_user, users, events, client) -> None:
    member = as_user("member")
    token = _token_for(member, users, "member")
    newer = _token_for(member, users, "member")
    assert newer != token
    assert client.get(f"/calendar/feeds/{token}.ics").status_code == 404
    assert client.get(f"/calendar/feeds/{newer}.ics").status_code == 200
    post_form(member, "/account/calendar/revoke", {"confirm": "yes"}, form_page="/account")
    assert client.get(f"/calendar/feeds/{newer}.ics").status_code == 404
    assert client.get("/calendar/feeds/" + "a" * 40 + ".ics").status_code == 404


def test_token_lookup_is_by_selector_then_constant_time(db: Database, users, clock) -> None:
    """``owner`` is what feeds call: the right selector with a wrong secret is refused."""
    token = feed_tokens.regenerate(db, users["member"].id, now=clock())
    found = feed_tokens.owner(db, token)
    assert found is not None and found[0].id == users["member"].id
    wrong_secret = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert wrong_secret[:feed_tokens.SELECTOR_LENGTH] == token[:feed_tokens.SELECTOR_LENGTH]
    assert feed_tokens.owner(db, wrong_secret) is None
    assert feed_tokens.owner(db, token[:12]) is None
    assert feed_tokens.owner(db, "0" * 12 + token[12:]) is None  # unknown selector


def test_access_log_line_with_a_token_is_masked(app, caplog) -> None:  # type: ignore[no-untyped-def]
    logger = logging.getLogger("uvicorn.access")
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
                    "/calendar/feeds/0123456789abSECRETSECRETSECRET.ics?campaign=x", "1.1", 200)
    assert "SECRETSECRET" not in caplog.text
    assert "/feeds/[redacted]" in caplog.text


def test_month_view_filters_and_offers_the_feed_links(as_user, events) -> None:
    member = as_user("member")
    page = soup(member.get("/calendar?month=2026-12&country=MZ"))
    items = [a.get_text() for a in page.select("table.cal-month .cal-item a")]
    assert "Public day of action" in items and "Johannesburg march" not in items
    assert "Org B private planning" not in items
    https = page.select_one("#feed-url")["value"]
    assert https.endswith("/calendar.ics?country=MZ")
    webcal = page.select_one("a.feed-webcal")["href"]
    assert webcal.startswith("webcal://") and webcal.endswith("/calendar.ics?country=MZ")
    google = page.select_one("a.feed-google")["href"]
    assert google.startswith("https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F")


def test_agenda_timeline_and_opportunities_render(as_user, events, db, org_b, clock) -> None:
    coordinator = as_user("coordinator")
    agenda = soup(coordinator.get("/calendar/agenda"))
    assert "Partners-only retreat" in agenda.get_text()
    timeline = coordinator.get("/calendar/campaigns/autumn-2027")
    assert timeline.status_code == 200 and "Public day of action" in timeline.text
    store.save(db, event(uid="b2@test", title="Second partner acts", start=date(2026, 12, 3),
                         end=date(2026, 12, 4), organiser_id=org_b["id"]), now=clock())
    opp = soup(coordinator.get("/calendar/opportunities?from=2026-12-01&to=2027-03-31"
                               "&themes=women's rights"))
    text = opp.get_text()
    assert "Second partner acts" in text  # 3 December: two organisations act
    assert "International Women's Day" in text


def test_private_event_page_is_404_for_others(as_user, events) -> None:
    other = as_user("other_member")
    assert other.get(f"/calendar/events/{events['org_a'].id}").status_code == 404
    assert other.get(f"/calendar/events/{events['org_b'].id}").status_code == 200
    assert other.get(f"/calendar/events/{events['org_a'].id}.ics").status_code == 404


def test_event_page_offers_a_download_and_add_to_calendar(as_user, events, client) -> None:
    member = as_user("member")
    page = soup(member.get(f"/calendar/events/{events['public'].id}"))
    assert page.select_one(f'a[href="/calendar/events/{events["public"].id}.ics"]')
    r = client.get(f"/calendar/events/{events['public'].id}.ics")
    assert r.status_code == 200 and _titles(r.content) == {"Public day of action"}


def test_editing_through_the_form_raises_sequence_in_the_feed(as_user, events, client,
                                                              clock) -> None:
    member = as_user("member")
    eid = events["public"].id
    before = icalendar.Calendar.from_ical(client.get("/calendar.ics").content)
    form = {"title": "Day of action (new venue)", "all_day": "1", "start": "2026-12-03",
            "end": "2026-12-03", "category": "day_of_action", "visibility": "public",
            "status": "confirmed", "campaign": "autumn-2027", "countries": "MZ",
            "tzid": "UTC"}
    clock.advance(minutes=1)
    r = post_form(member, f"/calendar/events/{eid}/edit", form,
                  form_page=f"/calendar/events/{eid}/edit")
    assert r.status_code == 200, r.text
    after = icalendar.Calendar.from_ical(client.get("/calendar.ics").content)
    old = next(v for v in before.walk("VEVENT") if str(v["UID"]) == "public@test")
    new = next(v for v in after.walk("VEVENT") if str(v["UID"]) == "public@test")
    assert str(new["SUMMARY"]) == "Day of action (new venue)"
    assert int(new["SEQUENCE"]) > int(old["SEQUENCE"])
    # another organisation's member may not edit it
    other = as_user("other_member")
    assert other.get(f"/calendar/events/{eid}/edit").status_code == 403


def test_new_event_form_shows_errors_next_to_fields_and_saves_nothing(as_user, db) -> None:
    member = as_user("member")
    r = post_form(member, "/calendar/events/new",
                  {"title": "", "start": "tomorrow", "category": "meeting",
                   "visibility": "public", "status": "confirmed"},
                  form_page="/calendar/events/new")
    assert r.status_code == 400
    assert soup(r).select_one("#e-start")
    assert store.count(db) == 0
    ok = post_form(member, "/calendar/events/new",
                   {"title": "Weekly call", "start": "2027-03-15T10:00", "end": "2027-03-15T11:00",
                    "tzid": "Europe/Copenhagen", "rrule": "FREQ=WEEKLY;COUNT=3",
                    "category": "meeting", "visibility": "network", "status": "confirmed"},
                   form_page="/calendar/events/new")
    assert ok.status_code == 200 and "Weekly call" in ok.text
    assert store.count(db) == 1


def _upload(client, name: str, data: bytes):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/calendar/import")
    return client.post("/calendar/import", data={"csrf_token": token, "visibility": "network"},
                       files={"file": (name, data, "text/calendar")})


@pytest.mark.parametrize("name", ["rie__machbar_16_feb_2019.ics",  # Google
                                  "icalevents__recurrenceid_ms.ics",  # Outlook / Exchange
                                  "allenporter-ical__apple_ical.ics"])  # Apple iCloud
def test_upload_of_google_outlook_and_apple_exports(as_user, db, name) -> None:
    path = interop_path("ics", name)
    member = as_user("member")
    r = _upload(member, name, path.read_bytes())
    assert r.status_code == 200 and "Imported" in r.text
    assert store.count(db) > 0
    shown = {e.source_label for e in store.query(db, None)}
    assert shown == {name}  # the source is shown on each imported event


def test_upload_of_a_broken_file_is_refused_with_nothing_stored(as_user, db) -> None:
    path = interop_path("ics", "node-ical__large-file-with-late-error.ics")
    member = as_user("member")
    r = _upload(member, "broken.ics", path.read_bytes())
    assert r.status_code == 400
    message = soup(r).select_one("#e-file").get_text()
    assert "refused" in message and "DTSTART" in message
    assert store.count(db) == 0
    assert list(db.query("select * from calendar_sources")) == []


def test_feed_window_keeps_series_and_drops_old_one_offs(client, db, clock) -> None:
    store.save(db, event(uid="old@test", title="Long ago", start=date(2025, 1, 1),
                         end=date(2025, 1, 2)), now=clock())
    store.save(db, timed(uid="series@test", title="Old series", start=datetime(2025, 1, 6, 10),
                         end=datetime(2025, 1, 6, 11), tzid="Africa/Maputo",
                         rrule="FREQ=WEEKLY"), now=clock())
    store.save(db, event(uid="far@test", title="Far ahead", start=date(2029, 6, 1),
                         end=date(2029, 6, 2)), now=clock())
    titles = _titles(client.get("/calendar.ics").content)
    assert titles == {"Old series"}  # 90 days back, two years ahead; a series stays whole



def test_campaign_panel_lists_the_campaign_dates_the_viewer_may_see(app, db, users, events,
                                                                    clock) -> None:  # type: ignore[no-untyped-def]
    from starlette.requests import Request

    from juntos.web.views.calendar import campaign_panel

    def request_as(role: str) -> Request:
        return Request({"type": "http", "app": app, "method": "GET", "path": "/",
                        "headers": [], "query_string": b"",
                        "state": {"db": db, "user": users[role], "clock": clock}})

    template, ctx = campaign_panel(request_as("member"),
                                   {"slug": "autumn-2027", "visibility": "public"})
    assert [i["event"].title for i in ctx["items"]] == ["Public day of action"]
    assert ctx["links"]["https"].endswith("/calendar.ics?campaign=autumn-2027")
    _, ctx = campaign_panel(request_as("coordinator"), {"slug": "autumn-2027"})
    assert {i["event"].title for i in ctx["items"]} == {"Public day of action",
                                                        "Partners-only retreat"}
    html = app.state.templates.get_template(template).render(ctx=ctx, csrf_token="")
    assert "Partners-only retreat" in html


def test_event_page_google_link_adds_the_event_itself(as_user, events) -> None:
    from urllib.parse import parse_qs, urlsplit

    page = soup(as_user("member").get(f"/calendar/events/{events['public'].id}"))
    link = next(a["href"] for a in page.select("p.actions a")
                if a["href"].startswith("https://calendar.google.com/"))
    query = parse_qs(urlsplit(link).query)
    assert query["action"] == ["TEMPLATE"] and query["text"] == ["Public day of action"]
    assert query["dates"] == ["20261203/20261204"]  # all-day, end exclusive
