"""The social area's one door to the campaigns area.

Kits, waves and posts belong to campaigns, and who may write or approve depends on a campaign's
partner and lead organisations. Everything the social area needs from campaigns goes through
these few functions, so a change in the campaigns area is fixed here and nowhere else.
A campaign is the dict ``juntos.campaigns.store.get`` returns (with ``member_org_ids`` and
``lead_org_ids``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from juntos.accounts.store import User
from juntos.db import Database

Campaign = dict[str, Any]

#: SQL: the organisation of account ``a`` takes part in the campaign of post ``p`` (accepted
#: its invitation and has not left).
PARTNER_CLAUSE = ("exists (select 1 from participations pp where pp.campaign_id = p.campaign_id"
                  " and pp.organisation_id = a.organisation_id and pp.status = 'accepted')")


def by_slug(db: Database, slug: str) -> Campaign:
    """The campaign (``NotFound`` if none), without a visibility check: for the CLI."""
    from juntos.campaigns import store

    return store.get(db, slug)


def by_id(db: Database, campaign_id: int) -> Campaign:
    from juntos.campaigns import store

    return store.get_by_id(db, campaign_id)


def visible(db: Database, user: User | None, slug: str) -> Campaign:
    """The campaign if the user may see it; ``NotFound`` otherwise (private things are 404)."""
    from juntos.campaigns import visibility

    return visibility.get_visible(db, user, slug)


def can_view(db: Database, user: User | None, campaign: Campaign) -> bool:
    from juntos.campaigns import visibility

    return visibility.can_view(db, user, campaign)


def visible_ids(db: Database, user: User | None) -> tuple[int, ...]:
    from juntos.campaigns import store

    return tuple(c["id"] for c in store.visible_campaigns(db, user))


def titles(db: Database, campaign_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Slug and title of each campaign, for queue rows that span campaigns."""
    ids = sorted(set(campaign_ids))
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r["id"]: r for r in db.query(
        f"select id, slug, title from campaigns where id in ({marks})", ids)}


def partner_org_ids(campaign: Campaign) -> list[int]:
    return list(campaign.get("member_org_ids") or ())


def lead_org_ids(campaign: Campaign) -> list[int]:
    return list(campaign.get("lead_org_ids") or ())


def led_ids(db: Database, user: User) -> tuple[int, ...]:
    """Campaigns whose posts this user approves: all for coordinators, else those their
    organisation leads or co-leads."""
    if user.is_coordinator:
        return tuple(r["id"] for r in db.query("select id from campaigns"))
    from juntos.campaigns.models import LEAD_ROLES

    marks = ",".join("?" * len(LEAD_ROLES))
    return tuple(r["campaign_id"] for r in db.query(
        f"select campaign_id from participations where organisation_id = ? and role in ({marks})"
        " and status = 'accepted'",
        [user.organisation_id, *LEAD_ROLES]))


def taking_part(db: Database, organisation_id: int) -> list[dict[str, Any]]:
    """Slug and title of the campaigns the organisation takes part in (accepted), newest
    first: those it may delegate to."""
    return list(db.query(
        "select c.slug, c.title from participations p join campaigns c on c.id = p.campaign_id"
        " where p.organisation_id = ? and p.status = 'accepted' order by c.id desc",
        [organisation_id]))
