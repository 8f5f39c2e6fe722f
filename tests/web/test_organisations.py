from __future__ import annotations

from juntos.db import Database
from juntos.organisations import store
from tests.support.web import csrf_token, soup


def test_list_filters_and_paginates(as_user, db: Database, settings, clock) -> None:
    from juntos.organisations.models import OrganisationInput

    for i in range(60):
        store.create(db, OrganisationInput.validated(name=f"Zed {i:02d}", country="UG"),
                     now=clock())
    c = as_user("member")
    page = soup(c.get("/organisations?country=UG"))
    rows = page.select("table.orgs tbody tr")
    assert len(rows) == settings.page_size
    assert "60 organisations" in page.select_one(".count").text
    next_link = page.select_one("a[rel=next]")["href"]
    assert "country=UG" in next_link and "page=2" in next_link
    second = soup(c.get(next_link)).select("table.orgs tbody tr")
    assert len(second) == 10


def test_create_shows_html_as_text_and_records_networks(as_user, db: Database, clock) -> None:
    from juntos.organisations.models import OrganisationInput

    net = store.create(db, OrganisationInput.validated(name="Net", kind="network"), now=clock())
    c = as_user("member")
    token = csrf_token(c, "/organisations/new")
    r = c.post("/organisations/new", data={
        "name": "<script>alert(1)</script> Org", "kind": "cso", "country": "mz",
        "themes": "Health, climate", "networks": [str(net["id"])], "csrf_token": token})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Org" in r.text
    org = store.get(db, "script-alert-1-script-org")
    assert org["country"] == "MZ" and org["themes"] == ["health", "climate"]
    assert [n["slug"] for n in store.networks_of(db, org["id"])] == ["net"]


def test_invalid_form_keeps_values_names_fields_and_saves_nothing(as_user, db: Database) -> None:
    c = as_user("member")
    token = csrf_token(c, "/organisations/new")
    before = db["organisations"].count
    r = c.post("/organisations/new", data={"name": "Kept Name", "kind": "cso", "country": "QQ",
                                            "timezone": "Mars/Base", "csrf_token": token})
    assert r.status_code == 400
    page = soup(r)
    assert "not an ISO 3166" in page.select_one("#e-country").text
    assert "IANA" in page.select_one("#e-timezone").text
    assert page.find("input", {"name": "name"})["value"] == "Kept Name"
    assert db["organisations"].count == before


def test_member_edits_own_organisation(as_user, db: Database, org_a) -> None:
    c = as_user("member")
    token = csrf_token(c, "/organisations/org-a/edit")
    r = c.post("/organisations/org-a/edit", data={
        "name": "Acção Cidadã Renovada", "slug": "org-a", "kind": "cso", "country": "MZ",
        "csrf_token": token})
    assert r.status_code == 200
    assert store.get(db, "org-a")["name"] == "Acção Cidadã Renovada"


def test_taken_slug_is_reported_next_to_the_field(as_user, org_a, org_b) -> None:
    c = as_user("coordinator")
    token = csrf_token(c, "/organisations/org-a/edit")
    r = c.post("/organisations/org-a/edit", data={"name": "A", "slug": "org-b", "kind": "cso",
                                                  "csrf_token": token})
    assert r.status_code == 400
    assert "already taken" in soup(r).select_one("#e-slug").text


def test_filter_choices_and_dashboard_counts_follow_every_change(as_user, db: Database,
                                                                 clock) -> None:
    """The list's choices and the dashboard's counts are cached per change of organisations
    (and the choices drawn once per language): a change by anyone shows at once."""
    from juntos.organisations.models import OrganisationInput

    c = as_user("member")
    choices = soup(c.get("/organisations?theme=health"))
    assert [o["value"] for o in choices.select("#network option")] == [""]
    assert choices.select_one("#theme option[selected]")["value"] == "health"
    cards = [int(s.text) for s in soup(c.get("/")).select(".card strong")[:3]]
    # written straight into the database, as the CLI or another process would
    store.create(db, OrganisationInput.validated(name="Rede Nova", kind="network",
                                                 country="KE", themes=["fisheries"]),
                 now=clock())
    after = soup(c.get("/organisations?theme=health"))
    assert [o["value"] for o in after.select("#network option")] == ["", "rede-nova"]
    assert "fisheries" in [o["value"] for o in after.select("#theme option")]
    assert "Kenya" in after.select_one("#country").text
    assert after.select_one("#theme option[selected]")["value"] == "health"
    assert [int(s.text) for s in soup(c.get("/")).select(".card strong")[:3]] == [
        cards[0] + 1, cards[1] + 1, cards[2] + 1]  # organisations, networks, countries


def test_kept_list_pages_follow_renames_and_memberships(as_user, db: Database, clock) -> None:
    """The list's pages are kept between views: a rename or a new member of a network,
    written straight to the database (as the CLI would), shows on the next view."""
    from juntos.organisations.models import OrganisationInput

    net = store.create(db, OrganisationInput.validated(name="Rede Sul", kind="network"),
                       now=clock())
    org = store.create(db, OrganisationInput.validated(name="Kanimambo Trust", country="MZ"),
                       now=clock())
    c = as_user("member")
    names = lambda path: [a.get_text() for a in soup(c.get(path)).select("table.orgs td a")]  # noqa: E731
    assert "Kanimambo Trust" in names("/organisations")
    assert "Kanimambo Trust" not in names("/organisations?network=rede-sul")
    db["organisations"].update(org["id"], {"name": "Kanimambo Foundation"})
    store.add_membership(db, org["id"], net["id"])
    assert "Kanimambo Foundation" in names("/organisations")
    assert "Kanimambo Foundation" in names("/organisations?network=rede-sul")
