"""The catalogue's pages through the real app: search, JSON, contribution, review, safety."""

from __future__ import annotations

import pytest

from juntos.catalogue import store
from juntos.catalogue.models import IdeaInput
from tests.catalogue.support import add_idea
from tests.support.web import post_form, soup

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def catalogue(db, clock):
    add_idea(db, clock, title="Radio call-in", klass="media", risk="low", themes="health",
             summary="Listeners question officials on the radio.")
    add_idea(db, clock, title="Community radio drama", klass="creative", risk="medium",
             themes="health")
    add_idea(db, clock, title="Strategic litigation", klass="legal", risk="medium")


def test_search_page_shows_ranked_hits_snippets_and_facets(as_user, catalogue):
    client = as_user("member")
    page = soup(client.get("/ideas?q=radio"))
    hits = [a.get_text() for a in page.select(".hit h2 a")]
    assert sorted(hits) == ["Community radio drama", "Radio call-in"]
    assert page.select_one(".hit .snippet mark").get_text().lower() == "radio"
    risk_links = {a["data-value"]: a for a in page.select('.facets a[data-facet="risk"]')}
    assert set(risk_links) == {"low", "medium"}
    narrowed = soup(client.get(risk_links["medium"]["href"]))
    assert [a.get_text() for a in narrowed.select(".hit h2 a")] == ["Community radio drama"]
    assert "q=radio" in risk_links["medium"]["href"] and "risk=medium" in risk_links["medium"][
        "href"]


def test_json_search_uses_the_same_filters(as_user, catalogue, client):
    member = as_user("member")
    data = member.get("/ideas.json?q=radio&risk=low").json()
    assert data["total"] == 1 and data["ideas"][0]["slug"] == "radio-call-in"
    assert data["query"]["filters"] == {"risk": ["low"]}
    assert {f["value"]: f["count"] for f in data["facets"]["class"]} == {"media": 1}
    assert client.get("/ideas.json?q=radio").status_code == 401


def test_member_proposes_coordinator_publishes_then_search_finds_it(as_user, users, db):
    member = as_user("member")
    response = post_form(member, "/ideas/new", {
        "title": "Bicycle caravan", "class": "creative", "risk": "low",
        "summary": "Cyclists ride from village to village with the message."},
        form_page="/ideas/new")
    assert response.status_code == 200 and response.url.path == "/ideas/bicycle-caravan"
    assert "review" in soup(response).select_one(".flash").get_text()
    assert member.get("/ideas.json?q=bicycle").json()["total"] == 0
    assert as_user("other_member").get("/ideas/bicycle-caravan").status_code == 404
    coordinator = as_user("coordinator")
    queue = soup(coordinator.get("/ideas/review"))
    assert [a.get_text() for a in queue.select(".queue a")] == ["Bicycle caravan"]
    post_form(coordinator, "/ideas/bicycle-caravan/publish", {}, form_page="/ideas/review")
    assert member.get("/ideas.json?q=bicycle").json()["ideas"][0]["slug"] == "bicycle-caravan"
    mine = soup(member.get("/ideas/mine"))
    assert "Published" in mine.select_one("tbody tr").get_text()
    history = soup(member.get("/ideas/bicycle-caravan")).select(".history li")
    assert len(history) == 2 and "Demo" not in history[0].get_text()


def test_bad_input_names_the_field_and_saves_nothing(as_user, db):
    member = as_user("member")
    response = post_form(member, "/ideas/new", {"title": "", "class": "magic", "risk": "huge"},
                         form_page="/ideas/new")
    assert response.status_code == 400
    page = soup(response)
    for name in ("title", "class", "risk"):
        assert page.select_one(f"#e-{name}"), name
    assert next(db.query("select count(*) as n from ideas"))["n"] == 0


def test_viewers_cannot_propose(as_user):
    assert as_user("viewer").get("/ideas/new").status_code == 403


def test_script_in_every_contributed_field_is_shown_as_text(as_user, db, clock, users):
    idea = add_idea(db, clock, title=f"Posters {XSS}", summary=f"Summary {XSS}",
                    body=f"Body {XSS}\n\n[link](javascript:alert(1))", safety_notes=XSS,
                    suits=XSS, not_suits=XSS, tags=f"tag{XSS}", themes="health",
                    subclass=XSS, preparation=XSS)
    store.set_translation(db, idea["id"], "pt", {"title": f"Cartazes {XSS}"}, source="human",
                          now=clock(), by=None)
    member = as_user("member")
    for path in ("/ideas", "/ideas?q=posters", f"/ideas/{idea['slug']}", "/ideas/cards",
                 "/ideas/cards?q=posters", f"/ideas/{idea['slug']}/translate"):
        response = member.get(path)
        assert response.status_code == 200, path
        page = soup(response)
        assert not page.find_all(["script", "img"]), path
        assert not [t for t in page.find_all(True) if any(a.startswith("on") for a in t.attrs)]
        assert not page.select('a[href^="javascript"]'), path
        assert '<script>alert("x")</script>' in page.get_text(), path
    data = member.get("/ideas.json?q=posters").json()
    assert "<script>" not in data["ideas"][0]["snippet_html"]


