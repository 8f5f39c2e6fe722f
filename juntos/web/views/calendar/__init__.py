"""Pages of the calendar area, by resource: ``pages`` (month, agenda, timeline,
opportunities, panels), ``events`` (one event and its form), ``sources`` (imports and
subscriptions) and ``feeds`` (iCalendar feeds and one's private feed address).

Thin: parse the request, call ``juntos.calendar``, render.
"""

from __future__ import annotations

from juntos.calendar.choices import ChoiceCache
from juntos.calendar.feedcache import FeedCache
from juntos.calendar.serving import FeedMemo
from juntos.calendar.windows import WindowCache
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
    # one per app: the rendered feeds, the answers the fast path replays, the filters' values
    state={"calendar_feeds": FeedCache, "feed_memo": FeedMemo,
           "calendar_choices": ChoiceCache, "calendar_windows": WindowCache},
)
