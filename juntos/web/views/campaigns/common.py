"""What the campaigns area's pages share: labels, dates as pages show them, rendering, and the
campaign a user may see."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

from cachetools import LRUCache
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.campaigns import store, visibility
from juntos.errors import NotAuthenticated, NotFound
from juntos.web import i18n
from juntos.web.i18n import N_
from juntos.web.templating import format_day

LABELS: dict[str, dict[str, str]] = {
    "status": {"idea": N_("idea"), "planning": N_("planning"), "active": N_("active"),
               "finished": N_("finished"), "archived": N_("archived")},
    "visibility": {"public": N_("public"), "network": N_("network"),
                   "private": N_("private to its partners")},
    "participation": {"invited": N_("invited, not answered yet"), "accepted": N_("accepted"),
                      "declined": N_("declined"), "left": N_("left")},
    "role": {"lead": N_("lead"), "co-lead": N_("co-lead"), "partner": N_("partner"),
             "supporter": N_("supporter")},
    "commitment": {"overdue": N_("overdue"), "open": N_("open"),
                   "in_progress": N_("in progress"), "done": N_("done"),
                   "dropped": N_("dropped")},
    "raci": {"A": N_("accountable"), "R": N_("responsible"), "C": N_("consulted"),
             "I": N_("informed")},
    "activity": {"created": N_("created the campaign"), "updated": N_("updated the details"),
                 "partner_added": N_("added a partner"),
                 "partner_invited": N_("invited a partner"),
                 "partner_accepted": N_("accepted the invitation"),
                 "partner_declined": N_("declined the invitation"),
                 "partner_left": N_("left the campaign"),
                 "partner_removed": N_("removed a partner"),
                 "role_changed": N_("changed a role"),
                 "workstream_added": N_("added a workstream"),
                 "matrix_updated": N_("updated the responsibilities"),
                 "commitment_added": N_("added a commitment"),
                 "commitment_status": N_("changed a commitment's status"),
                 "commitment_changed": N_("changed a commitment"),
                 "commitment_deleted": N_("deleted a commitment"),
                 "call_added": N_("added a call to action"),
                 "call_changed": N_("changed a call to action"),
                 "call_deleted": N_("deleted a call to action"),
                 "milestone_added": N_("added a milestone"),
                 "milestone_changed": N_("changed a milestone"),
                 "milestone_deleted": N_("deleted a milestone")},
}

UPCOMING_DAYS = 60


class DayLabels:
    """``format_day`` remembered per date and language, one per app
    (``app.state.campaign_days``): long lists repeat the same dates, and Babel's formatting is
    the costliest part of rendering them."""

    def __init__(self, maxsize: int = 4096) -> None:
        self._lock = threading.Lock()
        self._labels: LRUCache[tuple[str, str], str] = LRUCache(maxsize=maxsize)

    def __call__(self, value: str | None) -> str:
        if not value:
            return ""
        key = (value, i18n.current_language())
        with self._lock:
            found = self._labels.get(key)
        if found is None:
            found = format_day(value)
            with self._lock:
                self._labels[key] = found
        return found


class Options(dict[str, Markup]):
    """A drop-down's ``<option>``s, one string for each value that may be selected (none
    selected for any other): the campaign page repeats the same few choices on every row, and
    drawing them in Python once costs less than a template loop per row."""

    def __missing__(self, key: str) -> Markup:
        return self.get("", Markup(""))


@cache  # a few fixed lists in two languages
def _options(values: tuple[str, ...], labels: tuple[str, ...] | None, language: str) -> Options:
    def one(selected: str) -> Markup:
        return Markup("").join(
            Markup('<option value="{}"{}>{}</option>').format(
                v, Markup(" selected") if v == selected else "", i18n.gettext(label))
            if labels is not None else
            Markup("<option{}>{}</option>").format(
                Markup(" selected") if v == selected else "", escape(v))
            for v, label in zip(values, labels or values, strict=True))

    return Options({v: one(v) for v in (*values, "")})


def options(values: Sequence[str], labels: dict[str, str] | None = None) -> Options:
    """``<option value="v">label</option>``s in the reader's language (labels translated), or
    ``<option>v</option>``s without ``labels``; ``options(...)[current]`` selects one."""
    return _options(tuple(values), tuple(labels[v] for v in values) if labels else None,
                    i18n.current_language())


def today(request: Request) -> date:
    return request.state.clock().date()


def render(request: Request, template: str, context: dict[str, Any],
           status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, template,
        {"labels": LABELS, "cached_day": request.app.state.campaign_days, **context},
        status_code=status)


def visible(request: Request) -> dict[str, Any]:
    """The campaign in the path if the user may see it; else 404 (or, for someone not signed
    in, the login page, whether the campaign exists or not, so nothing is revealed)."""
    try:
        return visibility.get_visible(request.state.db, request.state.user,
                                      request.path_params["slug"])
    except NotFound:
        if request.state.user is None:
            raise NotAuthenticated("Please log in to see this page.") from None
        raise


def invited_campaign(request: Request) -> dict[str, Any]:
    """The campaign in the path when the user's organisation is invited to it (its summary is
    theirs to read, private or not); else 404 as if it did not exist."""
    user = request.state.user
    try:
        campaign = store.get(request.state.db, request.path_params["slug"])
    except NotFound:
        campaign = {}
    if user is None or user.organisation_id not in campaign.get("invited_org_ids", ()):
        raise NotFound("No such campaign.")
    return campaign


def is_id(text: str) -> bool:
    """Digits that fit SQLite's 64-bit integers (a longer number would be a 500, not a 400)."""
    return text.isdigit() and len(text) < 19


def back(campaign: dict[str, Any], anchor: str = "") -> Response:
    return RedirectResponse(f"/campaigns/{campaign['slug']}{anchor}", status_code=303)