def test_translation_shown_in_the_readers_language_with_fallback_note(as_user, db, clock):
    add_idea(db, clock, title="Public hearing", summary="People testify in public.")
    member = as_user("member")
    response = post_form(member, "/ideas/public-hearing/translate",
                         {"language": "pt", "source": "machine", "title": "Audiência pública"},
                         form_page="/ideas/public-hearing/translate")
    assert response.status_code == 200
    # A member's translation waits for review, as an edit does: the page stays English.
    page = soup(member.get("/ideas/public-hearing", headers={"accept-language": "pt"}))
    assert page.select_one("h1").get_text() == "Public hearing"
    coordinator = as_user("coordinator")
    queue = soup(coordinator.get("/ideas/review"))
    accept = queue.select_one("#translation-queue form")["action"]
    post_form(coordinator, accept, {}, form_page="/ideas/review")
    page = soup(member.get("/ideas/public-hearing", headers={"accept-language": "pt"}))
    assert page.select_one("h1").get_text() == "Audiência pública"
    assert page.select_one(".notice")  # the summary falls back to English, and says so
    results = soup(member.get("/ideas?q=audiencia", headers={"accept-language": "pt"}))
    assert [a.get_text() for a in results.select(".hit h2 a")] == ["Audiência pública"]


def test_review_copy_keeps_the_published_text_until_accepted(as_user, db, clock):
    add_idea(db, clock, title="Vigil", klass="protest", summary="Old words.")
    member = as_user("member")
    post_form(member, "/ideas/vigil/edit", {"title": "Vigil", "class": "protest",
                                             "summary": "New words."},
              form_page="/ideas/vigil/edit")
    assert soup(member.get("/ideas/vigil")).select_one(".summary").get_text() == "Old words."
    coordinator = as_user("coordinator")
    queue = soup(coordinator.get("/ideas/review"))
    copy_link = queue.select_one(".queue a")["href"]
    post_form(coordinator, copy_link + "/publish", {}, form_page="/ideas/review")
    assert soup(member.get("/ideas/vigil")).select_one(".summary").get_text() == "New words."


def test_case_story_pseudonymous_hides_organisation_and_place(as_user, db, clock):
    add_idea(db, clock, title="Incident documentation", klass="research")
    member = as_user("member")
    response = post_form(member, "/stories/new", {
        "title": "Evictions recorded", "idea": "incident-documentation",
        "reason": "Six months of records", "happened_on": "2025-02-20",
        "pseudonymous": "1", "place": "Exact village", "region": "Central region",
        "what_happened": "Monitors recorded evictions.", "outcome": "partly"},
        form_page="/stories/new")
    assert response.status_code == 200
    story_path = response.url.path
    row = next(db.query("select * from case_stories"))
    assert row["place"] == "" and row["organisation_id"] is None
    coordinator = as_user("coordinator")
    post_form(coordinator, story_path + "/publish", {}, form_page="/ideas/review")
    idea_page = soup(member.get("/ideas/incident-documentation"))
    assert "Evictions recorded" in idea_page.get_text()
    story = soup(member.get(story_path)).get_text()
    assert "Exact village" not in story and "Acção Cidadã" not in story


def _campaign(db, clock, users, *, slug, visibility, lead):  # type: ignore[no-untyped-def]
    from juntos.campaigns import store as campaigns
    from juntos.campaigns.models import CampaignInput

    data = CampaignInput.validated(title=f"Campaign {slug}", slug=slug, visibility=visibility,
                                   themes=["health"])
    return campaigns.create(db, data, lead=lead, now=clock(), by=users["coordinator"].id)


