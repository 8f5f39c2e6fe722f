"""The catalogue area, declared once for the composition root."""

from __future__ import annotations

from juntos.area import Area, Plug
from juntos.catalogue import commands, demo, mail_link, migrations, permissions
from juntos.mail import kinds as mail_kinds

AREA = Area.conventional(
    "catalogue",
    "Civic action ideas and case stories: search, contribution and review.",
    migrations, commands, demo, permissions,
    plugs=[
        Plug(mail_kinds.KINDS, mail_link.REVIEW.id, mail_link.REVIEW),
        Plug(mail_kinds.SCANS, "catalogue.review", mail_link.scan),
    ],
)
