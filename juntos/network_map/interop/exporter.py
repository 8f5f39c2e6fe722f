"""Writing the network out: GEXF 1.3 (attributes, viz colours and positions, dynamic start/end
from tie dates), GraphML, node-link JSON and a Kumu-shaped CSV pair.

Written by hand rather than with networkx's writers, which fail on lists, None and dates and
clash on an edge attribute named ``type``: the tie kind is written as ``relation``, lists as
``a|b``, dates in ISO form. Node ids are slugs, so a re-import matches the same actors.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.etree import ElementTree as ET

from juntos import csvsafe
from juntos.network_map.graph import Network
from juntos.network_map.interop.parsed import COLOUR_ATTR
from juntos.network_map.metrics import Metrics
from juntos.network_map.palette import community_colour

FORMATS = ("gexf", "graphml", "json", "csv", "svg")
NODE_FIELDS = ("slug", "kind", "country", "themes", "acronym", "description", "city", "region")
# "evidence", not "source": node-link JSON's edges already use "source" for an end.
EDGE_FIELDS = ("relation", "directed", "strength", "stance", "valid_from", "valid_until",
               "evidence", "notes")


def _node_values(net: Network, actor_id: int, attrs: dict[int, dict],
                 colour_attr: bool = True) -> dict[str, str]:
    """``colour_attr=False``: leave the imported colour out (GraphML writes it as Gephi's
    r/g/b). GEXF keeps it as an attribute too: our reader ignores the viz:color of a file
    Juntos wrote (there it is mostly the community colour, recomputed on import)."""
    actor = net.actors[actor_id]
    values = {f: actor.get(f) or "" for f in NODE_FIELDS}
    values["themes"] = "|".join(actor["themes"])
    for key, value in attrs.get(actor_id, {}).items():
        if key.startswith("viz_") or (key == COLOUR_ATTR and not colour_attr):
            continue  # written as viz:color / viz:size
        values.setdefault(key, value if isinstance(value, str) else json.dumps(value))
    return {k: str(v) for k, v in values.items()}


def _rgb(colour: str | None) -> dict[str, str]:
    """Gephi's GraphML colour: integer ``r``, ``g``, ``b`` node data."""
    if not colour:
        return {}
    return {k: str(int(colour[i:i + 2], 16)) for k, i in (("r", 1), ("g", 3), ("b", 5))}


def _edge_values(tie: dict[str, Any]) -> dict[str, str]:
    values = {"relation": tie["kind"], "directed": "true" if tie["directed"] else "false",
              "strength": "" if tie["strength"] is None else str(tie["strength"]),
              "stance": tie["stance"], "valid_from": tie["valid_from"],
              "valid_until": tie["valid_until"], "evidence": tie["source"], "notes": tie["notes"]}
    for key, value in tie["attrs"].items():
        values.setdefault(key, value if isinstance(value, str) else json.dumps(value))
    return values


def _keys(rows: list[dict[str, str]], first: tuple[str, ...]) -> list[str]:
    seen = dict.fromkeys(first)
    for row in rows:
        for key in row:
            seen.setdefault(key)
    return list(seen)


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def gexf(net: Network, metrics: Metrics, positions: dict[int, tuple[float, float]],
         attrs: dict[int, dict]) -> str:
    ns, viz = "http://gexf.net/1.3", "http://gexf.net/1.3/viz"
    ET.register_namespace("", ns)
    ET.register_namespace("viz", viz)
    root = ET.Element(f"{{{ns}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{ns}}}meta")
    ET.SubElement(meta, f"{{{ns}}}creator").text = "Juntos"
    dated = any(t["valid_from"] or t["valid_until"] for t in net.ties)
    graph = ET.SubElement(root, f"{{{ns}}}graph", {"defaultedgetype": "directed",
                                                    "mode": "dynamic" if dated else "static",
                                                    **({"timeformat": "date"} if dated else {})})
    nodes = {a: _node_values(net, a, attrs) for a in net.actors}
    edges = [_edge_values(t) for t in net.ties]
    node_keys = _keys(list(nodes.values()), NODE_FIELDS)
    edge_keys = _keys(edges, EDGE_FIELDS)
    for cls, keys in (("node", node_keys), ("edge", edge_keys)):
        block = ET.SubElement(graph, f"{{{ns}}}attributes", {"class": cls, "mode": "static"})
        for key in keys:
            ET.SubElement(block, f"{{{ns}}}attribute", {"id": key, "title": key, "type": "string"})
    node_block = ET.SubElement(graph, f"{{{ns}}}nodes")
    for actor_id, values in nodes.items():
        actor = net.actors[actor_id]
        node = ET.SubElement(node_block, f"{{{ns}}}node", {"id": actor["slug"],
                                                            "label": actor["name"]})
        block = ET.SubElement(node, f"{{{ns}}}attvalues")
        for key in node_keys:
            if values.get(key, "") != "":
                ET.SubElement(block, f"{{{ns}}}attvalue", {"for": key, "value": values[key]})
        # An imported colour travels back out (a round trip keeps it); else the community's.
        colour = net.colours.get(actor_id) or community_colour(
            metrics.actors[actor_id]["community"])
        ET.SubElement(node, f"{{{viz}}}color", {"r": str(int(colour[1:3], 16)),
                                                 "g": str(int(colour[3:5], 16)),
                                                 "b": str(int(colour[5:7], 16))})
        x, y = positions.get(actor_id, (0.0, 0.0))
        ET.SubElement(node, f"{{{viz}}}position", {"x": f"{x:.2f}", "y": f"{-y:.2f}", "z": "0"})
        size = 4 + metrics.actors[actor_id]["degree"] ** 0.5
        ET.SubElement(node, f"{{{viz}}}size", {"value": f"{size:.2f}"})
    edge_block = ET.SubElement(graph, f"{{{ns}}}edges")
    for tie, values in zip(net.ties, edges, strict=True):
        element: dict[str, str] = {
            "id": str(tie["id"]), "source": net.actors[tie["from_id"]]["slug"],
            "target": net.actors[tie["to_id"]]["slug"],
            "type": "directed" if tie["directed"] else "undirected", "label": tie["kind"]}
        if tie["strength"]:
            element["weight"] = str(tie["strength"])
        if tie["valid_from"]:
            element["start"] = tie["valid_from"]
        if tie["valid_until"]:
            element["end"] = tie["valid_until"]
        edge = ET.SubElement(edge_block, f"{{{ns}}}edge", element)
        block = ET.SubElement(edge, f"{{{ns}}}attvalues")
        for key in edge_keys:
            if values.get(key, "") != "":
                ET.SubElement(block, f"{{{ns}}}attvalue", {"for": key, "value": values[key]})
    return _xml(root)


