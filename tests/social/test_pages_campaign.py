"""Kit editor, wave planner, queue, inbox and JSON through the real app."""

from __future__ import annotations

from click.testing import CliRunner

from juntos.cli import cli
from juntos.social import posts
from tests.social.dispatch_support import approve_as_owners
from tests.support.web import csrf_token, soup


def wave_form(client, kit, **extra):  # type: ignore[no-untyped-def]
    path = f"/campaigns/clinics/kits/{kit['id']}/wave"
    data = {"csrf_token": csrf_token(client, path), "mode": "local", "day": "2026-11-25",
            "at": "09:00", "stagger_minutes": "0", "x_pattern": "different", **extra}
    return client.post(path, data=data)


def test_partner_writes_a_variant_and_over_length_is_refused_with_the_rule(
        as_user, kit, db) -> None:
    client = as_user("other_member")  # org B: a partner of the campaign
    path = f"/campaigns/clinics/kits/{kit['id']}"
    page = soup(client.get(path))
    assert len(page.select(".variants textarea[data-platform]")) == 3
    token = csrf_token(client, path)
    response = client.post(f"{path}/variants", data={
        "csrf_token": token, "new_language": "pt", "new_platform": "x", "new_text": "á" * 281})
    assert response.status_code == 400
    assert "281/280: X allows 280" in soup(response).select_one("#e-new").get_text()
    assert db["social_variants"].count == 3
    response = client.post(f"{path}/variants", data={
        "csrf_token": token, "new_language": "pt", "new_platform": "x", "new_text": "á" * 280})
    assert response.status_code == 200
    assert db["social_variants"].count == 4


def test_viewer_and_outsiders_cannot_write(as_user, kit, users) -> None:
    viewer = as_user("viewer")
    token = csrf_token(viewer, f"/campaigns/clinics/kits/{kit['id']}")
    response = viewer.post(f"/campaigns/clinics/kits/{kit['id']}/variants",
                           data={"csrf_token": token, "new_language": "en", "new_platform": "x",
                                 "new_text": "hi"})
    assert response.status_code == 403


def test_private_campaign_kits_are_404_for_non_partners(as_user, kit, db, clock) -> None:
    from juntos.accounts import store as accounts
    from juntos.organisations import store as orgs
    from juntos.organisations.models import OrganisationInput
    orgs.create(db, OrganisationInput.validated(name="Far Away", slug="org-c"), now=clock())
    accounts.create(db, email="c@example.org", password="correct horse battery",
                    org_slug="org-c", role="member", now=clock())
    from tests.support.web import login

    client = as_user("member")
    login(client, "c@example.org", "correct horse battery")
    for path in (f"/campaigns/clinics/kits/{kit['id']}", "/campaigns/clinics/posts",
                 "/campaigns/clinics/posts.json"):
        assert client.get(path).status_code == 404, path


def test_wave_preview_confirm_submit_approve(as_user, kit, social_accounts, db) -> None:
    partner = as_user("other_member")
    assert wave_form(partner, kit, preview="1").status_code == 403  # partners do not plan waves
    lead = as_user("member")
    preview = soup(wave_form(lead, kit, preview="1"))
    rows = preview.select("table.preview tbody tr")
    assert [r.select_one("td.utc").get_text() for r in rows] == ["2026-11-25 07:00"] * 2
    assert "09:00" in rows[0].select_one("td.local").get_text()
    assert "Account not connected" in rows[1].select_one("td.problems").get_text()
    confirmed = wave_form(lead, kit, confirm="1")
    assert "2 draft posts created; 0 left out" in confirmed.text
    assert db["social_posts"].count == 2
    # The partner submits its organisation's drafts; the lead's drafts are not its to submit.
    queue = soup(partner.get("/campaigns/clinics/posts"))
    ids = [i["value"] for i in queue.select("input[name=post]")]
    partner.post("/campaigns/clinics/posts", data={
        "csrf_token": csrf_token(partner, "/campaigns/clinics/posts"), "post": ids})
    statuses = sorted(r["status"] for r in db.query("select status from social_posts"))
    assert statuses == ["draft", "submitted"]
    # The submitted post is on org B's account: the lead sees it but may not approve it in
    # org B's name (no delegation); org B's own member does, from its inbox.
    # The inbox shows one campaign at a time, chosen; nothing is ticked beforehand.
    clinics = db.execute("select id from campaigns where slug = 'clinics'").fetchone()[0]
    choice = soup(lead.get("/messages/inbox"))
    assert not choice.select("input[name=post]")
    assert choice.select_one(f"a[href='/messages/inbox?campaign={clinics}']") is not None
    inbox = soup(lead.get(f"/messages/inbox?campaign={clinics}"))
    to_approve = [i["value"] for i in inbox.select("input[name=post]")]
    assert len(to_approve) == 1
    assert not inbox.select("input[name=post][checked]")
    form = {"csrf_token": csrf_token(lead, "/messages/inbox"), "post": to_approve,
            "approve": "1", "campaign": str(clinics)}
    answer = lead.post("/messages/inbox", data=form)
    assert "one of its members approves them" in answer.text
    assert sorted(r["status"] for r in db.query("select status from social_posts")) == [
        "draft", "submitted"]
    mine = soup(partner.get(f"/messages/inbox?campaign={clinics}"))
    assert [i["value"] for i in mine.select("input[name=post]")] == to_approve
    # Org B's account is not connected: a warning beside the post, and approving it does not
    # schedule it (it waits, approved, with its reason on the post's page).
    assert mine.select_one(".inbox-post.unconnected .account-warning") is not None
    answer = partner.post("/messages/inbox", data={
        **form, "csrf_token": csrf_token(partner, "/messages/inbox")})
    assert "approved but not scheduled" in answer.text
    data = lead.get("/campaigns/clinics/posts.json").json()
    assert data["total"] == 2
    assert {p["status"] for p in data["posts"]} == {"draft", "approved"}
    waiting = soup(partner.get(f"/messages/posts/{to_approve[0]}"))
    assert "account is not connected" in waiting.select_one("#waiting-reason").get_text()


