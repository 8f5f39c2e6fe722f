"""The catalogue area, declared once for the composition root."""

from __future__ import annotations

from juntos.area import Area
from juntos.catalogue import commands, demo, migrations, permissions

AREA = Area.conventional(
    "catalogue",
    "Civic action ideas and case stories: search, contribution and review.",
    migrations, commands, demo, permissions,
)
