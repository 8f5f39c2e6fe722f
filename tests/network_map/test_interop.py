"""Import and export: real files from other tools, Kumu spreadsheets, round trips, refusals."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from juntos import house
from juntos.db import Database
from juntos.errors import ValidationError
from juntos.network_map import layout, metrics, store
from juntos.network_map.graph import network
from juntos.network_map.interop import exporter, importer
from tests.support.clock import FrozenClock
from tests.support.interop import INTEROP, available, interop_path

DATA = Path(__file__).resolve().parents[1] / "data" / "network_map"
NETWORKS = INTEROP / "networks"


def _expected() -> list[dict[str, str]]:
    if not available("networks", "EXPECT.tsv"):
        return [{"file": "(absent)"}]  # one test, which skips naming the folder
    with open(NETWORKS / "EXPECT.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.mark.parametrize("row", _expected(), ids=lambda r: r["file"])
def test_real_files_import_with_every_node_edge_and_label(row: dict[str, str], db: Database,
                                                          clock: FrozenClock) -> None:
    interop_path("networks", "EXPECT.tsv")
    # Their node types (gene, compound...) name no kind of ours: "other", as a person chooses.
    _, result = importer.import_files(db, [NETWORKS / row["file"]], now=clock(),
                                      kinds_chosen={"*": "other"})
    assert db["organisations"].count == int(row["nodes"])
    assert len(store.ties(db)) == int(row["edges"])
    assert result["ties"] == int(row["edges"])
    if row["distinct_labels"] != "-":
        names = {r["name"] for r in db.query("select name from organisations")}
        assert len(names) == int(row["distinct_labels"])
    if row["file"] == "gephi-us-airports.gexf":
        assert any("New OrlÃ©ans" in r["name"] for r in db.query("select name from organisations"))
    if row["file"] == "gephi-lite-contributors.gexf":
        assert any("Raphaël" in r["name"] for r in db.query("select name from organisations"))


def _fingerprint(db: Database) -> tuple[set, list]:
    net = network(db)
    attrs = store.actor_attributes(db)
    actors = {(a["slug"], a["name"], a["kind"], a["country"], tuple(a["themes"]),
               a["acronym"] or "", a["description"] or "",
               tuple(sorted(attrs.get(i, {}).items()))) for i, a in net.actors.items()}
    ties = sorted((net.actors[t["from_id"]]["slug"], net.actors[t["to_id"]]["slug"], t["kind"],
                   t["directed"], t["strength"], t["stance"], t["valid_from"], t["valid_until"],
                   t["source"], t["notes"], tuple(sorted(t["attrs"].items()))) for t in net.ties)
    return actors, ties


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json", "csv"])
def test_round_trip_into_an_empty_database(fmt: str, demo_db: Database, tmp_path: Path,
                                           clock: FrozenClock) -> None:
    store.set_actor_attributes(demo_db, network(demo_db).by_slug["sadc"], {"seat": "Gaborone"})
    net, m = network(demo_db), metrics.metrics(demo_db)
    attrs = store.actor_attributes(demo_db)
    positions = layout.current(demo_db).positions
    if fmt == "csv":
        elements, connections = exporter.kumu_csv(net, attrs)
        (tmp_path / "e.csv").write_text(elements, encoding="utf-8")
        (tmp_path / "c.csv").write_text(connections, encoding="utf-8")
        paths = [tmp_path / "e.csv", tmp_path / "c.csv"]
    else:
        text = {"gexf": lambda: exporter.gexf(net, m, positions, attrs),
                "graphml": lambda: exporter.graphml(net, attrs),
                "json": lambda: exporter.node_link(net, m, attrs)}[fmt]()
        paths = [tmp_path / f"network.{fmt}"]
        paths[0].write_text(text, encoding="utf-8")
    empty = house.open_db(tmp_path / "empty.db")
    importer.import_files(empty, paths, now=clock())
    assert _fingerprint(empty) == _fingerprint(demo_db)


def test_gexf_export_carries_colours_and_dates(demo_db: Database) -> None:
    net, m = network(demo_db), metrics.metrics(demo_db)
    text = exporter.gexf(net, m, layout.current(demo_db).positions, {})
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    assert "<viz:color" in text and 'start="2024-01-15"' in text
    assert 'for="relation"' in text


def test_kumu_pair_splits_targets_and_creates_unknown_labels(db: Database,
                                                            clock: FrozenClock) -> None:
    preview, result = importer.import_files(
        db, [DATA / "kumu-elements.csv", DATA / "kumu-connections.csv"], now=clock())
    assert preview.summary()["new"] == 4  # Fórum Novo exists only in Connections
    assert result["ties"] == 3
    net = network(db)
    partner_ties = [t for t in net.ties if t["kind"] == "partner"]
    assert len(partner_ties) == 2 and all(not t["directed"] and t["strength"] == 4
                                          for t in partner_ties)
    acm = net.actor("accao-cidada")
    assert acm is not None and acm["themes"] == ["health", "advocacy"] and acm["country"] == "MZ"
    assert store.actor_attributes(db)[acm["id"]] == {"Website rank": "3"}


def test_a_second_import_matches_by_name_ignoring_case_and_accents(db: Database,
                                                                   clock: FrozenClock) -> None:
    importer.import_files(db, [DATA / "kumu-elements.csv"], now=clock())
    (db_rows := db["organisations"].count)
    preview = importer.plan(db, importer.read([DATA / "kumu-elements.csv"]))
    assert preview.summary()["matched"] == 3 and db_rows == 3


def test_xlsx_with_both_sheets_and_an_ignored_one(db: Database, tmp_path: Path,
                                                  clock: FrozenClock) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes (ignore)"
    notes.append(["Label"])
    notes.append(["Not an actor"])
    elements = book.create_sheet("Elements")
    elements.append(["Label", "Type", "Country"])
    elements.append(["Rede Norte", "network", "MZ"])
    elements.append(["Liga Sul", "cso", "MZ"])
    connections = book.create_sheet("Connections")
    connections.append(["From", "To", "Type", "Direction", "Strength"])
    connections.append(["Liga Sul", "Rede Norte", "member of", "directed", 3])
    book.save(tmp_path / "map.xlsx")
    importer.import_files(db, [tmp_path / "map.xlsx"], now=clock())
    assert sorted(r["name"] for r in db.query("select name from organisations")) == [
        "Liga Sul", "Rede Norte"]
    assert [n["name"] for n in __import__("juntos.organisations.store", fromlist=["x"])
            .networks_of(db, network(db).by_slug["liga-sul"])] == ["Rede Norte"]


def test_a_bad_file_is_refused_whole_naming_its_rows(db: Database, clock: FrozenClock) -> None:
    with pytest.raises(ValidationError) as e:
        importer.import_files(db, [DATA / "kumu-elements.csv", DATA / "kumu-bad-connections.csv"],
                              now=clock())
    message = e.value.errors["file"]
    assert "kumu-bad-connections.csv row 3" in message and "row 4" in message
    assert db["organisations"].count == 0 and store.ties(db) == []


def test_broken_and_hostile_xml_is_refused(db: Database, tmp_path: Path,
                                           clock: FrozenClock) -> None:
    broken = tmp_path / "broken.gexf"
    broken.write_text('<gexf><graph><nodes><node id="1"></nodes></graph></gexf>')
    with pytest.raises(ValidationError, match=r"broken\.gexf, line 1"):
        importer.import_files(db, [broken], now=clock())
    hostile = tmp_path / "xxe.graphml"
    hostile.write_text('<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                       '<graphml><graph><node id="&x;"/></graph></graphml>')
    with pytest.raises(ValidationError, match=r"xxe\.graphml"):
        importer.import_files(db, [hostile], now=clock())
    unknown = tmp_path / "edge.gexf"
    unknown.write_text('<gexf><graph><nodes><node id="a" label="A"/></nodes>'
                       '<edges><edge id="e1" source="a" target="zz"/></edges></graph></gexf>')
    with pytest.raises(ValidationError, match="edge 1 \\(id 'e1'\\): unknown node 'zz'"):
        importer.import_files(db, [unknown], now=clock())
    assert db["organisations"].count == 0
