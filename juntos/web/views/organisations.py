"""Organisations: list, view, create, edit."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from juntos.accounts import policy
from juntos.errors import Conflict, NotFound, ValidationError
from juntos.organisations import audit, duplicates, merge, names, picker
from juntos.organisations import store as orgs
from juntos.organisations.memo import OrganisationMemo
from juntos.organisations.models import OrganisationInput
from juntos.web.i18n import N_
from juntos.web.i18n import gettext as _
from juntos.web.pagination import Pagination, current_page
from juntos.web.panels import organisation_panels
from juntos.web.routing import flash, form_dict, page
from juntos.web.templating import kept_piece
from juntos.web.webarea import WebArea

#: The name a page of the list is kept by (``fragment`` in organisations/list.html).
RESULTS = "organisations/list.html results"


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
    memo = request.app.state.organisation_memo
    # A page of results is the same for every reader: kept per version of the organisations,
    # query and page, and not searched again while kept.
    results_key = (memo.version(db), tuple(sorted(q.multi_items())), number, per_page)
    kept = kept_piece(request, RESULTS, results_key)
    rows, total = ([], 0) if kept is not None else orgs.search(
        db, flt, limit=per_page, offset=(number - 1) * per_page)
    pagination = Pagination(number, per_page, total, request.url.path, dict(q))
    return request.app.state.templates.TemplateResponse(
        request,
        "organisations/list.html",
        {
            "organisations": rows,
            "pagination": pagination,
            "results_html": kept, "results_key": results_key,
            "filter": flt,
            # the same for every reader: read, and drawn (``fragment``), once per change
            "choices_version": memo.version(db),
            "countries": memo.get(db, orgs.countries_in_use),
            "themes": memo.get(db, orgs.themes_in_use),
            "networks": memo.get(db, orgs.networks),
        },
    )


async def pick_json(request: Request) -> Response:
    """The organisation picker's suggestions for what has been typed (``?q=``): name, acronym
    and other names, best first. For signed-in users only, as organisations' pages are."""
    text = request.query_params.get("q", "")[:picker.MAX_TYPED]
    choices = picker.search(request.state.db, text)
    return JSONResponse({"q": text, "choices": [
        {"slug": c["slug"], "label": c["label"], "name": c["name"], "short": c["short"],
         "country": c["country"]} for c in choices]},
        headers={"Cache-Control": "private, max-age=60"})


async def org_audit(request: Request) -> Response:
    """The organisation's audit trail, for its own members (``organisation.audit``; 404 for
    others, as if it were not there)."""
    org = orgs.get(request.state.db, request.path_params["slug"])
    if not policy.can(request.state.user, "organisation.audit", org):
        raise NotFound("No such page.")
    return request.app.state.templates.TemplateResponse(
        request, "organisations/audit.html",
        {"org": org, "entries": audit.trail(request.state.db, org["id"]),
         "actions": audit.ACTIONS})