def graphml(net: Network, attrs: dict[int, dict]) -> str:
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    nodes = {a: _node_values(net, a, attrs, colour_attr=False) | {"label": net.actors[a]["name"]}
             | _rgb(net.colours.get(a)) for a in net.actors}
    edges = [_edge_values(t) for t in net.ties]
    node_keys = _keys(list(nodes.values()), ("label", *NODE_FIELDS))
    edge_keys = _keys(edges, EDGE_FIELDS)
    for domain, keys in (("node", node_keys), ("edge", edge_keys)):
        for key in keys:
            ET.SubElement(root, f"{{{ns}}}key", {"id": f"{domain[0]}_{key}", "for": domain,
                                                  "attr.name": key, "attr.type": "string"})
    graph = ET.SubElement(root, f"{{{ns}}}graph", {"id": "juntos", "edgedefault": "directed"})
    for actor_id, values in nodes.items():
        node = ET.SubElement(graph, f"{{{ns}}}node", {"id": net.actors[actor_id]["slug"]})
        for key in node_keys:
            if values.get(key, "") != "":
                ET.SubElement(node, f"{{{ns}}}data", {"key": f"n_{key}"}).text = values[key]
    for tie, values in zip(net.ties, edges, strict=True):
        edge = ET.SubElement(graph, f"{{{ns}}}edge", {
            "id": str(tie["id"]), "source": net.actors[tie["from_id"]]["slug"],
            "target": net.actors[tie["to_id"]]["slug"],
            "directed": "true" if tie["directed"] else "false"})
        for key in edge_keys:
            if values.get(key, "") != "":
                ET.SubElement(edge, f"{{{ns}}}data", {"key": f"e_{key}"}).text = values[key]
    return _xml(root)


def node_link(net: Network, metrics: Metrics, attrs: dict[int, dict],
              judged: dict[int, list[dict[str, Any]]] | None = None) -> str:
    """networkx's node-link shape (``edges="edges"``), with our fields and computed metrics,
    and apart from them, under ``judgements``, what people judged of each actor (Net-Map)."""
    judged = judged or {}
    nodes = [{"id": net.actors[a]["slug"], "label": net.actors[a]["name"],
              **_node_values(net, a, attrs), "metrics": metrics.actors[a],
              **({"judgements": judged[a]} if a in judged else {})} for a in net.actors]
    edges = [{"source": net.actors[t["from_id"]]["slug"], "target": net.actors[t["to_id"]]["slug"],
              "key": t["id"], **_edge_values(t)} for t in net.ties]
    return json.dumps({"directed": True, "multigraph": True, "graph": {"creator": "Juntos"},
                       "nodes": nodes, "edges": edges}, ensure_ascii=False, indent=1)


def kumu_csv(net: Network, attrs: dict[int, dict]) -> tuple[str, str]:
    """Kumu's Elements and Connections sheets as two CSV texts."""
    elements = io.StringIO()
    rows = [{"ID": net.actors[a]["slug"], "Label": net.actors[a]["name"],
             "Type": net.actors[a]["kind"], "Description": net.actors[a]["description"] or "",
             "Tags": "|".join(net.actors[a]["themes"]),
             **{k: v for k, v in _node_values(net, a, attrs).items()
                if k not in ("kind", "themes", "description")}} for a in net.actors]
    writer = csv.DictWriter(elements, fieldnames=_keys(rows, ("ID", "Label", "Type")))
    writer.writeheader()
    writer.writerows(csvsafe.record(r) for r in rows)
    connections = io.StringIO()
    ties = []
    for tie in net.ties:
        values = _edge_values(tie)
        ties.append({"From": net.actors[tie["from_id"]]["slug"],
                     "To": net.actors[tie["to_id"]]["slug"], "Type": values.pop("relation"),
                     "Direction": "directed" if tie["directed"] else "undirected",
                     "Strength": values.pop("strength"),
                     **{k: v for k, v in values.items() if k != "directed"}})
    writer = csv.DictWriter(connections, fieldnames=_keys(ties, ("From", "To", "Type")))
    writer.writeheader()
    writer.writerows(csvsafe.record(t) for t in ties)
    return elements.getvalue(), connections.getvalue()
