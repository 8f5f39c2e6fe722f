"""The network map area, declared once for the composition root."""

from __future__ import annotations

from juntos.area import Area
from juntos.network_map import access, commands, demo, migrations

AREA = Area.conventional(
    "network_map",
    "Actors and ties as a graph: metrics, questions, import and export.",
    migrations, commands, demo, access,
)
