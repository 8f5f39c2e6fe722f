from __future__ import annotations

import pytest

from juntos.db import Database
from juntos.errors import Conflict
from juntos.organisations import store
from juntos.organisations.models import OrganisationInput
from tests.support.clock import FrozenClock


def test_create_then_get_round_trips_lists(db: Database, clock: FrozenClock) -> None:
    store.create(db, OrganisationInput.validated(name="Rede", slug="rede", kind="network",
                                                 themes=["health", "climate"]), now=clock())
    org = store.get(db, "rede")
    assert org["themes"] == ["health", "climate"] and org["is_public"] is False


def test_a_taken_slug_is_a_conflict(db: Database, org_a: dict, clock: FrozenClock) -> None:
    with pytest.raises(Conflict):
        store.create(db, OrganisationInput.validated(name="Other", slug="org-a"), now=clock())


def test_search_filters_combine_and_paginate(db: Database, clock: FrozenClock) -> None:
    for i in range(30):
        store.create(db, OrganisationInput.validated(
            name=f"Org {i:02d}", country="MZ" if i % 2 else "ZA",
            themes=["health"] if i % 3 == 0 else ["labour"]), now=clock())
    rows, total = store.search(db, store.OrganisationFilter(country="MZ", theme="health"),
                               limit=3, offset=0)
    assert total == 5  # odd multiples of 3 below 30: 3, 9, 15, 21, 27
    assert [r["name"] for r in rows] == ["Org 03", "Org 09", "Org 15"]


def test_memberships_link_members_and_networks(db: Database, org_a: dict, org_b: dict,
                                               clock: FrozenClock) -> None:
    net = store.create(db, OrganisationInput.validated(name="Net", kind="network"), now=clock())
    store.set_networks(db, org_a["id"], [net["id"]])
    store.set_networks(db, org_b["id"], [net["id"]])
    assert [m["slug"] for m in store.members_of(db, net["id"])] == ["org-a", "org-b"]
    _, total = store.search(db, store.OrganisationFilter(network="net"))
    assert total == 2
    store.set_networks(db, org_a["id"], [])
    assert store.networks_of(db, org_a["id"]) == []
