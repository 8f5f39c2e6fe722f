"""X's app keys set on the web by a coordinator: who may, sealed storage, the connect page's
explanation for partners, and sign-in offered once the keys are there (faked at the requests
edge with ``responses``)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlparse

import pytest
import responses

from juntos.social import accounts, appkeys, credentials
from juntos.social.models import AccountInput
from tests.support.web import csrf_token, soup

PATH = "/messages/settings"
KEYS = {"x_consumer_key": "ck-from-the-web", "x_consumer_secret": "cs-from-the-web-SECRET"}


def _x_account(db, org, clock):  # type: ignore[no-untyped-def]
    return accounts.create(db, org["id"], AccountInput.validated(platform="x", handle="accao"),
                           now=clock())


@pytest.mark.parametrize("role", ["anonymous", "viewer", "member", "other_member",
                                  "coordinator"])
def test_only_coordinators_see_and_set_the_app_keys(role, as_user, client, db) -> None:
    web = client if role == "anonymous" else as_user(role)
    page = web.get(PATH)
    if role == "coordinator":
        assert page.status_code == 200
        assert soup(page).select_one("#f-x_consumer_secret")["type"] == "password"
        token = csrf_token(web, PATH)
    else:
        assert page.status_code in (403, 404) or page.url.path == "/login"
        token = csrf_token(web, "/login" if role == "anonymous" else "/messages")
    answer = web.post(PATH, data={"csrf_token": token, **KEYS})
    saved = db["social_app_keys"].count
    if role == "coordinator":
        assert answer.status_code == 200 and "stored encrypted" in answer.text
        assert saved == 2
    else:
        assert saved == 0, role


def test_keys_are_sealed_never_shown_and_fill_the_settings(as_user, db, settings,
                                                           org_a, clock) -> None:
    coordinator = as_user("coordinator")
    coordinator.post(PATH, data={"csrf_token": csrf_token(coordinator, PATH), **KEYS})
    raw = " ".join(r["sealed"] for r in db.query("select sealed from social_app_keys"))
    assert "SECRET" not in raw and "ck-from-the-web" not in raw
    page = coordinator.get(PATH)
    assert "SECRET" not in page.text and "ck-from-the-web" not in page.text
    assert "Sign in with X is set up" in soup(page).select_one("#x-state").get_text()
    vault = credentials.Vault.from_settings(settings)
    made = appkeys.effective(db, vault, settings)
    assert (made.x_consumer_key, made.x_consumer_secret) == tuple(KEYS.values())
    # The server's configuration wins over the web's keys, and the page says so.
    assert appkeys.effective(db, vault, replace(settings, x_consumer_key="env",
                                                x_consumer_secret="env2")).x_consumer_key == "env"
    # A bad key is refused by name; an empty one keeps the stored key.
    bad = coordinator.post(PATH, data={"csrf_token": csrf_token(coordinator, PATH),
                                       "x_consumer_key": "two words", "x_consumer_secret": ""})
    assert bad.status_code == 400 and soup(bad).select_one("#e-x_consumer_key") is not None
    assert appkeys.effective(db, vault, settings).x_consumer_key == "ck-from-the-web"
    coordinator.post(PATH, data={"csrf_token": csrf_token(coordinator, PATH), "remove": "1"})
    assert appkeys.effective(db, vault, settings).x_consumer_key == ""


def test_connect_page_tells_a_partner_what_to_do_and_a_coordinator_where(
        as_user, db, org_a, clock) -> None:
    account = _x_account(db, org_a, clock)
    path = f"/messages/accounts/org-a/{account.id}/connect"
    member = soup(as_user("member").get(path)).select_one("#sign-in-missing")
    assert "ask a coordinator" in member.get_text()
    assert member.select_one("a[href='/messages/settings']") is None
    coordinator = soup(as_user("coordinator").get(path)).select_one("#sign-in-missing")
    assert coordinator.select_one("a[href='/messages/settings']") is not None


@responses.activate
def test_keys_set_on_the_web_offer_sign_in_with_x(as_user, db, org_a, clock) -> None:
    account = _x_account(db, org_a, clock)
    coordinator = as_user("coordinator")
    coordinator.post(PATH, data={"csrf_token": csrf_token(coordinator, PATH), **KEYS})
    path = f"/messages/accounts/org-a/{account.id}/connect"
    member = as_user("member")
    page = soup(member.get(path))
    assert page.select_one("#sign-in-missing") is None
    assert page.select_one(f"a[href='{path}/x']") is not None
    responses.post("https://api.twitter.com/oauth/request_token",
                   body="oauth_token=req-tok&oauth_token_secret=req-sec"
                        "&oauth_callback_confirmed=true")
    start = member.get(f"{path}/x", follow_redirects=False)
    assert start.status_code == 303
    assert parse_qs(urlparse(start.headers["location"]).query)["oauth_token"] == ["req-tok"]
    signed = responses.calls[0].request.headers["Authorization"]
    assert "ck-from-the-web" in (signed.decode() if isinstance(signed, bytes) else signed)


def test_the_dispatcher_posts_with_the_keys_set_on_the_web(db, settings, clock) -> None:
    from juntos.social.dispatch.worker import Dispatcher

    dispatcher = Dispatcher(settings, clock=clock)
    assert dispatcher._settings(db).x_consumer_key == ""
    appkeys.save(db, dispatcher.vault, KEYS, now=clock(), by=None)
    made = dispatcher._settings(db)
    assert (made.x_consumer_key, made.x_consumer_secret) == tuple(KEYS.values())
