"""Campaign pages through the real app: visibility 404s, permissions, forms and their errors."""

from __future__ import annotations

from juntos.campaigns import matrix, schedule, store
from tests.campaigns.conftest import make_campaign, post
from tests.support.web import soup


def test_list_filters_and_hides_private_campaigns_from_outsiders(as_user, campaigns) -> None:
    outsider = as_user("other_member")
    page = soup(outsider.get("/campaigns"))
    titles = [a.get_text() for a in page.select("table.campaigns tbody a")]
    assert titles == ["Autumn <script>x</script>"]  # shown as text, private one absent
    mine = soup(as_user("member").get("/campaigns?status=planning&mine=1"))
    assert [a["href"] for a in mine.select("table.campaigns tbody a")] == ["/campaigns/autumn"]


PRIVATE_PATHS = ["/campaigns/secret-plan", "/campaigns/secret-plan.json",
                 "/campaigns/secret-plan.md", "/campaigns/secret-plan/brief",
                 "/campaigns/secret-plan/edit"]


def test_a_private_campaign_is_404_for_outsiders_everywhere(as_user, campaigns) -> None:
    outsider, member, coordinator = (as_user(k) for k in ("other_member", "member",
                                                          "coordinator"))
    for path in PRIVATE_PATHS:
        assert outsider.get(path).status_code == 404, path  # not 403: it does not exist
        assert member.get(path).status_code == 200, path
        assert coordinator.get(path).status_code == 200, path
    assert outsider.get("/campaigns/secret-plan.json").json() == {
        "error": "No campaign 'secret-plan'."}  # the same answer as for a missing one


def test_posting_to_a_private_campaign_is_404_for_outsiders(as_user, campaigns, db) -> None:
    outsider = as_user("other_member")
    for path, data in [("/campaigns/secret-plan/partners", {"organisation": "org-b"}),
                       ("/campaigns/secret-plan/matrix", {}),
                       ("/campaigns/secret-plan/calls", {"title": "x",
                                                         "start_date": "2027-01-01"})]:
        assert post(outsider, path, data).status_code == 404, path
    assert [p["slug"] for p in store.partners(db, campaigns["secret"]["id"])] == ["org-a"]


def test_partners_who_are_not_leads_and_viewers_cannot_change_the_plan(as_user,
                                                                       campaigns) -> None:
    partner = as_user("other_member")
    assert partner.get("/campaigns/autumn/edit").status_code == 403
    assert post(partner, "/campaigns/autumn/partners",
                {"organisation": "org-a", "role": "partner"}).status_code == 403
    viewer = as_user("viewer")
    assert viewer.get("/campaigns/new").status_code == 403
    assert post(viewer, "/campaigns/autumn/matrix", {}).status_code == 403
    page = soup(viewer.get("/campaigns/autumn"))
    assert page.select("#matrix select") == []  # read-only matrix
    assert soup(as_user("member").get("/campaigns/autumn")).select("#matrix select")


def test_create_a_campaign_and_errors_next_to_fields(as_user, db, campaigns) -> None:
    member = as_user("member")
    bad = post(member, "/campaigns/new", {"title": "Health <b>now</b>", "slug": "autumn",
                                          "start_date": "2027-05-01", "end_date": "2027-04-01",
                                          "status": "planning", "visibility": "network"})
    assert bad.status_code == 400
    page = soup(bad)
    assert "already taken" in page.select_one("#e-slug").get_text()
    assert "before the start date" in page.select_one("#e-end_date").get_text()
    assert page.select_one("#f-title")["value"] == "Health <b>now</b>"  # kept, as text
    assert db["campaigns"].count == 2
    ok = post(member, "/campaigns/new", {"title": "Health <b>now</b>", "slug": "health-now",
                                         "start_date": "2027-01-01", "end_date": "2027-04-01",
                                         "status": "planning", "visibility": "private",
                                         "lead": "org-b"})
    assert ok.status_code == 200 and str(ok.url).endswith("/campaigns/health-now")
    page = soup(ok)
    assert page.select_one("h1").get_text() == "Health <b>now</b>"
    assert page.title.get_text().startswith("Health <b>now</b>")
    # A member leads for their own organisation whatever the form says.
    assert [(p["slug"], p["role"]) for p in store.partners(db, store.get(db, "health-now")["id"])
            ] == [("org-a", "lead")]


