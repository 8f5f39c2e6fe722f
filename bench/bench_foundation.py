"""Foundation: dashboard and organisations list at 5,000 organisations, against plain Starlette."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from bench.support import (
    Row,
    fresh_db,
    generate_organisations,
    generate_users,
    logged_in_client,
    median,
    p95,
    timings,
)

N_ORGS = 5000


def run(folder: Path) -> list[Row]:
    settings, db = fresh_db(folder, "foundation")
    org_ids = generate_organisations(db, N_ORGS)
    generate_users(db, org_ids[:50], 50, role="coordinator")
    db.close()
    client = logged_in_client(settings, "user0@bench.example")

    rows: list[Row] = []
    per_second: dict[str, float] = {}
    for name, path in [("dashboard", "/"), ("organisations list", "/organisations"),
                       ("organisations list, filtered", "/organisations?country=MZ&kind=cso"),
                       ("organisations list, page 50", "/organisations?page=50")]:
        def fetch(path: str = path) -> None:
            r = client.get(path)
            assert r.status_code == 200, (path, r.status_code)

        t = timings(fetch)
        rows.append(Row("foundation", f"{name}: median", median(t), "ms"))
        rows.append(Row("foundation", f"{name}: p95", p95(t), "ms", "< 50 ms", p95(t) < 50))
        per_second[name] = 1000 / median(t)

    body = client.get("/").text
    plain = Starlette(routes=[Route("/", lambda r: HTMLResponse(body))])
    with TestClient(plain) as plain_client:
        t = timings(lambda: plain_client.get("/"))
    plain_rps = 1000 / median(t)
    for name in ("dashboard", "organisations list"):
        rows.append(Row("foundation", f"{name}: req/s vs plain Starlette (same bytes)",
                        per_second[name] / plain_rps, "ratio"))
    size = len(client.get("/organisations").content) + len(client.get(
        "/static/app.css").content)
    rows.append(Row("foundation", "organisations page + CSS, uncompressed", size / 1024, "KB",
                    "< 60 KB", size < 60 * 1024))
    client.__exit__(None, None, None)
    return rows
