"""What the network map's pages share: the app's cache and runner, the view's state from the
URL, the filter options, and rendering with the columns' labels."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.errors import NotFound
from juntos.network_map import layout, tables
from juntos.network_map.cache import NetworkCache
from juntos.network_map.filters import MapFilter, MapView
from juntos.network_map.focus import CAP_CHOICES
from juntos.network_map.graph import Network
from juntos.network_map.imports import Imports
from juntos.network_map.measures import BY_NAME, MEASURES, METRIC_NAMES
from juntos.network_map.metrics import Metrics
from juntos.network_map.models import STANCES
from juntos.network_map.render import COLOUR_BY, category_lists
from juntos.organisations import picker
from juntos.web.i18n import N_
from juntos.web.i18n import gettext as _
from juntos.web.pagination import Pagination, current_page

STANCE_LABELS = (N_("ally"), N_("neutral"), N_("opponent"))
CONFIDENCE_LABELS = (N_("low"), N_("medium"), N_("high"))
#: Suggestions for actor fields are sent with the page only for small maps (page weight).
SUGGEST_MAX = 400
PER_PAGE = 100


def cache(request: Request) -> NetworkCache:
    """The app's snapshots of the network (one cache per app)."""
    cached: NetworkCache = request.app.state.network_cache
    return cached


def imports(request: Request) -> Imports:
    """The app's staged uploads and background imports."""
    desk: Imports = request.app.state.network_imports
    return desk


def snapshot(request: Request) -> tuple[Network, Metrics]:
    """The network and its metrics at the current change counter."""
    db, kept = request.state.db, cache(request)
    return kept.network(db), kept.metrics(db)


def path_actor(request: Request) -> tuple[Network, dict[str, Any]]:
    """The network and the actor the path names (``{slug}``); NotFound when there is none."""
    net, _m = snapshot(request)
    actor = net.actor(request.path_params["slug"])
    if actor is None:
        raise NotFound("No such actor.")
    return net, actor


def positions(request: Request) -> layout.Layout:
    """Positions now; a stale layout is recomputed by the app's runner, never by the request."""
    return layout.current(request.state.db, cache(request),
                          submit=request.app.state.runner.submit)


def view_state(request: Request) -> dict[str, Any]:
    """Filters and view options from the URL (the whole state of a view lives there)."""
    q = request.query_params
    colour_by = q.get("colour", "community")
    size_by = q.get("size", "degree")
    return {"filter": MapFilter.from_query(q),
            "colour_by": colour_by if colour_by in COLOUR_BY else "community",
            "size_by": size_by if size_by in METRIC_NAMES else "degree",
            "path_from": q.get("from", ""), "path_to": q.get("to", "")}


def options(net: Network, m: Metrics) -> dict[str, Any]:
    """The choices the filter form offers."""
    lists = category_lists(net)
    return {"community_name": community_name, "broker_words": broker_words,
            "kinds": lists["kinds"], "countries": lists["countries"],
            "tie_kinds": lists["tie_kinds"], "stances": STANCES,
            "themes": net.remember("themes", lambda: sorted(
                {t for a in net.actors.values() for t in a["themes"]})),
            "communities": m.communities, "metric_names": METRIC_NAMES, "colour_bys": COLOUR_BY,
            "imported_colours": bool(net.colours), "cap_choices": CAP_CHOICES,
            "actor_label": lambda slug: actor_label(net, slug),
            # what the rendered lists of choices are kept by (``fragment``)
            "choices_version": net.version}


def focus_notice(request: Request, flt: MapFilter, view: MapView) -> dict[str, Any] | None:
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


def metric_label(name: str) -> str:
    """A column's or a measure's label in the reader's language."""
    return _(tables.label(name))


def metric_help(name: str) -> str:
    """What a measure means, in the reader's language ("" for other columns)."""
    measure = BY_NAME.get(name)
    return _(measure.help) if measure is not None else ""


def panel_measures() -> list[dict[str, Any]]:
    """The measures the explorer's side panel lists, then the community."""
    return [{"name": m.name, "label": _(m.label), "sampled": m.sampled}
            for m in MEASURES if m.in_panel] + [
        {"name": "community", "label": metric_label("community"), "sampled": False}]


