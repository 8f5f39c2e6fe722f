"""Logging in and out, session cookies, CSRF, throttling."""

from __future__ import annotations

from starlette.testclient import TestClient

from juntos.house import create_app
from juntos.settings import Settings
from tests.conftest import PASSWORD
from tests.support.web import csrf_token, login, soup


def test_anonymous_pages_redirect_to_login_with_next(client: TestClient) -> None:
    r = client.get("/organisations?country=MZ", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/organisations%3Fcountry%3DMZ"


def test_login_sets_a_hardened_session_cookie_and_returns_to_next(client, users) -> None:
    token = csrf_token(client)
    r = client.post("/login", data={"email": "member@example.org", "password": PASSWORD,
                                    "csrf_token": token, "next": "/organisations"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/organisations"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_cookie_is_secure_when_served_over_https(settings: Settings, users, clock) -> None:
    from dataclasses import replace

    app = create_app(replace(settings, base_url="https://juntos.example.org"), clock=clock)
    with TestClient(app, base_url="https://testserver") as c:
        r = c.get("/login")
        assert "secure" in r.headers["set-cookie"].lower()


def test_login_never_redirects_off_site(client, users) -> None:
    token = csrf_token(client)
    r = client.post("/login", data={"email": "member@example.org", "password": PASSWORD,
                                    "csrf_token": token, "next": "//evil.example/phish"},
                    follow_redirects=False)
    assert r.headers["location"] == "/"


def test_wrong_password_shows_one_message_for_both_fields(client, users) -> None:
    token = csrf_token(client)
    r = client.post("/login", data={"email": "member@example.org", "password": "wrong!",
                                    "csrf_token": token})
    assert r.status_code == 400
    assert "E-mail or password is not right." in r.text
    assert soup(r).find("input", {"name": "email"})["value"] == "member@example.org"


def test_too_many_failures_answer_429(client, users) -> None:
    token = csrf_token(client)
    for _ in range(5):
        client.post("/login", data={"email": "member@example.org", "password": "wrong!",
                                    "csrf_token": token})
    r = client.post("/login", data={"email": "member@example.org", "password": PASSWORD,
                                    "csrf_token": token})
    assert r.status_code == 429
    assert "Too many failed logins" in r.text


def test_post_without_csrf_token_is_refused_with_403(as_user) -> None:
    c = as_user("coordinator")
    r = c.post("/organisations/new", data={"name": "Sneaky", "kind": "cso"})
    assert r.status_code == 403
    assert "did not come from this site" in r.text
    r = c.post("/organisations/new", data={"name": "Sneaky", "kind": "cso",
                                            "csrf_token": "forged"})
    assert r.status_code == 403


def test_login_form_itself_needs_the_token(client, users) -> None:
    r = client.post("/login", data={"email": "member@example.org", "password": PASSWORD})
    assert r.status_code == 403


def test_logout_ends_the_session(client, users) -> None:
    login(client, "member@example.org", PASSWORD)
    assert client.get("/", follow_redirects=False).status_code == 200
    token = csrf_token(client, "/account")
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/", follow_redirects=False).status_code == 303


def test_password_change_requires_the_current_one(as_user) -> None:
    c = as_user("member")
    token = csrf_token(c, "/account")
    r = c.post("/account/password", data={"current": "wrong", "new": "a new long password",
                                          "confirm": "a new long password",
                                          "csrf_token": token})
    assert r.status_code == 400 and "current password is not right" in r.text
    r = c.post("/account/password", data={"current": PASSWORD, "new": "a new long password",
                                          "confirm": "a new long password",
                                          "csrf_token": token})
    assert r.status_code == 200 and "Password changed." in r.text
