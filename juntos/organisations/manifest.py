"""The organisations area, declared once for the composition root."""

from __future__ import annotations

from juntos.area import Area
from juntos.organisations import commands, demo, demo_duplicates, migrations, permissions

AREA = Area(
    name="organisations",
    summary="The shared organisations, their names, networks, duplicates and merges.",
    migrations=migrations.migrations,
    commands=commands.commands,
    demo=demo.load_with_users,
    demo_last=demo_duplicates.load,
    permissions=permissions.RULES,
)
