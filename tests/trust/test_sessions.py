"""Sessions that end: logout, password change, "log out everywhere" and deactivation end the
sessions they should; the current-password check is throttled; weak passwords are refused."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from juntos.accounts import passwords
from juntos.calendar import tokens
from juntos.db import Database
from juntos.organisations.demo import DEMO_PASSWORD
from tests.conftest import PASSWORD
from tests.support.web import login, post_form, soup

NEW = "a brand new passphrase"


def _copy(app, client: TestClient) -> TestClient:  # type: ignore[no-untyped-def]
    """Another client carrying a copy of ``client``'s cookie: a stolen or kept session."""
    copy = TestClient(app, follow_redirects=False)
    copy.cookies.update(client.cookies)
    return copy


def _signed_in(client: TestClient) -> bool:
    return client.get("/account", follow_redirects=False).status_code == 200


def test_logout_ends_the_session_even_for_a_copy_of_the_cookie(app, as_user) -> None:  # type: ignore[no-untyped-def]
    member = as_user("member")
    kept = _copy(app, member)
    assert _signed_in(kept)
    post_form(member, "/logout", {})
    assert not _signed_in(member)
    assert not _signed_in(kept)  # replaying the old cookie no longer works


def test_logout_on_one_device_leaves_the_others(app, users, as_user) -> None:  # type: ignore[no-untyped-def]
    phone, laptop = as_user("member"), as_user("member")
    post_form(phone, "/logout", {})
    assert _signed_in(laptop) and not _signed_in(phone)


def test_password_change_keeps_this_session_ends_the_others_and_offers_a_new_feed(
        app, db: Database, users, as_user, clock) -> None:  # type: ignore[no-untyped-def]
    phone, laptop = as_user("member"), as_user("member")
    token = tokens.regenerate(db, users["member"].id, now=clock())
    r = post_form(phone, "/account/password",
                  {"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert r.status_code == 200 and r.url.path == "/account"
    assert "replace it below" in " ".join(f.get_text() for f in soup(r).select(".flash"))
    assert tokens.current(db, users["member"].id) == token  # offered, not forced
    assert _signed_in(phone) and not _signed_in(laptop)


def test_log_out_everywhere_from_the_account_page(app, as_user) -> None:  # type: ignore[no-untyped-def]
    phone, laptop = as_user("member"), as_user("member")
    kept = _copy(app, phone)
    page = soup(phone.get("/account"))
    assert page.select_one('form[action="/account/logout-everywhere"] button')
    post_form(phone, "/account/logout-everywhere", {})
    assert not any(_signed_in(c) for c in (phone, laptop, kept))


def test_deactivation_ends_sessions_and_revokes_the_feed_token(app, db: Database, users,
                                                               as_user, clock) -> None:  # type: ignore[no-untyped-def]
    member = as_user("member")
    token = tokens.regenerate(db, users["member"].id, now=clock())
    coordinator = as_user("coordinator")
    post_form(coordinator, f"/users/{users['member'].id}", {"action": "deactivate"},
              form_page="/users")
    assert not _signed_in(member)
    assert tokens.current(db, users["member"].id) is None
    assert member.get(f"/calendar/feeds/{token}.ics").status_code == 404


def test_the_current_password_check_is_throttled(as_user, settings) -> None:  # type: ignore[no-untyped-def]
    member = as_user("member")
    for _ in range(settings.login_attempts_per_account):
        r = post_form(member, "/account/password",
                      {"current": "not my password", "new": NEW, "confirm": NEW})
        assert r.status_code == 400
    r = post_form(member, "/account/password", {"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert r.status_code == 429 and "Too many" in soup(r).select_one("#e-current").get_text()


@pytest.mark.parametrize("password, problem", [
    ("eleven char", "at least 12"),
    (" " * 14, "only spaces"),
    ("password1234", "most common"),
    ("Qwertyuiop123", "most common"),
    ("iloveyou2026", "most common"),
])
def test_weak_passwords_are_refused(as_user, password: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    member = as_user("member")
    r = post_form(member, "/account/password",
                  {"current": PASSWORD, "new": password, "confirm": password})
    assert r.status_code == 400
    assert problem in soup(r).select_one("#e-new").get_text()


def test_the_demo_password_and_the_common_list_ship_with_the_package() -> None:
    assert len(passwords.common_passwords()) > 1000
    assert passwords.weakness(DEMO_PASSWORD) is None
    assert passwords.weakness(PASSWORD) is None


def test_a_fresh_login_signs_in(app, client, users) -> None:  # type: ignore[no-untyped-def]
    login(client, users["member"].email, PASSWORD)
    assert _signed_in(client)
