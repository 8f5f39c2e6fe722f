"""The filters of a map view (kind, country, theme, tie kind, stance, community, date, focus),
shared by the explorer, its JSON, the no-JS SVG and tables, and the CLI."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

from juntos.errors import ValidationError
from juntos.network_map.graph import Network, tie_active
from juntos.network_map.metrics import Metrics
from juntos.network_map.models import STANCES, valid_date

#: A focus on a hub with 2 hops returns most of a map: cap it, closest actors first.
FOCUS_CAP = 300


@dataclass(frozen=True, kw_only=True)
class MapFilter:
    kind: str = ""
    country: str = ""
    theme: str = ""
    tie_kind: str = ""
    stance: str = ""
    community: str = ""
    at: str = ""  # ISO date: only ties valid that day
    focus: str = ""  # slug: the ego network of this actor
    hops: int = 1

    @classmethod
    def from_query(cls, query: Any) -> MapFilter:
        """From query parameters (a mapping of strings), refusing bad values by name."""
        errors = {}
        values = {k: str(query.get(k, "") or "").strip() for k in
                  ("kind", "country", "theme", "tie_kind", "stance", "community", "at", "focus")}
        values["country"] = values["country"].upper()
        values["theme"] = values["theme"].lower()
        if values["stance"] and values["stance"] not in STANCES:
            errors["stance"] = f"Stance is one of {', '.join(STANCES)}."
        if values["at"] and not valid_date(values["at"]):
            errors["at"] = f"{values['at']!r} is not a date (YYYY-MM-DD)."
        if values["community"] and not values["community"].isdigit():
            errors["community"] = "A community is a number."
        hops = str(query.get("hops", "") or "1")
        if hops not in ("1", "2", "3"):
            errors["hops"] = "Hops is 1, 2 or 3."
        if errors:
            raise ValidationError(errors)
        return cls(**values, hops=int(hops))

    def query(self) -> dict[str, str]:
        """The non-empty filters, for links that keep the view (state lives in the URL)."""
        return {k: str(v) for k, v in asdict(self).items()
                if v and not (k == "hops" and v == 1)}

    @property
    def active(self) -> bool:
        return bool(self.query())


@dataclass(frozen=True)
class MapView:
    actor_ids: list[int]
    ties: list[dict[str, Any]]
    truncated: bool  # focus capped at FOCUS_CAP actors


def _actor_matches(actor: dict[str, Any], community: int, flt: MapFilter) -> bool:
    return ((not flt.kind or actor["kind"] == flt.kind)
            and (not flt.country or actor["country"] == flt.country)
            and (not flt.theme or flt.theme in actor["themes"])
            and (not flt.community or community == int(flt.community)))


def _tie_matches(tie: dict[str, Any], flt: MapFilter) -> bool:
    return ((not flt.tie_kind or tie["kind"] == flt.tie_kind)
            and (not flt.stance or tie["stance"] == flt.stance)
            and (not flt.at or tie_active(tie, flt.at)))


def ego_ids(net: Network, center: int, hops: int, cap: int = FOCUS_CAP) -> tuple[list[int], bool]:
    """Actors within ``hops`` ties of ``center`` (either direction), nearest first, capped."""
    undirected = nx.Graph(net.multi.to_undirected(as_view=True))
    distance = nx.single_source_shortest_path_length(undirected, center, cutoff=hops)
    ordered = sorted(distance, key=lambda a: (distance[a], -undirected.degree(a), a))
    return ordered[:cap], len(ordered) > cap


def apply(net: Network, metrics: Metrics, flt: MapFilter) -> MapView:
    ties = [t for t in net.ties if _tie_matches(t, flt)]
    keep = {a for a, actor in net.actors.items()
            if _actor_matches(actor, metrics.actors[a]["community"], flt)}
    truncated = False
    if flt.focus:
        center = net.by_slug.get(flt.focus)
        if center is None:
            raise ValidationError({"focus": f"No actor {flt.focus!r}."})
        ego, truncated = ego_ids(net, center, flt.hops)
        keep &= set(ego) | {center}
        keep.add(center)
    ties = [t for t in ties if t["from_id"] in keep and t["to_id"] in keep]
    if flt.tie_kind or flt.stance or flt.at:
        tied = {t["from_id"] for t in ties} | {t["to_id"] for t in ties}
        keep &= tied | ({net.by_slug[flt.focus]} if flt.focus else set())
    return MapView(actor_ids=sorted(keep), ties=ties, truncated=truncated)
