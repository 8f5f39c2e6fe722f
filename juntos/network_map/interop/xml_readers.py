"""GEXF (1.1 to 1.3, both namespaces, static and dynamic) and GraphML, parsed by hand.

networkx's readers stop on real files (Gephi's Les Misérables sample: "No <graph> element";
a dynamic GEXF: KeyError), so we read the XML ourselves, namespace-blind, through defusedxml
(no entity expansion, no external entities). Nodes come from node elements, never from edges.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from juntos.network_map.interop.parsed import (
    COLOUR_ATTR,
    Edge,
    ImportFileError,
    Node,
    ParsedGraph,
    hex_colour,
    rgb_colour,
)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [c for c in element if _local(c.tag) == name]


def _parse(path: Path) -> Element:
    try:
        return SafeET.parse(str(path)).getroot()
    except ParseError as e:
        line = getattr(e, "position", (0, 0))[0]
        raise ImportFileError(f"{path.name}, line {line}", f"not well-formed XML ({e})") from e
    except DefusedXmlException as e:
        raise ImportFileError(path.name, f"refused: {e}") from e


def read_gexf(path: Path) -> ParsedGraph:
    root = _parse(path)
    if _local(root.tag) != "gexf":
        raise ImportFileError(path.name, "not a GEXF file (no <gexf> root element)")
    graphs = _children(root, "graph")
    if not graphs:
        raise ImportFileError(path.name, "no <graph> element")
    graph = graphs[0]
    default_type = graph.get("defaultedgetype", "undirected")
    titles: dict[tuple[str, str], str] = {}
    for block in _children(graph, "attributes"):
        cls = block.get("class", "node")
        for attribute in _children(block, "attribute"):
            key = attribute.get("id", "")
            titles[(cls, key)] = attribute.get("title") or key
    out = ParsedGraph(path.name)
    # A file Juntos wrote: its viz:color is our community colour unless the node carries an
    # imported_colour attribute, so viz:color is not taken as another tool's colour.
    ours = any((c.text or "").strip() == "Juntos" for m in _children(root, "meta")
               for c in _children(m, "creator"))

    def values(element: Element, cls: str) -> dict[str, Any]:
        attrs: dict[str, Any] = {}
        for block in _children(element, "attvalues"):
            for value in _children(block, "attvalue"):
                key = value.get("for") or value.get("id") or ""
                # Time-sliced values: keep the latest slice as the current value.
                attrs[titles.get((cls, key), key)] = value.get("value", "")
        for name in ("start", "end", "startopen", "endopen"):
            if element.get(name) is not None:
                attrs[name] = element.get(name)
        for block in _children(element, "spells"):
            spells = _children(block, "spell")
            if spells:
                attrs.setdefault("start", spells[0].get("start") or spells[0].get("startopen"))
                attrs.setdefault("end", spells[-1].get("end") or spells[-1].get("endopen"))
        return {k: v for k, v in attrs.items() if v is not None}

    for number, element in enumerate(e for e in graph.iter() if _local(e.tag) == "node"):
        key = element.get("id")
        where = f"node {number + 1}" + (f" (id {key!r})" if key else "")
        if not key:
            out.errors.append((where, "a node without an id"))
            continue
        attrs = values(element, "node")
        position = None
        for viz in element:
            name = _local(viz.tag)
            # viz:size is the other tool's drawing (ours recomputes it); viz:color is kept
            # as an attribute, offered as "colour by: imported colour".
            if name == "color" and not ours:
                colour = hex_colour(viz.get("hex")) or rgb_colour(
                    viz.get("r"), viz.get("g"), viz.get("b"))
                if colour:
                    attrs[COLOUR_ATTR] = colour
            elif name == "position":
                try:
                    position = (float(viz.get("x", 0)), float(viz.get("y", 0)))
                except ValueError:
                    position = None
        out.add_node(Node(key, element.get("label") or "", where, attrs, position))
    for number, element in enumerate(e for e in graph.iter() if _local(e.tag) == "edge"):
        where = f"edge {number + 1}" + (f" (id {element.get('id')!r})" if element.get("id") else "")
        source, target = element.get("source"), element.get("target")
        if not source or not target:
            out.errors.append((where, "an edge needs a source and a target"))
            continue
        attrs = values(element, "edge")
        if element.get("label"):
            attrs.setdefault("label", element.get("label"))
        if element.get("weight") is not None:
            attrs["weight"] = element.get("weight")
        kind = element.get("type") or default_type
        out.edges.append(Edge(source, target, where, kind != "undirected", attrs))
    return out


def read_graphml(path: Path) -> ParsedGraph:
    root = _parse(path)
    if _local(root.tag) != "graphml":
        raise ImportFileError(path.name, "not a GraphML file (no <graphml> root element)")
    keys: dict[tuple[str, str], str] = {}
    defaults: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for key in _children(root, "key"):
        domain, key_id = key.get("for", "all"), key.get("id", "")
        name = key.get("attr.name") or key_id
        keys[(domain, key_id)] = name
        for default in _children(key, "default"):
            for d in ("node", "edge") if domain == "all" else (domain,):
                if d in defaults:
                    defaults[d][name] = default.text or ""
    graphs = _children(root, "graph")
    if not graphs:
        raise ImportFileError(path.name, "no <graph> element")
    graph = graphs[0]
    directed_default = graph.get("edgedefault", "undirected") == "directed"
    out = ParsedGraph(path.name)

    def data(element: Element, domain: str) -> dict[str, Any]:
        attrs = dict(defaults.get(domain, {}))
        for item in _children(element, "data"):
            key = item.get("key", "")
            attrs[keys.get((domain, key)) or keys.get(("all", key)) or key] = item.text or ""
        return attrs

    for number, element in enumerate(e for e in graph.iter() if _local(e.tag) == "node"):
        key = element.get("id")
        where = f"node {number + 1}" + (f" (id {key!r})" if key else "")
        if not key:
            out.errors.append((where, "a node without an id"))
            continue
        attrs = data(element, "node")
        colour = _graphml_colour(element, attrs)
        if colour:
            attrs[COLOUR_ATTR] = colour
        label = str(attrs.pop("label", "") or attrs.get("name", "") or "")
        position = None
        if "x" in attrs and "y" in attrs:
            try:
                position = (float(attrs.pop("x")), float(attrs.pop("y")))
            except ValueError:
                position = None
        out.add_node(Node(key, label, where, attrs, position))
    for number, element in enumerate(e for e in graph.iter() if _local(e.tag) == "edge"):
        where = f"edge {number + 1}" + (f" (id {element.get('id')!r})" if element.get("id") else "")
        source, target = element.get("source"), element.get("target")
        if not source or not target:
            out.errors.append((where, "an edge needs a source and a target"))
            continue
        flag = element.get("directed")
        directed = directed_default if flag is None else flag == "true"
        out.edges.append(Edge(source, target, where, directed, data(element, "edge")))
    return out


def _graphml_colour(element: Element, attrs: dict[str, Any]) -> str | None:
    """A node colour as Gephi writes it (``r``, ``g``, ``b`` data, consumed) or yEd (a
    ``Fill color`` inside its graphics), else None."""
    if all(k in attrs for k in ("r", "g", "b")):
        colour = rgb_colour(attrs["r"], attrs["g"], attrs["b"])
        if colour:
            for k in ("r", "g", "b"):
                attrs.pop(k)
            return colour
    for fill in element.iter():
        if _local(fill.tag) == "Fill" and fill.get("color"):
            return hex_colour(fill.get("color"))
    return None