def test_invite_assign_commit_and_call_from_the_campaign_page(as_user, db, campaigns) -> None:
    lead = as_user("member")
    bad = post(lead, "/campaigns/autumn/partners", {"organisation": "nobody", "role": "partner"})
    assert bad.status_code == 400
    assert "No organisation" in soup(bad).select_one("#e-partner-organisation").get_text()
    cid = campaigns["shared"]["id"]
    research = matrix.workstreams(db, cid)[0]["id"]
    a_id, b_id = campaigns["shared"]["lead_org_ids"][0], campaigns["b"]["id"]
    two_a = post(lead, "/campaigns/autumn/matrix", {f"cell-{research}-{a_id}": "A",
                                                    f"cell-{research}-{b_id}": "A"})
    assert two_a.status_code == 400
    assert "only one organisation" in soup(two_a).select_one(f"#e-ws-{research}").get_text()
    assert matrix.matrix(db, cid) == {}
    ok = post(lead, "/campaigns/autumn/matrix", {f"cell-{research}-{a_id}": "A",
                                                 f"cell-{research}-{b_id}": "R"})
    assert ok.status_code == 200
    assert matrix.matrix(db, cid) == {(research, a_id): "A", (research, b_id): "R"}
    page = soup(ok)
    assert page.select_one(f"select[name=cell-{research}-{b_id}] option[selected]").get_text() \
        == "R"
    bad_call = post(lead, "/campaigns/autumn/calls", {"title": "March", "start_date": ""})
    assert "required" in soup(bad_call).select_one("#e-call-start_date").get_text()
    # A partner records its own commitment, not another organisation's.
    partner = as_user("other_member")
    other = post(partner, "/campaigns/autumn/commitments",
                 {"organisation_id": str(a_id), "title": "Not ours"})
    assert other.status_code == 400
    assert soup(other).select_one("#e-commitment-organisation_id")
    own = post(partner, "/campaigns/autumn/commitments",
               {"organisation_id": str(b_id), "title": "Radio spots", "due_date": "2027-01-15",
                "workstream_id": str(research)})
    assert "Radio spots" in soup(own).select_one("#commitments").get_text()


def test_overdue_commitments_come_first_and_status_can_be_changed(as_user, db,
                                                                  campaigns) -> None:
    partner = as_user("other_member")
    page = soup(partner.get("/campaigns/autumn"))
    first_group = page.select_one("#commitments h3")
    assert first_group.get_text().startswith("overdue")
    item = page.select_one("#commitments li.overdue")
    assert "Survey of members" in item.get_text()
    commitment_id = schedule.commitments(db, campaigns["shared"]["id"],
                                         today=__import__("datetime").date(2026, 11, 23))[0]["id"]
    # The partner's status select is there; the lead's own commitments are not its to change.
    assert page.select(f"select[name=status-{commitment_id}]")
    r = post(partner, "/campaigns/autumn/commitments/statuses",
             {f"status-{commitment_id}": "done"})
    assert r.status_code == 200
    assert not soup(r).select("#commitments li.overdue")
    bad = post(partner, "/campaigns/autumn/commitments/statuses",
               {f"status-{commitment_id}": "maybe"})
    assert bad.status_code == 400
    assert "Unknown status" in soup(bad).select_one("#commitments .error").get_text()


def test_roles_change_in_one_form_and_the_last_lead_cannot_go(as_user, db, campaigns) -> None:
    lead = as_user("member")
    a_id, b_id = campaigns["shared"]["lead_org_ids"][0], campaigns["b"]["id"]
    r = post(lead, "/campaigns/autumn/partners/roles", {f"role-{a_id}": "partner",
                                                         f"role-{b_id}": "partner"})
    assert r.status_code == 400
    assert "at least one lead" in soup(r).select_one("#e-roles").get_text()
    r = post(lead, "/campaigns/autumn/partners/roles", {f"role-{a_id}": "lead",
                                                         f"role-{b_id}": "co-lead"})
    assert r.status_code == 200
    assert {p["slug"]: p["role"] for p in store.partners(db, campaigns["shared"]["id"])} == {
        "org-a": "lead", "org-b": "co-lead"}
    r = post(lead, "/campaigns/autumn/partners/roles", {f"role-{a_id}": "lead",
                                                         "remove": str(b_id)})
    assert [p["slug"] for p in store.partners(db, campaigns["shared"]["id"])] == ["org-a"]


def test_json_returns_what_the_page_shows(as_user, campaigns) -> None:
    client = as_user("member")
    page = soup(client.get("/campaigns/autumn"))
    doc = client.get("/campaigns/autumn.json").json()
    assert doc["title"] == page.select_one("h1").get_text()
    page_partners = [a.get_text() for a in page.select("#partners ul.partners > li > a")]
    assert page_partners == [p["name"] for p in doc["partners"]]
    assert [c["title"] for c in doc["calls_to_action"]] == ["Day of action"]
    assert "Day of action" in page.select_one("#calls").get_text()
    assert client.get("/campaigns/nope.json").json() == {"error": "No campaign 'nope'."}


