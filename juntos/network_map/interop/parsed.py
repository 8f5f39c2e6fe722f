"""A network read from a file, before it touches the database: nodes and edges with the place
in the file each came from, so every problem can name its row or element."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from juntos.network_map.interop import limits

#: The attribute holding a node colour drawn by another tool (GEXF viz:color, GraphML r/g/b,
#: yEd fill), kept as "#rrggbb" so the map can colour by it.
COLOUR_ATTR = "imported_colour"


def rgb_colour(r: object, g: object, b: object) -> str | None:
    """``#rrggbb`` from three 0-255 components, or None when any is not one."""
    try:
        parts = [int(float(str(v))) for v in (r, g, b)]
    except ValueError:
        return None
    if not all(0 <= p <= 255 for p in parts):
        return None
    return "#{:02x}{:02x}{:02x}".format(*parts)


def hex_colour(text: object) -> str | None:
    """``#rrggbb`` from ``#RRGGBB`` or ``#RRGGBBAA`` (alpha dropped), or None."""
    value = str(text or "").strip().lower()
    if value.startswith("#") and len(value) in (7, 9):
        try:
            int(value[1:], 16)
        except ValueError:
            return None
        return value[:7]
    return None


class ImportFileError(Exception):
    """A file that cannot be read at all (not the format claimed, broken XML, no sheet)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


@dataclass
class Node:
    key: str
    label: str
    where: str
    attrs: dict[str, Any] = field(default_factory=dict)
    position: tuple[float, float] | None = None


@dataclass
class Edge:
    source: str
    target: str
    where: str
    directed: bool | None = None  # None: the kind's default
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedGraph:
    name: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    #: The import's time budget, shared by reading and planning.
    deadline: limits.Deadline = field(default_factory=limits.Deadline, repr=False)

    def add_node(self, node: Node) -> Node:
        """A node declared again (as dynamic GEXF does, once per lifetime) is the same node.
        Past ``limits.MAX_ACTORS`` nodes the whole import is refused (``limits.TooLarge``)."""
        self.deadline.check()
        if node.key in self.nodes:
            known = self.nodes[node.key]
            known.attrs = node.attrs | known.attrs
            known.position = known.position or node.position
            return known
        limits.check_actors(len(self.nodes) + 1, self.name)
        self.nodes[node.key] = node
        return node

    def add_edge(self, edge: Edge) -> None:
        """Past ``limits.MAX_TIES`` edges the whole import is refused."""
        self.deadline.check()
        limits.check_ties(len(self.edges) + 1, self.name)
        self.edges.append(edge)

    def add_error(self, where: str, message: str) -> None:
        """A row in error; a file of nothing but errors is refused once it has as many as
        an import may have rows."""
        self.deadline.check()
        limits.check_rows(len(self.errors) + 1, self.name)
        self.errors.append((where, message))
