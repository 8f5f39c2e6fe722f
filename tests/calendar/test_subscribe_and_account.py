"""Subscribing from a campaign's page, the account page's private feed section, and what a
feed says of each event (its page, its calendar's name, where it comes from, in words)."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest

from juntos.calendar import store
from juntos.calendar import tokens as feed_tokens
from juntos.db import Database
from tests.calendar.helpers import event
from tests.support.web import csrf_token, post_form, soup

BASE = "http://127.0.0.1:8000"  # the settings' public address in tests (host and port)


@pytest.fixture
def campaigns(db: Database, users, org_a, org_b, clock):  # type: ignore[no-untyped-def]
    """Three campaigns led by org A, one of each visibility, each with a stored event and a
    milestone of its own; org B is a partner of none."""
    from juntos.campaigns import schedule
    from juntos.campaigns import store as campaigns_store
    from juntos.campaigns.models import CampaignInput, MilestoneInput

    made = {}
    for visibility, title in (("public", "Open Doors"), ("network", "Health for All"),
                              ("private", "Quiet Talks")):
        slug = f"c-{visibility}"
        c = campaigns_store.create(db, CampaignInput.validated(
            title=title, slug=slug, visibility=visibility), lead="org-a", now=clock())
        schedule.add_milestone(db, c["id"], MilestoneInput.validated(
            title=f"{title} launch", date="2026-12-10"), now=clock())
        store.save(db, event(uid=f"{slug}@test", title=f"{title} day", campaign=slug,
                             campaign_id=c["id"], start=date(2026, 12, 3), end=date(2026, 12, 4),
                             organiser_id=org_a["id"],
                             visibility={"private": "campaign"}.get(visibility, visibility)),
                   now=clock())
        made[visibility] = c
    return made


def _titles(body: bytes) -> set[str]:
    return {str(v["SUMMARY"]) for v in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def _panel_feed(client, slug: str):  # type: ignore[no-untyped-def]
    """The campaign page's subscribe link, as the https address a calendar program fetches."""
    page = soup(client.get(f"/campaigns/{slug}"))
    link = page.select_one("#campaign-calendar a.campaign-feed")
    if link is None:
        return None, page
    return "http://" + link["href"].split("://", 1)[1], page


def test_public_campaign_links_the_public_feed(as_user, client, campaigns) -> None:
    url, _ = _panel_feed(as_user("other_member"), "c-public")
    assert url == f"{BASE}/calendar.ics?campaign=c-public"
    assert _titles(client.get(url).content) == {"Open Doors day", "Open Doors: Open Doors launch"}


def test_network_campaign_links_the_private_feed_created_from_its_page(as_user, campaigns,
                                                                      db, users) -> None:
    """The public feed has none of a network campaign's dates: the page offers the reader's
    private feed, creates it on the spot and comes back to the campaign."""
    other = as_user("other_member")  # org B: not a partner, but the campaign is network-wide
    url, page = _panel_feed(other, "c-network")
    assert url is None
    form = page.select_one("#campaign-calendar form")
    assert form["action"] == "/account/calendar/token"
    r = other.post("/account/calendar/token", data={
        "csrf_token": csrf_token(other, "/campaigns/c-network"),
        "next": form.select_one("input[name=next]")["value"]})
    assert r.url.path == "/campaigns/c-network"
    assert "created" in soup(r).select_one(".flash").get_text()
    url, _ = _panel_feed(other, "c-network")
    token = feed_tokens.current(db, users["other_member"].id)
    assert url == f"{BASE}/calendar/feeds/{token}.ics?campaign=c-network"
    assert _titles(other.get(url).content) == {"Health for All day",
                                               "Health for All: Health for All launch"}


@pytest.mark.parametrize("role, sees", [
    ("coordinator", True), ("member", True), ("viewer", True), ("other_member", False)])
def test_private_campaign_feed_holds_its_dates_for_its_partners_only(
        role, sees, as_user, campaigns, db, users, clock, client) -> None:  # type: ignore[no-untyped-def]
    """A private feed filtered by a private campaign: its partners (org A) and coordinators
    get its dates; a member of another organisation gets none, even with the filter."""
    token = feed_tokens.regenerate(db, users[role].id, now=clock())
    body = client.get(f"/calendar/feeds/{token}.ics?campaign=c-private").content
    expected = {"Quiet Talks day", "Quiet Talks: Quiet Talks launch"} if sees else set()
    assert _titles(body) == expected
    name = str(icalendar.Calendar.from_ical(body)["X-WR-CALNAME"])
    assert ("Quiet Talks" in name) == sees  # a title it may not see is not named either
    viewer = as_user(role)
    url, _ = _panel_feed(viewer, "c-private")
    assert (url == f"{BASE}/calendar/feeds/{token}.ics?campaign=c-private") == sees


def test_anonymous_public_feed_never_holds_other_campaigns(client, campaigns) -> None:
    for slug in ("c-network", "c-private"):
        assert _titles(client.get(f"/calendar.ics?campaign={slug}").content) == set()
    assert client.get("/campaigns/c-network").url.path == "/login"


