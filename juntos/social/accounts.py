"""Organisations' social accounts: storage and lookup.

An account's time zone and languages default to its organisation's, resolved here when read, so
an organisation that moves its time zone moves every account that did not set its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from juntos.clock import iso
from juntos.db import Database
from juntos.errors import Conflict, NotFound
from juntos.social import credentials
from juntos.social.models import MANUAL_STATE, NOT_CONNECTED, AccountInput, new_id
from juntos.social.platforms import MANUAL

DEFAULT_TIMEZONE = "UTC"


@dataclass(frozen=True)
class Account:
    """An account as the planner and the pages see it, with defaults already resolved."""

    id: int
    organisation_id: int
    organisation_slug: str
    organisation_name: str
    city: str
    country: str
    platform: str
    handle: str
    instance_url: str
    label: str
    timezone: str
    languages: tuple[str, ...]
    own_timezone: str
    own_languages: tuple[str, ...]
    state: str
    display_name: str = ""  # as the platform said when the credentials were checked
    territory: str = ""  # the organisation's own name for its country or territory

    @property
    def is_manual(self) -> bool:
        return self.platform == MANUAL

    @property
    def connected(self) -> bool:
        return self.is_manual or self.state == "connected"

    @property
    def display(self) -> str:
        """How a person names the account: @handle@instance, @handle or the manual label."""
        if self.is_manual:
            return self.label or self.handle
        if self.instance_url:
            host = self.instance_url.removeprefix("https://")
            return f"@{self.handle}@{host}"
        return f"@{self.handle}"


_SELECT = (
    "select a.*, o.slug as org_slug, o.name as org_name, o.city as org_city,"
    " o.country as org_country, o.territory as org_territory, o.timezone as org_timezone,"
    " o.languages as org_languages"
    " from social_accounts a join organisations o on o.id = a.organisation_id"
)


def _account(row: dict[str, Any]) -> Account:
    own_languages = tuple(json.loads(row["languages"] or "[]"))
    org_languages = tuple(json.loads(row["org_languages"] or "[]"))
    return Account(
        id=row["id"],
        organisation_id=row["organisation_id"],
        organisation_slug=row["org_slug"],
        organisation_name=row["org_name"],
        city=row["org_city"] or "",
        country=row["org_country"] or "",
        territory=row["org_territory"] or "",
        platform=row["platform"],
        handle=row["handle"] or "",
        instance_url=row["instance_url"] or "",
        label=row["label"] or "",
        timezone=row["timezone"] or row["org_timezone"] or DEFAULT_TIMEZONE,
        languages=own_languages or org_languages,
        own_timezone=row["timezone"] or "",
        own_languages=own_languages,
        state=row["state"],
        display_name=row.get("display_name") or "",
    )


def _fields(data: AccountInput, now: datetime) -> dict[str, Any]:
    return {"platform": data.platform, "handle": data.handle,
            "instance_url": data.instance_url, "label": data.label, "timezone": data.timezone,
            "languages": json.dumps(data.languages), "updated_at": iso(now)}


def _first_state(platform: str) -> str:
    """Accounts posted by hand never connect; the others start "not connected"."""
    return MANUAL_STATE if platform == MANUAL else NOT_CONNECTED


def create(db: Database, organisation_id: int, data: AccountInput, *, now: datetime) -> Account:
    """Add an account; non-manual accounts start "not connected"."""
    values = {"organisation_id": organisation_id, **_fields(data, now),
              "state": _first_state(data.platform), "created_at": iso(now)}
    return get(db, new_id(db["social_accounts"].insert(values).last_pk))


def update(db: Database, account_id: int, data: AccountInput, *, now: datetime) -> Account:
    """Change an account's fields.

    Changing the platform (or a Mastodon account's instance) makes its credentials meaningless
    there: they are deleted (as on disconnect), not just hidden behind a reset state, so a token
    never outlives the account it was given for."""
    current = get(db, account_id)
    if data.platform != current.platform or data.instance_url != current.instance_url:
        credentials.disconnect(db, account_id, now=now)
    values = _fields(data, now)
    if data.platform != current.platform:
        values["state"] = _first_state(data.platform)
    db["social_accounts"].update(account_id, values)
    return get(db, account_id)


def delete(db: Database, account_id: int) -> None:
    """Remove an account that has no posts (posts keep their history, so they keep it)."""
    get(db, account_id)
    if db.execute("select 1 from social_posts where account_id = ? limit 1",
                  [account_id]).fetchone():
        raise Conflict("This account has posts; cancel them instead of removing the account.")
    db["social_accounts"].delete(account_id)


def get(db: Database, account_id: int) -> Account:
    rows = list(db.query(f"{_SELECT} where a.id = ?", [account_id]))
    if not rows:
        raise NotFound(f"No social account with id {account_id}.")
    return _account(rows[0])


def for_organisation(db: Database, organisation_id: int) -> list[Account]:
    rows = db.query(f"{_SELECT} where a.organisation_id = ? order by a.platform, a.handle",
                    [organisation_id])
    return [_account(r) for r in rows]


def for_organisations(db: Database, organisation_ids: Iterable[int]) -> list[Account]:
    """Every account of these organisations, ordered by organisation name then platform."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return []
    accounts: list[Account] = []
    # SQLite limits bound parameters; 500 organisations per query stays far below it.
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.query(f"{_SELECT} where a.organisation_id in ({marks})", chunk)
        accounts.extend(_account(r) for r in rows)
    accounts.sort(key=lambda a: (a.organisation_name.lower(), a.platform, a.handle, a.id))
    return accounts
