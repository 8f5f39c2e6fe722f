"""Rows of the no-JavaScript tables (actors with metrics, ties), sorted on request."""

from __future__ import annotations

from typing import Any

from juntos.network_map.filters import MapView
from juntos.network_map.graph import Network
from juntos.network_map.measures import BY_NAME, MEASURES
from juntos.network_map.metrics import Metrics
from juntos.validation import N_

#: The actor's own columns, before the measures (juntos.network_map.measures).
ACTOR_COLUMNS = ("name", "kind", "country", "community")
ACTOR_SORTS = (*ACTOR_COLUMNS, *(m.name for m in MEASURES if m.sortable))
#: Columns of people's judgements (juntos.network_map.judgements), a group of its own.
JUDGEMENT_SORTS = ("judgements", "judged_influence", "judged_stance")
NO_JUDGEMENT = {"judgements": 0, "judged_influence": None, "judged_stance": ""}
TIE_SORTS = ("from", "to", "kind", "strength", "stance", "valid_from", "valid_until")
#: Column labels (marked for translation) besides the measures', which carry their own.
LABELS = {
    "name": N_("Name"), "kind": N_("Kind"), "country": N_("Country"),
    "community": N_("Community"), "from": N_("From"), "to": N_("To"),
    "strength": N_("Strength"), "stance": N_("Stance"), "valid_from": N_("Since"),
    "valid_until": N_("Until"), "judgements": N_("Judgements"),
    "judged_influence": N_("Judged influence (mean, 0-5)"),
    "judged_stance": N_("Judged stance (most often)"),
}


def label(column: str) -> str:
    """A column's label (a msgid: the web layer translates it)."""
    measure = BY_NAME.get(column)
    return measure.label if measure is not None else LABELS.get(column, column)


def actor_rows(net: Network, metrics: Metrics, view: MapView, *, sort: str = "degree",
               descending: bool = True,
               judged: dict[int, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Actors of the view with their measures and, apart, the summary of people's judgements."""
    sort = sort if sort in (*ACTOR_SORTS, *JUDGEMENT_SORTS) else "degree"
    judged = judged or {}
    rows = [net.actors[a] | metrics.actors[a] | judged.get(a, NO_JUDGEMENT)
            for a in view.actor_ids]

    def key(row: dict[str, Any]) -> Any:
        value = row[sort]
        if value is None:
            return (1, 0) if not descending else (-1, 0)
        return (0, value.casefold() if isinstance(value, str) else value)

    rows.sort(key=lambda r: r["name"].casefold())
    rows.sort(key=key, reverse=descending)
    return rows


def tie_rows(net: Network, view: MapView, *, sort: str = "from",
             descending: bool = False) -> list[dict[str, Any]]:
    sort = sort if sort in TIE_SORTS else "from"
    rows = [t | {"from": net.actors[t["from_id"]], "to": net.actors[t["to_id"]]}
            for t in view.ties]

    def key(row: dict[str, Any]) -> Any:
        value = row[sort]
        if isinstance(value, dict):
            return value["name"].casefold()
        return (value is None, value or 0) if sort == "strength" else (value or "")

    rows.sort(key=key, reverse=descending)
    return rows


def actor_ties(net: Network, actor_id: int) -> list[dict[str, Any]]:
    """Every tie of one actor, with the other end and the direction as seen from it."""
    out = []
    for tie in net.ties_by_actor.get(actor_id, ()):
        outgoing = tie["from_id"] == actor_id
        other = net.actors[tie["to_id"] if outgoing else tie["from_id"]]
        out.append(tie | {"other": other, "outgoing": outgoing})
    out.sort(key=lambda t: (t["kind"], t["other"]["name"].casefold()))
    return out
