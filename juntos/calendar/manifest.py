"""The calendar area, declared once for the composition root."""

from __future__ import annotations

from juntos.accounts import store as accounts
from juntos.area import Area, Plug
from juntos.calendar import commands, demo, kinds, migrations, subscriptions, sync, tokens, upload
from juntos.calendar import visibility as rules
from juntos.runner import Task

AREA = Area.conventional(
    "calendar",
    "The joint calendar: events, international days, iCalendar feeds and imports.",
    migrations, commands, demo, rules,
    tasks=[Task(name="calendar-sync", run=sync.run,
                interval=lambda settings: settings.calendar_sync_minutes * 60)],
    plugs=[Plug(kinds.KINDS, upload.UPLOAD.id, upload.UPLOAD),
           Plug(kinds.KINDS, subscriptions.SUBSCRIPTION.id, subscriptions.SUBSCRIPTION),
           # A deactivated user's private feed address is revoked, not merely refused.
           Plug(accounts.DEACTIVATED, "calendar-feed-token", tokens.revoke)],
)
