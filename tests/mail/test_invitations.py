"""Invitations and password resets: who may invite whom, the mail that arrives over a real
SMTP server on loopback, and its link, which sets a password once."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from juntos.house import create_app
from juntos.mail.sender import Sender
from tests.mail.smtp_server import Inbox
from tests.support.web import csrf_token, login, post_form, soup

NEW_PASSWORD = "a long new passphrase 42"


def _link(message) -> str:  # type: ignore[no-untyped-def]
    text = message.get_body(("plain",)).get_content()
    found = re.search(r"https://juntos\.example\.org(/password/set/\S+)", text)
    assert found, text
    return found.group(1)


def test_a_coordinators_invitation_arrives_and_its_link_works_once(
        db, clock, users, app, mail_settings, inbox: Inbox, as_user) -> None:
    coordinator = as_user("coordinator")
    response = post_form(coordinator, "/users/invite", {
        "email": "nova@example.org", "name": "Nova", "role": "member", "organisation": "org-b",
        "language": "pt"}, form_page="/users/invite")
    assert response.status_code == 200, response.text

    report = Sender(mail_settings, clock=clock).run_once()
    assert report.sent == 1
    (message,) = inbox.messages
    assert message["To"].addresses[0].addr_spec == "nova@example.org"
    assert "convida" in message["Subject"]  # in the language chosen for the invitee
    assert "List-Unsubscribe" not in message  # invitations are always sent
    path = _link(message)

    # (the app itself on plain http: its cookies are not Secure, as with https in base_url)
    with TestClient(app, follow_redirects=True) as anon:
        page = anon.get(path)
        assert page.status_code == 200
        assert "nova@example.org" in page.text
        token = csrf_token(anon, path)
        done = anon.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                     "csrf_token": token})
        assert done.url.path == "/login", (done.status_code, soup(done).select(".error"))
        again = anon.post(path, data={"password": NEW_PASSWORD + "x",
                                      "confirm": NEW_PASSWORD + "x", "csrf_token": token})
        assert again.status_code == 410
        assert anon.get(path).status_code == 410
        login(anon, "nova@example.org", NEW_PASSWORD)
        assert anon.get("/account").status_code == 200


@pytest.mark.parametrize(("role", "organisation", "invited_role", "allowed"), [
    ("coordinator", "org-b", "coordinator", True),
    ("coordinator", "", "member", True),
    ("member", "", "member", True),
    ("member", "", "viewer", True),
    ("member", "", "coordinator", False),       # no promotion by invitation
    ("member", "org-b", "member", None),        # the organisation field is ignored: own org
    ("other_member", "", "member", True),
    ("viewer", "", "member", False),
    ("anonymous", "", "member", False),
])
def test_invitation_rights(db, clock, users, app, as_user, role, organisation, invited_role,
                           allowed) -> None:
    if role == "anonymous":
        with TestClient(app, follow_redirects=False) as anon:
            assert anon.get("/users/invite").status_code in (302, 303, 401)
        return
    client = as_user(role)
    page = client.get("/users/invite")
    if role == "viewer":
        assert page.status_code == 403
        return
    response = post_form(client, "/users/invite", {
        "email": "x@example.org", "role": invited_role, "organisation": organisation,
        "language": "en"}, form_page="/users/invite")
    rows = list(db.query("select organisation_id, role from users where email = 'x@example.org'"))
    if allowed is False:
        assert response.status_code == 403
        assert rows == []
        return
    assert response.status_code == 200
    expected_org = users["coordinator"].organisation_id
    if role == "coordinator" and organisation == "org-b":
        expected_org = users["other_member"].organisation_id
    elif role != "coordinator":
        expected_org = users[role].organisation_id
    assert rows == [{"organisation_id": expected_org, "role": invited_role}]


def test_reset_answers_the_same_for_unknown_addresses_and_is_throttled(
        db, clock, users, settings, inbox: Inbox, mail_settings) -> None:
    app = create_app(replace(settings, login_attempts_per_address=3), clock=clock)
    with TestClient(app, follow_redirects=True) as anon:
        answers = []
        for address in ("member@example.org", "nobody@example.org"):
            token = csrf_token(anon, "/login/forgot")
            answers.append(anon.post("/login/forgot", data={"email": address,
                                                            "csrf_token": token}))
        assert [a.status_code for a in answers] == [200, 200]
        assert soup(answers[0]).find("main").get_text() == soup(answers[1]).find(
            "main").get_text()
        token = csrf_token(anon, "/login/forgot")
        anon.post("/login/forgot", data={"email": "member@example.org", "csrf_token": token})
        token = csrf_token(anon, "/login/forgot")
        refused = anon.post("/login/forgot", data={"email": "member@example.org",
                                                   "csrf_token": token})
        assert refused.status_code == 429
    assert Sender(mail_settings, clock=clock).run_once().sent == 2  # two for the real address
    assert {m["To"].addresses[0].addr_spec for m in inbox.messages} == {"member@example.org"}
