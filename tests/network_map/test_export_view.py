"""Exports of the filtered view, from the explorer's links, read back by real parsers
(networkx for GEXF, GraphML and node-link JSON; csv for Kumu's sheets)."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import networkx as nx

from juntos.db import Database
from tests.support.web import soup


def _graph_ids(client) -> tuple[set[str], int]:  # type: ignore[no-untyped-def]
    """Slugs and tie count the map draws for Mozambique (the same filter as the exports)."""
    drawn = client.get("/network/graph.json?country=MZ").json()
    return {n[0] for n in drawn["nodes"]}, len(drawn["edges"])


def test_every_format_is_offered_with_the_filter_in_its_link(demo_db: Database,
                                                             as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    links = soup(client.get("/network?country=UG&colour=kind")).select("#map-export a")
    formats = [parse_qs(urlsplit(a["href"]).query)["format"][0] for a in links]
    assert formats == ["gexf", "graphml", "json", "csv", "csv", "svg"]
    assert all(parse_qs(urlsplit(a["href"]).query)["country"] == ["UG"] for a in links)
    whole = soup(client.get("/network")).select_one("#map-export")
    assert "whole network" in whole.get_text()
    assert all("country" not in a["href"] for a in whole.select("a"))


def test_exports_hold_the_filtered_view_only(demo_db: Database, as_user, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    slugs, tie_count = _graph_ids(client)
    assert 1 < len(slugs) < demo_db["organisations"].count and tie_count
    base = "/network/export?country=MZ&format="

    gexf = client.get(base + "gexf")
    assert 'filename="network-filtered.gexf"' in gexf.headers["content-disposition"]
    # Allies' ties are undirected, funding directed: a mixed graph, as Gephi reads it, which
    # networkx refuses ("Undirected edge found in directed graph"); read it as XML here...
    root = ElementTree.fromstring(gexf.text.encode())
    ns = {"g": "http://gexf.net/1.3"}
    assert {n.get("id") for n in root.iterfind(".//g:node", ns)} == slugs
    assert len(root.findall(".//g:edge", ns)) == tie_count
    graphml = ElementTree.fromstring(client.get(base + "graphml").text.encode())
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert {n.get("id") for n in graphml.iterfind(".//g:node", ns)} == slugs
    assert len(graphml.findall(".//g:edge", ns)) == tie_count
    # ...and with networkx a view of directed ties only, in both formats.
    drawn = client.get("/network/graph.json?tie_kind=funds").json()
    funded = {n[0] for n in drawn["nodes"]}
    for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        text = client.get(f"/network/export?tie_kind=funds&format={fmt}").text
        (tmp_path / f"funds.{fmt}").write_text(text, encoding="utf-8")
        g = read(tmp_path / f"funds.{fmt}")
        assert set(g.nodes) == funded and g.number_of_edges() == len(drawn["edges"]) > 0, fmt

    data = json.loads(client.get(base + "json").text)
    g = nx.node_link_graph(data, edges="edges")
    assert set(g.nodes) == slugs and g.number_of_edges() == tie_count

    elements = list(csv.DictReader(io.StringIO(client.get(base + "csv&sheet=elements").text)))
    assert {r["ID"] for r in elements} == slugs
    connections = list(csv.DictReader(io.StringIO(
        client.get(base + "csv&sheet=connections").text)))
    assert len(connections) == tie_count
    assert all(r["From"] in slugs and r["To"] in slugs for r in connections)

    svg = client.get(base + "svg")
    assert svg.text.count("<circle") == len(slugs)

    everything = client.get("/network/export?format=graphml")
    assert 'filename="network.graphml"' in everything.headers["content-disposition"]
    assert everything.text.count("<node ") == demo_db["organisations"].count


def test_a_bad_filter_in_an_export_link_is_a_message(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    answer = as_user("viewer").get("/network/export?format=gexf&at=yesterday")
    assert answer.status_code == 400 and "not a date" in answer.text