def slugs(net: Network) -> list[str]:
    """Actors' names for a search box's suggestions (small maps only: page weight)."""
    if len(net.by_slug) > SUGGEST_MAX:
        return []
    return sorted({a["name"] for a in net.actors.values()}, key=str.casefold)


def actor_label(net: Network, slug: str) -> str:
    """What a form shows for an actor the URL names by slug: its name (the slug itself when
    it names nobody, so the person sees what they typed)."""
    actor = net.actor(slug) if slug else None
    return str(actor["name"]) if actor else slug


#: The URL's parameters that name an actor: the focus, and the ends of an introduction path.
ACTOR_PARAMS = ("focus", "from", "to")


def named_actors(request: Request, net: Network,
                 keys: tuple[str, ...] = ACTOR_PARAMS) -> Response | None:
    """Actors named in the URL by name, acronym or another name (typed in a form) rather than
    by slug: a redirect to the same view with their slugs when each names one actor, else the
    page that offers the choices (never a 400 or 404 for a name). None when every one is a
    slug already."""
    replaced: dict[str, str] = {}
    unresolved: dict[str, picker.Pick] = {}
    for key in keys:
        text = request.query_params.get(key, "").strip()
        if not text or text in net.by_slug:
            continue
        found = picker.pick(request.state.db, text)
        if found.found is not None and found.found["slug"] in net.by_slug:
            replaced[key] = found.found["slug"]
        else:
            unresolved[key] = found
    if not replaced and not unresolved:
        return None
    params = {k: v for k, v in request.query_params.items() if k != "page"} | replaced
    if not unresolved:
        return RedirectResponse(request.url.path + "?" + urlencode(params), status_code=303)

    def href(key: str, slug: str) -> str:
        chosen = {k: v for k, v in params.items() if k != key or slug}
        return request.url.path + "?" + urlencode(chosen | ({key: slug} if slug else {}))

    asks = [{"key": key, "text": found.text, "label": _(PARAM_LABELS[key]),
             "choices": [c | {"href": href(key, c["slug"])} for c in found.choices
                         if c["slug"] in net.by_slug],
             "without": href(key, "")} for key, found in unresolved.items()]
    return render(request, "network_map/choose.html", {"asks": asks}, status=200)


def community_name(community: dict[str, Any]) -> str:
    """A community as people know it: by its best-connected members."""
    names = community.get("largest") or []
    if not names:
        return _("Community %(number)s", number=community["id"])
    return _("%(names)s and others (%(size)s)", names=", ".join(names),
             size=community["size"]) if community["size"] > len(names) \
        else ", ".join(names)


def group_label(m: Metrics, spec: str) -> str:
    """A group of the brokers question (``theme:NAME``, ``community:N``) in words."""
    kind, _sep, value = spec.partition(":")
    if kind == "community" and value.isdigit() and int(value) < len(m.communities):
        return community_name(m.communities[int(value)])
    return _("Theme: %(theme)s", theme=value) if kind == "theme" else spec


def broker_words(broker: dict[str, Any]) -> str:
    """Why an actor is a broker, in words rather than its raw score."""
    share = broker["share"]
    percent = max(1, round(share * 100))
    reach = (_("on %(percent)s%% of the shortest routes between the two groups",
               percent=percent) if share >= 0.01 else
             _("on a few of the shortest routes between the two groups"))
    if broker["in_a"] and broker["in_b"]:
        where = _("a member of both groups")
    elif broker["in_a"]:
        where = _("a member of the first group")
    elif broker["in_b"]:
        where = _("a member of the second group")
    else:
        where = _("in neither group: a go-between")
    return f"{where}, {reach}"


PARAM_LABELS = {"focus": N_("Focus on actor"), "from": N_("Introduction path from"),
                "to": N_("Introduction path to"), "partner": N_("Partner")}


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, name, {**context, "metric_label": metric_label, "metric_help": metric_help,
                           "measures": MEASURES},
        status_code=status)


def page_of(request: Request, rows: list[Any]) -> tuple[list[Any], Pagination]:
    pagination = Pagination(current_page(request), PER_PAGE, len(rows), request.url.path,
                            dict(request.query_params))
    return rows[pagination.offset:pagination.offset + PER_PAGE], pagination
