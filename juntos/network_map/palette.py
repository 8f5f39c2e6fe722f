"""Colours of the map: the same actor gets the same colour in the explorer, the SVG and GEXF."""

from __future__ import annotations

# Colour-blind-safe-ish qualitative palette (Tableau 10 order), readable on white.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac", "#1f6f8b", "#8cd17d")
STANCE_COLOURS = {"ally": "#59a14f", "neutral": "#9d9d9d", "opponent": "#e15759", "": "#bbbbbb"}


def community_colour(community: int) -> str:
    return "#999999" if community < 0 else PALETTE[community % len(PALETTE)]


def colour_for(value: str, values: list[str]) -> str:
    """A stable colour for a category (kind, country) by its place in the sorted list."""
    return PALETTE[sorted(values).index(value) % len(PALETTE)] if value in values else "#999999"