def test_feed_events_link_to_their_page_and_the_calendar_is_named_by_title(
        as_user, campaigns, db, users, clock, client) -> None:  # type: ignore[no-untyped-def]
    token = feed_tokens.regenerate(db, users["member"].id, now=clock())
    cal = icalendar.Calendar.from_ical(
        client.get(f"/calendar/feeds/{token}.ics?campaign=c-network").content)
    assert str(cal["X-WR-CALNAME"]) == "Juntos: Health for All (private)"
    assert "REFRESH-INTERVAL" in cal and "X-PUBLISHED-TTL" in cal
    by_title = {str(v["SUMMARY"]): v for v in cal.walk("VEVENT")}
    stored = by_title["Health for All day"]
    saved = store.get_by_uid(db, "c-network@test")
    assert str(stored["URL"]) == f"{BASE}/calendar/events/{saved.id}"
    assert str(stored["URL"]) in str(stored["DESCRIPTION"])  # Google shows only the text
    milestone = by_title["Health for All: Health for All launch"]
    assert str(milestone["URL"]) == f"{BASE}/campaigns/c-network"
    assert "Part of the campaign “Health for All”." in str(milestone["DESCRIPTION"])
    public = icalendar.Calendar.from_ical(client.get("/calendar.ics").content)
    assert str(public["X-WR-CALNAME"]) == "Juntos joint calendar"


def test_descriptions_say_in_words_where_events_come_from(db: Database, clock,
                                                          client) -> None:
    from juntos.calendar import international

    international.load_observances(db, now=clock())
    cal = icalendar.Calendar.from_ical(client.get("/calendar.ics").content)
    texts = [str(v.get("DESCRIPTION", "")) for v in cal.walk("VEVENT")]
    assert texts and not any("Source:" in t or ".csv" in t for t in texts)
    assert any(t.startswith("International day (UN observance), proclaimed by the UN General"
                            " Assembly.") for t in texts)


def test_filters_offer_campaigns_by_title_the_viewer_may_see(as_user, campaigns) -> None:
    def offered(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
        page = soup(client.get("/calendar"))
        return {o["value"]: o.get_text() for o in page.select("select[name=campaign] option")
                if o["value"]}

    assert offered(as_user("member")) == {"c-public": "Open Doors", "c-network": "Health for All",
                                          "c-private": "Quiet Talks"}
    assert offered(as_user("other_member")) == {"c-public": "Open Doors",
                                                "c-network": "Health for All"}


def test_account_page_has_one_sessions_section_a_clean_title_and_the_feed(as_user) -> None:
    member = as_user("member")
    page = soup(member.get("/account"))
    title = page.title.get_text()
    assert title == "Your account · Juntos"
    assert [h.get_text() for h in page.select("h2")].count("Sessions") == 1
    assert page.select_one("#calendar-feed h2").get_text() == "Your private calendar feed"
    r = post_form(member, "/account/calendar/token", {})
    flashes = " ".join(f.get_text() for f in soup(r).select(".flash"))
    assert "created" in flashes and "no longer works" not in flashes
    page = soup(member.get("/account"))
    field = page.select_one("#calendar-feed textarea#private-feed-url")  # wraps on a phone
    https = field.get_text().strip()
    assert field.has_attr("readonly") and https.startswith(f"{BASE}/calendar/feeds/")
    assert https.endswith(".ics")  # the whole address, not cut
    assert page.select_one("button.copy[data-copy=private-feed-url]") is not None
    links = {a["class"][0]: a["href"] for a in page.select("#calendar-feed .feed-links a")}
    assert links["feed-webcal"] == "webcal://" + https.split("://", 1)[1]
    assert links["feed-google"].startswith("https://calendar.google.com/calendar/r?cid=webcal")
    assert links["feed-outlook"].startswith("https://outlook.live.com/calendar/0/addfromweb?url=")
    assert links["feed-office"].startswith("https://outlook.office.com/calendar/0/addfromweb")
    assert "csrf" not in title.lower() and "<" not in title


@pytest.mark.parametrize("action", ["token", "revoke"])
def test_replace_and_revoke_ask_first(action, as_user, db, users) -> None:
    member = as_user("member")
    post_form(member, "/account/calendar/token", {})
    token = feed_tokens.current(db, users["member"].id)
    step = post_form(member, f"/account/calendar/{action}", {})
    assert step.status_code == 200 and step.url.path == f"/account/calendar/{action}"
    page = soup(step)
    assert page.title.get_text().endswith("?" + " · Juntos")
    assert page.select_one("input[name=confirm]")["value"] == "yes"
    assert page.select_one("a[href='/account#calendar-feed']") is not None  # cancel
    assert feed_tokens.current(db, users["member"].id) == token  # nothing happened yet
    done = post_form(member, f"/account/calendar/{action}", {"confirm": "yes"})
    assert done.url.path == "/account"
    after = feed_tokens.current(db, users["member"].id)
    if action == "token":
        assert after is not None and after != token
        assert "no longer works" in soup(done).select_one(".flash").get_text()
    else:
        assert after is None


def test_creating_returns_only_to_a_local_page(as_user) -> None:
    member = as_user("member")
    for bad in ("//evil.example/x", "/\\evil.example", "https://evil.example/"):
        member.post("/account/calendar/revoke", data={
            "csrf_token": csrf_token(member), "confirm": "yes"})
        r = member.post("/account/calendar/token", data={
            "csrf_token": csrf_token(member), "next": bad}, follow_redirects=False)
        assert r.headers["location"] == "/account#calendar-feed"


def test_calendar_pages_say_when_the_public_feed_cannot_hold_the_campaign(as_user,
                                                                          campaigns) -> None:
    member = as_user("member")
    for slug, noted in (("c-public", False), ("c-network", True), ("c-private", True),
                        ("nothing-here", False)):
        page = soup(member.get(f"/calendar?campaign={slug}"))
        note = page.select_one(".cal-feeds .flash")
        assert (note is not None and "not public" in note.get_text()) == noted, slug
