"""The map itself: the explorer page, its JSON, the no-JS SVG, the actors and ties tables,
introduction paths, the questions page and exports."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from juntos.accounts import policy
from juntos.errors import ValidationError
from juntos.network_map import judgements, questions, store
from juntos.network_map.campaign_link import campaign_inputs
from juntos.network_map.filters import MapFilter, apply, subnetwork
from juntos.network_map.graph import Network, database_key
from juntos.network_map.interop import exporter
from juntos.network_map.layout import Layout
from juntos.network_map.render import graph_json, kept_legend, svg
from juntos.network_map.tables import (
    ACTOR_COLUMNS,
    ACTOR_SORTS,
    JUDGEMENT_SORTS,
    TIE_SORTS,
    actor_rows,
    tie_rows,
)
from juntos.organisations import store as orgs
from juntos.web import i18n
from juntos.web.i18n import gettext as _
from juntos.web.templating import kept_piece
from juntos.web.views.network_map.common import (
    cache,
    focus_notice,
    group_label,
    named_actors,
    options,
    page_of,
    panel_measures,
    positions,
    render,
    slugs,
    snapshot,
    view_state,
)

SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def _path(net: Network, state: dict[str, Any]) -> tuple[questions.Paths | None, list[int]]:
    if state["path_from"] and state["path_to"]:
        paths = questions.introduction_paths(net, state["path_from"], state["path_to"])
        return paths, paths.strongest
    return None, []


#: The name the explorer page's body is kept by (``fragment`` in explorer.html).
EXPLORER = "network_map/explorer.html body"


async def explorer(request: Request) -> Response:
    """The explorer page. Its body is the same for everyone who may do the same with the
    network (import or not): kept rendered per view (the drawing's version tag, which names
    the network, layout, filters and language, and the whole query) and not worked out again
    while kept."""
    net, m = snapshot(request)
    if (chosen := named_actors(request, net)) is not None:
        return chosen
    tag = version_tag(request)
    key = (tag, request.url.query, policy.can(request.state.user, "network.import"))
    if (kept := kept_piece(request, EXPLORER, key)) is not None:
        return render(request, "network_map/explorer.html", {"body_html": kept})
    state = view_state(request)
    view = apply(net, m, state["filter"])
    paths, _highlight = _path(net, state)
    return render(request, "network_map/explorer.html", {
        **state, **options(net, m), "summary": m.network, "shown": len(view.actor_ids),
        "shown_ties": len(view.ties), "truncated": view.truncated, "paths": paths, "net": net,
        "query": request.url.query, "actor_slugs": slugs(net),
        "focus_notice": focus_notice(request, state["filter"], view),
        "legend": kept_legend(net, m, view, state["filter"], state["colour_by"]),
        "community_themes": {c["id"]: c["themes"] for c in m.communities},
        "graph_version": tag, "body_html": None, "body_key": key,
        "panel_measures": panel_measures()})


#: In the URL but not in the drawing: the version tag, the open panel and the camera.
NOT_DRAWN = frozenset({"v", "actor", "view"})


def _query_key(request: Request) -> str:
    """The URL's query as far as it changes what is drawn."""
    return "&".join(f"{k}={v}" for k, v in request.query_params.multi_items()
                    if k not in NOT_DRAWN)


def _body_key(request: Request, kind: str, net: Network, layout: Layout) -> tuple[Any, ...]:
    return (kind, database_key(request.state.db), net.version, layout.version, layout.fresh,
            _query_key(request), i18n.current_language())


def version_tag(request: Request, kind: str = "json") -> str:
    """What identifies the body of this view (network, layout, filters, language): its ETag,
    and the ``v`` the explorer page puts in its graph.json URL."""
    net, _m = snapshot(request)
    return _tag(_body_key(request, kind, net, positions(request)))


def _tag(key: tuple[Any, ...]) -> str:
    return hashlib.blake2b(repr(key).encode(), digest_size=10).hexdigest()