def test_send_back_with_comment(as_user, kit, social_accounts, db, clock, users) -> None:
    wave_form(as_user("member"), kit, confirm="1")
    ids = [r["id"] for r in db.query("select id from social_posts")]
    posts.submit(db, ids, now=clock(), by=None)
    lead = as_user("member")
    campaign = str(db.execute("select campaign_id from social_posts").fetchone()[0])
    lead.post("/messages/inbox", data={"csrf_token": csrf_token(lead, "/messages/inbox"),
                                       "post": [str(i) for i in ids], "send_back": "1",
                                       "campaign": campaign,
                                       "comment": "Add the clinic's address"})
    assert {p["comment"] for p in db.query("select comment from social_posts")} == {
        "Add the clinic's address"}
    history = soup(lead.get(f"/messages/posts/{ids[0]}")).select("ol.history li")
    assert len(history) == 3 and "Add the clinic" in history[-1].get_text()


def test_x_duplicates_block_with_the_two_patterns_offered(as_user, kit, db, clock,
                                                          org_a, org_b) -> None:
    from juntos.social import accounts, kits
    from juntos.social.models import AccountInput

    for org in (org_a, org_b):
        db["organisations"].update(org["id"], {"languages": '["en"]'})
        accounts.create(db, org["id"], AccountInput.validated(platform="x", handle=org["slug"]),
                        now=clock())
    kits.save_variant(db, kit["id"], language="en", platform="x", text="Fund clinics #A",
                      now=clock())
    page = soup(wave_form(as_user("member"), kit, preview="1"))
    warning = page.select_one(".block-warning")
    assert warning is not None and "2 X accounts would post the same text" in warning.get_text()
    assert len(warning.select("li")) == 2
    assert "Confirm: create 0 draft posts" in page.get_text()


def test_export_csv_and_campaign_panel(as_user, kit, social_accounts, settings) -> None:
    wave_form(as_user("member"), kit, confirm="1")
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), "social", "export",
                                      "--campaign", "clinics", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("post_id,organisation,account,platform,language,local_time")
    assert "2026-11-25 09:00,Africa/Maputo,2026-11-25T07:00:00Z,draft" in lines[1]


def test_post_page_edit_returns_approved_to_draft_and_outsiders_get_404(
        as_user, kit, social_accounts, db, clock) -> None:
    wave_form(as_user("member"), kit, confirm="1")
    ids = [r["id"] for r in db.query("select id from social_posts order by id")]
    posts.submit(db, ids, now=clock(), by=None)
    approve_as_owners(db, ids, now=clock())
    lead = as_user("member")
    path = f"/messages/posts/{ids[0]}"
    response = lead.post(path, data={"csrf_token": csrf_token(lead, path), "save": "1",
                                     "text": "Clínicas para todos"})
    assert response.status_code == 200
    assert soup(response).select_one("h1 .status").get_text() == "draft"
    assert posts.get(db, ids[0])["text"] == "Clínicas para todos"
    # The partner (org B) may see the post but not edit org A's post; the viewer neither.
    partner = as_user("other_member")
    assert partner.get(path).status_code == 200
    assert soup(partner.get(path)).select_one("#f-text") is None
    assert partner.post(path, data={"csrf_token": csrf_token(partner, path), "save": "1",
                                    "text": "x"}).status_code == 404


def test_campaign_panel_lists_scheduled_posts(as_user, kit, social_accounts, db, clock,
                                              campaign, app) -> None:
    from types import SimpleNamespace

    from juntos.web.views.social import campaign_panel

    wave_form(as_user("member"), kit, confirm="1")
    ids = [r["id"] for r in db.query("select id from social_posts")]
    posts.submit(db, ids, now=clock(), by=None)
    db.execute("update social_accounts set state = 'connected'")  # as if connected
    approve_as_owners(db, ids, now=clock())
    request = SimpleNamespace(state=SimpleNamespace(db=db))
    template, ctx = campaign_panel(request, campaign)  # type: ignore[arg-type]
    assert template == "social/_campaign_panel.html"
    assert ctx["result"].total == 2 and ctx["kits"] == 1
    html = app.state.templates.get_template(template).render(ctx=ctx)
    assert "2 scheduled posts" in html
