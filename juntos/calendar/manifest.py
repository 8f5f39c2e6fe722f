"""The calendar area, declared once for the composition root."""

from __future__ import annotations

from juntos.area import Area
from juntos.calendar import commands, demo, migrations, visibility

AREA = Area(
    name="calendar",
    summary="The joint calendar: events, international days, iCalendar feeds and imports.",
    migrations=migrations.migrations,
    commands=commands.commands,
    demo=demo.load,
    permissions=visibility.RULES,
)
