"""The social area's settings page: platforms' app keys (X's consumer key and secret), set by
a coordinator, stored sealed (``juntos.social.appkeys``), never shown again."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from juntos.errors import ValidationError
from juntos.social import appkeys, credentials
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, page
from juntos.web.views.social.common import redirect, render

PATH = "/messages/settings"


def _vault(request: Request) -> credentials.Vault:
    return credentials.Vault.from_settings(request.app.state.settings)


def _context(request: Request, errors: dict[str, Any]) -> dict[str, Any]:
    settings = request.app.state.settings
    return {"app_keys": appkeys.APP_KEYS, "configured": appkeys.configured(settings),
            "stored": appkeys.stored(request.state.db), "errors": errors,
            "x_ready": bool(appkeys.effective(request.state.db, _vault(request), settings)
                            .x_consumer_key),
            "callback": f"{settings.public_base_url}/messages/accounts/ORG/ID/connect/x/callback"}


async def social_settings(request: Request) -> Response:
    if request.method == "POST":
        form = await request.form()
        db, now = request.state.db, request.state.clock()
        if form.get("remove"):
            appkeys.remove(db, platform="x")
            flash(request, _("The X app's keys stored here were removed."))
            return redirect(PATH)
        configured = appkeys.configured(request.app.state.settings)
        values = {k: str(form.get(k, "")) for k in appkeys.SETTINGS if k not in configured}
        try:
            saved = appkeys.save(db, _vault(request), values, now=now,
                                 by=request.state.user.id)
        except ValidationError as e:
            return render(request, "social/settings.html", _context(request, e.errors), 400)
        if saved:
            flash(request, _("Saved. The keys are stored encrypted and are not shown again."))
        return redirect(PATH)
    return render(request, "social/settings.html", _context(request, {}))


routes = [page(PATH, social_settings, methods=["GET", "POST"], action="social.settings")]
