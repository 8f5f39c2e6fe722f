"""The campaigns area, declared once for the composition root."""

from __future__ import annotations

from juntos.area import Area, Plug
from juntos.calendar import sources
from juntos.calendar import visibility as calendar_visibility
from juntos.campaigns import calendar_link, commands, demo, mail_link, migrations, visibility
from juntos.mail import kinds as mail_kinds

AREA = Area.conventional(
    "campaigns",
    "Joint campaigns: partners, responsibilities, commitments and calls to action.",
    migrations, commands, demo, visibility,
    plugs=[
        Plug(sources.SOURCES, "campaigns", calendar_link.SOURCE),
        Plug(calendar_visibility.PARTNER_LOOKUPS, "campaigns", calendar_link.partner_campaigns),
        Plug(calendar_visibility.CAMPAIGN_INDEX, "campaigns", calendar_link.INDEX),
        Plug(mail_kinds.KINDS, mail_link.COMMITMENT_DUE.id, mail_link.COMMITMENT_DUE),
        Plug(mail_kinds.KINDS, mail_link.INVITATION.id, mail_link.INVITATION),
        Plug(mail_kinds.KINDS, mail_link.EVENT_CHANGE.id, mail_link.EVENT_CHANGE),
        Plug(mail_kinds.SCANS, "campaigns.commitments", mail_link.scan),
        Plug(mail_kinds.SCANS, "campaigns.events", mail_link.event_changes_scan),
        Plug(mail_kinds.DIGEST_SECTIONS, "campaigns.1-upcoming", mail_link.upcoming_section),
        Plug(mail_kinds.DIGEST_SECTIONS, "campaigns.2-commitments", mail_link.digest_section),
    ],
)
