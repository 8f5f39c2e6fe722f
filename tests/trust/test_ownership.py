"""Events have owners, an organisation's facts are its own, nothing leaks: each rule tried by
every role (anonymous, viewer, member of the owner, member of another organisation,
coordinator), and each finding of the security review replayed over HTTP."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from juntos.calendar import importer, store
from juntos.calendar.importer import Defaults, ImportRefused, ImportReport
from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.db import Database
from juntos.network_map import store as network
from juntos.network_map.models import TieInput
from juntos.organisations import names
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput
from tests.support.web import csrf_token, post_form, soup

ROLES = ["anonymous", "viewer", "member", "other_member", "coordinator"]


def _client(role: str, client: TestClient, as_user) -> TestClient:  # type: ignore[no-untyped-def]
    return client if role == "anonymous" else as_user(role)


def _ics(uid: str, title: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20270308\r\n"
        f"SUMMARY:{title}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").encode()


def _upload(client: TestClient, data: bytes):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/calendar/import")
    return client.post("/calendar/import", data={"csrf_token": token, "visibility": "network"},
                       files={"file": ("mine.ics", data, "text/calendar")})


# --- events have owners ----------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_a_reused_uid_never_takes_over_another_organisations_event(
        role: str, client, as_user, db: Database) -> None:  # type: ignore[no-untyped-def]
    owner = as_user("other_member")  # org B imports its own event
    assert _upload(owner, _ics("b-event@org-b", "Our march")).status_code == 200
    again = _upload(owner, _ics("b-event@org-b", "Our march, moved"))
    assert again.status_code == 200  # its own import may update it
    who = _client(role, client, as_user)
    r = _upload(who, _ics("b-event@org-b", "Taken over"))
    assert r.status_code < 500
    event = store.get_by_uid(db, "b-event@org-b")
    if role == "other_member":
        assert r.status_code == 200 and event.title == "Taken over"
    else:
        assert r.status_code in (400, 403) or r.url.path == "/login"
        assert event.title == "Our march, moved"
        if r.status_code == 400:
            assert "belongs to an event of another organisation" in r.text


def test_an_import_never_changes_an_event_made_on_the_site(as_user, db: Database,
                                                           users) -> None:  # type: ignore[no-untyped-def]
    owner = as_user("other_member")
    made = post_form(owner, "/calendar/events/new", {
        "title": "Assembly", "start": "2027-03-15T10:00", "end": "2027-03-15T11:00",
        "tzid": "UTC", "category": "meeting", "visibility": "network", "status": "confirmed"},
        form_page="/calendar/events/new")
    uid = soup(owner.get(made.url.path + ".ics")).get_text().split("UID:")[1].split()[0]
    r = _upload(as_user("member"), _ics(uid, "Hijacked"))
    assert r.status_code == 400
    assert store.get_by_uid(db, uid).title == "Assembly"


def test_a_subscription_keeps_a_foreign_uid_as_its_own_event(db: Database, org_a, org_b,
                                                             clock) -> None:  # type: ignore[no-untyped-def]
    theirs = importer.import_bytes(db, _ics("x@b", "B's day"), label="b.ics",
                                   defaults=Defaults(organiser_id=org_b["id"]), now=clock())
    assert theirs.created == 1
    source = int(db["calendar_sources"].insert({
        "kind": "subscription", "label": "feed", "url": "https://example.org/a.ics",
        "organisation_id": org_a["id"], "created_at": "2026-01-01"}).last_pk)  # type: ignore[arg-type]
    events = importer.convert(importer.parse(_ics("x@b", "A's copy")),
                              Defaults(organiser_id=org_a["id"]))
    report = ImportReport(source)
    importer.store_events(db, events, source_id=source, now=clock(), report=report,
                          mark_gone=True, foreign="rekey")
    assert store.get_by_uid(db, "x@b").title == "B's day"
    assert store.get_by_uid(db, f"x@b.source-{source}").title == "A's copy"
    with pytest.raises(ImportRefused):
        importer.store_events(db, events, source_id=source, now=clock(),
                              report=ImportReport(source), mark_gone=False)


@pytest.fixture
def secret(db: Database, clock, users) -> dict:  # type: ignore[no-untyped-def]
    """A private campaign of org A (its lead); org B is not a partner."""
    data = CampaignInput.validated(title="Secret plan", slug="secret-plan", visibility="private",
                                   themes=["land rights"])
    return campaigns.create(db, data, lead="org-a", now=clock())


@pytest.mark.parametrize("role", ROLES)
def test_only_partners_add_events_to_a_campaigns_timeline(role: str, client, as_user,
                                                         db: Database, secret) -> None:  # type: ignore[no-untyped-def]
    who = _client(role, client, as_user)
    form = who.get("/calendar/events/new")
    if role in ("member", "coordinator"):
        offered = [o["value"] for o in soup(form).select("#f-campaign option")]
        assert offered == ["", "secret-plan"]
    elif role == "other_member":
        offered = [o["value"] for o in soup(form).select("#f-campaign option")]
        assert offered == [""]
    token = csrf_token(who, "/calendar/events/new" if role not in ("anonymous", "viewer")
                       else "/login")
    r = who.post("/calendar/events/new", data={
        "title": "Visit", "start": "2027-03-15T10:00", "end": "2027-03-15T11:00",
        "tzid": "UTC", "category": "meeting", "visibility": "campaign", "status": "confirmed",
        "campaign": "secret-plan", "csrf_token": token})
    assert r.status_code < 500
    saved = store.count(db) == 1
    assert saved is (role in ("member", "coordinator"))
    if role == "other_member":
        assert r.status_code == 400
        assert "partner of" in soup(r).select_one("#f-campaign").find_parent().get_text()


# --- nothing leaks -----------------------------------------------------------------------

@pytest.fixture
def public_campaign(db: Database, clock, users) -> dict:  # type: ignore[no-untyped-def]
    data = CampaignInput.validated(title="Open doors", slug="open-doors", visibility="public")
    return campaigns.create(db, data, lead="org-a", now=clock(), by=users["member"].id)


@pytest.mark.parametrize("role", ROLES)
def test_the_activity_log_names_people_only_to_partners(role: str, client, as_user,
                                                        public_campaign) -> None:  # type: ignore[no-untyped-def]
    who = _client(role, client, as_user)
    page = who.get("/campaigns/open-doors")
    assert page.status_code == 200
    log = soup(page).select_one("#activity").get_text()
    partner = role in ("viewer", "member", "coordinator")  # org A leads it
    assert ("member@example.org" in log) is partner
    if not partner:
        assert "Acção Cidadã" in log or "org" in log.lower()


@pytest.mark.parametrize("role", ROLES)
def test_opportunities_of_a_private_campaign_show_nothing_to_outsiders(
        role: str, client, as_user, db: Database, secret, org_a, clock) -> None:  # type: ignore[no-untyped-def]
    from tests.calendar.helpers import event

    store.save(db, event(uid="s@a", visibility="campaign", campaign="secret-plan",
                         campaign_id=secret["id"], organiser_id=org_a["id"],
                         themes=("hidden theme",)), now=clock())
    who = _client(role, client, as_user)
    r = who.get("/calendar/opportunities?campaign=secret-plan&from=2027-01-01&to=2027-06-30")
    assert r.status_code < 500
    shown = "hidden theme" in r.text
    assert shown is (role in ("viewer", "member", "coordinator"))


# --- an organisation's facts are its own ----------------------------------------------

@pytest.fixture
def forum(db: Database, clock) -> dict:  # type: ignore[no-untyped-def]
    return orgs.create(db, OrganisationInput.validated(name="Forum Network", slug="forum",
                                                       kind="network"), now=clock())


@pytest.mark.parametrize("role, allowed", [
    ("anonymous", False), ("viewer", False), ("member", False), ("other_member", True),
    ("coordinator", True)])
def test_a_membership_is_changed_by_its_organisation_or_a_coordinator(
        role: str, allowed: bool, client, as_user, db: Database, org_b, forum, clock) -> None:  # type: ignore[no-untyped-def]
    tie_id = network.add_tie(db, TieInput.validated(from_id=org_b["id"], to_id=forum["id"],
                                                    kind="member of"), now=clock())
    who = _client(role, client, as_user)
    form = who.get(f"/network/ties/{tie_id}/delete?actor=org-b", follow_redirects=False)
    assert form.status_code < 500
    token = csrf_token(who, "/network" if role != "anonymous" else "/login")
    r = who.post(f"/network/ties/{tie_id}/delete", data={"csrf_token": token,
                                                         "actor": "org-b"})
    assert r.status_code < 500
    still = bool(list(db.query("select 1 from memberships where member_id = ?",
                               [org_b["id"]])))
    assert still is not allowed


def test_a_member_may_propose_a_tie_between_others_and_change_only_their_own(
        as_user, db: Database, org_b, forum, users) -> None:  # type: ignore[no-untyped-def]
    member = as_user("member")  # org A, neither end
    r = post_form(member, "/network/actors/org-b/ties", {"kind": "partner", "to": "forum"},
                  form_page="/network/actors/org-b")
    assert r.status_code == 200
    tie = next(db.query("select * from ties"))
    assert tie["recorded_by"] == users["member"].id  # the author is recorded
    assert member.get(f"/network/ties/{tie['id']}/edit").status_code == 200
    others = as_user("viewer")
    assert others.get(f"/network/ties/{tie['id']}/edit").status_code == 403


KUMU_ELEMENTS = "Label,Type,Emergency contact\nUbuntu Labour,NGO,+00 000 000\n"
KUMU_CONNECTIONS = "From,To,Type\nUbuntu Labour,Forum Network,member of\n"


@pytest.mark.parametrize("role, allowed", [
    ("member", False), ("other_member", True), ("coordinator", True)])
def test_an_import_changing_another_organisations_facts_needs_a_coordinator(
        role: str, allowed: bool, as_user, db: Database, org_b, forum) -> None:  # type: ignore[no-untyped-def]
    who = as_user(role)
    token = csrf_token(who, "/network/import")
    files = [("files", ("e.csv", KUMU_ELEMENTS.encode(), "text/csv")),
             ("files", ("c.csv", KUMU_CONNECTIONS.encode(), "text/csv"))]
    preview = who.post("/network/import", data={"csrf_token": token}, files=files)
    assert preview.status_code == 200
    values = {i["name"]: i.get("value", "") for i in soup(preview).select("form")[-1]
              .select("input")}
    done = who.post("/network/import", data=values)
    assert done.status_code == (200 if allowed else 400)
    attributes = network.actor_attributes(db).get(org_b["id"], {})
    assert ("Emergency contact" in attributes) is allowed
    if not allowed:
        assert "Ubuntu Labour" in soup(done).get_text()


@pytest.mark.parametrize("field", ["aliases", "acronym"])
def test_an_alias_or_acronym_another_organisation_goes_by_is_refused(
        field: str, as_user, db: Database, org_a, org_b) -> None:  # type: ignore[no-untyped-def]
    member = as_user("member")
    form = soup(member.get("/organisations/org-a/edit")).select_one("form.org-form, main form")
    values = {i["name"]: i.get("value", "") for i in form.select("input[name]")
              if i.get("type") not in ("checkbox", "submit")}
    values |= {t["name"]: t.get_text() for t in form.select("textarea[name]")}
    values |= {s["name"]: (s.select_one("option[selected]") or {"value": ""})["value"]
               for s in form.select("select[name]")}
    values[field] = "Ubuntu Labour"
    r = member.post("/organisations/org-a/edit", data=values)
    assert r.status_code == 400
    assert "Ubuntu Labour already goes by" in r.text
    assert names.aliases_of(db, org_a["id"]) == []
