"""Importing a network through the web: upload, preview, confirm; a large import is stored in
the background (through the app's runner) while the person watches a status page."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.errors import NotFound, ValidationError
from juntos.network_map.graph import database_key
from juntos.network_map.imports import EXPIRED, Author, Choices, Imports, NetworkImport
from juntos.network_map.interop import importer
from juntos.network_map.interop.importer import Preview
from juntos.organisations.models import KINDS
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash
from juntos.web.views.network_map.common import imports, render

#: Conflicting rows offered one by one in the preview; the rest follow the choice for all.
CONFLICTS_SHOWN = 200
#: Rows listed in the preview (new or matched, with the actor each matches); the counts cover all.
ROWS_SHOWN = 500


def _status_url(token: str) -> str:
    return f"/network/import/{token}/status"


async def import_form(request: Request) -> Response:
    return render(request, "network_map/import.html", {"errors": {}, "preview": None,
                                                        "formats": importer.FORMATS})


async def import_post(request: Request) -> Response:
    form = await request.form()
    try:
        return await _import(request, form)
    finally:
        await form.close()  # uploads are spooled to temporary files: release them


async def _staged(request: Request, form: FormData) -> NetworkImport:
    """The upload of this form, staged now, or the one its preview staged (``token``)."""
    fmt, token = str(form.get("format", "")), str(form.get("token", ""))
    if token:
        return await run_in_threadpool(imports(request).staged, token, fmt)
    files = []
    for upload in form.getlist("files"):
        if isinstance(upload, str) or not upload.filename:
            continue
        files.append((upload.filename, await upload.read()))  # the body is capped (413)
    return await run_in_threadpool(imports(request).stage, files, fmt)


def _choices(form: FormData) -> Choices:
    """The person's choice for every conflicting row, one for the rest, and a kind for each
    type that names none for sure."""
    return Choices(default=str(form.get("conflicts") or "new"),
                   rows={str(k)[len("conflict:"):]: str(v) for k, v in form.multi_items()
                         if str(k).startswith("conflict:")},
                   kinds={str(k)[len("kind:"):]: str(v) for k, v in form.multi_items()
                          if str(k).startswith("kind:") and v})


def imported_message(result: dict[str, int]) -> str:
    """What an import did, in words: "5 new, 3 matched; 12 ties"."""
    return _("Imported: %(created)s new, %(matched)s matched to actors already here;"
             " %(ties)s ties.", created=result["created"], matched=result["matched"],
             ties=result["ties"])


def _preview_and_commit(desk: Imports, upload: NetworkImport, request: Request,
                        choices: Choices, commit: bool,
                        author: Author) -> tuple[Preview, dict[str, int] | None]:
    """Read, plan and (when confirmed and clean) store: in a worker thread, never on the
    event loop; reading and planning are bounded in size and time (``interop.limits``)."""
    db, now = request.state.db, request.state.clock()
    # Planned again at every step (the database may have changed since the preview); the
    # person's choice for each conflicting row is checked against this fresh plan.
    preview = upload.preview(db, choices)
    if not commit or preview.errors or preview.unresolved:
        return preview, None  # a type still without a kind: the preview asks again
    result = upload.commit(db, preview, now=now, by=request.state.user.id, author=author)
    desk.discard(upload)
    return preview, result


async def _import(request: Request, form: FormData) -> Response:
    db, user, now = request.state.db, request.state.user, request.state.clock()
    token = str(form.get("token", ""))
    if token and imports(request).job(token, user.id) is not None:
        return RedirectResponse(_status_url(token), status_code=303)  # confirmed twice
    upload = await _staged(request, form)
    choices = _choices(form)
    commit = bool(form.get("commit"))
    author = Author(organisation_id=user.organisation_id, coordinator=user.is_coordinator)
    try:
        if commit and upload.large:
            # Read, planned again and stored by the app's runner, in one transaction.
            imports(request).start(upload, choices, path=database_key(db), now=now,
                                   user_id=user.id, submit=request.app.state.runner.submit,
                                   author=author)
            return RedirectResponse(_status_url(upload.token), status_code=303)
        preview, result = await run_in_threadpool(
            _preview_and_commit, imports(request), upload, request, choices, commit, author)
        if result is not None:
            flash(request, imported_message(result))
            return RedirectResponse("/network", status_code=303)
    except ValidationError as e:
        return render(request, "network_map/import.html",
                      {"errors": e.errors, "preview": None, "formats": importer.FORMATS}, 400)
    context: dict[str, Any] = {
        "errors": {}, "preview": preview, "token": upload.token, "fmt": upload.fmt,
        "formats": importer.FORMATS, "conflicts_default": choices.default,
        "conflicts_shown": CONFLICTS_SHOWN, "rows_shown": ROWS_SHOWN,
        "kinds_chosen": choices.kinds, "kinds": KINDS,
        "kinds_missing": commit and bool(preview.unresolved)}
    failed = preview.errors or context["kinds_missing"]
    return render(request, "network_map/import.html", context, 400 if failed else 200)


async def import_status(request: Request) -> Response:
    """How a background import is going; refreshes itself (no JavaScript) while it runs."""
    token = request.path_params["token"]
    job = imports(request).job(token, request.state.user.id) if token.isalnum() else None
    if job is None:
        raise NotFound(EXPIRED)
    return render(request, "network_map/import_status.html", {"job": job})