def _drawing(request: Request, kind: str, media_type: str,
             draw: Callable[[Network, Any, Any, dict[str, Any], Layout], bytes],
             headers: dict[str, str] | None = None) -> Response:
    """graph.json or the SVG of the view in the URL: a body kept per view and version, also
    kept gzipped (a map of 5,000 actors is about a megabyte, and compressing it again for
    every request costs more than building it).

    Caching that HTTP understands: an ETag per body (304 when the browser has it), revalidated
    on every use (``no-cache``), except where the URL carries the current version tag ``v``
    (the explorer's own request): that URL's body never changes, so the browser keeps it and a
    warm visit on a slow link draws the map without asking. ``private``: never in a shared
    cache."""
    state = view_state(request)
    net, m = snapshot(request)
    layout = positions(request)
    key = _body_key(request, kind, net, layout)

    def make() -> bytes:
        return draw(net, m, apply(net, m, state["filter"]), state, layout)

    kept = cache(request)
    zipped = "gzip" in request.headers.get("accept-encoding", "")
    tag = _tag(key)
    etag = f'"{tag}{"-gz" if zipped else ""}"'
    immutable = request.query_params.get("v") == tag
    headers = dict(headers or {}, Vary="Accept-Encoding", ETag=etag, **{
        "Cache-Control": "private, max-age=31536000, immutable" if immutable
        else "private, no-cache"})
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if zipped:
        body = kept.body((*key, "gzip"), lambda: gzip.compress(kept.body(key, make), 6))
        return Response(body, media_type=media_type,
                        headers=headers | {"Content-Encoding": "gzip"})
    return Response(kept.body(key, make), media_type=media_type, headers=headers)


async def graph_data(request: Request) -> Response:
    def draw(net: Network, m: Any, view: Any, state: dict[str, Any], layout: Layout) -> bytes:
        data = graph_json(net, m, view, layout.positions, fresh=layout.fresh,
                          size_by=state["size_by"])
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()

    return _drawing(request, "json", "application/json", draw)


async def map_svg(request: Request) -> Response:
    def draw(net: Network, m: Any, view: Any, state: dict[str, Any], layout: Layout) -> bytes:
        _paths, highlight = _path(net, state)
        return svg(net, m, view, layout.positions, colour_by=state["colour_by"],
                   size_by=state["size_by"], highlight=highlight,
                   title=_("Network map")).encode()

    return _drawing(request, "svg", "image/svg+xml", draw,
                    {"Content-Security-Policy": SVG_POLICY})


def _table(request: Request, template: str, rows: list[Any], context: dict[str, Any],
           state: dict[str, Any], view: Any) -> Response:
    net, m = snapshot(request)
    shown, pagination = page_of(request, rows)
    return render(request, template, {
        **state, **options(net, m), **context, "rows": shown, "pagination": pagination,
        "query": request.url.query, "focus_notice": focus_notice(request, state["filter"], view)})


async def actor_table(request: Request) -> Response:
    net, m = snapshot(request)
    if (chosen := named_actors(request, net)) is not None:
        return chosen
    state = view_state(request)
    view = apply(net, m, state["filter"])
    sort = request.query_params.get("sort", "degree")
    descending = request.query_params.get("order", "desc") != "asc"
    judged = judgements.summaries(request.state.db, user=request.state.user)
    rows = actor_rows(net, m, view, sort=sort, descending=descending, judged=judged)
    return _table(request, "network_map/actors.html", rows, {
        "sort": sort, "descending": descending, "sorts": ACTOR_SORTS,
        "actor_columns": ACTOR_COLUMNS, "judgement_sorts": JUDGEMENT_SORTS,
        "summary": m.network}, state, view)


async def tie_table(request: Request) -> Response:
    net, m = snapshot(request)
    if (chosen := named_actors(request, net)) is not None:
        return chosen
    state = view_state(request)
    view = apply(net, m, state["filter"])
    sort = request.query_params.get("sort", "from")
    descending = request.query_params.get("order", "asc") == "desc"
    rows = tie_rows(net, view, sort=sort, descending=descending)
    db, user = request.state.db, request.state.user
    return _table(request, "network_map/ties.html", rows, {
        "sort": sort, "descending": descending, "sorts": TIE_SORTS,
        "can_change_tie": lambda t: policy.can(user, "network.tie.change",
                                               store.get_tie(db, t["id"]))}, state, view)


