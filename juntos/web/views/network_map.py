"""Pages of the network_map area: the explorer, its JSON, the no-JS SVG and tables, questions,
import and export. Thin: parse the request, call juntos.network_map, render."""

from __future__ import annotations

import gzip
import json
import secrets
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from juntos.accounts import policy
from juntos.errors import NotFound, ValidationError
from juntos.network_map import import_jobs, judgements, layout, questions, store
from juntos.network_map.campaign_link import campaign_inputs, campaigns_of
from juntos.network_map.filters import MapFilter, MapView, apply
from juntos.network_map.focus import CAP_CHOICES
from juntos.network_map.graph import database_key, network
from juntos.network_map.interop import exporter, importer
from juntos.network_map.metrics import METRIC_NAMES, metrics
from juntos.network_map.models import STANCES, TIE_KINDS, TieInput
from juntos.network_map.render import (
    COLOUR_BY,
    cached_body,
    category_lists,
    graph_json,
    legend,
    svg,
)
from juntos.network_map.tables import (
    ACTOR_SORTS,
    JUDGEMENT_SORTS,
    TIE_SORTS,
    actor_rows,
    actor_ties,
    tie_rows,
)
from juntos.organisations import store as orgs
from juntos.web import i18n
from juntos.web.i18n import N_
from juntos.web.i18n import gettext as _
from juntos.web.pagination import Pagination, current_page
from juntos.web.routing import flash, form_dict, page
from juntos.web.webarea import WebArea

UPLOADS = Path(tempfile.gettempdir()) / "juntos-network-imports"
#: Conflicting rows offered one by one in the preview; the rest follow the choice for all.
CONFLICTS_SHOWN = 200


def _state(request: Request) -> dict[str, Any]:
    """Filters and view options from the URL (the whole state of a view lives there)."""
    q = request.query_params
    flt = MapFilter.from_query(q)
    colour_by = q.get("colour", "community")
    size_by = q.get("size", "degree")
    return {"filter": flt, "colour_by": colour_by if colour_by in COLOUR_BY else "community",
            "size_by": size_by if size_by in METRIC_NAMES else "degree",
            "path_from": q.get("from", ""), "path_to": q.get("to", "")}


def _options(net: Any, m: Any) -> dict[str, Any]:
    lists = category_lists(net)
    return {"kinds": lists["kinds"], "countries": lists["countries"],
            "tie_kinds": lists["tie_kinds"], "stances": STANCES,
            "themes": sorted({t for a in net.actors.values() for t in a["themes"]}),
            "communities": m.communities, "metric_names": METRIC_NAMES, "colour_bys": COLOUR_BY,
            "imported_colours": bool(net.colours), "cap_choices": CAP_CHOICES}


def _focus_notice(request: Request, flt: MapFilter, view: MapView) -> dict[str, Any] | None:
    """What a capped focus hid, with one link per tie kind that shows more: plain links that
    keep every other part of the view, so they work without JavaScript and can be shared."""
    focus = view.focus
    if focus is None or not (focus.hidden or focus.expanded):
        return None
    params = dict(request.query_params)
    params.pop("page", None)

    def href(expand: str) -> str:
        kept = {k: v for k, v in params.items() if k != "expand"}
        return request.url.path + "?" + urlencode(kept | ({"expand": expand} if expand else {}))

    return {"focus": focus, "cap": flt.cap, "hops": flt.hops,
            "offers": [{"kind": kind, "added": added,
                        "href": href(flt.expanding(kind).query()["expand"])}
                       for kind, added in focus.offers],
            "reset": href("") if focus.expanded else ""}


METRIC_LABELS = {
    "name": N_("Name"), "kind": N_("Kind"), "country": N_("Country"),
    "community": N_("Community"), "degree": N_("Ties (degree)"),
    "weighted_degree": N_("Weighted ties"), "betweenness": N_("Betweenness"),
    "pagerank": N_("PageRank"), "constraint": N_("Constraint (low: broker)"),
    "core": N_("k-core"), "from": N_("From"), "to": N_("To"), "strength": N_("Strength"),
    "stance": N_("Stance"), "valid_from": N_("Since"), "valid_until": N_("Until"),
    "judgements": N_("Judgements"), "judged_influence": N_("Judged influence (mean, 0-5)"),
    "judged_stance": N_("Judged stance (most often)"),
}
STANCE_LABELS = (N_("ally"), N_("neutral"), N_("opponent"))
CONFIDENCE_LABELS = (N_("low"), N_("medium"), N_("high"))


