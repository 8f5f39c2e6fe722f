"""Who sees which event: one rule, used by pages, feeds and the policy alike.

public: everyone, logged in or not. network: any signed-in user. organisation: the users of
the organiser organisation. campaign: the partners of the event's campaign, by campaign *id*; the
campaigns area plugs a partner lookup into ``PARTNER_LOOKUPS`` (without it, only coordinators see
those). A campaign event whose campaign id is unknown (its slug matched no campaign when ids were
introduced) is seen by coordinators and its organiser's organisation only: never by whoever later
creates a campaign with that slug.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from juntos.accounts.roles import COORDINATOR, MEMBER
from juntos.accounts.store import User
from juntos.area import ExtensionPoint, Rule
from juntos.db import Database

#: ``lookup(db, user) -> ids of the campaigns whose private events this user may see``.
PartnerLookup = Callable[[Database, User], Iterable[int]]
#: Filled by the campaigns area's manifest.
PARTNER_LOOKUPS: ExtensionPoint[PartnerLookup] = ExtensionPoint("calendar.partner_lookups")


@dataclass(frozen=True)
class CampaignIndex:
    """Campaign slugs (in URLs and forms) to ids (stored on events) and back; their titles
    (filters and feeds name campaigns by title); and the campaigns with dates of their own
    (calls, milestones) that a viewer may see, which the campaign filter offers too."""

    ids: Callable[[Database, Iterable[str]], dict[str, int]]
    slugs: Callable[[Database, Iterable[int]], dict[int, str]]
    titles: Callable[[Database, Iterable[int], Viewer | None], dict[int, str]] | None = None
    dated: Callable[[Database, Viewer], Iterable[int]] | None = None


#: Filled by the campaigns area's manifest; without it no slug names a campaign.
CAMPAIGN_INDEX: ExtensionPoint[CampaignIndex] = ExtensionPoint("calendar.campaign_index")


def campaign_ids(db: Database, slugs: Iterable[str]) -> dict[str, int]:
    wanted = [s for s in slugs if s]
    found: dict[str, int] = {}
    for index in CAMPAIGN_INDEX if wanted else ():
        found.update(index.ids(db, wanted))
    return found


def campaign_slugs(db: Database, ids: Iterable[int]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    found: dict[int, str] = {}
    for index in CAMPAIGN_INDEX if wanted else ():
        found.update(index.slugs(db, wanted))
    return found


def campaign_titles(db: Database, ids: Iterable[int],
                    viewer: Viewer | None) -> dict[int, str]:
    """Titles of the campaigns ``viewer`` may see (``None``: all), by id; the others have
    none (their slug is shown, as an event names it)."""
    wanted = [i for i in ids if i is not None]
    found: dict[int, str] = {}
    for index in CAMPAIGN_INDEX if wanted else ():
        if index.titles is not None:
            found.update(index.titles(db, wanted, viewer))
    return found


def dated_campaigns(db: Database, viewer: Viewer) -> set[int]:
    """Ids of the campaigns ``viewer`` may see that give the calendar dates of their own."""
    found: set[int] = set()
    for index in CAMPAIGN_INDEX:
        if index.dated is not None:
            found.update(index.dated(db, viewer))
    return found


@dataclass(frozen=True)
class Viewer:
    """Whoever reads the calendar, reduced to what visibility depends on (a cache key too)."""

    user_id: int | None = None
    organisation_id: int | None = None
    coordinator: bool = False
    campaigns: frozenset[int] = frozenset()  # campaign ids

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def key(self) -> str:
        if not self.signed_in:
            return "public"
        campaigns = ",".join(str(c) for c in sorted(self.campaigns))
        return f"org{self.organisation_id}:c{int(self.coordinator)}:{campaigns}"


PUBLIC = Viewer()


def viewer_for(db: Database, user: User | None) -> Viewer:
    """Re-evaluated at every request and feed fetch, so removals take effect at once."""
    if user is None:
        return PUBLIC
    campaigns: set[int] = set()
    for lookup in PARTNER_LOOKUPS:
        campaigns.update(lookup(db, user))
    return Viewer(user.id, user.organisation_id, user.role == COORDINATOR, frozenset(campaigns))


def sql_clause(viewer: Viewer, alias: str = "e") -> tuple[str, list[Any]]:
    """A WHERE fragment restricting events to those ``viewer`` may see."""
    if not viewer.signed_in:
        return f"{alias}.visibility = 'public'", []
    parts = [f"{alias}.visibility in ('public', 'network')",
             f"({alias}.visibility = 'organisation' and {alias}.organiser_id = ?)"]
    params: list[Any] = [viewer.organisation_id]
    if viewer.coordinator:
        parts.append(f"{alias}.visibility = 'campaign'")
        return "(" + " or ".join(parts) + ")", params
    parts.append(f"({alias}.visibility = 'campaign' and {alias}.campaign_id is null"
                 f" and {alias}.organiser_id = ?)")
    params.append(viewer.organisation_id)
    if viewer.campaigns:
        marks = ",".join("?" * len(viewer.campaigns))
        parts.append(f"({alias}.visibility = 'campaign' and {alias}.campaign_id in ({marks}))")
        params.extend(sorted(viewer.campaigns))
    return "(" + " or ".join(parts) + ")", params


def can_see(viewer: Viewer, event: Any) -> bool:
    visibility = event.visibility
    if visibility == "public":
        return True
    if not viewer.signed_in:
        return False
    if visibility == "network":
        return True
    if visibility == "organisation":
        return event.organiser_id == viewer.organisation_id
    if viewer.coordinator:
        return True
    if event.campaign_id is None:
        return event.organiser_id is not None and event.organiser_id == viewer.organisation_id
    return event.campaign_id in viewer.campaigns


def _may_edit(user: User, event: Any) -> bool:
    if user.role == COORDINATOR:
        return True
    return (user.role == MEMBER and event is not None
            and event.organiser_id == user.organisation_id and event.source_id is None)


def _writer(user: User, target: Any = None) -> bool:
    return user.role in (COORDINATOR, MEMBER)


def _may_manage_subscription(user: User, source: Any = None) -> bool:
    """Coordinators, or members of the organisation that subscribed."""
    if user.role == COORDINATOR:
        return True
    return (user.role == MEMBER and source is not None
            and source["organisation_id"] == user.organisation_id)


def _sees_every_source(user: User, target: Any = None) -> bool:
    """Coordinators see every organisation's sources; members only their own's."""
    return user.role == COORDINATOR


RULES: dict[str, Rule] = {
    "calendar.source.see_all": _sees_every_source,
    "calendar.event.edit": _may_edit,
    "calendar.import": _writer,
    "calendar.subscription.manage": _may_manage_subscription,
}
