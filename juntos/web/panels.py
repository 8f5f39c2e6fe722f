"""Panels that areas add to shared pages (the dashboard, an organisation's page).

An area's view module may define ``dashboard_panel(request)``,
``organisation_panel(request, org)`` and ``campaign_panel(request, campaign)``, each
returning ``(template_name, context)`` or ``None``. Shared pages render whatever the areas
return, so adding an area never edits those pages.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

AREA_VIEWS = [
    "juntos.web.views.campaigns",
    "juntos.web.views.calendar",
    "juntos.web.views.network_map",
    "juntos.web.views.catalogue",
    "juntos.web.views.social",
]


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


def _collect(hook: str, *args: Any) -> list[Panel]:
    panels = []
    for name in AREA_VIEWS:
        provider = getattr(importlib.import_module(name), hook, None)
        if provider is None:
            continue
        result = provider(*args)
        if result is not None:
            panels.append(Panel(*result))
    return panels


def dashboard_panels(request: Request) -> list[Panel]:
    return _collect("dashboard_panel", request)


def organisation_panels(request: Request, org: dict[str, Any]) -> list[Panel]:
    return _collect("organisation_panel", request, org)


def campaign_panels(request: Request, campaign: dict[str, Any]) -> list[Panel]:
    """What other areas show on a campaign's page (events, messages, tactics, network)."""
    return _collect("campaign_panel", request, campaign)
