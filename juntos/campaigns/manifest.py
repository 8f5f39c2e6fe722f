"""The campaigns area, declared once for the composition root."""

from __future__ import annotations

from juntos.area import Area, Plug
from juntos.calendar import sources
from juntos.calendar import visibility as calendar_visibility
from juntos.campaigns import calendar_link, commands, demo, migrations, visibility

AREA = Area.conventional(
    "campaigns",
    "Joint campaigns: partners, responsibilities, commitments and calls to action.",
    migrations, commands, demo, visibility,
    plugs=[
        Plug(sources.SOURCES, "campaigns", calendar_link.SOURCE),
        Plug(calendar_visibility.PARTNER_LOOKUPS, "campaigns", calendar_link.partner_campaigns),
        Plug(calendar_visibility.CAMPAIGN_INDEX, "campaigns", calendar_link.INDEX),
    ],
)
