"""Colours another tool gave the nodes (GEXF viz:color, GraphML r/g/b) are kept on import,
offered as "colour by: imported colour" in the explorer and the no-JS SVG, and written back
out so a round trip keeps them."""

from __future__ import annotations

import re
from pathlib import Path

from juntos import house
from juntos.db import Database
from juntos.network_map import layout, metrics, store
from juntos.network_map.graph import network
from juntos.network_map.interop import exporter, importer
from tests.support.clock import FrozenClock
from tests.support.interop import interop_path
from tests.support.web import soup

GEXF = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">
<graph defaultedgetype="undirected"><nodes>
<node id="a" label="Alpha"><viz:color r="255" g="0" b="0"/></node>
<node id="b" label="Beta"><viz:color hex="#00FF00"/></node>
<node id="c" label="Gamma"/>
</nodes><edges><edge source="a" target="b"/><edge source="b" target="c"/></edges></graph>
</gexf>"""


def _colours(db: Database) -> dict[str, str]:
    net = network(db)
    return {net.actors[a]["slug"]: c for a, c in net.colours.items()}


def _viz(text: str) -> dict[str, tuple[str, ...]]:
    found = re.findall(r'<node id="([^"]+)"[^>]*>.*?<viz:color r="(\d+)" g="(\d+)" b="(\d+)"',
                       text, re.S)
    return {slug: tuple(rgb) for slug, *rgb in found}


def test_gexf_colours_are_kept_and_survive_a_round_trip(db: Database, tmp_path: Path,
                                                        clock: FrozenClock) -> None:
    (tmp_path / "in.gexf").write_text(GEXF, encoding="utf-8")
    importer.import_files(db, [tmp_path / "in.gexf"], now=clock())
    assert _colours(db) == {"alpha": "#ff0000", "beta": "#00ff00"}
    net, m = network(db), metrics.metrics(db)
    positions = layout.current(db).positions
    exported = exporter.gexf(net, m, positions, store.actor_attributes(db))
    assert _viz(exported)["alpha"] == ("255", "0", "0")
    for fmt, text in (("gexf", exported),
                      ("graphml", exporter.graphml(net, store.actor_attributes(db)))):
        (tmp_path / f"out.{fmt}").write_text(text, encoding="utf-8")
        again = house.open_db(tmp_path / f"again-{fmt}.db")
        importer.import_files(again, [tmp_path / f"out.{fmt}"], now=clock())
        assert _colours(again) == _colours(db), fmt
    again_gexf = house.open_db(tmp_path / "again-gexf.db")
    second = exporter.gexf(network(again_gexf), metrics.metrics(again_gexf),
                           layout.current(again_gexf).positions,
                           store.actor_attributes(again_gexf))
    assert _viz(second) == _viz(exported)  # the same colours, node by node


def test_gephi_sample_colours_are_kept(db: Database, clock: FrozenClock) -> None:
    miserables = interop_path("networks", "gephi-les-miserables.gexf")
    importer.import_files(db, [miserables], now=clock())
    colours = _colours(db)
    assert len(colours) == db["organisations"].count
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours.values())
    graphml = exporter.graphml(network(db), store.actor_attributes(db))
    assert "imported_colour" not in graphml and 'attr.name="r"' in graphml  # as Gephi


def test_colour_by_imported_colour_in_the_explorer_and_svg(db: Database, tmp_path: Path,
                                                           clock: FrozenClock,
                                                           as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    assert soup(client.get("/network")).select_one('#f-colour option[value="imported"]') is None
    (tmp_path / "in.gexf").write_text(GEXF, encoding="utf-8")
    importer.import_files(db, [tmp_path / "in.gexf"], now=clock())
    page = soup(client.get("/network?colour=imported"))
    assert page.select_one('#f-colour option[value="imported"]').has_attr("selected")
    data = client.get("/network/graph.json").json()
    by_slug = dict(zip((n[0] for n in data["nodes"]), data["colours"], strict=True))
    assert by_slug["alpha"] == "#ff0000" and by_slug["gamma"] == ""
    svg = client.get("/network/map.svg?colour=imported").text
    assert 'fill="#ff0000"' in svg and 'fill="#00ff00"' in svg and 'fill="#999999"' in svg
    table = soup(client.get("/network/actors?colour=imported"))
    assert table.select_one('#f-colour option[value="imported"]') is not None
