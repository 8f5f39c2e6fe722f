"""Editing case stories and choosing their campaign, through the real app (and, for the
established-contributor rule, the real moderation code)."""

from __future__ import annotations

import pytest

from juntos.catalogue import moderation, stories
from juntos.catalogue.models import StoryInput
from juntos.errors import Forbidden
from tests.catalogue.support import add_idea
from tests.support.web import post_form, soup

STORY = {
    "title": "Phone-in on stock-outs", "idea": "radio-call-in", "reason": "The core",
    "happened_on": "2025-04-07", "place": "Nampula city", "region": "Nampula",
    "country": "MZ", "what_happened": "Thirty-one listeners called.", "outcome": "partly",
    "lessons": "Prepare callers.", "links": "https://example.org/report",
}


@pytest.fixture
def ideas(db, clock):  # type: ignore[no-untyped-def]
    add_idea(db, clock, title="Radio call-in", klass="media")
    add_idea(db, clock, title="Budget tracking", klass="research")


def _row(db, story_id):  # type: ignore[no-untyped-def]
    return next(db.query("select * from case_stories where id = ?", [story_id]))


def _add(client, data=None):  # type: ignore[no-untyped-def]
    response = post_form(client, "/stories/new", data or STORY, form_page="/stories/new")
    assert response.status_code == 200, response.text
    return int(response.url.path.rsplit("/", 1)[1])


def _edit(client, story_id, changes):  # type: ignore[no-untyped-def]
    path = f"/stories/{story_id}/edit"
    form = soup(client.get(path))
    data = {f["name"]: f.get("value", "") for f in form.select("form input[name]")
            if f.get("type") != "checkbox" or f.has_attr("checked")}
    data.update({t["name"]: t.get_text() for t in form.select("form textarea")})
    for s in form.select("form select"):
        chosen = s.select_one("option[selected]")
        data[s["name"]] = chosen["value"] if chosen else ""
    data.pop("csrf_token", None)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return post_form(client, path, data, form_page=path)


def test_author_edits_a_published_story_which_goes_back_to_review(as_user, db, ideas):
    member, other = as_user("member"), as_user("other_member")
    coordinator = as_user("coordinator")
    story_id = _add(member)
    path = f"/stories/{story_id}"
    post_form(coordinator, path + "/publish", {}, form_page="/ideas/review")
    assert soup(member.get(path)).select_one(f'a[href="{path}/edit"]')
    # Another organisation's member reads the published story but may not edit it.
    page = soup(other.get(path))
    assert page.select_one("h1").get_text() == "Phone-in on stock-outs"
    assert not page.select_one(f'a[href="{path}/edit"]') and not page.select(".history")
    assert other.get(path + "/edit").status_code == 403
    response = post_form(other, path + "/edit", {**STORY, "title": "Hijacked"},
                         form_page="/stories/new")
    assert response.status_code == 403 and _row(db, story_id)["title"] == STORY["title"]
    # The form holds what was saved, the linked idea included; the author adds a second idea.
    form = soup(member.get(path + "/edit"))
    assert form.select_one("#f-idea")["value"] == "radio-call-in"
    assert form.select_one("#f-reason")["value"] == "The core"
    response = _edit(member, story_id, {
        "title": "Phone-in on medicine stock-outs", "idea_1": "budget-tracking",
        "reason_1": "Figures from our tracking", "phase_1": "preparation",
        "lessons": "Prepare callers from far districts.",
        "links": "https://example.org/report\nhttps://example.org/recording"})
    assert response.status_code == 200 and response.url.path == path
    assert "review" in soup(response).select_one(".flash").get_text()
    row = _row(db, story_id)
    assert (row["title"], row["status"], row["updated_by"]) == (
        "Phone-in on medicine stock-outs", "draft", row["created_by"])
    assert row["published_at"] is not None  # the first publication is remembered
    page = soup(member.get(path))
    assert [a.get_text() for a in page.select('a[href^="/ideas/"]')][-2:] == [
        "Budget tracking", "Radio call-in"]
    assert "https://example.org/recording" in page.get_text()
    assert page.title.get_text().startswith("Phone-in on medicine stock-outs")
    assert len(page.select(".history")) == 1 and "History" not in page.title.get_text()
    history = [li.get_text(" ", strip=True) for li in page.select(".history li")]
    assert "back to review" in history[0] and "Title" in history[0] and "Ideas used" in history[0]
    assert "published" in history[1] and "added the story" in history[2]
    # Back in review, it is hidden again from others; the coordinator sees it in the queue.
    assert other.get(path).status_code == 404 and other.get(path + "/edit").status_code == 404
    queue = soup(coordinator.get("/ideas/review"))
    assert "Phone-in on medicine stock-outs" in queue.get_text()
    # Viewers never edit, even in their own organisation.
    assert as_user("viewer").get(path + "/edit").status_code == 404


