"""Kumu-shaped spreadsheets (CSV pair or one XLSX) and node-link JSON.

Kumu's rules: an element's identity is its ID column if present, else Label + Type, else
Label; ``|`` separates several values (and several targets in From/To, one tie each); sheets
named ``(ignore)`` are skipped; connections to labels not in Elements create them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from juntos import csvsafe
from juntos.network_map.interop import limits
from juntos.network_map.interop.parsed import Edge, ImportFileError, Node, ParsedGraph

Rows = list[dict[str, str]]


def _clean(value: Any) -> str:
    """A cell as text; a formula guard written by our own export (``'=x``) is dropped."""
    if value is None:
        return ""
    text = str(value).strip()
    return csvsafe.unguard(text) if text[:1] == "'" else text


def read_csv_rows(path: Path) -> Rows:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportFileError(path.name, "not UTF-8 text; save the CSV as UTF-8") from e
    rows: Rows = []
    try:
        reader = csv.DictReader(io.StringIO(text))
        for row in reader:
            if len(row) > limits.MAX_COLUMNS:
                limits.check_columns(len(row), path.name)
            rows.append({_clean(k): _clean(v) for k, v in row.items() if k is not None})
            limits.check_rows(len(rows), path.name)
    except csv.Error as e:  # a NUL byte, a field past the csv module's own size limit
        raise ImportFileError(f"{path.name}, line {reader.line_num}",
                              f"not a readable CSV ({e})") from e
    return rows


def sheet_kind(columns: Iterable[str]) -> str | None:
    """``elements`` (a Label column), ``connections`` (From and To), or None."""
    lowered = {c.lower() for c in columns}
    if {"from", "to"} <= lowered:
        return "connections"
    if "label" in lowered:
        return "elements"
    return None


def read_xlsx_sheets(path: Path) -> dict[str, tuple[str, Rows]]:
    """Sheets of a workbook that look like Kumu's, by kind: {kind: (sheet name, rows)}."""
    import openpyxl  # imported here: only imports need it

    limits.check_workbook(path)
    try:
        # Read-only: rows are streamed from the zip, never the whole workbook in memory.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a file that is not a workbook
        raise ImportFileError(path.name, f"not an XLSX workbook ({type(e).__name__})") from e
    found: dict[str, tuple[str, Rows]] = {}
    try:
        for sheet in book.worksheets:
            if "(ignore)" in sheet.title.lower():
                continue
            rows = sheet.iter_rows(values_only=True, max_col=limits.MAX_COLUMNS)
            header = [_clean(c) for c in next(rows, ())]
            kind = sheet_kind(header)
            if kind and kind not in found:
                where = f"{path.name}, {sheet.title}"
                found[kind] = (sheet.title, _sheet_rows(header, rows, where))
    except limits.TooLarge:
        raise
    except Exception as e:  # a broken part inside the zip (bad XML, a CRC error)
        raise ImportFileError(path.name,
                              f"not a readable XLSX workbook ({type(e).__name__})") from e
    finally:
        book.close()
    return found


def _sheet_rows(header: list[str], rows: Iterable[tuple[Any, ...]], name: str) -> Rows:
    """The non-empty rows of a sheet, refused past ``limits.MAX_ROWS`` rows (empty ones
    counted too: a sheet of a million empty rows is still read row by row)."""
    data: Rows = []
    for number, row in enumerate(rows, start=2):
        limits.check_rows(number, name)
        if any(v not in (None, "") for v in row):
            data.append({h: _clean(v) for h, v in zip(header, row, strict=False) if h})
    return data


def _get(row: dict[str, str], name: str) -> str:
    for key, value in row.items():
        if key.lower() == name:
            return value
    return ""


def _kumu_elements(out: ParsedGraph, elements: Rows, sheet: str) -> dict[str, str]:
    """Nodes from the Elements rows; returns node keys by casefolded label (and ID)."""
    has_id = bool(elements) and any(k.lower() == "id" for k in elements[0])
    has_type = bool(elements) and any(k.lower() == "type" for k in elements[0])
    by_label: dict[str, str] = {}
    for number, row in enumerate(elements, start=2):  # row 1 is the header
        where = f"{sheet} row {number}"
        label = _get(row, "label")
        if not label:
            out.add_error(where, "Label is empty")
            continue
        kind = _get(row, "type")
        key = _get(row, "id") if has_id else (f"{label}\x1f{kind}" if has_type else label)
        if not key:
            out.add_error(where, "ID is empty")
            continue
        attrs = {k: v for k, v in row.items()
                 if k.lower() not in ("label", "id") and v != ""}
        out.add_node(Node(key, label, where, attrs))
        by_label.setdefault(label.casefold(), key)
        if has_id:
            by_label.setdefault(_get(row, "id").casefold(), key)
    return by_label


def _split(row: dict[str, str], name: str, where: str) -> list[str]:
    text = _get(row, name)
    limits.check_values(text.count("|") + 1, where)  # before splitting: counting is cheap
    return [s.strip() for s in text.split("|") if s.strip()]


def _direction(row: dict[str, str]) -> bool | None:
    """True (directed), False (undirected, mutual), None (the kind's default).
    ValueError: another word."""
    direction = _get(row, "direction").lower()
    if direction and direction not in ("directed", "undirected", "mutual"):
        raise ValueError(f"Direction {direction!r} is not directed, undirected or mutual")
    return None if not direction else direction == "directed"


def _kumu_connections(out: ParsedGraph, connections: Rows, sheet: str,
                      by_label: dict[str, str]) -> None:
    def endpoint(text: str, where: str) -> str:
        known = by_label.get(text.casefold())
        if known is not None:
            return known
        # A connection to a label not in Elements creates it (Kumu's rule).
        node = out.add_node(Node(text, text, where, {}))
        by_label[text.casefold()] = node.key
        return node.key

    for number, row in enumerate(connections, start=2):
        where = f"{sheet} row {number}"
        sources, targets = _split(row, "from", where), _split(row, "to", where)
        if not sources or not targets:
            out.add_error(where, "From and To are both required")
            continue
        try:
            directed = _direction(row)
        except ValueError as e:
            out.add_error(where, str(e))
            continue
        attrs = {k: v for k, v in row.items()
                 if k.lower() not in ("from", "to", "direction") and v != ""}
        for source in sources:
            for target in targets:
                out.add_edge(Edge(endpoint(source, where), endpoint(target, where), where,
                                      directed, dict(attrs)))


def kumu(elements: Rows | None, connections: Rows | None, *, name: str,
         elements_name: str = "Elements", connections_name: str = "Connections") -> ParsedGraph:
    out = ParsedGraph(name)
    by_label = _kumu_elements(out, elements or [], elements_name)
    _kumu_connections(out, connections or [], connections_name, by_label)
    return out


def _node_link_nodes(out: ParsedGraph, nodes: list[Any]) -> None:
    for number, item in enumerate(nodes):
        where = f"nodes[{number}]"
        if not isinstance(item, dict) or item.get("id") in (None, ""):
            out.add_error(where, "a node needs an \"id\"")
            continue
        # "metrics" are ours, computed again after import: not attributes of the actor; people's
        # "judgements" are not imported (they belong to who recorded them).
        attrs = {k: v for k, v in item.items()
                 if k not in ("id", "label", "x", "y", "metrics", "judgements")}
        position = None
        if isinstance(item.get("x"), int | float) and isinstance(item.get("y"), int | float):
            position = (float(item["x"]), float(item["y"]))
        out.add_node(Node(str(item["id"]), str(item.get("label") or item.get("name") or ""),
                          where, attrs, position))


def _node_link_edges(out: ParsedGraph, edges: list[Any], directed: bool) -> None:
    for number, item in enumerate(edges):
        where = f"edges[{number}]"
        if not isinstance(item, dict) or item.get("source") is None or item.get("target") is None:
            out.add_error(where, "an edge needs \"source\" and \"target\"")
            continue
        attrs = {k: v for k, v in item.items() if k not in ("source", "target", "key")}
        flag = attrs.pop("directed", None)
        if isinstance(flag, str):
            flag = flag.strip().lower() in ("true", "1", "yes")
        out.add_edge(Edge(str(item["source"]), str(item["target"]), where,
                              directed if flag is None else bool(flag), attrs))


def read_node_link(path: Path) -> ParsedGraph:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as e:  # ValueError: JSONDecodeError, huge integers
        raise ImportFileError(path.name, f"not JSON ({e})") from e
    except RecursionError:
        raise limits.too_deep(path.name) from None
    limits.check_depth(data, path.name)
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise ImportFileError(path.name, "node-link JSON needs a \"nodes\" list")
    edges = data.get("edges", data.get("links", []))
    if not isinstance(edges, list):
        raise ImportFileError(path.name, "\"edges\" must be a list")
    out = ParsedGraph(path.name)
    _node_link_nodes(out, data["nodes"])
    _node_link_edges(out, edges, bool(data.get("directed", False)))
    return out
