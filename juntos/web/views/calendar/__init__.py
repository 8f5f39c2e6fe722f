"""Pages of the calendar area, by resource: ``pages`` (month, agenda, timeline,
opportunities, panels), ``events`` (one event and its form), ``sources`` (imports and
subscriptions) and ``feeds`` (iCalendar feeds and one's private feed address).

Thin: parse the request, call ``juntos.calendar``, render.
"""

from __future__ import annotations

from juntos.calendar.feedcache import FeedCache
from juntos.calendar.serving import FeedMemo
from juntos.web.views.calendar import events, feeds, pages, sources
from juntos.web.views.calendar.pages import campaign_panel, dashboard_panel
from juntos.web.webarea import WebArea

__all__ = ["WEB", "campaign_panel", "dashboard_panel"]

WEB = WebArea(
    name="calendar",
    routes=[*pages.routes, *events.routes, *sources.routes, *feeds.routes],
    dashboard_panel=dashboard_panel,
    campaign_panel=campaign_panel,
    lifespan=feeds.lifespan,
    # one per app: the rendered feeds, and the answers the fast path replays
    state={"calendar_feeds": FeedCache, "feed_memo": FeedMemo},
)
