"""The organisation picker's endpoint and its uses in forms, for every role."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput

ROLES = ("viewer", "member", "other_member", "coordinator")


def _token(c: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', c.get("/account").text).group(1)


def test_anonymous_visitors_get_no_suggestions(client, org_a) -> None:
    r = client.get("/organisations/pick.json?q=acc", follow_redirects=False)
    assert r.status_code == 401
    assert "Acção" not in r.text


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_gets_suggestions_as_on_the_organisations_page(
        as_user, org_a, org_b, role: str) -> None:
    c: TestClient = as_user(role)
    r = c.get("/organisations/pick.json?q=accao")
    assert r.status_code == 200
    assert r.json()["choices"] == [{"slug": "org-a", "label": "Acção Cidadã",
                                    "name": "Acção Cidadã", "short": "Acção Cidadã",
                                    "country": "MZ"}]
    assert c.get("/organisations/pick.json?q=").json()["choices"] == []
    assert c.get("/organisations/pick.json?q=" + "%" * 5000).status_code == 200


@pytest.fixture
def campaign(db, org_a, clock):  # type: ignore[no-untyped-def]
    data = CampaignInput.validated(title="Clean water", slug="water")
    return campaigns.create(db, data, lead=org_a["id"], now=clock())


def test_a_partner_typed_in_part_is_offered_then_chosen(as_user, db, clock, campaign,
                                                        org_b) -> None:
    orgs.create(db, OrganisationInput.validated(name="UBUNTU LABOUR", slug="ubuntu-dup"),
                now=clock())
    c: TestClient = as_user("member")
    r = c.post("/campaigns/water/partners", data={"organisation": "ubuntu labour",
                                                  "role": "partner", "csrf_token": _token(c)})
    assert r.status_code == 400
    assert "Several organisations match" in r.text
    assert 'type="radio" name="organisation" value="org-b"' in r.text
    assert 'type="radio" name="organisation" value="ubuntu-dup"' in r.text
    assert not campaigns.participation_status(db, campaign["id"], org_b["id"])
    r = c.post("/campaigns/water/partners", data={"organisation": "org-b", "role": "partner",
                                                  "csrf_token": _token(c)})
    assert r.status_code == 200
    assert campaigns.participation_status(db, campaign["id"], org_b["id"]) == "invited"


def test_an_unknown_partner_is_a_message_not_a_dead_end(as_user, campaign) -> None:
    c: TestClient = as_user("member")
    r = c.post("/campaigns/water/partners", data={"organisation": "Nobody here",
                                                  "role": "partner", "csrf_token": _token(c)})
    assert r.status_code == 400
    assert "No organisation matches" in r.text
    assert 'data-picker="/organisations/pick.json"' in r.text


def test_the_lead_is_chosen_by_name(as_user, db, org_b) -> None:
    c: TestClient = as_user("coordinator")
    form = c.get("/campaigns/new").text
    assert 'value="Acção Cidadã"' in form  # the own organisation, by name
    r = c.post("/campaigns/new", data={"title": "Fair wages", "lead": "Ubuntu",
                                       "status": "planning", "visibility": "network",
                                       "csrf_token": _token(c)})
    assert r.status_code == 400 and 'value="org-b"' in r.text
    r = c.post("/campaigns/new", data={"title": "Fair wages", "lead": "Ubuntu Labour",
                                       "status": "planning", "visibility": "network",
                                       "csrf_token": _token(c)})
    assert r.status_code == 200
    created = campaigns.get(db, "fair-wages")
    assert created["id"]


def test_merge_with_a_name_that_matches_several_offers_them(as_user, db, clock, org_a) -> None:
    orgs.create(db, OrganisationInput.validated(name="ACCAO CIDADA", slug="acc-dup"),
                now=clock())
    orgs.create(db, OrganisationInput.validated(name="Accao Cidada Norte", slug="acc-n"),
                now=clock())
    c: TestClient = as_user("coordinator")
    r = c.get(f"/organisations/merge?a={org_a['id']}&other=cidada")
    assert r.status_code == 200
    assert "Which organisation do you mean?" in r.text
    dup = orgs.get(db, "acc-dup")["id"]
    assert f"/organisations/merge?a={org_a['id']}&amp;b={dup}" in r.text
    r = c.get(f"/organisations/merge?a={org_a['id']}&other=Accao Cidada Norte")
    assert r.status_code == 200 and "Accao Cidada Norte" in r.text


def test_the_matrix_heads_columns_with_short_names(as_user, db, clock, campaign, org_b) -> None:
    orgs.update(db, org_b["id"], OrganisationInput.validated(
        name="Ubuntu Labour", slug="org-b", short_name="Ubuntu", country="ZA"), now=clock())
    campaigns.add_partner(db, campaign["id"], org_b["id"], "partner", now=clock(),
                          accepted=True)
    page = as_user("member").get("/campaigns/water").text
    heads = re.findall(r'<abbr title="([^"]+)" aria-hidden="true">([^<]+)</abbr>', page)
    assert ("Ubuntu Labour", "Ubuntu") in heads
    assert ("Acção Cidadã", "Acção Cidadã") in heads  # no acronym: its name, never its slug