def test_established_author_edits_in_place_and_coordinator_edits_too(db, users, clock, ideas):
    member = users["member"]
    for n in range(moderation.ESTABLISHED_AFTER):
        add_idea(db, clock, title=f"Earlier idea {n}", by=member.id)
    data = StoryInput.validated(**STORY, ideas=[("radio-call-in", "", "")])
    story = stories.create(db, data, user=member, now=clock())
    assert story["status"] == "published"
    clock.advance(hours=2)
    changed = StoryInput.validated(**{**STORY, "outcome": "yes"},
                                   ideas=[("radio-call-in", "", "")])
    saved, outcome = stories.update(db, story, changed, user=member, now=clock())
    assert (outcome, saved["status"], saved["outcome"]) == ("saved", "published", "yes")
    again, outcome = stories.update(db, saved, changed, user=member, now=clock())
    assert outcome == "unchanged"
    with pytest.raises(Forbidden):
        stories.update(db, saved, changed, user=users["other_member"], now=clock())
    with pytest.raises(Forbidden):
        stories.update(db, saved, changed, user=users["viewer"], now=clock())
    coordinator = users["coordinator"]
    fixed = StoryInput.validated(**{**STORY, "outcome": "no"}, ideas=[("budget-tracking", "",
                                                                       "")])
    saved, outcome = stories.update(db, again, fixed, user=coordinator, now=clock())
    assert (outcome, saved["status"]) == ("saved", "published")
    assert [i["slug"] for i in saved["ideas"]] == ["budget-tracking"]
    steps = [(h["action"], h["by"], h["fields"]) for h in stories.history(db, story["id"])]
    assert steps == [("edited", coordinator.id, ["outcome", "ideas"]),
                     ("edited", member.id, ["outcome"]), ("published", member.id, [])]
    # The idea that lost its story lost its facet too; the new one has it.
    facets = {r["slug"]: r["value"] for r in db.query(
        "select i.slug, f.value from idea_facets f join ideas i on i.id = f.idea_id"
        " where f.facet = 'stories'")}
    assert facets["budget-tracking"] == "yes" and facets["radio-call-in"] == "no"


def test_protection_on_erases_place_and_organisation_off_brings_nothing_back(as_user, db,
                                                                              ideas):
    member = as_user("member")
    story_id = _add(member)
    assert _row(db, story_id)["organisation_id"] is not None
    # The form still carries the place: turning protection on must erase it all the same.
    response = _edit(member, story_id, {"pseudonymous": "1"})
    assert response.status_code == 200
    row = _row(db, story_id)
    assert (row["place"], row["organisation_id"], row["pseudonymous"]) == ("", None, 1)
    text = soup(member.get(f"/stories/{story_id}")).get_text()
    assert "Nampula city" not in text and "Acção Cidadã" not in text
    assert "protected" in text
    response = _edit(member, story_id, {"pseudonymous": None})
    row = _row(db, story_id)
    assert (row["place"], row["organisation_id"], row["pseudonymous"]) == ("", None, 0)
    assert "Acção Cidadã" not in soup(member.get(f"/stories/{story_id}")).get_text()


def test_bad_edit_names_the_fields_and_saves_nothing(as_user, db, ideas):
    member = as_user("member")
    story_id = _add(member)
    before = _row(db, story_id)
    steps = len(list(db.query("select id from story_history")))
    response = _edit(member, story_id, {"title": "", "idea": "no-such-idea",
                                        "links": "not a link", "outcome": "maybe",
                                        "happened_on": "yesterday"})
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one('[role="alert"]')
    for name in ("title", "links", "outcome", "happened_on"):
        assert page.select_one(f"#e-{name}"), name
    assert _row(db, story_id) == before
    # The idea must be a published one; named next to the ideas.
    response = _edit(member, story_id, {"idea": "no-such-idea"})
    assert response.status_code == 400
    assert "no-such-idea" in soup(response).select_one("#e-ideas").get_text()
    response = _edit(member, story_id, {"pseudonymous": "1", "region": ""})
    assert response.status_code == 400 and soup(response).select_one("#e-region")
    assert _row(db, story_id) == before
    assert len(list(db.query("select id from story_history"))) == steps


def test_rejected_story_is_edited_and_resubmitted_keeping_the_note(as_user, db, ideas):
    member, coordinator = as_user("member"), as_user("coordinator")
    story_id = _add(member)
    path = f"/stories/{story_id}"
    post_form(coordinator, path + "/reject", {"note": "Say who called in"},
              form_page="/ideas/review")
    assert "Say who called in" in soup(member.get("/ideas/mine")).get_text()
    form = soup(member.get(path + "/edit"))
    assert "Say who called in" in form.get_text()
    response = _edit(member, story_id, {"what_happened": "Thirty-one listeners, mostly "
                                        "women from the districts, called."})
    assert response.status_code == 200
    assert _row(db, story_id)["status"] == "draft"
    history = [li.get_text(" ", strip=True) for li in
               soup(coordinator.get(path)).select(".history li")]
    assert "resubmitted" in history[0] and "What happened" in history[0]
    assert "sent back" in history[1] and "Say who called in" in history[1]
    assert "Phone-in on stock-outs" in soup(coordinator.get("/ideas/review")).get_text()


