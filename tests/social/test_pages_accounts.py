"""Account pages: an organisation's members manage its accounts; others get 404."""

from __future__ import annotations

from tests.support.web import csrf_token, soup


def test_member_adds_an_account_and_sees_it_not_connected(as_user, db) -> None:
    client = as_user("member")
    token = csrf_token(client, "/messages/accounts/org-a")
    response = client.post("/messages/accounts/org-a", data={
        "csrf_token": token, "platform": "mastodon", "handle": "accao",
        "instance_url": "https://masto.example.org", "languages": "pt en"})
    assert response.status_code == 200
    rows = soup(response).select("table.accounts tbody tr")
    assert [r.select("td")[1].get_text() for r in rows] == ["@accao@masto.example.org"]
    assert "not connected" in rows[0].get_text()
    assert db["social_accounts"].count == 1


def test_bad_account_names_the_field_and_saves_nothing(as_user, db) -> None:
    client = as_user("member")
    token = csrf_token(client, "/messages/accounts/org-a")
    response = client.post("/messages/accounts/org-a", data={
        "csrf_token": token, "platform": "mastodon", "handle": "accao", "instance_url": "nope"})
    assert response.status_code == 400
    assert soup(response).select_one("#e-instance_url") is not None
    assert db["social_accounts"].count == 0


def test_other_organisations_accounts_are_404(as_user) -> None:
    client = as_user("other_member")
    assert client.get("/messages/accounts/org-a").status_code == 404
    assert as_user("viewer").get("/messages/accounts/org-a").status_code == 404
    assert as_user("coordinator").get("/messages/accounts/org-a").status_code == 200
