"""An area's pages, declared once in its view module as ``WEB = WebArea(...)``.

The composition root (``juntos.house``) pairs each area's manifest with its ``WebArea`` and
hands the list to ``create_app``; the app mounts the routes, runs the lifespans, and shared
pages (the dashboard, an organisation's page, a campaign's page) show the panels each area
offers. Adding an area never edits those pages or the app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.routing import BaseRoute

#: ``(template, context)`` for a panel, or ``None`` when the area has nothing to show.
PanelResult = tuple[str, dict[str, Any]] | None


@dataclass(frozen=True, kw_only=True)
class WebArea:
    """What an area adds to the web app."""

    name: str
    routes: Sequence[BaseRoute]
    dashboard_panel: Callable[[Request], PanelResult] | None = None
    organisation_panel: Callable[[Request, dict[str, Any]], PanelResult] | None = None
    campaign_panel: Callable[[Request, dict[str, Any]], PanelResult] | None = None
    #: a section of a campaign's printable brief (read only: it is printed)
    brief_panel: Callable[[Request, dict[str, Any]], PanelResult] | None = None
    #: Something run for the app's lifetime (a long-lived read connection).
    lifespan: Callable[[Any], AbstractAsyncContextManager[None]] | None = None
    #: Per-app state built by ``create_app`` (caches: ``{"feed_cache": FeedCache}``), set as
    #: ``app.state.<name> = factory()``: one per app, never a module global.
    state: Mapping[str, Callable[[], object]] | None = None