async def org_view(request: Request) -> Response:
    db = request.state.db
    slug = request.path_params["slug"]
    try:
        org = orgs.get(db, slug)
    except NotFound:
        moved_to = names.slug_redirect(db, slug)
        if moved_to is None:
            raise
        # The organisation was merged into another: old links and bookmarks keep working.
        return RedirectResponse(f"/organisations/{moved_to}", status_code=301)
    return request.app.state.templates.TemplateResponse(
        request,
        "organisations/view.html",
        {
            "org": org,
            "aliases": names.aliases_of(db, org["id"]),
            "merges": merge.history(db, org["id"]),
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
    known = orgs.themes_in_use(db)
    chosen = [t.strip() for t in str(form.get("themes") or "").split(",") if t.strip()]
    return request.app.state.templates.TemplateResponse(
        request,
        "organisations/form.html",
        {
            "known_themes": known, "chosen_themes": chosen,
            "new_themes": ", ".join(t for t in chosen if t not in known),
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
    if "themes_known" in raw_form:  # ticked among the themes in use, and new ones typed
        form["themes"] = ", ".join([*map(str, raw_form.getlist("themes_known")),
                                    form.get("themes", "")])
        form.pop("themes_known", None)
    network_ids = [int(v) for v in map(str, raw_form.getlist("networks")) if v.isdigit()]
    form_with_networks: dict[str, Any] = {**form, "network_ids": [str(i) for i in network_ids]}
    try:
        errors: dict[str, str] = {}
        try:
            aliases = names.parse_aliases(form.get("aliases", ""), own_name=form.get("name", ""))
        except ValidationError as e:
            errors |= e.errors
        try:
            data = OrganisationInput.from_form(form)
        except ValidationError as e:
            errors = e.errors | errors
        if errors:
            raise ValidationError(errors)
        names.check_unclaimed(db, org["id"] if org else None, acronym=data.acronym,
                              aliases=aliases)
        now = request.state.clock()
        by = request.state.user.id
        with db.atomic():
            if org is None:
                saved = orgs.create(db, data, now=now, by=by)
            else:
                saved = orgs.update(db, org["id"], data, now=now, by=by)
            orgs.set_networks(db, saved["id"], [i for i in network_ids if i != saved["id"]])
            names.set_aliases(db, saved["id"], aliases, now=now)
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
    form = _form_values(org) | {
        "aliases": "\n".join(names.aliases_of(request.state.db, org["id"]))}
    return _render_form(request, form=form, errors={}, org=org)


async def org_update(request: Request) -> Response:
    org = orgs.get(request.state.db, request.path_params["slug"])
    policy.require(request.state.user, "organisation.edit", org)
    return await _save(request, org)


DUPLICATES_SHOWN = 50

REASONS = {
    "same_name": N_("same name once case, accents, punctuation and common words are ignored"
                    " (%(name)s)"),
    "similar_name": N_("similar names (%(percent)s%%: %(name)s / %(other)s)"),
    "same_acronym": N_("same acronym (%(acronym)s)"),
    "acronym_initials": N_("acronym %(acronym)s matches the other's initials"),
    "same_domain": N_("same website domain (%(domain)s)"),
    "same_country": N_("same country (%(country)s)"),
    "other_country": N_("different countries (%(country)s / %(other)s): lowers the score"),
}

FIELD_LABELS = {
    "name": N_("Name"), "acronym": N_("Acronym"), "kind": N_("Kind"),
    "country": N_("Country"), "region": N_("Region"), "city": N_("City"),
    "timezone": N_("Time zone"), "website": N_("Website"), "description": N_("Description"),
    "is_public": N_("Public"), "languages": N_("Languages"), "themes": N_("Themes"),
}


def _reasons(candidate: duplicates.Candidate) -> list[str]:
    return [_(REASONS[r.code], **r.args) for r in candidate.reasons]


async def duplicates_list(request: Request) -> Response:
    db = request.state.db
    found = duplicates.candidates(db)
    shown = found[:DUPLICATES_SHOWN]  # the best; marking or merging them brings the next
    return request.app.state.templates.TemplateResponse(
        request, "organisations/duplicates.html",
        {"candidates": [(c, _reasons(c)) for c in shown], "total": len(found)},
    )


def _pair_ids(values: Any) -> tuple[int, int]:
    try:
        return int(values.get("a", "")), int(values.get("b", ""))
    except ValueError:
        raise NotFound("No such pair of organisations.") from None


def _render_review(request: Request, a_id: int, b_id: int, *, choices: dict[str, str],
                   problems: list[str] | None = None, status: int = 200) -> Response:
    db = request.state.db
    candidate = duplicates.pair(db, a_id, b_id)
    a, b = candidate.a, candidate.b
    rows = []
    for name in (*merge.CHOOSABLE, "languages", "themes"):
        rows.append({"name": name, "label": _(FIELD_LABELS[name]), "a": a.get(name),
                     "b": b.get(name), "choice": choices.get(name, "a")})
    return request.app.state.templates.TemplateResponse(
        request, "organisations/merge.html",
        {"a": a, "b": b, "score": candidate.percent, "reasons": _reasons(candidate),
         "rows": rows, "conflicts": set(merge.field_conflicts(a, b)),
         "counts_a": merge.reference_counts(db, a), "counts_b": merge.reference_counts(db, b),
         "aliases_a": names.aliases_of(db, a["id"]), "aliases_b": names.aliases_of(db, b["id"]),
         "problems": problems or []},
        status_code=status,
    )


async def merge_review(request: Request) -> Response:
    params = dict(request.query_params)
    other = params.get("other", "").strip()
    if other:  # "merge with..." on an organisation's page: any slug, name, acronym or alias
        found = picker.pick(request.state.db, other)
        if found.found is None:  # several or none: choose, never a dead end
            return request.app.state.templates.TemplateResponse(
                request, "organisations/choose.html",
                {"text": other, "choices": found.choices, "a": params.get("a", "")})
        params["b"] = str(found.found["id"])
    a_id, b_id = _pair_ids(params)
    return _render_review(request, a_id, b_id, choices={})


async def merge_submit(request: Request) -> Response:
    db = request.state.db
    form = await form_dict(request)
    a_id, b_id = _pair_ids(form)
    keep_id = a_id if form.get("keep") == str(a_id) else b_id
    drop_id = b_id if keep_id == a_id else a_id
    choices = {k.removeprefix("take_"): v for k, v in form.items()
               if k.startswith("take_") and v in ("a", "b")}
    keep_side = "a" if keep_id == a_id else "b"
    choose = {f: ("keep" if side == keep_side else "drop") for f, side in choices.items()
              if f in merge.CHOOSABLE}
    user = request.state.user
    try:
        result = merge.merge(db, keep_id, drop_id, now=request.state.clock(), by=user.id,
                             by_name=user.name or user.email, choose=choose,
                             survivor_wins=form.get("survivor_wins") == "1")
    except merge.MergeConflict as refused:
        return _render_review(request, a_id, b_id, choices=choices, problems=refused.problems,
                              status=409)
    flash(request, _("Merged %(dropped)s into %(kept)s.", dropped=result.dropped["name"],
                     kept=result.kept["name"]))
    return RedirectResponse(f"/organisations/{result.kept['slug']}", status_code=303)


async def mark_distinct(request: Request) -> Response:
    db = request.state.db
    form = await form_dict(request)
    a_id, b_id = _pair_ids(form)
    candidate = duplicates.pair(db, a_id, b_id)
    duplicates.mark_distinct(db, a_id, b_id, now=request.state.clock(),
                             by=request.state.user.id)
    flash(request, _("%(a)s and %(b)s will not be proposed as duplicates again.",
                     a=candidate.a["name"], b=candidate.b["name"]))
    return RedirectResponse("/organisations/duplicates", status_code=303)


routes = [
    page("/organisations", org_list, name="organisations"),
    page("/organisations/new", org_new, action="organisation.create"),
    page("/organisations/new", org_create, methods=["POST"], action="organisation.create"),
    page("/organisations/pick.json", pick_json),
    page("/organisations/duplicates", duplicates_list, action="organisation.merge"),
    page("/organisations/merge", merge_review, action="organisation.merge"),
    page("/organisations/merge", merge_submit, methods=["POST"], action="organisation.merge"),
    page("/organisations/distinct", mark_distinct, methods=["POST"],
         action="organisation.merge"),
    page("/organisations/{slug}", org_view, name="organisation"),
    page("/organisations/{slug}/audit", org_audit),
    page("/organisations/{slug}/edit", org_edit),
    page("/organisations/{slug}/edit", org_update, methods=["POST"]),
]

WEB = WebArea(name="organisations", routes=routes,
              state={"organisation_memo": OrganisationMemo})