def metric_label(name: str) -> str:
    return _(METRIC_LABELS.get(name, name))


#: Suggestions for actor fields are sent with the page only for small maps (page weight).
SUGGEST_MAX = 400


def _slugs(net: Any) -> list[str]:
    return sorted(net.by_slug) if len(net.by_slug) <= SUGGEST_MAX else []


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, name, {**context, "metric_label": metric_label}, status_code=status)


def _path(net: Any, state: dict[str, Any]) -> tuple[questions.Paths | None, list[int]]:
    if state["path_from"] and state["path_to"]:
        paths = questions.introduction_paths(net, state["path_from"], state["path_to"])
        return paths, paths.strongest
    return None, []


async def explorer(request: Request) -> Response:
    db = request.state.db
    state = _state(request)
    net, m = network(db), metrics(db)
    view = apply(net, m, state["filter"])
    paths, _highlight = _path(net, state)
    query = request.url.query
    return _render(request, "network_map/explorer.html", {
        **state, **_options(net, m), "summary": m.network, "shown": len(view.actor_ids),
        "shown_ties": len(view.ties), "truncated": view.truncated, "paths": paths, "net": net,
        "query": query, "actor_slugs": _slugs(net),
        "focus_notice": _focus_notice(request, state["filter"], view),
        "legend": legend(net, m, view, state["colour_by"]),
        "community_themes": {c["id"]: c["themes"] for c in m.communities}})


def _body_key(request: Request, kind: str, net: Any, positions: Any) -> tuple[Any, ...]:
    return (kind, database_key(request.state.db), net.version, positions.version,
            positions.fresh, str(request.url.query), i18n.current_language())


async def graph_data(request: Request) -> Response:
    db = request.state.db
    state = _state(request)
    net, m = network(db), metrics(db)
    positions = layout.current(db)

    def make() -> bytes:
        view = apply(net, m, state["filter"])
        data = graph_json(net, m, view, positions.positions, fresh=positions.fresh,
                          size_by=state["size_by"])
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()

    return _cached_response(request, _body_key(request, "json", net, positions), make,
                            "application/json")


def _cached_response(request: Request, key: tuple[Any, ...], make: Any, media_type: str,
                     headers: dict[str, str] | None = None) -> Response:
    """A body kept per view and version, also kept gzipped: a map of 5,000 actors is about a
    megabyte, and compressing it again for every request costs more than building it."""
    headers = dict(headers or {}, Vary="Accept-Encoding")
    if "gzip" in request.headers.get("accept-encoding", ""):
        zipped = cached_body((*key, "gzip"), lambda: gzip.compress(cached_body(key, make), 6))
        return Response(zipped, media_type=media_type,
                        headers=headers | {"Content-Encoding": "gzip"})
    return Response(cached_body(key, make), media_type=media_type, headers=headers)


async def map_svg(request: Request) -> Response:
    db = request.state.db
    state = _state(request)
    net, m = network(db), metrics(db)
    positions = layout.current(db)

    def make() -> bytes:
        view = apply(net, m, state["filter"])
        _paths, highlight = _path(net, state)
        return svg(net, m, view, positions.positions, colour_by=state["colour_by"],
                   size_by=state["size_by"], highlight=highlight,
                   title=_("Network map")).encode()

    policy = "default-src 'none'; style-src 'unsafe-inline'"
    return _cached_response(request, _body_key(request, "svg", net, positions), make,
                            "image/svg+xml", {"Content-Security-Policy": policy})


