"""The dashboard and the health check."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from juntos import db as database
from juntos.organisations import store as orgs
from juntos.web.panels import dashboard_panels
from juntos.web.routing import page
from juntos.web.webarea import WebArea


async def dashboard(request: Request) -> Response:
    db = request.state.db
    user = request.state.user
    context = {
        "stats": request.app.state.organisation_memo.get(db, orgs.stats),
        "my_org": orgs.get_by_id(db, user.organisation_id),
        "my_networks": orgs.networks_of(db, user.organisation_id),
        "panels": dashboard_panels(request),
    }
    return request.app.state.templates.TemplateResponse(request, "dashboard.html", context)


async def healthz(request: Request) -> Response:
    """200 when the database answers, 503 otherwise; for load balancers and uptime checks."""
    try:
        db = database.connect(request.app.state.settings.db_path)
        try:
            next(db.query("select 1 as ok"))
            pending = database.pending_migrations(db, request.app.state.migrations)
        finally:
            db.close()
    except Exception as exc:  # any failure to reach the database is "unavailable"
        return JSONResponse({"status": "unavailable", "error": type(exc).__name__}, 503)
    return JSONResponse({"status": "ok", "pending_migrations": len(pending)})


routes = [
    page("/", dashboard, name="dashboard"),
    page("/healthz", healthz, public=True),
]

WEB = WebArea(name="home", routes=routes)