async def path_json(request: Request) -> Response:
    net, _m = snapshot(request)
    q = request.query_params
    paths = questions.introduction_paths(net, q.get("from", ""), q.get("to", ""))
    found = {label: [net.actors[a]["slug"] for a in ids]
             for label, ids in (("shortest", paths.shortest), ("strongest", paths.strongest))}
    return JSONResponse(found | {"strengths": paths.strengths})


def _words(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _recommendations(request: Request, net: Network) -> list[dict[str, Any]] | None:
    """Actors to ask for a campaign, or for partners, themes and countries typed in."""
    db, q = request.state.db, request.query_params
    partners = [p for p in q.getlist("partner") if p]
    if not (q.get("campaign") or partners or q.get("rthemes") or q.get("rcountries")):
        return None
    inputs = (campaign_inputs(db, q["campaign"], user=request.state.user) if q.get("campaign")
              else {"partners": [], "themes": [], "countries": []})
    ids = inputs["partners"] + [orgs.get(db, slug)["id"] for slug in partners]
    return questions.recommend(net, partners=ids,
                               themes=[*inputs["themes"], *_words(q.get("rthemes", ""))],
                               countries=[*inputs["countries"],
                                          *_words(q.get("rcountries", ""))])


async def questions_page(request: Request) -> Response:
    q = request.query_params
    net, m = snapshot(request)
    if (chosen := named_actors(request, net, ("partner",))) is not None:
        return chosen
    context: dict[str, Any] = {
        "q": q, "net": net, **options(net, m),
        "campaign_choices": judgements.campaign_choices(request.state.db, request.state.user),
        "group_label": lambda spec: group_label(m, spec)}
    if q.get("a") and q.get("b"):
        context["brokers"] = questions.brokers(net, m, q["a"], q["b"])
    if q.get("before") and q.get("after"):
        MapFilter.from_query({"at": q["before"]})
        MapFilter.from_query({"at": q["after"]})
        context["changes"] = questions.changes(net, q["before"], q["after"])
    if q.get("coverage"):
        context["coverage"] = questions.coverage(net)
    recommendations = _recommendations(request, net)
    if recommendations is not None:
        context["recommendations"] = recommendations
    return render(request, "network_map/questions.html", context)


def _judged_export(request: Request) -> dict[int, list[dict[str, Any]]]:
    return {org: [judgements.public_fields(j) for j in rows] for org, rows in
            judgements.by_actor(request.state.db, user=request.state.user).items()}


async def export(request: Request) -> Response:
    """The network, or the view its filters choose (the explorer's query carried in the
    link), in any of ``exporter.FORMATS``."""
    db = request.state.db
    fmt = request.query_params.get("format", "gexf")
    if fmt not in exporter.FORMATS:
        raise ValidationError({"format": _("Unknown export format.")})
    whole, m = snapshot(request)
    flt = MapFilter.from_query(request.query_params)
    view = apply(whole, m, flt)
    net = subnetwork(whole, view) if flt.active else whole
    attrs = store.actor_attributes(db)
    name = "network-filtered" if flt.active else "network"
    if fmt == "csv":
        elements, connections = exporter.kumu_csv(net, attrs)
        which = request.query_params.get("sheet", "elements")
        body = connections if which == "connections" else elements
        return Response(body, media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{name}-{which}.csv"'})
    placed = positions(request).positions
    make, media = {
        "gexf": (lambda: exporter.gexf(net, m, placed, attrs), "application/gexf+xml"),
        "graphml": (lambda: exporter.graphml(net, attrs), "application/graphml+xml"),
        "json": (lambda: exporter.node_link(net, m, attrs, _judged_export(request)),
                 "application/json"),
        "svg": (lambda: svg(whole, m, view, placed, title=_("Network map")), "image/svg+xml"),
    }[fmt]
    return Response(make(), media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
