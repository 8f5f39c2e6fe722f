"""What the social pages share: labels, the platforms for templates, lookups that 404."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import policy
from juntos.errors import NotFound
from juntos.organisations import store as orgs
from juntos.social import campaign_link, kits, platforms, waves
from juntos.web.i18n import N_
from juntos.web.i18n import gettext as _

STATUS_LABELS = {
    "draft": N_("draft"), "submitted": N_("submitted"), "approved": N_("approved"),
    "scheduled": N_("scheduled"), "sending": N_("sending"), "sent": N_("sent"),
    "failed": N_("failed"), "needs_check": N_("needs check"), "cancelled": N_("cancelled"),
    "missed": N_("missed"),
}
PROBLEM_LABELS = {
    waves.NO_VARIANT: N_("No variant in the account's language"),
    waves.TOO_LONG: N_("Over length"),
    waves.IN_PAST: N_("Time in the past"),
    waves.NOT_CONNECTED: N_("Account not connected"),
    waves.DUPLICATE_X: N_("Same text as other X accounts: X forbids this"),
    waves.DUPLICATE: N_("Same text as other accounts"),
    waves.TIME_SHIFTED: N_("Local time does not exist that day (clock change): moved later"),
}
ATTEMPT_LABELS = {
    "send": N_("send"), "reconcile": N_("check"), "sent": N_("sent"),
    "transient": N_("try again later"), "permanent": N_("refused"),
    "unknown": N_("no answer"), "absent": N_("not found"),
}


def platform_context() -> dict[str, Any]:
    """The registry as templates read it: labels, and each platform's counting rules, which
    the pages hand to static/social.js as data attributes (it keeps no limits of its own)."""
    return {"platform_labels": {p.id: p.label for p in platforms.ALL},
            "platform_of": {p.id: p for p in platforms.ALL},
            "all_platforms": platforms.ALL}


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    for key, value in platform_context().items():
        context.setdefault(key, value)
    context.setdefault("status_labels", STATUS_LABELS)
    context.setdefault("problem_labels", PROBLEM_LABELS)
    context.setdefault("attempt_labels", ATTEMPT_LABELS)
    context.setdefault("platform_options", [(p.id, _(p.label)) for p in platforms.ALL])
    return request.app.state.templates.TemplateResponse(request, name, context,
                                                        status_code=status)


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def number(value: Any) -> int:
    """An id from the path; anything else is a page that does not exist."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound("No such item.") from None


def managed_org(request: Request) -> dict[str, Any]:
    """The organisation in the path, if the user manages its accounts; 404 otherwise."""
    org = orgs.get(request.state.db, request.path_params["org"])
    if not policy.can(request.state.user, "social.account.manage", org):
        raise NotFound("No such organisation.")
    return org


def viewer_zone(request: Request) -> str:
    """The viewer's time zone: their organisation's (as the calendar's), else UTC."""
    user = request.state.user
    return "UTC" if user is None else user.organisation_timezone


def post_images(db: Any, rows: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """Each kit's images (with their alt text), for the posts' previews."""
    return {kit_id: kits.images(db, kit_id) for kit_id in {r["kit_id"] for r in rows}
            if kit_id is not None}


def campaign_of(request: Request) -> dict[str, Any]:
    return campaign_link.visible(request.state.db, request.state.user,
                                 request.path_params["slug"])


def kit_of(request: Request, campaign: dict[str, Any]) -> dict[str, Any]:
    kit = kits.get(request.state.db, number(request.path_params["kit"]))
    if kit["campaign_id"] != campaign["id"]:
        raise NotFound("No such kit.")
    return kit