def test_campaign_lead_plans_a_tactic_and_only_visible_campaigns_are_listed(
        as_user, db, clock, users, org_a):
    add_idea(db, clock, title="Open letter", klass="coalition", themes="health")
    open_campaign = _campaign(db, clock, users, slug="open-one", visibility="network",
                              lead=org_a["id"])
    secret = _campaign(db, clock, users, slug="secret-one", visibility="private",
                       lead=org_a["id"])
    member = as_user("member")  # org A leads both campaigns
    page = soup(member.get("/ideas/open-letter"))
    assert {o.get_text() for o in page.select("#campaign_id option")} == {
        "Choose a campaign", "Campaign open-one", "Campaign secret-one"}
    for campaign in (open_campaign, secret):
        post_form(member, "/ideas/tactics", {"idea": "open-letter",
                                             "campaign_id": str(campaign["id"]),
                                             "note": "Before the budget vote"},
                  form_page="/ideas/open-letter")
    listed = [a.get_text() for a in soup(member.get("/ideas/open-letter")).select(
        'a[href^="/campaigns/"]')]
    assert sorted(listed) == ["Campaign open-one", "Campaign secret-one"]
    # A member of another organisation sees the network campaign only, and cannot plan.
    other = as_user("other_member")
    page = soup(other.get("/ideas/open-letter"))
    assert [a.get_text() for a in page.select('a[href^="/campaigns/"]')] == [
        "Campaign open-one"]
    assert not page.select("#campaign_id")
    response = post_form(other, "/ideas/tactics", {"idea": "open-letter",
                                                   "campaign_id": str(secret["id"])},
                         form_page="/ideas/open-letter")
    assert response.status_code == 404
    response = post_form(other, "/ideas/tactics", {"idea": "open-letter",
                                                   "campaign_id": str(open_campaign["id"])},
                         form_page="/ideas/open-letter")
    assert response.status_code == 403
    assert member.get("/ideas.json?sort=used").json()["ideas"][0]["used_in_campaigns"] == 2


def test_campaign_page_lists_planned_tactics_in_the_catalogue_panel(as_user, db, clock, users,
                                                                    org_a):
    add_idea(db, clock, title="Radio call-in", klass="media")
    campaign = _campaign(db, clock, users, slug="health-now", visibility="network",
                         lead=org_a["id"])
    member = as_user("member")
    response = post_form(member, "/ideas/tactics", {
        "idea": "radio-call-in", "campaign_id": str(campaign["id"]), "note": "Weekly",
        "next": "/campaigns/health-now"}, form_page="/campaigns/health-now")
    assert response.url.path == "/campaigns/health-now"
    panel = soup(response).select_one(".catalogue-panel")
    assert [a.get_text() for a in panel.select('li a[href^="/ideas/"]')] == ["Radio call-in"]
    assert "Weekly" in panel.get_text()
    assert panel.select_one('a[href="/ideas?theme=health"]')
    post_form(member, "/ideas/tactics/remove", {"idea": "radio-call-in",
                                                "campaign_id": str(campaign["id"]),
                                                "next": "/campaigns/health-now"},
              form_page="/campaigns/health-now")
    assert not soup(member.get("/campaigns/health-now")).select('.catalogue-panel li')


def test_the_idea_page_chooses_no_finished_campaign_for_the_user(as_user, db, clock, users,
                                                                org_a):
    from juntos.campaigns import store as campaigns
    from juntos.campaigns.models import CampaignInput

    add_idea(db, clock, title="Open letter", klass="coalition", themes="health")
    old = _campaign(db, clock, users, slug="old-one", visibility="network", lead=org_a["id"])
    campaigns.update(db, old["id"], CampaignInput.validated(
        title="Campaign old-one", slug="old-one", status="finished"), now=clock(),
        by=users["coordinator"].id)
    member = as_user("member")
    select = soup(member.get("/ideas/open-letter")).select_one("#campaign_id")
    # Only a finished campaign: the user must choose it knowingly.
    assert select.select_one("option")["value"] == ""
    assert [o.get_text() for o in select.select('optgroup[label="Finished"] option')] == [
        "Campaign old-one"]
    assert not select.select("option[selected]")
    # Exactly one open campaign: it comes first and is the one chosen.
    _campaign(db, clock, users, slug="now-one", visibility="network", lead=org_a["id"])
    select = soup(member.get("/ideas/open-letter")).select_one("#campaign_id")
    assert [o.get_text() for o in select.select("option")] == [
        "Campaign now-one", "Campaign old-one"]
    # Two open campaigns: nothing chosen.
    _campaign(db, clock, users, slug="next-one", visibility="network", lead=org_a["id"])
    select = soup(member.get("/ideas/open-letter")).select_one("#campaign_id")
    assert select.select_one("option")["value"] == ""
    response = post_form(member, "/ideas/tactics", {"idea": "open-letter", "campaign_id": ""},
                         form_page="/ideas/open-letter")
    assert "Choose a campaign." in soup(response).select_one(".flash-error").get_text()