def test_suggested_day_is_added_in_one_click(as_user, db, campaigns, settings) -> None:
    lead = as_user("member")
    page = soup(lead.get("/campaigns/autumn"))
    forms = page.select("ul.suggestions form")
    names = [f.get_text(" ", strip=True) for f in forms]
    assert any("16 Days of Activism" in n for n in names)
    form = next(f for f in forms if "16 Days of Activism" in f.get_text())
    data = {i["name"]: i["value"] for i in form.select("input")}
    r = lead.post(form["action"], data=data)
    assert r.status_code == 200
    calls = schedule.calls_to_action(db, campaigns["shared"]["id"])
    added = next(c for c in calls if c["title"].startswith("16 Days"))
    assert (added["start_date"], added["end_date"]) == ("2026-11-25", "2026-12-10")
    again = soup(r).select("ul.suggestions form")
    assert not any("16 Days of Activism" in f.get_text() for f in again)


def test_my_commitments_dashboard_and_organisation_panels(as_user, campaigns) -> None:
    partner = as_user("other_member")
    mine = soup(partner.get("/campaigns/commitments"))
    rows = mine.select("table.mine tbody tr")
    assert len(rows) == 1 and "overdue" in rows[0]["class"]
    dash = soup(partner.get("/"))
    assert "Survey of members" in dash.select_one(".campaigns-panel").get_text()
    assert "Day of action" in dash.select_one(".campaigns-panel").get_text()
    org_page = soup(partner.get("/organisations/org-a"))
    names = [a.get_text() for a in org_page.select("#h-org-campaigns + ul a")]
    assert names == ["Autumn <script>x</script>"]  # the private one is not listed


def test_the_brief_has_the_matrix_and_print_styles(as_user, campaigns) -> None:
    client = as_user("member")
    r = client.get("/campaigns/autumn/brief")
    page = soup(r)
    assert page.select("table.matrix tbody tr")
    assert "Day of action" in page.select_one("table.upcoming").get_text()
    css = client.get(page.select_one("link[href*='campaigns.css']")["href"]).text
    assert "@media print" in css


def test_edit_milestones_and_workstreams_from_the_page(as_user, db, campaigns) -> None:
    lead = as_user("member")
    edit = soup(lead.get("/campaigns/autumn/edit"))
    ticked = [box["value"] for box in edit.select("input[name=themes_known][checked]")]
    assert ticked == ["women's rights"]  # chosen among the themes in use
    bad = post(lead, "/campaigns/autumn/edit", {"title": "Autumn", "slug": "secret-plan",
                                                "status": "active", "visibility": "network"})
    assert bad.status_code == 400 and "already taken" in soup(bad).select_one(
        "#e-slug").get_text()
    ok = post(lead, "/campaigns/autumn/edit", {"title": "Autumn 2027", "slug": "autumn",
                                               "status": "active", "visibility": "network",
                                               "start_date": "2026-11-01"})
    assert soup(ok).select_one("h1").get_text() == "Autumn 2027"
    assert store.get(db, "autumn")["status"] == "active"
    r = post(lead, "/campaigns/autumn/milestones", {"title": "Launch", "date": "2027-02-01"})
    assert "Launch" in soup(r).select_one("ol.timeline").get_text()
    r = post(lead, "/campaigns/autumn/workstreams", {"name": "Research"})
    assert "already a workstream" in soup(r).select_one("#e-workstream-name").get_text()
    r = post(lead, "/campaigns/autumn/commitments",
             {"organisation_id": "9" * 30, "title": "Huge id"})
    assert r.status_code == 400  # a clear message, not a server error
    log = soup(lead.get("/campaigns/autumn")).select_one("#activity").get_text()
    assert "added a milestone" in log and "updated the details" in log


def test_public_campaigns_are_readable_without_an_account(client, db, clock, campaigns) -> None:
    make_campaign(db, clock, slug="open-letter", title="Open letter", visibility="public")
    page = client.get("/campaigns/open-letter")
    assert page.status_code == 200 and soup(page).select_one("h1").get_text() == "Open letter"
    assert not soup(page).select("form[action^='/campaigns/open-letter/']")  # read only
    assert client.get("/campaigns/open-letter.json").json()["title"] == "Open letter"
    for path in ["/campaigns/autumn", "/campaigns/secret-plan", "/campaigns/no-such-thing"]:
        r = client.get(path)  # network, private and missing look the same: please log in
        assert "/login" in str(r.url), path
    assert client.get("/campaigns/secret-plan.json").status_code == 401
    assert client.get("/campaigns/no-such-thing.json").status_code == 401
    assert "/login" in str(client.get("/campaigns").url)  # the list needs an account


def test_the_campaign_page_speaks_portuguese(as_user, campaigns) -> None:
    client = as_user("member")
    page = soup(client.get("/campaigns/autumn", headers={"accept-language": "pt-MZ,pt;q=0.9"}))
    assert page.select_one("#h-commitments").get_text() == "Compromissos"
    assert page.select_one("#commitments h3").get_text().startswith("atrasado")
