"""Any file given to the network importers ends in a preview (stored, or its rows in error) or
a clear refusal (``ValidationError``), never another exception: generated inputs, a bounded
number of examples each so the suite stays fast."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juntos.db import Database
from juntos.errors import ValidationError
from juntos.network_map.interop import importer

_NOW = datetime(2026, 5, 1, tzinfo=UTC)
FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

text = st.text(max_size=20)
cell = st.one_of(text, st.lists(st.sampled_from(["a", "b", "", " ", "A", "ü"]), max_size=5)
                 .map("|".join), st.sampled_from(["=1+1", "'=x", "-", "1e999", "NaN"]))


def _ends_well(db: Database, files: dict[str, bytes], fmt: str = "") -> None:
    with TemporaryDirectory() as folder:
        paths = []
        for name, data in files.items():
            path = Path(folder) / name
            path.write_bytes(data)
            paths.append(path)
        try:
            preview = importer.prepare(db, paths, fmt=fmt)
        except ValidationError as e:
            assert e.errors and all(str(m) for m in e.errors.values())
            return
        if preview.errors:
            try:
                importer.commit(db, preview, now=_NOW, by=None)
            except ValidationError:
                return
            raise AssertionError("a preview with errors was stored")
        with db.atomic():  # stored, then rolled back: the next example starts clean
            importer.commit(db, preview, now=_NOW, by=None)
            db.execute("select 1")
            raise _Rollback


class _Rollback(Exception):
    pass


def _check(db: Database, files: dict[str, bytes], fmt: str = "") -> None:
    with contextlib.suppress(_Rollback):
        _ends_well(db, files, fmt)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


columns = st.lists(st.sampled_from(["Label", "Type", "ID", "Country", "Tags", "From", "To",
                                    "Direction", "Strength", "Slug", "x", ""]),
                   min_size=1, max_size=5)


@FAST
@given(header=columns, rows=st.lists(st.lists(cell, max_size=6), max_size=6))
def test_any_kumu_csv_ends_stored_or_refused(db: Database, header: list[str],
                                             rows: list[list[str]]) -> None:
    _check(db, {"sheet.csv": _csv(header, rows)})


@FAST
@given(data=st.binary(max_size=300))
def test_any_bytes_as_any_format_end_stored_or_refused(db: Database, data: bytes) -> None:
    for name in ("a.csv", "a.gexf", "a.graphml", "a.json", "a.xlsx"):
        _check(db, {name: data})


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), text),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(text, inner, max_size=3)),
    max_leaves=12)
node = st.dictionaries(st.sampled_from(["id", "label", "x", "y", "country", "kind", "slug",
                                        "themes", "metrics"]), json_value, max_size=5)
edge = st.dictionaries(st.sampled_from(["source", "target", "relation", "strength", "directed",
                                        "valid_from", "weight"]), json_value, max_size=5)


@FAST
@given(nodes=st.lists(node, max_size=5), edges=st.lists(edge, max_size=5),
       directed=json_value)
def test_any_node_link_json_ends_stored_or_refused(db: Database, nodes: list, edges: list,
                                                   directed: object) -> None:
    data = {"nodes": nodes, "edges": edges, "directed": directed}
    _check(db, {"net.json": json.dumps(data).encode()})


xml_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=10)
attr = st.sampled_from(["id", "label", "source", "target", "type", "weight", "start", "end",
                        "directed", "for", "value", "key"])


@st.composite
def _element(draw, tag: str) -> str:  # type: ignore[no-untyped-def]
    attrs = draw(st.dictionaries(attr, xml_text, max_size=4))
    quoted = " ".join(f'{k}="{_escape(v)}"' for k, v in attrs.items())
    return f"<{tag} {quoted}/>"


def _escape(value: str) -> str:
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;"))


@FAST
@given(nodes=st.lists(_element("node"), max_size=6), edges=st.lists(_element("edge"), max_size=6),
       kind=st.sampled_from(["directed", "undirected", "mutual", "x"]))
def test_any_gexf_ends_stored_or_refused(db: Database, nodes: list[str], edges: list[str],
                                         kind: str) -> None:
    body = (f'<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="{kind}">'
            f'<nodes>{"".join(nodes)}</nodes><edges>{"".join(edges)}</edges></graph></gexf>')
    _check(db, {"net.gexf": body.encode()})


@FAST
@given(nodes=st.lists(_element("node"), max_size=6), edges=st.lists(_element("edge"), max_size=6),
       data=st.lists(st.tuples(st.sampled_from(["label", "x", "y", "r", "g", "b", "country"]),
                               xml_text), max_size=4))
def test_any_graphml_ends_stored_or_refused(db: Database, nodes: list[str], edges: list[str],
                                            data: list[tuple[str, str]]) -> None:
    keys = "".join(f'<key id="{k}" for="node" attr.name="{k}"/>' for k, _ in data)
    with_data = [n.replace("/>", ">" + "".join(f'<data key="{k}">{_escape(v)}</data>'
                                                 for k, v in data) + "</node>") for n in nodes]
    body = (f'<graphml xmlns="http://graphml.graphdrawing.org/xmlns">{keys}'
            f'<graph edgedefault="undirected">{"".join(with_data)}{"".join(edges)}</graph>'
            "</graphml>")
    _check(db, {"net.graphml": body.encode()})
