"""The language chosen before login stays after it; the header's switch on every page."""

from __future__ import annotations

from juntos.accounts import store as accounts
from tests.conftest import PASSWORD
from tests.support.web import csrf_token, soup


def _log_in(client, email: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": PASSWORD,
                                       "csrf_token": token, "next": "/"})


def test_language_chosen_on_the_login_page_is_kept_and_stored(client, db, users) -> None:
    token = csrf_token(client, "/login")
    client.post("/language", data={"language": "pt", "csrf_token": token})
    assert soup(client.get("/login")).h1.text == "Entrar no Juntos"
    _log_in(client, "member@example.org")
    assert soup(client.get("/")).h1.text.startswith("Bem-vindo")
    assert accounts.get_by_email(db, "member@example.org").language == "pt"


def test_a_saved_preference_is_not_overwritten_but_the_session_keeps_the_choice(
        client, db, users) -> None:
    accounts.set_language(db, users["viewer"].id, "en")
    token = csrf_token(client, "/login")
    client.post("/language", data={"language": "pt", "csrf_token": token})
    _log_in(client, "viewer@example.org")
    assert soup(client.get("/")).h1.text.startswith("Bem-vindo")
    assert accounts.get_by_email(db, "viewer@example.org").language == "en"


def test_header_switch_returns_to_the_same_page_and_saves_the_preference(as_user, db,
                                                                         users) -> None:
    c = as_user("member")
    page = soup(c.get("/ideas?q=x"))
    form = page.select_one("header form.lang-switch")
    assert form is not None and form["action"] == "/language"
    assert form.select_one("input[name=next]")["value"] == "/ideas?q=x"
    assert [b["value"] for b in form.select("button")] == ["en", "pt"]
    r = c.post("/language", data={"language": "pt", "next": "/ideas?q=x",
                                  "csrf_token": form.select_one("input[name=csrf_token]")["value"]},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/ideas?q=x"
    assert accounts.get_by_email(db, "member@example.org").language == "pt"
    assert soup(c.get("/ideas")).html["lang"] == "pt"


def test_the_switch_never_redirects_off_site(as_user) -> None:
    c = as_user("member")
    token = csrf_token(c, "/account")
    r = c.post("/language", data={"language": "en", "next": "//evil.example/",
                                  "csrf_token": token}, follow_redirects=False)
    assert r.headers["location"] == "/"
