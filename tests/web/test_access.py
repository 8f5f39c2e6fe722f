"""Every route is protected unless declared public; roles are enforced."""

from __future__ import annotations

import re

from starlette.routing import Route
from starlette.testclient import TestClient

# The token in the address is the authority of the last two (an invitation or reset link, and
# a one-click unsubscribe: docs/mail.md).
PUBLIC_PREFIXES = ("/login", "/logout", "/language", "/healthz", "/static", "/password/set/",
                   "/mail/unsubscribe/")


def _fill(path: str) -> str:
    path = re.sub(r"\{[^}:]+:(?:int|id)\}", "1", path)
    return re.sub(r"\{[^}]+\}", "x", path)


def _declared_public(route: Route) -> bool:
    return route.path.startswith(PUBLIC_PREFIXES)


def test_every_non_public_route_redirects_anonymous_users_to_login(app, client) -> None:
    checked = 0
    for route in app.routes:
        if not isinstance(route, Route):
            continue
        for method in sorted(route.methods or []):
            if method == "HEAD":
                continue
            r = client.request(method, _fill(route.path), follow_redirects=False)
            if _declared_public(route):
                continue
            checked += 1
            path = _fill(route.path)
            if path.endswith((".json", ".ics")):
                # machine endpoints answer 401/404 (public feeds may answer 200 with public data)
                assert r.status_code in (200, 401, 404), (method, path, r.status_code)
            else:
                assert r.status_code == 303, (method, path, r.status_code)
                assert r.headers["location"].startswith("/login")
    assert checked >= 8


def test_viewer_cannot_create_or_edit(as_user, org_a) -> None:
    c: TestClient = as_user("viewer")
    assert c.get("/organisations/new").status_code == 403
    assert c.get("/organisations/org-a/edit").status_code == 403
    assert c.get("/organisations/org-a").status_code == 200


def test_member_edits_own_organisation_only(as_user, org_a, org_b) -> None:
    c: TestClient = as_user("member")
    assert c.get("/organisations/org-a/edit").status_code == 200
    assert c.get("/organisations/org-b/edit").status_code == 403
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/account").text).group(1)
    r = c.post("/organisations/org-b/edit", data={"name": "Hijacked", "kind": "cso",
                                                  "csrf_token": token})
    assert r.status_code == 403


def test_only_coordinators_manage_users(as_user) -> None:
    assert as_user("member").get("/users").status_code == 403
    assert as_user("coordinator").get("/users").status_code == 200
