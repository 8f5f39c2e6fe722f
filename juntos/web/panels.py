"""Panels that areas add to shared pages (the dashboard, an organisation's page).

An area's ``WebArea`` may offer ``dashboard_panel(request)``,
``organisation_panel(request, org)`` and ``campaign_panel(request, campaign)``, each
returning ``(template_name, context)`` or ``None``. Shared pages render whatever the areas
return, so adding an area never edits those pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from juntos.web.webarea import WebArea


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]
    area: str = ""  # the area's name: an anchor for in-page menus


def _collect(hook: str, request: Request, *args: Any) -> list[Panel]:
    panels = []
    areas: tuple[WebArea, ...] = request.app.state.areas
    for area in areas:
        provider = getattr(area, hook)
        if provider is None:
            continue
        result = provider(request, *args)
        if result is not None:
            template, context = result
            panels.append(Panel(template, context, area=area.name))
    return panels


def dashboard_panels(request: Request) -> list[Panel]:
    return _collect("dashboard_panel", request)


def organisation_panels(request: Request, org: dict[str, Any]) -> list[Panel]:
    return _collect("organisation_panel", request, org)


def campaign_panels(request: Request, campaign: dict[str, Any]) -> list[Panel]:
    """What other areas show on a campaign's page (events, messages, tactics, network)."""
    return _collect("campaign_panel", request, campaign)


def brief_panels(request: Request, campaign: dict[str, Any]) -> list[Panel]:
    """What other areas add to a campaign's printable brief (its planned tactics)."""
    return _collect("brief_panel", request, campaign)
