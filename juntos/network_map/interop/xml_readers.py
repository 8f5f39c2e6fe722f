"""GEXF (1.1 to 1.3, both namespaces, static and dynamic) and GraphML, parsed by hand.

networkx's readers stop on real files (Gephi's Les Misérables sample: "No <graph> element";
a dynamic GEXF: KeyError), so we read the XML ourselves, namespace-blind. A file with a DTD (or
not ASCII-compatible) goes through defusedxml (no entity expansion, no external entities);
one without has nothing to expand and is read by expat's C parser, several times faster. Node
and edge elements are counted first, so a file past the limits is refused before it is read.
Nodes come from node elements, never from edges.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from juntos.network_map.interop import limits
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


_NODE = re.compile(rb"<(?:[\w.-]+:)?node\b")
_EDGE = re.compile(rb"<(?:[\w.-]+:)?edge\b")
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARED = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([\w.-]+)")
_PLAIN_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"}


def _count(data: bytes, name: str) -> None:
    """Refuse a file with too many node or edge elements before building its tree."""
    limits.check_actors(len(_NODE.findall(data)), name)
    limits.check_ties(len(_EDGE.findall(data)), name)


def _plain(data: bytes) -> bool:
    """Whether the file is ASCII-compatible text without a DTD: then expat's own parser reads
    it (in C, several times faster) with nothing to expand; anything else goes through
    defusedxml, which refuses entity declarations."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:1024]:
        return False
    declared = _DECLARED.match(data[:300])
    if declared and declared.group(1).decode("ascii").lower() not in _PLAIN_ENCODINGS:
        return False
    return _DTD.search(data) is None


def _parse(path: Path) -> Element:
    data = path.read_bytes()
    _count(data, path.name)
    try:
        if _plain(data):
            return ElementTree.fromstring(data)
        return SafeET.fromstring(data)
    except ParseError as e:
        line = getattr(e, "position", (0, 0))[0]
        raise ImportFileError(f"{path.name}, line {line}", f"not well-formed XML ({e})") from e
    except DefusedXmlException as e:
        raise ImportFileError(path.name, f"refused: {e}") from e


def _numbered(graph: Element, name: str) -> Iterator[tuple[str, Element]]:
    """Every ``node`` (or ``edge``) element with where it is: "node 3 (id 'x')"."""
    for number, element in enumerate(e for e in graph.iter() if _local(e.tag) == name):
        ident = element.get("id")
        yield f"{name} {number + 1}" + (f" (id {ident!r})" if ident else ""), element


def _nodes(graph: Element, out: ParsedGraph) -> Iterator[tuple[str, str, Element]]:
    """Node elements with an id (where, id, element); those without are errors."""
    for where, element in _numbered(graph, "node"):
        key = element.get("id")
        if not key:
            out.add_error(where, "a node without an id")
            continue
        yield where, key, element


def _edges(graph: Element, out: ParsedGraph) -> Iterator[tuple[str, str, str, Element]]:
    """Edge elements with both ends (where, source, target, element); others are errors."""
    for where, element in _numbered(graph, "edge"):
        source, target = element.get("source"), element.get("target")
        if not source or not target:
            out.add_error(where, "an edge needs a source and a target")
            continue
        yield where, source, target, element


def _first_graph(root: Element, path: Path) -> Element:
    graphs = _children(root, "graph")
    if not graphs:
        raise ImportFileError(path.name, "no <graph> element")
    return graphs[0]


# --- GEXF ---------------------------------------------------------------------------------

def _gexf_titles(graph: Element) -> dict[tuple[str, str], str]:
    """Attribute titles by (class, id): values name their attribute by id."""
    titles: dict[tuple[str, str], str] = {}
    for block in _children(graph, "attributes"):
        cls = block.get("class", "node")
        for attribute in _children(block, "attribute"):
            key = attribute.get("id", "")
            titles[(cls, key)] = attribute.get("title") or key
    return titles


def _gexf_values(element: Element, cls: str,
                 titles: dict[tuple[str, str], str]) -> dict[str, Any]:
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


def _gexf_viz(element: Element, attrs: dict[str, Any],
              ours: bool) -> tuple[float, float] | None:
    """The node's position; its colour goes into ``attrs`` unless Juntos wrote the file."""
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
    return position


def read_gexf(path: Path) -> ParsedGraph:
    root = _parse(path)
    if _local(root.tag) != "gexf":
        raise ImportFileError(path.name, "not a GEXF file (no <gexf> root element)")
    graph = _first_graph(root, path)
    default_type = graph.get("defaultedgetype", "undirected")
    titles = _gexf_titles(graph)
    out = ParsedGraph(path.name)
    # A file Juntos wrote: its viz:color is our community colour unless the node carries an
    # imported_colour attribute, so viz:color is not taken as another tool's colour.
    ours = any((c.text or "").strip() == "Juntos" for m in _children(root, "meta")
               for c in _children(m, "creator"))
    for where, key, element in _nodes(graph, out):
        attrs = _gexf_values(element, "node", titles)
        position = _gexf_viz(element, attrs, ours)
        out.add_node(Node(key, element.get("label") or "", where, attrs, position))
    for where, source, target, element in _edges(graph, out):
        attrs = _gexf_values(element, "edge", titles)
        if element.get("label"):
            attrs.setdefault("label", element.get("label"))
        if element.get("weight") is not None:
            attrs["weight"] = element.get("weight")
        kind = element.get("type") or default_type
        out.add_edge(Edge(source, target, where, kind != "undirected", attrs))
    return out


# --- GraphML ------------------------------------------------------------------------------

def _graphml_keys(root: Element) -> tuple[dict[tuple[str, str], str], dict[str, dict[str, str]]]:
    """Attribute names by (domain, key id), and the default values per domain."""
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
    return keys, defaults


def _graphml_position(attrs: dict[str, Any]) -> tuple[float, float] | None:
    if "x" not in attrs or "y" not in attrs:
        return None
    try:
        return (float(attrs.pop("x")), float(attrs.pop("y")))
    except ValueError:
        return None


def read_graphml(path: Path) -> ParsedGraph:
    root = _parse(path)
    if _local(root.tag) != "graphml":
        raise ImportFileError(path.name, "not a GraphML file (no <graphml> root element)")
    keys, defaults = _graphml_keys(root)
    graph = _first_graph(root, path)
    directed_default = graph.get("edgedefault", "undirected") == "directed"
    out = ParsedGraph(path.name)

    def data(element: Element, domain: str) -> dict[str, Any]:
        attrs = dict(defaults.get(domain, {}))
        for item in _children(element, "data"):
            key = item.get("key", "")
            attrs[keys.get((domain, key)) or keys.get(("all", key)) or key] = item.text or ""
        return attrs

    for where, key, element in _nodes(graph, out):
        attrs = data(element, "node")
        colour = _graphml_colour(element, attrs)
        if colour:
            attrs[COLOUR_ATTR] = colour
        label = str(attrs.pop("label", "") or attrs.get("name", "") or "")
        out.add_node(Node(key, label, where, attrs, _graphml_position(attrs)))
    for where, source, target, element in _edges(graph, out):
        flag = element.get("directed")
        directed = directed_default if flag is None else flag == "true"
        out.add_edge(Edge(source, target, where, directed, data(element, "edge")))
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