def _actor_payload(db: Any, slug: str, user: Any) -> dict[str, Any]:
    net, m = network(db), metrics(db)
    actor = net.actor(slug)
    if actor is None:
        raise NotFound(f"No actor {slug!r}.")
    ties = [{"id": t["id"], "kind": t["kind"], "outgoing": t["outgoing"],
             "directed": t["directed"], "strength": t["strength"], "stance": t["stance"],
             "valid_from": t["valid_from"], "valid_until": t["valid_until"],
             "source": t["source"], "other": {"slug": t["other"]["slug"],
                                              "name": t["other"]["name"]}}
            for t in actor_ties(net, actor["id"])]
    return {"actor": {k: actor[k] for k in ("slug", "name", "acronym", "kind", "country",
                                            "city", "themes", "description")},
            "metrics": m.actors[actor["id"]],
            "betweenness_exact": m.network["betweenness_exact"],
            "attributes": store.actor_attributes(db).get(actor["id"], {}),
            "ties": ties, "campaigns": campaigns_of(db, actor["id"], user=user),
            # What people judged (Net-Map), kept apart from the computed "metrics" above.
            "judgements": [judgements.public_fields(j) | {"id": j["id"], "by": j["by_name"],
                                                         "recorded_by": j["recorded_by"]}
                           for j in judgements.for_actor(db, actor["id"], user=user)]}


async def actor_json(request: Request) -> Response:
    return JSONResponse(_actor_payload(request.state.db, request.path_params["slug"],
                                       request.state.user))


async def actor_page(request: Request) -> Response:
    return _actor_render(request, {}, {})


def _actor_render(request: Request, form: dict[str, str], errors: dict[str, str],
                  jform: dict[str, str] | None = None,
                  jerrors: dict[str, str] | None = None) -> Response:
    db, user = request.state.db, request.state.user
    payload = _actor_payload(db, request.path_params["slug"], user)
    return _render(request, "network_map/actor.html", {
        **payload, "form": form, "errors": errors, "tie_kinds": TIE_KINDS,
        "stance_options": [(s, _(s)) for s in STANCES],
        "jform": jform or {}, "jerrors": jerrors or {},
        "confidence_options": [(c, _(c)) for c in judgements.CONFIDENCES],
        "influence_options": [(str(i), str(i)) for i in judgements.INFLUENCE_SCALE],
        "campaign_options": [(c["slug"], c["title"])
                             for c in judgements.campaign_choices(db, user)],
        "can_withdraw": lambda j: policy.can(user, "network.judgement.delete", j),
        "actor_slugs": _slugs(network(db))}, 400 if errors or jerrors else 200)


async def judgement_create(request: Request) -> Response:
    """Record what someone judges of this actor on an issue (influence, stance, confidence)."""
    db, user = request.state.db, request.state.user
    actor = network(db).actor(request.path_params["slug"])
    if actor is None:
        raise NotFound("No such actor.")
    form = await form_dict(request)
    campaign_id = None
    try:
        slug = form.get("campaign", "").strip()
        if slug:
            visible = {c["slug"]: c["id"] for c in judgements.campaign_choices(db, user)}
            if slug not in visible:  # absent or private: the same answer
                raise ValidationError({"campaign": _("Choose a campaign from the list.")})
            campaign_id = visible[slug]
        judgement = judgements.JudgementInput.validated(
            org_id=actor["id"], issue=form.get("issue", ""), campaign_id=campaign_id,
            influence=form.get("influence", ""), stance=form.get("stance", ""),
            confidence=form.get("confidence", ""), note=form.get("note", ""))
        judgements.add(db, judgement, now=request.state.clock(), by=user.id)
    except ValidationError as e:
        return _actor_render(request, {}, {}, form, e.errors)
    flash(request, _("Judgement recorded."))
    return RedirectResponse(f"/network/actors/{actor['slug']}#judgements", status_code=303)


