"""The duplicates review: coordinators only, merge with choices, refusal, not a duplicate."""

from __future__ import annotations

from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.db import Database
from juntos.organisations import names, store
from juntos.organisations.models import OrganisationInput
from tests.support.web import csrf_token, soup


def _dupes(db: Database, clock) -> tuple[dict, dict]:
    a = store.create(db, OrganisationInput.validated(
        name="Rede Norte", slug="rede-norte", country="MZ", city="Nampula"), now=clock())
    b = store.create(db, OrganisationInput.validated(
        name="REDE NORTE", slug="rede-norte-2", country="MZ", city="Pemba", acronym="RN",
        website="https://rede-norte.example.org"), now=clock())
    return a, b


def test_only_coordinators_see_and_use_the_review(as_user, db: Database, users, clock) -> None:
    a, b = _dupes(db, clock)
    member = as_user("member")
    assert member.get("/organisations/duplicates").status_code == 403
    token = csrf_token(member, "/organisations/new")
    r = member.post("/organisations/merge", data={"a": a["id"], "b": b["id"], "keep": a["id"],
                                                  "csrf_token": token})
    assert r.status_code == 403 and store.get(db, "rede-norte-2")
    assert "/organisations/duplicates" not in member.get("/organisations").text


def test_review_lists_pairs_and_merges_with_a_chosen_value(as_user, db: Database, users,
                                                           clock) -> None:
    a, b = _dupes(db, clock)
    c = as_user("coordinator")
    listing = soup(c.get("/organisations/duplicates"))
    [item] = listing.select("li.dupe")
    assert "same country (MZ)" in item.text and "Rede Norte" in item.text
    review_link = item.select_one("a.button")["href"]
    review = soup(c.get(review_link))
    assert review.select_one("tr.conflict input[name=take_city][value=b]") is not None
    token = review.select_one("input[name=csrf_token]")["value"]
    r = c.post("/organisations/merge", data={"a": a["id"], "b": b["id"], "keep": a["id"],
                                             "take_city": "b", "csrf_token": token},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/organisations/rede-norte"
    kept = store.get(db, "rede-norte")
    assert kept["city"] == "Pemba" and kept["website"] == "https://rede-norte.example.org"
    page = soup(c.get("/organisations/rede-norte"))
    history = page.select_one("ul.merges").text
    assert "REDE NORTE, on" in history and "Rows moved or removed" not in history
    assert '"slug": "rede-norte-2"' in page.select_one("ul.merges details pre").text
    member_view = soup(as_user("member").get("/organisations/rede-norte"))
    assert member_view.select_one("ul.merges") and not member_view.select("ul.merges details")
    moved = c.get("/organisations/rede-norte-2", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/organisations/rede-norte"
    assert kept["acronym"] == "RN" and names.aliases_of(db, kept["id"]) == []
    assert soup(c.get("/organisations/duplicates")).select("li.dupe") == []


def test_a_refused_merge_names_the_rows_and_keeps_both(as_user, db: Database, users,
                                                       clock) -> None:
    a, b = _dupes(db, clock)
    camp = campaigns.create(db, CampaignInput.validated(title="Both"), lead=a["id"], now=clock())
    campaigns.add_partner(db, camp["id"], b["id"], "partner", accepted=True, now=clock())
    c = as_user("coordinator")
    token = csrf_token(c, f"/organisations/merge?a={a['id']}&b={b['id']}")
    r = c.post("/organisations/merge", data={"a": a["id"], "b": b["id"], "keep": b["id"],
                                             "csrf_token": token})
    assert r.status_code == 409
    refused = soup(r)
    assert "participations" in refused.select_one("[role=alert]").text
    assert store.get(db, "rede-norte") and store.get(db, "rede-norte-2")
    # the refusal offers to let the kept organisation's rows win, and that merges
    assert refused.select_one("input[name=survivor_wins]") is not None
    r = c.post("/organisations/merge", data={"a": a["id"], "b": b["id"], "keep": a["id"],
                                             "survivor_wins": "1", "csrf_token": token})
    assert r.status_code == 200 and str(r.url).endswith("/organisations/rede-norte")
    assert [(p["slug"], p["role"]) for p in campaigns.partners(db, camp["id"])] == [
        ("rede-norte", "lead")]


def test_not_a_duplicate_is_remembered(as_user, db: Database, users, clock) -> None:
    a, b = _dupes(db, clock)
    c = as_user("coordinator")
    token = csrf_token(c, "/organisations/duplicates")
    r = c.post("/organisations/distinct", data={"a": a["id"], "b": b["id"],
                                                "csrf_token": token})
    assert r.status_code == 200 and "will not be proposed" in r.text
    assert soup(r).select("li.dupe") == []
    assert store.get(db, "rede-norte-2")


def test_merge_with_any_organisation_from_its_page(as_user, db: Database, users, clock) -> None:
    a, b = _dupes(db, clock)
    c = as_user("coordinator")
    form = soup(c.get("/organisations/rede-norte")).select_one("form.merge-with")
    assert form["action"] == "/organisations/merge"
    review = soup(c.get(f"/organisations/merge?a={a['id']}&other=rn"))
    assert review.select_one(f"button[name=keep][value='{b['id']}']") is not None
    nobody = c.get(f"/organisations/merge?a={a['id']}&other=nobody")  # not a dead end
    assert nobody.status_code == 200 and "No organisation matches" in nobody.text
    assert soup(as_user("member").get("/organisations/rede-norte")).select("form.merge-with") == []
