"""Ties: one store for relations (memberships are ``member of`` ties), validation, the change
counter that invalidates every cache."""

from __future__ import annotations

import sqlite3

import pytest

from juntos.db import Database
from juntos.errors import NotFound, ValidationError
from juntos.network_map import store
from juntos.network_map.cache import NetworkCache
from juntos.network_map.graph import network
from juntos.network_map.models import TieInput
from juntos.organisations import store as orgs
from tests.support.clock import FrozenClock


def test_a_membership_is_a_member_of_tie_with_one_row(db: Database, org_a: dict, org_b: dict,
                                                       clock: FrozenClock) -> None:
    orgs.add_membership(db, org_a["id"], org_b["id"], "2024-01-01")
    ties = store.ties(db)
    assert [(t["from_id"], t["to_id"], t["kind"], t["valid_from"]) for t in ties] == [
        (org_a["id"], org_b["id"], "member of", "2024-01-01")]
    # Recording the same membership as a tie updates that row: no second copy.
    store.add_tie(db, TieInput.validated(from_id=org_a["id"], to_id=org_b["id"], kind="member of",
                                         strength=4, stance="ally"), now=clock())
    assert [(t["kind"], t["strength"]) for t in store.ties(db)] == [("member of", 4)]
    assert [n["id"] for n in orgs.networks_of(db, org_a["id"])] == [org_b["id"]]


def test_the_ties_table_refuses_member_of(db: Database, org_a: dict, org_b: dict) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        db["ties"].insert({"from_id": org_a["id"], "to_id": org_b["id"], "kind": "member of"})


def test_saving_the_organisation_form_keeps_membership_details(db: Database, org_a: dict,
                                                              org_b: dict,
                                                              clock: FrozenClock) -> None:
    store.add_tie(db, TieInput.validated(from_id=org_a["id"], to_id=org_b["id"], kind="member of",
                                         strength=5, notes="founding member"), now=clock())
    orgs.set_networks(db, org_a["id"], [org_b["id"]])
    [tie] = store.ties(db)
    assert (tie["strength"], tie["notes"]) == (5, "founding member")
    orgs.set_networks(db, org_a["id"], [])
    assert store.ties(db) == []


def test_deleting_a_membership_tie_removes_the_membership(db: Database, org_a: dict,
                                                          org_b: dict) -> None:
    orgs.add_membership(db, org_a["id"], org_b["id"])
    [tie] = store.ties(db)
    store.delete_tie(db, tie["id"])
    assert orgs.networks_of(db, org_a["id"]) == []


def test_bad_ties_are_refused_field_by_field() -> None:
    with pytest.raises(ValidationError) as e:
        TieInput.validated(from_id=1, to_id=2, kind="partner", strength=7, stance="friend",
                           valid_from="2025-13-01")
    assert set(e.value.errors) == {"strength", "stance", "valid_from"}


def test_any_change_invalidates_the_cached_graph_and_metrics(db: Database, org_a: dict,
                                                             org_b: dict,
                                                             clock: FrozenClock) -> None:
    cache = NetworkCache()  # as the app keeps one
    before = cache.metrics(db)
    assert cache.metrics(db) is before  # cached while nothing changes
    assert before.actors[org_a["id"]]["degree"] == 0
    store.add_tie(db, TieInput.validated(from_id=org_a["id"], to_id=org_b["id"],
                                         kind="partner"), now=clock())
    after = cache.metrics(db)
    assert after is not before
    assert after.actors[org_a["id"]]["degree"] == 1
    db["organisations"].update(org_b["id"], {"country": "UG"})  # an edit elsewhere counts too
    assert cache.network(db).actors[org_b["id"]]["country"] == "UG"


def test_editing_a_tie_keeps_its_row_and_bumps_the_counter(db: Database, org_a: dict,
                                                          org_b: dict,
                                                          clock: FrozenClock) -> None:
    tie_id = store.add_tie(db, TieInput.validated(from_id=org_a["id"], to_id=org_b["id"],
                                                  kind="partner"), now=clock(),
                           attrs={"from_file": "x"})
    before = store.version(db)
    same = store.update_tie(db, tie_id, TieInput.validated(
        from_id=org_b["id"], to_id=org_a["id"], kind="funds", strength=3, stance="ally",
        valid_from="2025-01-01", source="report"), now=clock())
    assert same == tie_id and store.version(db) > before
    tie = store.get_tie(db, tie_id)
    assert (tie["from_id"], tie["kind"], tie["strength"], tie["source"], tie["attrs"]) == (
        org_b["id"], "funds", 3, "report", {"from_file": "x"})
    assert network(db).ties[0]["kind"] == "funds"  # the cached graph follows


def test_a_tie_becoming_a_membership_moves_to_the_memberships_table(db: Database, org_a: dict,
                                                                   org_b: dict,
                                                                   clock: FrozenClock) -> None:
    tie_id = store.add_tie(db, TieInput.validated(from_id=org_a["id"], to_id=org_b["id"],
                                                  kind="partner", strength=2), now=clock())
    member_id = store.update_tie(db, tie_id, TieInput.validated(
        from_id=org_a["id"], to_id=org_b["id"], kind="member of", strength=2, directed=False),
        now=clock())
    assert member_id < 0 and db["ties"].count == 0
    assert [n["id"] for n in orgs.networks_of(db, org_a["id"])] == [org_b["id"]]
    assert store.get_tie(db, member_id)["directed"] is True  # a membership is always directed
    back = store.update_tie(db, member_id, TieInput.validated(
        from_id=org_a["id"], to_id=org_b["id"], kind="partner", strength=5), now=clock())
    assert back > 0 and orgs.networks_of(db, org_a["id"]) == []
    assert store.get_tie(db, back)["strength"] == 5
    with pytest.raises(NotFound):
        store.get_tie(db, member_id)