async def judgement_delete(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    raw = request.path_params["judgement_id"]
    if not raw.isdigit():
        raise NotFound("No such judgement.")
    judgement = judgements.get(db, int(raw), user=user)
    policy.require(user, "network.judgement.delete", judgement)
    judgements.delete(db, judgement["id"])
    flash(request, _("Judgement withdrawn."))
    slug = network(db).actors[judgement["org_id"]]["slug"]
    return RedirectResponse(f"/network/actors/{slug}#judgements", status_code=303)


def _tie_input(form: dict[str, str], a: int, b: int) -> TieInput:
    """The tie form's fields, validated the same way for adding and editing."""
    return TieInput.validated(from_id=a, to_id=b, kind=form.get("kind", ""),
                              directed=form.get("directed") == "1",
                              strength=form.get("strength", ""), stance=form.get("stance", ""),
                              valid_from=form.get("valid_from", ""),
                              valid_until=form.get("valid_until", ""),
                              source=form.get("source", ""), notes=form.get("notes", ""))


async def tie_create(request: Request) -> Response:
    """Record one tie from this actor (the form on the actor's page)."""
    db = request.state.db
    net = network(db)
    actor = net.actor(request.path_params["slug"])
    if actor is None:
        raise NotFound("No such actor.")
    form = await form_dict(request)
    other = net.actor(form.get("to", "").strip())
    try:
        if other is None:
            raise ValidationError({"to": _("Choose an actor from the list (its short name).")})
        a, b = (other["id"], actor["id"]) if form.get("incoming") else (actor["id"], other["id"])
        store.add_tie(db, _tie_input(form, a, b), now=request.state.clock(),
                      by=request.state.user.id)
    except ValidationError as e:
        return _actor_render(request, form, e.errors)
    flash(request, _("Tie recorded."))
    return RedirectResponse(f"/network/actors/{actor['slug']}", status_code=303)


def _tie_of(request: Request) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The tie named in the path (membership ties have negative ids) and its two actors."""
    raw = request.path_params["tie_id"]
    try:
        tie = store.get_tie(request.state.db, int(raw))
    except ValueError as e:
        raise NotFound("No such tie.") from e
    net = network(request.state.db)
    return tie, net.actors[tie["from_id"]], net.actors[tie["to_id"]]


def _back(request: Request, ends: tuple[dict[str, Any], ...], wanted: str) -> str:
    """Where to go after editing: the page of the end the person came from (never elsewhere)."""
    slug = next((a["slug"] for a in ends if a["slug"] == wanted), ends[0]["slug"])
    return f"/network/actors/{slug}"


def _tie_form_values(tie: dict[str, Any]) -> dict[str, str]:
    return {"kind": tie["kind"], "directed": "1" if tie["directed"] else "",
            "strength": "" if tie["strength"] is None else str(tie["strength"]),
            "stance": tie["stance"] or "", "valid_from": tie["valid_from"],
            "valid_until": tie["valid_until"], "source": tie["source"], "notes": tie["notes"]}


def _tie_edit_render(request: Request, tie: dict[str, Any], ends: tuple[dict, dict],
                     form: dict[str, str], errors: dict[str, str], back: str) -> Response:
    return _render(request, "network_map/tie_edit.html", {
        "tie": tie, "source_actor": ends[0], "target_actor": ends[1], "form": form,
        "errors": errors, "tie_kinds": TIE_KINDS, "back": back,
        "stance_options": [(s, _(s)) for s in STANCES]}, 400 if errors else 200)


async def tie_edit_form(request: Request) -> Response:
    tie, a, b = _tie_of(request)
    back = _back(request, (a, b), request.query_params.get("actor", ""))
    return _tie_edit_render(request, tie, (a, b), _tie_form_values(tie), {}, back)


async def tie_edit(request: Request) -> Response:
    """Change a tie's fields; the same validation and messages as recording one."""
    db = request.state.db
    tie, a, b = _tie_of(request)
    form = await form_dict(request)
    back = _back(request, (a, b), form.get("actor", ""))
    ends = (b, a) if form.get("swap") else (a, b)
    try:
        store.update_tie(db, tie["id"], _tie_input(form, ends[0]["id"], ends[1]["id"]),
                         now=request.state.clock(), by=request.state.user.id)
    except ValidationError as e:
        return _tie_edit_render(request, tie, (a, b), form, e.errors, back)
    flash(request, _("Tie updated."))
    return RedirectResponse(back, status_code=303)


async def tie_delete_form(request: Request) -> Response:
    """Ask before deleting: the confirmation is a page, so it works without JavaScript."""
    tie, a, b = _tie_of(request)
    return _render(request, "network_map/tie_delete.html", {
        "tie": tie, "source_actor": a, "target_actor": b,
        "back": _back(request, (a, b), request.query_params.get("actor", ""))})


async def tie_delete(request: Request) -> Response:
    tie, a, b = _tie_of(request)
    form = await form_dict(request)
    store.delete_tie(request.state.db, tie["id"])
    flash(request, _("Tie deleted."))
    return RedirectResponse(_back(request, (a, b), form.get("actor", "")), status_code=303)


def _page_of(request: Request, rows: list[Any]) -> tuple[list[Any], Pagination]:
    per_page = 100
    number = current_page(request)
    pagination = Pagination(number, per_page, len(rows), request.url.path,
                            dict(request.query_params))
    return rows[pagination.offset:pagination.offset + per_page], pagination


async def actor_table(request: Request) -> Response:
    db = request.state.db
    state = _state(request)
    net, m = network(db), metrics(db)
    view = apply(net, m, state["filter"])
    sort = request.query_params.get("sort", "degree")
    descending = request.query_params.get("order", "desc") != "asc"
    judged = judgements.summaries(db, user=request.state.user)
    rows, pagination = _page_of(request, actor_rows(net, m, view, sort=sort,
                                                     descending=descending, judged=judged))
    return _render(request, "network_map/actors.html", {
        **state, **_options(net, m), "rows": rows, "pagination": pagination, "sort": sort,
        "descending": descending, "sorts": ACTOR_SORTS, "judgement_sorts": JUDGEMENT_SORTS,
        "summary": m.network, "query": request.url.query,
        "focus_notice": _focus_notice(request, state["filter"], view)})


async def tie_table(request: Request) -> Response:
    db = request.state.db
    state = _state(request)
    net, m = network(db), metrics(db)
    view = apply(net, m, state["filter"])
    sort = request.query_params.get("sort", "from")
    descending = request.query_params.get("order", "asc") == "desc"
    rows, pagination = _page_of(request, tie_rows(net, view, sort=sort, descending=descending))
    return _render(request, "network_map/ties.html", {
        **state, **_options(net, m), "rows": rows, "pagination": pagination, "sort": sort,
        "descending": descending, "sorts": TIE_SORTS, "query": request.url.query,
        "focus_notice": _focus_notice(request, state["filter"], view)})


async def path_json(request: Request) -> Response:
    net = network(request.state.db)
    q = request.query_params
    paths = questions.introduction_paths(net, q.get("from", ""), q.get("to", ""))
    slugs = {label: [net.actors[a]["slug"] for a in ids]
             for label, ids in (("shortest", paths.shortest), ("strongest", paths.strongest))}
    return JSONResponse(slugs | {"strengths": paths.strengths})


async def questions_page(request: Request) -> Response:
    db = request.state.db
    q = request.query_params
    net, m = network(db), metrics(db)
    context: dict[str, Any] = {"q": q, "net": net, **_options(net, m),
                               "actor_slugs": _slugs(net)}
    if q.get("a") and q.get("b"):
        context["brokers"] = questions.brokers(net, m, q["a"], q["b"])
    if q.get("before") and q.get("after"):
        MapFilter.from_query({"at": q["before"]})
        MapFilter.from_query({"at": q["after"]})
        context["changes"] = questions.changes(net, q["before"], q["after"])
    if q.get("coverage"):
        context["coverage"] = questions.coverage(net)
    partners = [p for p in q.getlist("partner") if p]
    if q.get("campaign") or partners or q.get("rthemes") or q.get("rcountries"):
        inputs = campaign_inputs(db, q["campaign"], user=request.state.user) if q.get(
            "campaign") else {
            "partners": [], "themes": [], "countries": []}
        ids = inputs["partners"] + [orgs.get(db, slug)["id"] for slug in partners]
        themes = [*inputs["themes"],
                  *[t.strip() for t in q.get("rthemes", "").split(",") if t.strip()]]
        countries = [*inputs["countries"],
                     *[c.strip() for c in q.get("rcountries", "").split(",") if c.strip()]]
        context["recommendations"] = questions.recommend(net, partners=ids, themes=themes,
                                                         countries=countries)
    return _render(request, "network_map/questions.html", context)


async def export(request: Request) -> Response:
    db = request.state.db
    fmt = request.query_params.get("format", "gexf")
    if fmt not in exporter.FORMATS:
        raise ValidationError({"format": _("Unknown export format.")})
    net, m = network(db), metrics(db)
    attrs = store.actor_attributes(db)
    positions = layout.current(db).positions
    if fmt == "csv":
        elements, connections = exporter.kumu_csv(net, attrs)
        which = request.query_params.get("sheet", "elements")
        body = connections if which == "connections" else elements
        return Response(body, media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="network-{which}.csv"'})
    body, media = {
        "gexf": (lambda: exporter.gexf(net, m, positions, attrs), "application/gexf+xml"),
        "graphml": (lambda: exporter.graphml(net, attrs), "application/graphml+xml"),
        "json": (lambda: exporter.node_link(net, m, attrs, _judged_export(db, request)),
                 "application/json"),
        "svg": (lambda: svg(net, m, apply(net, m, MapFilter.from_query(request.query_params)),
                            positions, title=_("Network map")), "image/svg+xml"),
    }[fmt]
    return Response(body(), media_type=media, headers={
        "Content-Disposition": f'attachment; filename="network.{fmt}"'})


def _judged_export(db: Any, request: Request) -> dict[int, list[dict[str, Any]]]:
    return {org: [judgements.public_fields(j) for j in rows] for org, rows in
            judgements.by_actor(db, user=request.state.user).items()}


async def import_form(request: Request) -> Response:
    return _render(request, "network_map/import.html", {"errors": {}, "preview": None,
                                                         "formats": importer.FORMATS})


async def import_post(request: Request) -> Response:
    form = await request.form()
    try:
        return await _import(request, form)
    finally:
        await form.close()  # uploads are spooled to temporary files: release them


async def _import(request: Request, form: Any) -> Response:
    db = request.state.db
    token = str(form.get("token", ""))
    folder: Path
    if token:
        if not token.isalnum():
            raise NotFound("This import has expired; upload the file again.")
        folder = UPLOADS / token
        if not folder.is_dir():
            raise NotFound("This import has expired; upload the file again.")
        if import_jobs.get(token, request.state.user.id) is not None:  # confirmed twice
            return RedirectResponse(f"/network/import/{token}/status", status_code=303)
    else:
        token = secrets.token_hex(16)
        folder = UPLOADS / token
        folder.mkdir(parents=True, exist_ok=True)
        for upload in form.getlist("files"):
            if isinstance(upload, str) or not upload.filename:
                continue
            data = await upload.read()  # the request context caps the whole body (413)
            name = Path(upload.filename).name.replace("/", "_") or "upload"
            (folder / name).write_bytes(data)
    paths = sorted(folder.iterdir())
    fmt = str(form.get("format", ""))
    try:
        if not paths:
            raise ValidationError({"files": _("Choose a file to import.")})
        # Planned again at every step (the database may have changed since the preview); the
        # person's choice for each conflicting row is checked against this fresh plan.
        choices = {str(k)[len("conflict:"):]: str(v) for k, v in form.multi_items()
                   if str(k).startswith("conflict:")}
        default = str(form.get("conflicts") or "new")
        if form.get("commit") and _previewed_rows(token) >= import_jobs.BACKGROUND_ROWS:
            # A large import is read, planned again and stored in a background thread, in one
            # transaction; the person follows a status page.
            now, user_id = request.state.clock(), request.state.user.id
            import_jobs.start(database_key(db), token, lambda conn: importer.import_files(
                conn, paths, fmt=fmt, now=now, by=user_id, conflicts=default,
                choices=choices)[1], now=now, user_id=user_id)
            return RedirectResponse(f"/network/import/{token}/status", status_code=303)
        preview = importer.resolve_conflicts(importer.plan(db, importer.read(paths, fmt)),
                                             default=default, choices=choices)
        (UPLOADS / f"{token}.rows").write_text(str(len(preview.actors) + len(preview.ties)))
        if form.get("commit") and not preview.errors:
            result = importer.commit(db, preview, now=request.state.clock(),
                                     by=request.state.user.id)
            flash(request, _("Imported %(actors)s actors and %(ties)s ties.",
                             actors=result["actors"], ties=result["ties"]))
            return RedirectResponse("/network", status_code=303)
    except ValidationError as e:
        return _render(request, "network_map/import.html",
                       {"errors": e.errors, "preview": None, "formats": importer.FORMATS}, 400)
    return _render(request, "network_map/import.html", {
        "errors": {}, "preview": preview, "token": token, "fmt": fmt,
        "formats": importer.FORMATS, "conflicts_default": str(form.get("conflicts") or "new"),
        "conflicts_shown": CONFLICTS_SHOWN}, 400 if preview.errors else 200)


def _previewed_rows(token: str) -> int:
    """Actors and ties the server counted when it showed the preview (kept beside the upload,
    never taken from the form)."""
    try:
        return int((UPLOADS / f"{token}.rows").read_text())
    except (OSError, ValueError):
        return 0


async def import_status(request: Request) -> Response:
    """How a background import is going; refreshes itself (no JavaScript) while it runs."""
    token = request.path_params["token"]
    job = import_jobs.get(token, request.state.user.id) if token.isalnum() else None
    if job is None:
        raise NotFound("This import has expired; upload the file again.")
    return _render(request, "network_map/import_status.html", {"job": job})


def organisation_panel(request: Request, org: dict[str, Any]) -> tuple[str, dict] | None:
    """On an organisation's page: its place in the network map."""
    db = request.state.db
    net, m = network(db), metrics(db)
    if org["id"] not in net.actors:
        return None
    return "network_map/_panel.html", {"org": org, "metrics": m.actors[org["id"]],
                                       "ties": len(actor_ties(net, org["id"]))}


def campaign_panel(request: Request, campaign: dict[str, Any]) -> tuple[str, dict] | None:
    """On a campaign's page: actors tied to its partners, not yet partners, with reasons."""
    net = network(request.state.db)
    if not campaign.get("member_org_ids"):
        return None
    rows = questions.recommend(net, partners=list(campaign["member_org_ids"]),
                               themes=list(campaign.get("themes") or []),
                               countries=list(campaign.get("countries") or []), n=5)
    if not rows:
        return None
    return "network_map/_campaign_panel.html", {"campaign": campaign, "rows": rows}


routes = [
    page("/network", explorer, name="network"),
    page("/network/graph.json", graph_data),
    page("/network/map.svg", map_svg),
    page("/network/path.json", path_json),
    page("/network/actors", actor_table, name="network_actors"),
    page("/network/ties", tie_table, name="network_ties"),
    page("/network/actors/{slug}.json", actor_json),
    page("/network/actors/{slug}", actor_page, name="network_actor"),
    page("/network/actors/{slug}/ties", tie_create, methods=["POST"], action="network.edit"),
    page("/network/actors/{slug}/judgements", judgement_create, methods=["POST"],
         action="network.edit"),
    page("/network/judgements/{judgement_id}/delete", judgement_delete, methods=["POST"],
         action="network.edit"),
    page("/network/ties/{tie_id}/edit", tie_edit_form, action="network.edit"),
    page("/network/ties/{tie_id}/edit", tie_edit, methods=["POST"], action="network.edit"),
    page("/network/ties/{tie_id}/delete", tie_delete_form, action="network.edit"),
    page("/network/ties/{tie_id}/delete", tie_delete, methods=["POST"], action="network.edit"),
    page("/network/questions", questions_page, name="network_questions"),
    page("/network/export", export, name="network_export"),
    page("/network/import", import_form, action="network.import", name="network_import"),
    page("/network/import", import_post, methods=["POST"], action="network.import"),
    page("/network/import/{token}/status", import_status, action="network.import"),
]

WEB = WebArea(
    name="network_map",
    routes=routes,
    organisation_panel=organisation_panel,
    campaign_panel=campaign_panel,
)
