"""What the viewers draw: the compact JSON the explorer loads and the SVG shown without
JavaScript, both from the same filtered view so they show the same facts."""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any
from xml.sax.saxutils import escape

from juntos.network_map.filters import MapView
from juntos.network_map.graph import Network
from juntos.network_map.measures import BY_NAME
from juntos.network_map.metrics import Metrics
from juntos.network_map.palette import PALETTE, STANCE_COLOURS, colour_for, community_colour

#: "imported": the colour another tool gave the node (GEXF viz:color, GraphML r/g/b), kept on
#: import; offered only when some actors have one.
COLOUR_BY = ("community", "kind", "country", "imported")
NO_COLOUR = "#999999"
#: The SVG draws at most this many ties (the strongest); the tables list them all.
SVG_MAX_TIES = 4000
SVG_LABELS = 40


def node_size(metrics: Metrics, actor_id: int, size_by: str, top: float) -> float:
    value = metrics.actors[actor_id].get(size_by) or 0
    if BY_NAME[size_by].low_first:  # low constraint = broker: draw brokers larger
        value = 1 - min(float(value), 1.0)
        top = 1.0
    return round(2 + 10 * math.sqrt(float(value) / top), 2) if top else 3.0


def _top(metrics: Metrics, ids: list[int], size_by: str) -> float:
    return max((float(metrics.actors[a].get(size_by) or 0) for a in ids), default=0.0)


def _colour_value(net: Network, metrics: Metrics, actor_id: int, colour_by: str) -> Any:
    """What an actor is coloured by: its kind, country, imported colour or community."""
    if colour_by == "kind":
        return net.actors[actor_id]["kind"]
    if colour_by == "country":
        return net.actors[actor_id]["country"]
    if colour_by == "imported":
        return net.colours.get(actor_id, "")
    return metrics.actors[actor_id]["community"]


def _shade(value: Any, colour_by: str, lists: dict[str, list[str]]) -> str:
    if colour_by == "kind":
        return colour_for(value, lists["kinds"])
    if colour_by == "country":
        return colour_for(value, lists["countries"])
    if colour_by == "imported":
        return str(value or NO_COLOUR)
    return community_colour(value)


def colour(net: Network, metrics: Metrics, actor_id: int, colour_by: str,
           lists: dict[str, list[str]]) -> str:
    return _shade(_colour_value(net, metrics, actor_id, colour_by), colour_by, lists)


#: A legend lists this many colours; the rest share the palette and are summed up as "others".
LEGEND_MAX = len(PALETTE)


