"""Connecting accounts through the pages: credentials checked with the platform first (a fake
Mastodon and Bluesky on 127.0.0.1), stored sealed, never shown back, deleted on disconnect;
X's OAuth 1.0a sign-in and its ``get_me`` check faked at the requests edge with ``responses``."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlparse

import pytest
import responses
from starlette.testclient import TestClient

from juntos.house import create_app
from juntos.social import accounts, credentials
from juntos.social.models import AccountInput
from tests.conftest import PASSWORD
from tests.support.fake_platform import running
from tests.support.web import csrf_token, login, soup


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    with running() as fake:
        yield fake


@pytest.fixture
def settings(settings, fake):  # type: ignore[no-untyped-def]
    """Every platform call of the app goes to the fake platform, with a short timeout."""
    return replace(settings, social_api_base=fake.base, dispatch_timeout_seconds=1)


def _post(client, path: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def _account(db, org, clock, platform="mastodon", handle="accao"):  # type: ignore[no-untyped-def]
    return accounts.create(db, org["id"], AccountInput.validated(
        platform=platform, handle=handle,
        instance_url="https://masto.example.org" if platform == "mastodon" else ""), now=clock())


def test_mastodon_token_is_stored_sealed_and_never_shown_back(as_user, db, settings, org_a,
                                                               clock, fake) -> None:
    account = _account(db, org_a, clock)
    client = as_user("member")
    path = f"/messages/accounts/org-a/{account.id}/connect"
    response = client.post(path, data={"csrf_token": csrf_token(client, path),
                                       "access_token": "tok-VERY-SECRET-42"})
    assert response.status_code == 200
    assert "tok-VERY-SECRET-42" not in response.text
    assert soup(response).select_one("#account-state").get_text(strip=True) == "connected"
    assert accounts.get(db, account.id).state == "connected"
    # checked once with the instance, with the token, before anything was stored
    [check] = [r for r in fake.requests if r[1] == "/api/v1/accounts/verify_credentials"]
    assert check[2]["Authorization"] == "Bearer tok-VERY-SECRET-42"
    assert accounts.get(db, account.id).display_name == "Ubuntu Labour"
    assert "Ubuntu Labour" in soup(response).select_one("#account-identity").get_text()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"tok-VERY-SECRET-42" not in settings.db_path.read_bytes()
    vault = credentials.Vault.from_settings(settings)
    assert credentials.load(db, vault, account.id) == {"access_token": "tok-VERY-SECRET-42"}
    listing = client.get("/messages/accounts/org-a")
    assert "tok-VERY-SECRET-42" not in listing.text

    response = client.post(path, data={"csrf_token": csrf_token(client, path),
                                       "disconnect": "1"})
    assert "not connected" in soup(response).select_one("#account-state").get_text()
    assert db.execute("select count(*) from social_account_secrets").fetchone()[0] == 0


def test_an_empty_token_names_the_field_and_saves_nothing(as_user, db, org_a, clock) -> None:
    account = _account(db, org_a, clock)
    client = as_user("member")
    path = f"/messages/accounts/org-a/{account.id}/connect"
    response = client.post(path, data={"csrf_token": csrf_token(client, path),
                                       "access_token": " "})
    assert response.status_code == 400
    assert soup(response).select_one("#e-access_token") is not None
    assert accounts.get(db, account.id).state == "not_connected"


def test_bluesky_app_password_connects_and_keeps_the_session(as_user, db, settings, org_a,
                                                            clock, fake) -> None:
    account = _account(db, org_a, clock, "bluesky", "accao.bsky.social")
    client = as_user("member")
    path = f"/messages/accounts/org-a/{account.id}/connect"
    client.post(path, data={"csrf_token": csrf_token(client, path),
                            "app_password": "aaaa-bbbb-cccc-dddd"})
    vault = credentials.Vault.from_settings(settings)
    stored = credentials.load(db, vault, account.id)
    assert {k: stored[k] for k in ("identifier", "app_password")} == {
        "identifier": "accao.bsky.social", "app_password": "aaaa-bbbb-cccc-dddd"}
    assert fake.logins == 1 and stored["session"]  # the login's session, for the dispatcher
    assert accounts.get(db, account.id).display_name == "Ubuntu Labour"


def test_a_wrong_mastodon_token_is_refused_naming_the_problem(as_user, db, org_a, clock,
                                                              fake) -> None:
    account = _account(db, org_a, clock)
    fake.verify_answer = (401, {"error": "The access token is invalid"})
    response = _post(as_user("member"), f"/messages/accounts/org-a/{account.id}/connect",
                     access_token="tok-WRONG")
    assert response.status_code == 400
    message = soup(response).select_one("#e-access_token").get_text()
    assert "refused this access token" in message and "The access token is invalid" in message
    assert accounts.get(db, account.id).state == "not_connected"
    assert db.execute("select count(*) from social_account_secrets").fetchone()[0] == 0


def test_an_unreachable_instance_is_named(as_user, db, app, org_a, clock) -> None:
    account = _account(db, org_a, clock)
    app.state.settings = replace(app.state.settings, social_api_base="http://127.0.0.1:9")
    response = _post(as_user("member"), f"/messages/accounts/org-a/{account.id}/connect",
                     access_token="tok-1")
    assert response.status_code == 400
    message = soup(response).select_one("#e-access_token").get_text()
    assert message == ("The Mastodon server at https://masto.example.org did not answer. Check"
                       " the address, or try again in a moment.")
    assert db.execute("select count(*) from social_account_secrets").fetchone()[0] == 0


def test_an_instance_that_does_not_answer_in_time_is_named(as_user, db, org_a, clock,
                                                           fake) -> None:
    account = _account(db, org_a, clock)
    fake.hang_verify = 1.5
    response = _post(as_user("member"), f"/messages/accounts/org-a/{account.id}/connect",
                     access_token="tok-1")
    assert response.status_code == 400
    # The same words as no connection at all: the form does not tell open ports from closed.
    assert "The Mastodon server at https://masto.example.org did not answer." in soup(
        response).select_one("#e-access_token").get_text()
    assert accounts.get(db, account.id).state == "not_connected"


def test_a_refused_bluesky_login_stores_nothing(as_user, db, org_a, clock, fake) -> None:
    account = _account(db, org_a, clock, "bluesky", "accao.bsky.social")
    fake.verify_answer = (401, {"error": "AuthenticationRequired",
                                "message": "Invalid identifier or password"})
    response = _post(as_user("member"), f"/messages/accounts/org-a/{account.id}/connect",
                     app_password="aaaa-bbbb-cccc-dddd")
    assert response.status_code == 400
    message = soup(response).select_one("#e-app_password").get_text()
    assert "Bluesky refused" in message and "Invalid identifier or password" in message
    assert db.execute("select count(*) from social_account_secrets").fetchone()[0] == 0


def test_other_organisations_cannot_see_the_connect_page(as_user, db, org_a, clock) -> None:
    account = _account(db, org_a, clock)
    path = f"/messages/accounts/org-a/{account.id}/connect"
    assert as_user("other_member").get(path).status_code == 404
    assert as_user("viewer").get(path).status_code == 404


def _auth(call) -> str:  # type: ignore[no-untyped-def]
    value = call.request.headers["Authorization"]  # requests-oauthlib leaves it as bytes
    return value.decode() if isinstance(value, bytes) else value


@pytest.fixture
def x_client(settings, clock, db, users):  # type: ignore[no-untyped-def]
    app = create_app(replace(settings, x_consumer_key="ck-app", x_consumer_secret="cs-app",
                             base_url="http://juntos.example.org", social_api_base="",
                             dispatch_timeout_seconds=30), clock=clock)
    with TestClient(app, follow_redirects=False) as client:
        login(client, users["member"].email, PASSWORD)
        yield client


@responses.activate
def test_x_sign_in_stores_the_access_token(x_client, db, settings, org_a, clock) -> None:
    account = _account(db, org_a, clock, "x", "accaocidada")
    responses.post("https://api.twitter.com/oauth/request_token",
                   body="oauth_token=req-tok&oauth_token_secret=req-sec"
                        "&oauth_callback_confirmed=true")
    responses.post("https://api.twitter.com/oauth/access_token",
                   body="oauth_token=99-acc-tok&oauth_token_secret=acc-sec&user_id=99"
                        "&screen_name=accaocidada")
    responses.get("https://api.twitter.com/2/users/me",
                  json={"data": {"id": "99", "username": "accaocidada", "name": "Acção Cidadã"}})
    base = f"/messages/accounts/org-a/{account.id}/connect"
    start = x_client.get(f"{base}/x")
    assert start.status_code == 303
    assert start.headers["location"].startswith("https://api.twitter.com/oauth/authenticate")
    assert parse_qs(urlparse(start.headers["location"]).query)["oauth_token"] == ["req-tok"]
    assert responses.calls[0].request.req_kwargs["timeout"] == 30  # tweepy sets none itself
    signed = _auth(responses.calls[0])
    assert "oauth_callback" in signed and "ck-app" in signed
    back = x_client.get(f"{base}/x/callback?oauth_token=req-tok&oauth_verifier=ver")
    assert back.status_code == 303
    assert "oauth_verifier" in _auth(responses.calls[1])
    me = responses.calls[2].request
    assert me.url.startswith("https://api.twitter.com/2/users/me")
    assert 'oauth_token="99-acc-tok"' in _auth(responses.calls[2])  # user context
    assert responses.calls[2].request.req_kwargs["timeout"] == 10  # the connect timeout
    vault = credentials.Vault.from_settings(settings)
    assert credentials.load(db, vault, account.id) == {
        "access_token": "99-acc-tok", "access_token_secret": "acc-sec", "user_id": "99"}
    made = accounts.get(db, account.id)
    assert (made.state, made.handle, made.display_name) == (
        "connected", "accaocidada", "Acção Cidadã")


@responses.activate
def test_x_tokens_that_get_me_refuses_are_not_stored(x_client, db, org_a, clock) -> None:
    account = _account(db, org_a, clock, "x", "accaocidada")
    responses.post("https://api.twitter.com/oauth/request_token",
                   body="oauth_token=req-tok&oauth_token_secret=req-sec"
                        "&oauth_callback_confirmed=true")
    responses.post("https://api.twitter.com/oauth/access_token",
                   body="oauth_token=99-acc-tok&oauth_token_secret=acc-sec&user_id=99")
    responses.get("https://api.twitter.com/2/users/me", status=401,
                  json={"title": "Unauthorized", "detail": "Unauthorized", "status": 401})
    base = f"/messages/accounts/org-a/{account.id}/connect"
    x_client.get(f"{base}/x")
    back = x_client.get(f"{base}/x/callback?oauth_token=req-tok&oauth_verifier=ver")
    assert back.status_code == 303
    assert accounts.get(db, account.id).state == "not_connected"
    assert db.execute("select count(*) from social_account_secrets").fetchone()[0] == 0
    page = x_client.get(base)
    assert "X refused the new access token" in page.text


@responses.activate
def test_x_callback_with_a_foreign_token_connects_nothing(x_client, db, org_a, clock) -> None:
    account = _account(db, org_a, clock, "x", "accaocidada")
    back = x_client.get(f"/messages/accounts/org-a/{account.id}/connect/x/callback"
                        "?oauth_token=forged&oauth_verifier=ver")
    assert back.status_code == 303
    assert accounts.get(db, account.id).state == "not_connected"
    assert len(responses.calls) == 0


@pytest.mark.parametrize("instance", [
    "https://127.0.0.1", "https://localhost:8443", "https://10.1.2.3", "https://192.168.0.1",
    "https://169.254.169.254", "https://[::1]", "https://[::ffff:127.0.0.1]",
    "https://100.64.0.1", "https://0.0.0.0"])
def test_an_instance_inside_the_servers_network_is_refused_without_asking_it(
        as_user, db, app, org_a, clock, fake, instance) -> None:
    account = _account(db, org_a, clock)
    db.execute("update social_accounts set instance_url = ? where id = ?", [instance, account.id])
    # The operator's "send everything to" address is off: the instance itself would be asked.
    app.state.settings = replace(app.state.settings, social_api_base="")
    response = _post(as_user("member"), f"/messages/accounts/org-a/{account.id}/connect",
                     access_token="tok-1")
    assert response.status_code == 400
    message = soup(response).select_one("#e-access_token").get_text()
    assert message.endswith("is not a public address on the internet; accounts may only be"
                            " connected to public Mastodon servers.")
    assert db.execute("select count(*) from social_account_secrets").fetchone()[0] == 0


def test_the_setting_allows_an_instance_on_the_lan(settings) -> None:
    from juntos.social import connecting
    connecting.check_address(replace(settings, social_api_base="",
                                     social_private_instances=True), "https://10.0.0.5")
    with pytest.raises(connecting.VerificationFailed):
        connecting.check_address(replace(settings, social_api_base=""), "https://10.0.0.5")
    connecting.check_address(replace(settings, social_api_base=""), "https://8.8.8.8")


def test_an_unreachable_instance_in_portuguese_names_no_exception(as_user, db, app, org_a,
                                                                   clock, users) -> None:
    account = _account(db, org_a, clock)
    app.state.settings = replace(app.state.settings, social_api_base="http://127.0.0.1:9")
    db.execute("update users set language = 'pt' where id = ?", [users["member"].id])
    response = _post(as_user("member"), f"/messages/accounts/org-a/{account.id}/connect",
                     access_token="tok-1")
    message = soup(response).select_one("#e-access_token").get_text()
    assert message.startswith("O servidor Mastodon em https://masto.example.org não respondeu")
    assert "Errno" not in message and "Connect" not in message and ":9" not in message


@pytest.mark.parametrize(("platform", "handle", "field", "secret", "steps"), [
    ("facebook", "4321", "page_token", "page-4321-VERY-SECRET", 5),
    ("telegram", "ubuntuchannel", "bot_token", "777:VERY-SECRET", 4),
])
def test_pages_and_channels_connect_step_by_step(as_user, db, settings, org_a, clock, fake,
                                                 platform, handle, field, secret,
                                                 steps) -> None:
    from tests.support.fake_pages import channel

    fake.telegram_bots["777:VERY-SECRET"] = 777
    fake.telegram_channels["ubuntuchannel"] = channel("ubuntuchannel", -1001, "Ubuntu news")
    account = _account(db, org_a, clock, platform, handle)
    client = as_user("member")
    path = f"/messages/accounts/org-a/{account.id}/connect"
    form = soup(client.get(path))
    assert len(form.select("ol.connect-steps li")) == steps  # where to get it, step by step
    assert form.select_one(f"input[name={field}]")["type"] == "password"
    wrong = client.post(path, data={"csrf_token": csrf_token(client, path), field: "1:wrong"})
    assert accounts.get(db, account.id).state == "not_connected"
    assert "refused" in wrong.text
    response = client.post(path, data={"csrf_token": csrf_token(client, path), field: secret})
    assert soup(response).select_one("#account-state").get_text(strip=True) == "connected"
    assert secret not in response.text
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert secret.encode() not in settings.db_path.read_bytes()  # sealed
