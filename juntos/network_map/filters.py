"""The filters of a map view (kind, country, theme, tie kind, stance, community, date, focus),
shared by the explorer, its JSON, the no-JS SVG and tables, and the CLI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from juntos.errors import ValidationError
from juntos.network_map.focus import CAP_CHOICES, FOCUS_CAP, FocusView, focus_view
from juntos.network_map.graph import Network, tie_active
from juntos.network_map.metrics import Metrics
from juntos.network_map.models import STANCES, valid_date

#: Separates the tie kinds of ``expand`` in a URL (as ``|`` separates values in Kumu's sheets).
EXPAND_SEPARATOR = "|"


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
    cap: int = FOCUS_CAP  # a focus shows at most this many actors, nearest first...
    expand: tuple[str, ...] = ()  # ...plus those reached through these tie kinds

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
        cap = str(query.get("cap", "") or FOCUS_CAP)
        if not cap.isdigit() or int(cap) not in CAP_CHOICES:
            errors["cap"] = f"At most is one of {', '.join(map(str, CAP_CHOICES))} actors."
        if errors:
            raise ValidationError(errors)
        expand = tuple(dict.fromkeys(
            k.strip() for k in str(query.get("expand", "") or "").split(EXPAND_SEPARATOR)
            if k.strip()))
        return cls(**values, hops=int(hops), cap=int(cap), expand=expand)

    def query(self) -> dict[str, str]:
        """The non-empty filters, for links that keep the view (state lives in the URL)."""
        out = {k: str(v) for k, v in asdict(self).items()
               if v and k != "expand" and not (k == "hops" and v == 1)
               and not (k == "cap" and v == FOCUS_CAP)}
        if self.expand:
            out["expand"] = EXPAND_SEPARATOR.join(self.expand)
        return out

    def expanding(self, tie_kind: str) -> MapFilter:
        """The same view with the actors reached through ``tie_kind`` ties added."""
        return replace(self, expand=(*self.expand, tie_kind))

    @property
    def active(self) -> bool:
        return bool(self.query())


@dataclass(frozen=True)
class MapView:
    actor_ids: list[int]
    ties: list[dict[str, Any]]
    truncated: bool  # a focus view the cap cut: see ``focus`` for what it hid
    focus: FocusView | None = None


def subnetwork(net: Network, view: MapView) -> Network:
    """The snapshot cut to a view's actors and ties: what an export of the filtered view
    writes (its graphs and memo are the whole network's and are not for reading)."""
    keep = set(view.actor_ids)
    return replace(net, actors={a: net.actors[a] for a in view.actor_ids}, ties=list(view.ties),
                   by_slug={s: a for s, a in net.by_slug.items() if a in keep},
                   colours={a: c for a, c in net.colours.items() if a in keep})


def _actor_matches(actor: dict[str, Any], community: int, flt: MapFilter) -> bool:
    return ((not flt.kind or actor["kind"] == flt.kind)
            and (not flt.country or actor["country"] == flt.country)
            and (not flt.theme or flt.theme in actor["themes"])
            and (not flt.community or community == int(flt.community)))


def _tie_matches(tie: dict[str, Any], flt: MapFilter) -> bool:
    return ((not flt.tie_kind or tie["kind"] == flt.tie_kind)
            and (not flt.stance or tie["stance"] == flt.stance)
            and (not flt.at or tie_active(tie, flt.at)))


def apply(net: Network, metrics: Metrics, flt: MapFilter) -> MapView:
    """The actors and ties a filter keeps; kept with the snapshot (and these metrics), so
    the explorer, its JSON and SVG and the tables of one view filter 25,000 ties once."""
    kept_metrics, view = net.remember(("view", flt), lambda: (metrics, _apply(net, metrics, flt)))
    return view if kept_metrics is metrics else _apply(net, metrics, flt)


def _apply(net: Network, metrics: Metrics, flt: MapFilter) -> MapView:
    ties = [t for t in net.ties if _tie_matches(t, flt)]
    keep = {a for a, actor in net.actors.items()
            if _actor_matches(actor, metrics.actors[a]["community"], flt)}
    focus = None
    if flt.focus:
        center = net.by_slug.get(flt.focus)
        if center is None:
            raise ValidationError({"focus": f"No actor {flt.focus!r}."})
        focus = focus_view(ties, keep, center, hops=flt.hops, cap=flt.cap, expand=flt.expand)
        keep = focus.shown
    ties = [t for t in ties if t["from_id"] in keep and t["to_id"] in keep]
    if (flt.tie_kind or flt.stance or flt.at) and not flt.focus:
        keep &= {t["from_id"] for t in ties} | {t["to_id"] for t in ties}
    return MapView(actor_ids=sorted(keep), ties=ties, truncated=bool(focus and focus.hidden),
                   focus=focus)
