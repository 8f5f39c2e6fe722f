"""Helpers for driving the real app through Starlette's TestClient."""

from __future__ import annotations

from bs4 import BeautifulSoup
from starlette.testclient import TestClient


def soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.text, "html.parser")


def csrf_token(client: TestClient, path: str = "/login") -> str:
    """The session's CSRF token, read from a form on ``path`` as a browser would."""
    response = client.get(path)
    field = soup(response).find("input", {"name": "csrf_token"})
    assert field is not None, f"no CSRF field on {path} ({response.status_code})"
    return str(field["value"])


def post_form(client: TestClient, path: str, data: dict, *, form_page: str | None = None,
              **kwargs):  # type: ignore[no-untyped-def]
    """POST a form with the CSRF token taken from ``form_page`` (default: the same path)."""
    token = csrf_token(client, form_page or "/account")
    return client.post(path, data={**data, "csrf_token": token}, **kwargs)


def login(client: TestClient, email: str, password: str) -> None:
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
