"""What the network map adds to other areas' pages: an organisation's place in the network,
and actors a campaign could ask."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from juntos.network_map import questions
from juntos.network_map.tables import actor_ties
from juntos.web.views.network_map.common import cache, snapshot
from juntos.web.webarea import PanelResult


def organisation_panel(request: Request, org: dict[str, Any]) -> PanelResult:
    """On an organisation's page: its place in the network map."""
    net, m = snapshot(request)
    if org["id"] not in net.actors:
        return None
    return "network_map/_panel.html", {"org": org, "metrics": m.actors[org["id"]],
                                       "ties": len(actor_ties(net, org["id"]))}


def campaign_panel(request: Request, campaign: dict[str, Any]) -> PanelResult:
    """On a campaign's page: actors tied to its partners, not yet partners, with reasons."""
    if not campaign.get("member_org_ids"):
        return None
    net = cache(request).network(request.state.db)
    partners = tuple(sorted(campaign["member_org_ids"]))
    themes = tuple(campaign.get("themes") or [])
    countries = tuple(campaign.get("countries") or [])
    # once per network snapshot and campaign (its partners, themes, countries), not per view
    rows = net.remember(("recommend", partners, themes, countries), lambda: questions.recommend(
        net, partners=list(partners), themes=list(themes), countries=list(countries), n=5))
    if not rows:
        return None
    return "network_map/_campaign_panel.html", {
        "campaign": campaign, "rows": rows,
        # the rendered panel is kept by the same (``fragment``; the language is added)
        "key": (net.version, campaign["slug"], partners, themes, countries)}
