"""Focus views: the actors within 1-3 ties of one actor, capped, and "expand by tie kind".

A focus on a hub with 2 hops returns most of a map, so a focus view keeps the nearest actors up
to a cap (best connected first at equal distance). The view then says how many actors the cap
hid and, per tie kind, how many of them an expansion would add: the hidden actors (still within
the hops) tied by that kind to an actor already shown, repeatedly, so a chain of ``funds``
ties is followed as far as the hops allow. Expansions are tie kinds named in the view's state
(the URL); the count offered for a kind is exactly what choosing it adds.

Everything works on the ties and actors that the other filters (kind, country, theme, tie
kind, stance, community, date) let through, so an expansion never brings in an actor or a tie
the filters hide. Actors and ties carry no campaign data: campaigns appear only in an actor's
panel, through the campaigns area's visibility rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

#: A focus on a hub with 2 hops returns most of a map: cap it, closest actors first.
FOCUS_CAP = 300
#: Caps a viewer may choose (smaller views for slow connections); the largest is the default.
CAP_CHOICES = (50, 100, FOCUS_CAP)


@dataclass(frozen=True)
class FocusView:
    """The actors a focus shows, and what the cap hid."""

    shown: set[int]
    within: int  # actors within the hops (the center included), before the cap
    expanded: tuple[str, ...] = ()
    #: (tie kind, actors an expansion by it adds), most first; only kinds that add someone.
    offers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        return self.within - len(self.shown)


def _adjacency(ties: Iterable[dict[str, Any]],
               allowed: set[int]) -> dict[int, list[tuple[int, str]]]:
    """Both directions: an introduction or an expansion may follow a tie either way."""
    adj: dict[int, list[tuple[int, str]]] = {}
    for tie in ties:
        a, b = tie["from_id"], tie["to_id"]
        if a == b or a not in allowed or b not in allowed:
            continue
        adj.setdefault(a, []).append((b, tie["kind"]))
        adj.setdefault(b, []).append((a, tie["kind"]))
    return adj


def _distances(adj: dict[int, list[tuple[int, str]]], center: int, hops: int) -> dict[int, int]:
    distance = {center: 0}
    frontier = [center]
    for step in range(1, hops + 1):
        reached = []
        for actor in frontier:
            for other, _kind in adj.get(actor, ()):
                if other not in distance:
                    distance[other] = step
                    reached.append(other)
        frontier = reached
    return distance


def _grow(adj: dict[int, list[tuple[int, str]]], start: set[int], kinds: set[str],
          within: dict[int, int]) -> set[int]:
    """``start`` plus every actor within the hops reached from it through ``kinds`` ties."""
    shown = set(start)
    if not kinds:
        return shown
    stack = list(shown)
    while stack:
        actor = stack.pop()
        for other, kind in adj.get(actor, ()):
            if kind in kinds and other in within and other not in shown:
                shown.add(other)
                stack.append(other)
    return shown


def focus_view(ties: Iterable[dict[str, Any]], allowed: set[int], center: int, *, hops: int,
               cap: int = FOCUS_CAP, expand: Iterable[str] = ()) -> FocusView:
    """The focus on ``center`` over the ``ties`` between ``allowed`` actors (the filtered view).

    The center is always shown, even when the filters would hide it.
    """
    adj = _adjacency(ties, allowed | {center})
    within = _distances(adj, center, hops)
    neighbours = {a: len({other for other, _ in adj.get(a, ())}) for a in within}
    ordered = sorted(within, key=lambda a: (within[a], -neighbours[a], a))
    if len(ordered) <= cap:
        return FocusView(shown=set(ordered), within=len(ordered))
    kinds_near = {kind for a in within for _other, kind in adj.get(a, ())}
    expanded = tuple(k for k in dict.fromkeys(expand) if k in kinds_near)
    shown = _grow(adj, set(ordered[:cap]), set(expanded), within)
    offers = []
    if len(shown) < len(within):
        for kind in sorted(kinds_near - set(expanded)):
            added = len(_grow(adj, shown, {*expanded, kind}, within)) - len(shown)
            if added:
                offers.append((kind, added))
    offers.sort(key=lambda offer: (-offer[1], offer[0]))
    return FocusView(shown=shown, within=len(within), expanded=expanded, offers=offers)