def test_a_planned_tactic_has_an_owner_a_date_and_a_status_and_is_in_the_brief(
        as_user, db, clock, users, org_a, org_b):
    add_idea(db, clock, title="Radio call-in", klass="media")
    campaign = _campaign(db, clock, users, slug="health-now", visibility="network",
                         lead=org_a["id"])
    member = as_user("member")
    response = post_form(member, "/ideas/tactics", {
        "idea": "radio-call-in", "campaign_id": str(campaign["id"]), "note": "Weekly",
        "owner_id": str(org_a["id"]), "due_date": "2026-05-01", "status": "under_way",
        "next": "/campaigns/health-now"}, form_page="/campaigns/health-now")
    panel = soup(response).select_one(".catalogue-panel")
    meta = panel.select_one(".tactic-meta").get_text(" ", strip=True)
    assert org_a["name"] in meta and "under way" in meta and "2026" in meta
    assert "RemoveWeekly" not in panel.get_text() and "WeeklyRemove" not in panel.get_text()
    brief = soup(member.get("/campaigns/health-now/brief")).select_one(".brief-tactics")
    cells = [td.get_text(" ", strip=True) for td in brief.select("tbody td")]
    assert cells[0].startswith("Radio call-in") and cells[1] in (org_a["name"], org_a["acronym"])
    assert "2026" in cells[2] and cells[3] == "under way"
    # Planned again from the idea page (a note only): owner, date and status stay.
    post_form(member, "/ideas/tactics", {"idea": "radio-call-in", "campaign_id":
                                         str(campaign["id"]), "note": "Every Monday"},
              form_page="/ideas/radio-call-in")
    row = db.execute("select note, owner_id, due_date, status from campaign_tactics").fetchone()
    assert tuple(row) == ("Every Monday", org_a["id"], "2026-05-01", "under_way")
    # Nothing in the name of an organisation that is not a partner; a bad date is refused.
    for bad in ({"owner_id": str(org_b["id"])}, {"due_date": "soon"}, {"status": "won"}):
        response = post_form(member, "/ideas/tactics", {
            "idea": "radio-call-in", "campaign_id": str(campaign["id"]), **bad,
            "next": "/campaigns/health-now"}, form_page="/campaigns/health-now")
        assert soup(response).select_one(".flash-error"), bad
    row = db.execute("select note, owner_id, due_date, status from campaign_tactics").fetchone()
    assert tuple(row) == ("Every Monday", org_a["id"], "2026-05-01", "under_way")


@pytest.mark.parametrize("role, live, status", [
    ("coordinator", True, 200), ("member", False, 200), ("other_member", False, 200),
    ("viewer", False, 403)])
def test_only_a_coordinators_translation_goes_live_at_once(as_user, db, clock, role, live,
                                                          status):
    add_idea(db, clock, title="Sit-in", summary="People sit.")
    who = as_user(role)
    response = post_form(who, "/ideas/sit-in/translate",
                         {"language": "pt", "source": "human", "title": "Ocupação"},
                         form_page="/ideas/sit-in/translate" if status == 200 else "/ideas")
    assert response.status_code == status
    page = soup(who.get("/ideas/sit-in", headers={"accept-language": "pt"}))
    assert (page.select_one("h1").get_text() == "Ocupação") is live
    waiting = db["idea_translation_proposals"].count
    assert waiting == (1 if status == 200 and not live else 0)


def test_translation_review_is_for_coordinators(as_user, client, db, clock):
    add_idea(db, clock, title="Sit-in", summary="People sit.")
    member = as_user("member")
    post_form(member, "/ideas/sit-in/translate",
              {"language": "pt", "source": "human", "title": "Ocupação"},
              form_page="/ideas/sit-in/translate")
    proposal = next(db.query("select id from idea_translation_proposals"))["id"]
    for role in ("member", "other_member", "viewer"):
        denied = post_form(as_user(role), f"/ideas/translations/{proposal}/accept", {},
                           form_page="/ideas")
        assert denied.status_code == 403, role
    anonymous = client.post(f"/ideas/translations/{proposal}/accept")
    assert anonymous.status_code in (403, 400) or anonymous.url.path == "/login"
    coordinator = as_user("coordinator")
    sent_back = post_form(coordinator, f"/ideas/translations/{proposal}/reject",
                          {"note": "Ocupação is not a sit-in"}, form_page="/ideas/review")
    assert sent_back.status_code == 200
    assert db["idea_translation_proposals"].count == 0
    missing = post_form(coordinator, f"/ideas/translations/{proposal}/accept", {},
                        form_page="/ideas/review")
    assert missing.status_code == 404