def legend(net: Network, metrics: Metrics, view: MapView,
           colour_by: str) -> tuple[list[dict[str, Any]], int]:
    """The colours in the view, most actors first: ``[{"value", "colour", "count"}]`` and the
    number of further values left out. Values are raw (a community id, a kind, a country
    code, an imported colour) for the template to label in the viewer's language."""
    lists = category_lists(net)
    counts: dict[Any, int] = {}
    for a in view.actor_ids:
        value = _colour_value(net, metrics, a, colour_by)
        counts[value] = counts.get(value, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    rows = [{"value": value, "colour": _shade(value, colour_by, lists), "count": count}
            for value, count in ranked[:LEGEND_MAX]]
    return rows, max(len(ranked) - LEGEND_MAX, 0)


def kept_legend(net: Network, metrics: Metrics, view: MapView, key: Hashable,
                colour_by: str) -> tuple[list[dict[str, Any]], int]:
    """``legend``, kept with the snapshot for the view's ``key`` (its filter), as the view is:
    counting 5,000 actors' colours on every page view was a third of the explorer's cost."""
    kept = net.remember(("legend", key, colour_by),
                        lambda: (metrics, view, legend(net, metrics, view, colour_by)))
    if kept[0] is metrics and kept[1] is view:
        return kept[2]
    return legend(net, metrics, view, colour_by)


def category_lists(net: Network) -> dict[str, list[str]]:
    return net.remember("category_lists", lambda: {
        "kinds": sorted({a["kind"] for a in net.actors.values()}),
        "countries": sorted({a["country"] for a in net.actors.values()}),
        "tie_kinds": sorted({t["kind"] for t in net.ties})})


def graph_json(net: Network, metrics: Metrics, view: MapView,
               positions: dict[int, tuple[float, float]], *, fresh: bool,
               size_by: str = "degree") -> dict[str, Any]:
    """Compact arrays, not objects: 5,000 actors and 25,000 ties stay well under 1 MB gzipped.

    nodes: [slug, name, x, y, community, kind index, country index, degree, betweenness, size]
    edges: [from node index, to node index, tie kind index, stance index, directed]
    """
    lists = category_lists(net)
    kind_index = {k: i for i, k in enumerate(lists["kinds"])}
    country_index = {c: i for i, c in enumerate(lists["countries"])}
    tie_index = {k: i for i, k in enumerate(lists["tie_kinds"])}
    stances = ["", "ally", "neutral", "opponent"]
    index = {a: i for i, a in enumerate(view.actor_ids)}
    nodes = []
    top = _top(metrics, view.actor_ids, size_by)
    for a in view.actor_ids:
        actor, m = net.actors[a], metrics.actors[a]
        x, y = positions.get(a, (0.0, 0.0))
        nodes.append([actor["slug"], actor["name"], round(x, 1), round(y, 1), m["community"],
                      kind_index[actor["kind"]], country_index[actor["country"]], m["degree"],
                      m["betweenness"], node_size(metrics, a, size_by, top)])
    edges = [[index[t["from_id"]], index[t["to_id"]], tie_index[t["kind"]],
              stances.index(t["stance"]) if t["stance"] in stances else 0, int(t["directed"])]
             for t in view.ties]
    focus = view.focus
    data = {"version": net.version, "layout_fresh": fresh, "truncated": view.truncated,
            "focus": None if focus is None else {
                "within": focus.within, "hidden": focus.hidden, "expanded": list(focus.expanded),
                "offers": [list(o) for o in focus.offers]},
            "kinds": lists["kinds"], "countries": lists["countries"],
            "tie_kinds": lists["tie_kinds"], "stances": stances,
            "communities": metrics.communities, "nodes": nodes, "edges": edges}
    if net.colours:  # imported colours, one per node ("" for none): only when some exist
        data["colours"] = [net.colours.get(a, "") for a in view.actor_ids]
    return data


def svg(net: Network, metrics: Metrics, view: MapView,
        positions: dict[int, tuple[float, float]], *, colour_by: str = "community",
        size_by: str = "degree", highlight: list[int] | None = None, title: str = "") -> str:
    """A static drawing of the view: ties as lines, actors as circles, the largest labelled."""
    ids = view.actor_ids
    lists = category_lists(net)
    if not ids:
        return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20" role="img">'
                '<title>' + escape(title) + '</title></svg>')
    xs = [positions.get(a, (0, 0))[0] for a in ids]
    ys = [positions.get(a, (0, 0))[1] for a in ids]
    pad = 30
    min_x, min_y = min(xs) - pad, min(ys) - pad
    width, height = max(xs) - min_x + pad, max(ys) - min_y + pad
    top = _top(metrics, ids, size_by)
    scale = max(width, height) / 900
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{min_x:.0f} {min_y:.0f} '
           f'{width:.0f} {height:.0f}" role="img" class="network-svg">',
           f"<title>{escape(title)}</title>", f'<g stroke-width="{scale:.2f}" opacity="0.55">']
    ties = sorted(view.ties, key=lambda t: -(t["strength"] or 0))[:SVG_MAX_TIES]
    for t in ties:
        x1, y1 = positions.get(t["from_id"], (0, 0))
        x2, y2 = positions.get(t["to_id"], (0, 0))
        out.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                   f'stroke="{STANCE_COLOURS.get(t["stance"], "#bbb")}"/>')
    out.append("</g>")
    path = highlight or []
    if len(path) > 1:
        points = " ".join(f"{positions[a][0]:.0f},{positions[a][1]:.0f}" for a in path
                          if a in positions)
        out.append(f'<polyline points="{points}" fill="none" stroke="#000" '
                   f'stroke-width="{4 * scale:.2f}" class="path"/>')
    out.append("<g>")
    labelled = set(sorted(ids, key=lambda a: -float(metrics.actors[a].get(size_by) or 0))
                   [:SVG_LABELS]) | set(path)
    for a in ids:
        x, y = positions.get(a, (0, 0))
        r = node_size(metrics, a, size_by, top) * scale
        name = net.actors[a]["name"]
        out.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{r:.1f}" '
                   f'fill="{colour(net, metrics, a, colour_by, lists)}">'
                   f"<title>{escape(name)}</title></circle>")
    out.append("</g>")
    out.append(f'<g font-size="{11 * scale:.1f}" font-family="sans-serif" fill="#222">')
    for a in ids:
        if a in labelled:
            x, y = positions.get(a, (0, 0))
            out.append(f'<text x="{x + 6 * scale:.0f}" y="{y:.0f}">'
                       f"{escape(net.actors[a]['acronym'] or net.actors[a]['name'][:30])}</text>")
    out.append("</g></svg>")
    return "\n".join(out)
