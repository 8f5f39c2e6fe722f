"""Where stored events come from: the import page, one form per source kind
(``juntos.calendar.kinds``), and refreshing or dropping a source."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import policy
from juntos.calendar import kinds, subscriptions
from juntos.calendar.kinds import KINDS, SourceKind, SyncResult
from juntos.errors import NotFound, ValidationError
from juntos.organisations import store as orgs
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, page
from juntos.web.views.calendar.shared import render

BACK = "/calendar/import#sources"
def _context(request: Request, **extra: Any) -> dict[str, Any]:
    user = request.state.user
    return {"kinds": sorted(KINDS, key=lambda k: k.order), "errors": {}, "values": {},
            "refreshable": {k.id for k in KINDS if k.refresh is not None},
            "sources": subscriptions.list_sources(
                request.state.db, organisation_id=user.organisation_id,
                everyone=policy.can(user, "calendar.source.see_all")), **extra}


async def _form(request: Request) -> tuple[dict[str, str], dict[str, kinds.Upload]]:
    form = await request.form()
    values = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    files = {}
    for name, value in form.items():
        if isinstance(value, UploadFile) and value.filename:
            files[name] = kinds.Upload(value.filename, await value.read())
            await value.close()
    return values, files


async def _add(request: Request, kind: SourceKind) -> Response:
    """A new source of ``kind`` from its form, read once off the event loop (a slow remote
    server must not stall every other page); the form again, with its errors, if refused."""
    db, user = request.state.db, request.state.user
    values, files = await _form(request)
    new = kinds.NewSource(values=values, files=files,
                          organisation=orgs.get_by_id(db, user.organisation_id),
                          now=request.state.clock(),
                          allow_private=request.app.state.settings.calendar_private_feeds)
    try:
        # Already on a worker thread (``routing.page``); the fetch itself is bounded in time
        # and in how many run at once (``calendar.fetching``), so a burst of slow feeds is
        # refused rather than holding the threads other pages are served from.
        result = kind.add(db, new)
    except ValidationError as e:
        return render(request, "calendar/import.html", _context(
            request, errors={kind.id: e.errors}, values={kind.id: values}), 400)
    _flash_result(request, kind, result)
    return RedirectResponse(BACK, status_code=303)


def _flash_result(request: Request, kind: SourceKind, result: SyncResult) -> None:
    if result.error:
        flash(request, _("%(name)s was not updated: %(reason)s", name=result.label,
                         reason=result.error), "error")
    elif result.report is not None:
        flash(request, _(kind.done, name=result.label, n=result.report.total))
        for note in result.report.notes:
            flash(request, note, "info")


async def import_view(request: Request) -> Response:
    if request.method == "POST":
        return await _add(request, kinds.kind("upload"))
    return render(request, "calendar/import.html", _context(request))


async def subscribe(request: Request) -> Response:
    """Follow a partner's feed (e.g. a Google Calendar secret address) for one's organisation."""
    return await _add(request, kinds.kind("subscription"))


async def add_source(request: Request) -> Response:
    """A source of any kind, from the form the import page shows for it."""
    return await _add(request, kinds.kind(request.path_params["kind"]))


def _managed(request: Request) -> tuple[dict[str, Any], SourceKind]:
    raw = request.path_params["source_id"]
    try:
        if not raw.isdigit() or len(raw) > 18:
            raise NotFound("")
        source = kinds.get(request.state.db, int(raw))
        kind = kinds.kind(source["kind"])
    except NotFound:
        raise NotFound(_("No such subscription.")) from None
    policy.require(request.state.user, "calendar.subscription.manage", source)
    return source, kind


async def sync_source(request: Request) -> Response:
    source, kind = _managed(request)
    if kind.refresh is None:
        raise NotFound(_("No such subscription."))
    refresh, allow_private = kind.refresh, request.app.state.settings.calendar_private_feeds
    result = refresh(request.state.db, source["id"], now=request.state.clock(),
                     allow_private=allow_private)
    _flash_result(request, kind, result)
    return RedirectResponse(BACK, status_code=303)


async def remove_source(request: Request) -> Response:
    source, kind = _managed(request)
    if kind.remove is None:
        raise NotFound(_("No such subscription."))
    n = kind.remove(request.state.db, source["id"], now=request.state.clock())
    flash(request, _("Unsubscribed from %(name)s; its %(n)d events show as cancelled in feeds"
                     " for 90 days.", name=source["label"], n=n))
    return RedirectResponse(BACK, status_code=303)


routes = [
    page("/calendar/import", import_view, methods=["GET", "POST"], action="calendar.import"),
    page("/calendar/subscriptions", subscribe, methods=["POST"], action="calendar.import"),
    page("/calendar/sources/{kind}", add_source, methods=["POST"], action="calendar.import"),
    page("/calendar/subscriptions/{source_id}/sync", sync_source, methods=["POST"]),
    page("/calendar/subscriptions/{source_id}/delete", remove_source, methods=["POST"]),
]