def _campaign(db, clock, users, *, slug, visibility, lead):  # type: ignore[no-untyped-def]
    from juntos.campaigns import store as campaigns
    from juntos.campaigns.models import CampaignInput

    data = CampaignInput.validated(title=f"Campaign {slug}", slug=slug, visibility=visibility)
    return campaigns.create(db, data, lead=lead, now=clock(), by=users["coordinator"].id)


def test_story_campaign_is_chosen_among_visible_ones_and_checked(as_user, db, clock, users,
                                                                 org_a, ideas):
    network = _campaign(db, clock, users, slug="open-one", visibility="network",
                        lead=org_a["id"])
    secret = _campaign(db, clock, users, slug="secret-one", visibility="private",
                       lead=org_a["id"])
    member, other = as_user("member"), as_user("other_member")
    options = {o.get_text(): o["value"] for o in
               soup(member.get("/stories/new")).select("#f-campaign_id option")}
    assert options == {"None": "", "Campaign open-one": str(network["id"]),
                       "Campaign secret-one": str(secret["id"])}
    other_options = [o.get_text() for o in
                     soup(other.get("/stories/new")).select("#f-campaign_id option")]
    assert other_options == ["None", "Campaign open-one"]
    in_portuguese = soup(other.get("/stories/new", headers={"accept-language": "pt"}))
    assert in_portuguese.select_one('label[for="f-campaign_id"]').get_text() == (
        "Campanha (opcional)")
    # A private campaign's number typed by hand is refused, by the field, nothing saved.
    for bad in (str(secret["id"]), "9999", "abc"):
        response = post_form(other, "/stories/new", {**STORY, "campaign_id": bad},
                             form_page="/stories/new")
        assert response.status_code == 400, bad
        assert soup(response).select_one("#e-campaign_id"), bad
        assert "secret-one" not in response.text
    response = post_form(other, "/stories/new", {**STORY, "campaign_id": str(secret["id"])},
                         form_page="/stories/new", headers={"accept-language": "pt"})
    assert "Escolha uma das campanhas" in soup(response).select_one("#e-campaign_id").get_text()
    assert not list(db.query("select id from case_stories"))
    # The member of the partner organisation links it; the page names it to those who may see.
    story_id = _add(member, {**STORY, "campaign_id": str(secret["id"])})
    post_form(as_user("coordinator"), f"/stories/{story_id}/publish", {},
              form_page="/ideas/review")
    link = soup(member.get(f"/stories/{story_id}")).select_one('a[href="/campaigns/secret-one"]')
    assert link.get_text() == "Campaign secret-one"
    page = soup(other.get(f"/stories/{story_id}"))
    assert page.select_one("h1") and "secret-one" not in str(page)
    # Editing keeps a campaign the editor may see; the form shows it chosen.
    form = soup(member.get(f"/stories/{story_id}/edit"))
    assert form.select_one("#f-campaign_id option[selected]")["value"] == str(secret["id"])
    response = _edit(member, story_id, {"campaign_id": str(network["id"])})
    assert response.status_code == 200 and _row(db, story_id)["campaign_id"] == network["id"]
    response = _edit(member, story_id, {"campaign_id": ""})
    assert _row(db, story_id)["campaign_id"] is None


def test_a_campaign_the_editor_no_longer_sees_stays_linked_unnamed(as_user, db, clock, users,
                                                                   org_a, ideas):
    campaign = _campaign(db, clock, users, slug="was-open", visibility="network",
                         lead=org_a["id"])
    other = as_user("other_member")  # org B: not a partner of the campaign
    story_id = _add(other, {**STORY, "campaign_id": str(campaign["id"])})
    db["campaigns"].update(campaign["id"], {"visibility": "private"})
    form = soup(other.get(f"/stories/{story_id}/edit"))
    chosen = form.select_one("#f-campaign_id option[selected]")
    assert chosen["value"] == str(campaign["id"]) and "was-open" not in chosen.get_text()
    assert "Campaign was-open" not in str(form)
    response = _edit(other, story_id, {"lessons": "Ask the station for the recording."})
    assert response.status_code == 200 and _row(db, story_id)["campaign_id"] == campaign["id"]
    assert "Campaign was-open" not in response.text
    # A coordinator still sees it named on the page.
    coordinator = as_user("coordinator")
    page = soup(coordinator.get(f"/stories/{story_id}"))
    assert page.select_one('a[href="/campaigns/was-open"]').get_text() == "Campaign was-open"
