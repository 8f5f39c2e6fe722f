"""What the network map reads from campaigns: a campaign's partners, themes and countries (for
recommendations) and the campaigns an actor takes part in (for its panel), through the
campaigns area's own store and visibility rules, so a private campaign stays invisible."""

from __future__ import annotations

from typing import Any

from juntos.accounts.store import User
from juntos.campaigns import store as campaigns
from juntos.campaigns import visibility
from juntos.db import Database


def campaign_inputs(db: Database, slug: str, *, user: User | None = None,
                    trusted: bool = False) -> dict[str, Any]:
    """``{"campaign", "partners": [org ids], "themes", "countries"}``; NotFound when the
    campaign does not exist or ``user`` may not see it (``trusted``: the CLI, which sees all)."""
    campaign = campaigns.get(db, slug) if trusted else visibility.get_visible(db, user, slug)
    return {"campaign": campaign, "partners": list(campaign["member_org_ids"]),
            "themes": list(campaign["themes"]), "countries": list(campaign["countries"])}


def campaigns_of(db: Database, org_id: int, *, user: User | None) -> list[dict[str, Any]]:
    """Campaigns the actor takes part in that ``user`` may see, with its role."""
    return [{"slug": c["slug"], "title": c["title"], "role": c["role"], "status": c["status"]}
            for c in campaigns.campaigns_of_organisation(db, org_id, user=user)]
