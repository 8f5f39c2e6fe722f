"""Error pages and the health check."""

from __future__ import annotations

from dataclasses import replace

from starlette.routing import Route
from starlette.testclient import TestClient

from juntos.house import create_app
from tests.support.web import soup


def test_unknown_page_is_an_html_404(as_user) -> None:
    r = as_user("member").get("/organisations/no-such-org")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert soup(r).h1.text == "Page not found"


def test_unexpected_errors_show_a_500_page_without_traceback(settings, clock, db) -> None:
    app = create_app(settings, clock=clock)

    async def boom(request):  # a route that fails, added to the real app
        raise RuntimeError("secret internals")

    app.router.routes.append(Route("/boom", boom))
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 500
    assert "secret internals" not in r.text and "Traceback" not in r.text
    assert "Something went wrong" in r.text


def test_json_paths_get_json_errors(client) -> None:
    r = client.get("/nothing-here.json")
    assert r.status_code == 404
    assert r.json() == {"error": "Page not found"}


def test_oversized_bodies_are_refused_with_413(settings, clock, db) -> None:
    app = create_app(replace(settings, max_upload_bytes=1000), clock=clock)
    with TestClient(app) as c:
        r = c.post("/login", content=b"x" * 5000,
                   headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413
    assert "larger than" in r.text


def test_healthz_reports_ok_and_unavailable(settings, clock, db, tmp_path) -> None:
    with TestClient(create_app(settings, clock=clock)) as c:
        r = c.get("/healthz")
        assert r.status_code == 200 and r.json()["status"] == "ok"
    broken = tmp_path / "missing-dir" / "juntos.db"  # the folder does not exist
    app = create_app(replace(settings, db_path=broken), clock=clock)
    r = TestClient(app).get("/healthz")  # no lifespan: the database cannot be created there
    assert r.status_code == 503 and r.json()["status"] == "unavailable"


def test_pages_send_security_headers(client) -> None:
    r = client.get("/login")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_a_database_still_locked_after_retries_is_a_503_with_a_message(settings, clock,
                                                                        db) -> None:
    import sqlite3

    app = create_app(settings, clock=clock)

    async def locked(request):  # a write that found the database locked after every retry
        raise sqlite3.OperationalError("database is locked")

    app.router.routes.append(Route("/locked", locked))
    with TestClient(app, raise_server_exceptions=False) as c:
        page = c.get("/locked")
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "5"
        assert "try again in a moment" in page.text
        answer = c.get("/locked", headers={"Accept": "application/json"})
        assert answer.status_code == 503 and answer.json()["error"].startswith("Juntos is busy")
