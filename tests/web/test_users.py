"""Coordinators manage users; access can be revoked at once; sessions can be ended."""

from __future__ import annotations

from juntos.db import Database
from tests.conftest import PASSWORD
from tests.support.web import csrf_token, login, soup


def test_coordinator_adds_a_user_who_can_then_log_in(as_user, app, org_b) -> None:
    from starlette.testclient import TestClient

    c = as_user("coordinator")
    token = csrf_token(c, "/users")
    r = c.post("/users", data={"email": "New@Example.org", "name": "Nova", "organisation":
                               "org-b", "role": "viewer", "password": "long enough pass",
                               "csrf_token": token})
    assert r.status_code == 200 and "User New@Example.org added." in r.text
    with TestClient(app) as fresh:
        login(fresh, "new@example.org", "long enough pass")
        assert "Ubuntu Labour" in fresh.get("/").text


def test_add_user_errors_are_shown_by_field(as_user) -> None:
    c = as_user("coordinator")
    token = csrf_token(c, "/users")
    r = c.post("/users", data={"email": "member@example.org", "organisation": "org-a",
                               "role": "member", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 400
    assert "already exists" in r.text


def test_revoking_access_logs_the_user_out_at_once(as_user, users, db: Database) -> None:
    member = as_user("member")
    assert member.get("/", follow_redirects=False).status_code == 200
    coordinator = as_user("coordinator")
    token = csrf_token(coordinator, "/users")
    r = coordinator.post(f"/users/{users['member'].id}",
                         data={"action": "deactivate", "csrf_token": token})
    assert "Access revoked" in r.text
    assert member.get("/", follow_redirects=False).status_code == 303
    row = next(db.query("select active from users where id = ?", [users["member"].id]))
    assert row["active"] == 0


def test_role_change_takes_effect(as_user, users) -> None:
    coordinator = as_user("coordinator")
    token = csrf_token(coordinator, "/users")
    coordinator.post(f"/users/{users['viewer'].id}", data={"role": "member",
                                                           "csrf_token": token})
    row = next(tr for tr in soup(coordinator.get("/users")).select("tbody tr")
           if "viewer@example.org" in tr.text)
    assert row.select_one("option[selected]")["value"] == "member"


def test_a_coordinator_cannot_lock_themself_out(as_user, users) -> None:
    c = as_user("coordinator")
    token = csrf_token(c, "/users")
    r = c.post(f"/users/{users['coordinator'].id}", data={"action": "deactivate",
                                                          "csrf_token": token})
    assert "cannot change your own" in r.text
    assert c.get("/", follow_redirects=False).status_code == 200


def test_password_change_ends_other_sessions_but_not_this_one(as_user) -> None:
    laptop = as_user("member")
    phone = as_user("member")
    token = csrf_token(laptop, "/account")
    r = laptop.post("/account/password", data={"current": PASSWORD, "new": "another long one",
                                               "confirm": "another long one",
                                               "csrf_token": token})
    assert "logged out on every other device" in r.text
    assert laptop.get("/", follow_redirects=False).status_code == 200
    assert phone.get("/", follow_redirects=False).status_code == 303


def test_log_out_everywhere(as_user) -> None:
    laptop = as_user("viewer")
    phone = as_user("viewer")
    token = csrf_token(phone, "/account")
    phone.post("/account/logout-everywhere", data={"csrf_token": token})
    assert laptop.get("/", follow_redirects=False).status_code == 303
    assert phone.get("/", follow_redirects=False).status_code == 303


def test_account_page_offers_each_section_once(as_user) -> None:
    page = soup(as_user("viewer").get("/account"))
    assert page.title.text == "Your account · Juntos"
    assert len(page.select('form[action="/account/logout-everywhere"]')) == 1
    assert [h.text for h in page.select("section h2")] == [
        "Your private calendar feed", "Language", "Password", "Sessions", "E-mail"]