def test_an_idea_page_answers_304_while_it_is_unchanged(as_user, catalogue, db, clock):
    client = as_user("member")
    first = client.get("/ideas/radio-call-in")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"
    assert client.get("/ideas/radio-call-in", headers={"if-none-match": etag}).status_code == 304
    other = as_user("other_member").get("/ideas/radio-call-in", headers={"if-none-match": etag})
    assert other.status_code == 200  # another user's page (their form token) is another tag
    idea = store.get(db, "radio-call-in")
    db["ideas"].update(idea["id"], {"summary": "Listeners ask officials on air."})
    changed = client.get("/ideas/radio-call-in", headers={"if-none-match": etag})
    assert changed.status_code == 200 and "on air" in changed.text


def test_a_tactic_is_picked_by_its_title_and_part_of_one_searches(as_user, db, clock, users,
                                                                  org_a):
    add_idea(db, clock, title="Radio call-in", klass="media")
    campaign = _campaign(db, clock, users, slug="by-title", visibility="network",
                         lead=org_a["id"])
    member = as_user("member")
    page = soup(member.get("/campaigns/by-title"))
    assert [o["value"] for o in page.select("#tactic-ideas option")] == ["Radio call-in"]
    response = post_form(member, "/ideas/tactics", {
        "idea": "RADIO CALL-IN", "campaign_id": str(campaign["id"]),
        "next": "/campaigns/by-title"}, form_page="/campaigns/by-title")
    assert response.url.path == "/campaigns/by-title"
    panel = soup(response).select_one(".catalogue-panel")
    assert [a.get_text() for a in panel.select('li a[href^="/ideas/"]')] == ["Radio call-in"]
    response = post_form(member, "/ideas/tactics", {
        "idea": "radio", "campaign_id": str(campaign["id"]),
        "next": "/campaigns/by-title"}, form_page="/campaigns/by-title")
    assert response.url.path == "/ideas" and response.url.params["q"] == "radio"


def test_kept_suggestions_follow_the_catalogue(as_user, db, clock, users, org_a):
    """The campaign page's idea suggestions are kept per catalogue generation: an idea
    published meanwhile is offered on the next view."""
    add_idea(db, clock, title="Radio call-in", klass="media")
    _campaign(db, clock, users, slug="kept", visibility="network", lead=org_a["id"])
    member = as_user("member")
    titles = lambda: [o["value"] for o in soup(member.get("/campaigns/kept"))  # noqa: E731
                      .select("#tactic-ideas option")]
    assert titles() == ["Radio call-in"]
    add_idea(db, clock, title="Community theatre", klass="media")
    assert titles() == ["Community theatre", "Radio call-in"]


def test_kept_snippets_follow_the_catalogue(as_user, db, clock):
    """Search snippets are kept per page of hits while the catalogue is unchanged."""
    idea = add_idea(db, clock, title="Radio call-in", klass="media",
                    summary="Listeners phone a radio show.")
    member = as_user("member")
    snippet = lambda: soup(member.get("/ideas?q=listeners")).select_one(".snippet")  # noqa: E731
    assert "phone" in snippet().get_text()
    store.update(db, idea["id"], IdeaInput.validated(
        title="Radio call-in", summary="Listeners text a radio show.", **{"class": "media"}),
        now=clock(), by=None)
    assert "text" in snippet().get_text() and "phone" not in snippet().get_text()


def test_kept_results_follow_their_use_in_campaigns(as_user, db, clock, users, org_a):
    """A page of results is kept per query until the catalogue changes, its use in campaigns
    included (written here straight to the database, as the CLI would)."""
    idea = add_idea(db, clock, title="Radio call-in", klass="media")
    campaign = _campaign(db, clock, users, slug="uses", visibility="network", lead=org_a["id"])
    member = as_user("member")
    meta = lambda: soup(member.get("/ideas?q=radio")).select_one(".hit .meta").get_text()  # noqa: E731
    panel = lambda: soup(member.get("/campaigns/uses")).select_one(".catalogue-panel")  # noqa: E731
    assert "used in" not in meta()
    assert not panel().select(".tactic")
    db["campaign_tactics"].insert({"campaign_id": campaign["id"], "idea_id": idea["id"],
                                   "added_at": "2026-11-23T09:00:00Z"})
    assert "used in 1 campaign" in meta()
    assert "Radio call-in" in panel().select_one(".tactic").get_text()
