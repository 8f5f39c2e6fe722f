"""Organisations: list, view, create, edit."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import policy
from juntos.errors import Conflict, ValidationError
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput
from juntos.web.i18n import gettext as _
from juntos.web.pagination import Pagination, current_page
from juntos.web.panels import organisation_panels
from juntos.web.routing import flash, form_dict, page


async def org_list(request: Request) -> Response:
    db = request.state.db
    q = request.query_params
    flt = orgs.OrganisationFilter(
        q=q.get("q", "").strip(),
        kind=q.get("kind", ""),
        country=q.get("country", ""),
        theme=q.get("theme", ""),
        network=q.get("network", ""),
    )
    per_page = request.app.state.settings.page_size
    number = current_page(request)
    rows, total = orgs.search(db, flt, limit=per_page, offset=(number - 1) * per_page)
    pagination = Pagination(number, per_page, total, request.url.path, dict(q))
    return request.app.state.templates.TemplateResponse(
        request,
        "organisations/list.html",
        {
            "organisations": rows,
            "pagination": pagination,
            "filter": flt,
            "countries": orgs.countries_in_use(db),
            "themes": orgs.themes_in_use(db),
            "networks": orgs.networks(db),
        },
    )


async def org_view(request: Request) -> Response:
    db = request.state.db
    org = orgs.get(db, request.path_params["slug"])
    return request.app.state.templates.TemplateResponse(
        request,
        "organisations/view.html",
        {
            "org": org,
            "networks": orgs.networks_of(db, org["id"]),
            "members": orgs.members_of(db, org["id"]) if org["kind"] == "network" else [],
            "panels": organisation_panels(request, org),
        },
    )


def _form_values(org: dict[str, Any]) -> dict[str, str]:
    values = {k: ("" if v is None else v) for k, v in org.items()}
    values["languages"] = ", ".join(org.get("languages") or [])
    values["themes"] = ", ".join(org.get("themes") or [])
    values["is_public"] = "1" if org.get("is_public") else ""
    return values


def _render_form(
    request: Request,
    *,
    form: dict[str, Any],
    errors: dict[str, str],
    org: dict[str, Any] | None,
    status: int = 200,
) -> Response:
    db = request.state.db
    selected = form.get("network_ids") or [str(n["id"]) for n in
                                            (orgs.networks_of(db, org["id"]) if org else [])]
    return request.app.state.templates.TemplateResponse(
        request,
        "organisations/form.html",
        {
            "form": form,
            "errors": errors,
            "org": org,
            "networks": [n for n in orgs.networks(db) if not org or n["id"] != org["id"]],
            "selected_networks": {str(s) for s in selected},
        },
        status_code=status,
    )


async def org_new(request: Request) -> Response:
    return _render_form(request, form={"kind": "cso"}, errors={}, org=None)


async def _save(request: Request, org: dict[str, Any] | None) -> Response:
    db = request.state.db
    form = await form_dict(request)
    raw_form = await request.form()
    network_ids = [int(v) for v in raw_form.getlist("networks") if str(v).isdigit()]
    form_with_networks: dict[str, Any] = {**form, "network_ids": [str(i) for i in network_ids]}
    try:
        data = OrganisationInput.from_form(form)
        now = request.state.clock()
        by = request.state.user.id
        with db.atomic():
            if org is None:
                saved = orgs.create(db, data, now=now, by=by)
            else:
                saved = orgs.update(db, org["id"], data, now=now, by=by)
            orgs.set_networks(db, saved["id"], [i for i in network_ids if i != saved["id"]])
    except ValidationError as e:
        return _render_form(request, form=form_with_networks, errors=e.errors, org=org, status=400)
    except Conflict:
        errors = {"slug": _("This slug is already taken; choose another.")}
        return _render_form(request, form=form_with_networks, errors=errors, org=org, status=400)
    flash(request, _("Saved %(name)s.", name=saved["name"]))
    return RedirectResponse(f"/organisations/{saved['slug']}", status_code=303)


async def org_create(request: Request) -> Response:
    return await _save(request, None)


async def org_edit(request: Request) -> Response:
    org = orgs.get(request.state.db, request.path_params["slug"])
    policy.require(request.state.user, "organisation.edit", org)
    return _render_form(request, form=_form_values(org), errors={}, org=org)


async def org_update(request: Request) -> Response:
    org = orgs.get(request.state.db, request.path_params["slug"])
    policy.require(request.state.user, "organisation.edit", org)
    return await _save(request, org)


routes = [
    page("/organisations", org_list, name="organisations"),
    page("/organisations/new", org_new, action="organisation.create"),
    page("/organisations/new", org_create, methods=["POST"], action="organisation.create"),
    page("/organisations/{slug}", org_view, name="organisation"),
    page("/organisations/{slug}/edit", org_edit),
    page("/organisations/{slug}/edit", org_update, methods=["POST"]),
]
