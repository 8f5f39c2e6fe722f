"""Metrics and the strategists' questions on the demo coalition."""

from __future__ import annotations

import networkx as nx
import pytest

from juntos.db import Database
from juntos.network_map import layout, metrics, questions, store
from juntos.network_map.filters import MapFilter, apply
from juntos.network_map.graph import network
from juntos.network_map.models import TieInput
from juntos.organisations import store as orgs
from tests.support.clock import FrozenClock


def test_constraint_matches_networkx(demo_db: Database) -> None:
    graph = network(demo_db).cohesion
    ours = metrics.burt_constraint(graph)
    theirs = nx.constraint(graph, weight="weight")
    compared = [a for a in graph if ours[a] is not None]
    assert len(compared) > 200
    assert all(ours[a] == pytest.approx(theirs[a]) for a in compared)


def test_demo_metrics_describe_the_coalition(demo_db: Database) -> None:
    m = metrics.metrics(demo_db)
    assert m.network["betweenness_exact"] is True
    assert m.network["actors"] == demo_db["organisations"].count
    assert m.network["communities"] >= 6
    assert metrics.top(demo_db, by="betweenness", n=1)[0]["slug"] == "forum-juntos-mz"
    # Adversarial ties are left out of the cohesion view.
    net = network(demo_db)
    miner = net.by_slug["mz-mineradora-sul"]
    assert not any(net.actors[n]["slug"] == "rede-terra-mz" for n in net.cohesion.neighbors(miner))


def test_communities_are_stable_between_computations(demo_db: Database) -> None:
    net = network(demo_db)
    first = metrics.compute(net).actors
    second = metrics.compute(net).actors
    assert {a: v["community"] for a, v in first.items()} == {
        a: v["community"] for a, v in second.items()}


def test_introduction_paths_use_ally_ties_only(demo_db: Database, clock: FrozenClock) -> None:
    net = network(demo_db)
    paths = questions.introduction_paths(net, "samvirke-dk", "mz-ministerio-saude")
    slugs = [net.actors[a]["slug"] for a in paths.strongest]
    assert slugs[0] == "samvirke-dk" and slugs[-1] == "mz-ministerio-saude"
    assert "cso-saude-rural" in slugs  # the one ally with a line into the ministry
    # The mining company is tied only by opposition and influence: no introduction through it.
    assert questions.introduction_paths(net, "samvirke-dk", "mz-mineradora-sul").shortest == []


def test_strongest_path_prefers_strong_ties(db: Database, clock: FrozenClock) -> None:
    from juntos.organisations.models import OrganisationInput

    ids = {s: orgs.create(db, OrganisationInput.validated(name=s, slug=s), now=clock())["id"]
           for s in ("a", "b", "c", "d")}

    def tie(x: str, y: str, strength: int) -> None:
        store.add_tie(db, TieInput.validated(from_id=ids[x], to_id=ids[y], kind="partner",
                                             stance="ally", strength=strength), now=clock())

    tie("a", "d", 1)
    tie("a", "b", 5)
    tie("b", "c", 5)
    tie("c", "d", 5)
    net = network(db)
    paths = questions.introduction_paths(net, "a", "d")
    assert [net.actors[x]["slug"] for x in paths.shortest] == ["a", "d"]
    assert [net.actors[x]["slug"] for x in paths.strongest] == ["a", "b", "c", "d"]


def test_recommendations_give_their_reasons(demo_db: Database) -> None:
    net = network(demo_db)
    partner = net.by_slug["rede-terra-mz"]
    rows = questions.recommend(net, partners=[partner], themes=["land rights"], countries=["UG"])
    by_slug = {r["slug"]: r for r in rows}
    uganda = by_slug["ug-land-alliance"]
    assert uganda["tied_to"] == ["Plataforma Terra e Comunidades"]
    assert uganda["shared_themes"] == ["land rights"] and uganda["country_match"] is True
    assert "mz-mineradora-sul" not in by_slug  # opponents are never recommended
    assert partner not in {r["id"] for r in rows}


def test_brokers_coverage_and_changes(demo_db: Database) -> None:
    net, m = network(demo_db), metrics.metrics(demo_db)
    brokers = questions.brokers(net, m, "theme:health", "theme:land rights", n=5)
    assert brokers and brokers[0]["score"] >= brokers[-1]["score"]
    cover = questions.coverage(net)
    assert cover["cells"]["UG|land rights"] >= 1
    assert ("UG", "health") in cover["gaps"]
    change = questions.changes(net, "2025-01-01", "2026-01-01")
    lost = {(net.actors[t["from_id"]]["slug"], net.actors[t["to_id"]]["slug"])
            for t in change["lost"]}
    assert ("samvirke-dk", "zw-youth-climate") in lost


def test_filters_and_focus_cap(demo_db: Database) -> None:
    net, m = network(demo_db), metrics.metrics(demo_db)
    view = apply(net, m, MapFilter.from_query({"country": "mz"}))
    assert view.actor_ids and all(net.actors[a]["country"] == "MZ" for a in view.actor_ids)
    ego = apply(net, m, MapFilter.from_query({"focus": "forum-juntos-mz", "hops": "2"}))
    assert net.by_slug["forum-juntos-mz"] in ego.actor_ids
    assert len(ego.actor_ids) <= 300


def test_layout_warm_start_places_a_new_actor_near_its_ties(demo_db: Database,
                                                            clock: FrozenClock) -> None:
    from juntos.organisations.models import OrganisationInput

    _, before = store.positions(demo_db)
    new = orgs.create(demo_db, OrganisationInput.validated(name="Nova Rede", slug="nova-rede"),
                      now=clock())
    forum = orgs.get(demo_db, "forum-juntos-mz")
    orgs.add_membership(demo_db, new["id"], forum["id"])
    stale = layout.current(demo_db)
    assert stale.fresh
    after = stale.positions
    assert new["id"] in after
    moved = [a for a in before if after[a] != before[a]]
    assert len(moved) < len(before) / 4  # a local relaxation, not a new map


def test_batched_betweenness_equals_networkx(demo_db: Database) -> None:
    from juntos.network_map.betweenness import betweenness

    graph = network(demo_db).cohesion.copy()
    graph.add_edge(10_001, 10_002)  # a second component and isolates, as real maps have
    graph.add_node(10_003)
    ours = betweenness(graph)
    theirs = nx.betweenness_centrality(graph)
    assert all(ours[a] == pytest.approx(theirs[a], abs=1e-12) for a in graph)
    sampled = betweenness(graph, k=64, seed=1)
    assert sampled[network(demo_db).by_slug["forum-juntos-mz"]] == max(sampled.values())
