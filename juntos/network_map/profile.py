"""One actor as the actor's page, its JSON and the explorer's side panel show it: details,
measures, ties, campaigns and, apart from the measures, what people judged."""

from __future__ import annotations

from typing import Any

from juntos.accounts.store import User
from juntos.db import Database
from juntos.errors import NotFound
from juntos.network_map import judgements, store
from juntos.network_map.campaign_link import campaigns_of
from juntos.network_map.graph import Network
from juntos.network_map.metrics import Metrics
from juntos.network_map.tables import actor_ties

ACTOR_FIELDS = ("slug", "name", "acronym", "kind", "country", "territory", "city", "themes",
                "description")
TIE_FIELDS = ("id", "kind", "outgoing", "directed", "strength", "stance", "valid_from",
              "valid_until", "source")


def actor_profile(db: Database, net: Network, m: Metrics, slug: str, *,
                  user: User | None) -> dict[str, Any]:
    """Everything shown about the actor ``slug`` that ``user`` may see; NotFound if none."""
    actor = net.actor(slug)
    if actor is None:
        raise NotFound(f"No actor {slug!r}.")
    ties = [{k: t[k] for k in TIE_FIELDS} | {"other": {"slug": t["other"]["slug"],
                                                       "name": t["other"]["name"]}}
            for t in actor_ties(net, actor["id"])]
    return {"actor": {k: actor[k] for k in ACTOR_FIELDS},
            "metrics": m.actors[actor["id"]],
            "betweenness_exact": m.network["betweenness_exact"],
            "attributes": store.actor_attributes(db).get(actor["id"], {}),
            "ties": ties, "campaigns": campaigns_of(db, actor["id"], user=user),
            # What people judged (Net-Map), kept apart from the computed "metrics" above.
            "judgements": [judgements.public_fields(j) | {"id": j["id"], "by": j["by_name"],
                                                         "recorded_by": j["recorded_by"]}
                           for j in judgements.for_actor(db, actor["id"], user=user)]}
