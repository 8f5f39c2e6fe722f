"""The composition root: the one ordered list of areas, and what is built from it.

Each entry pairs an area's manifest (``juntos/<area>/manifest.py``: tables, commands, demo,
permissions, background tasks, plugs into lower areas) with its pages (``WEB`` in its view
module). The order is the migrations' order: organisations and accounts first, since every
other area refers to them. The CLI and the web app read this list; nothing else names areas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import click
from sqlite_utils.migrations import Migrations
from starlette.applications import Starlette

from juntos import db as database
from juntos.accounts import manifest as accounts
from juntos.accounts import policy
from juntos.area import Area, ExtensionPoint
from juntos.calendar import manifest as calendar
from juntos.campaigns import manifest as campaigns
from juntos.campaigns import store as campaign_store
from juntos.catalogue import manifest as catalogue
from juntos.catalogue import store as catalogue_store
from juntos.clock import Clock, system_clock
from juntos.db import Database
from juntos.mail import manifest as mail
from juntos.mail import outbox as mail_outbox
from juntos.network_map import manifest as network_map
from juntos.organisations import manifest as organisations
from juntos.organisations import store as organisation_store
from juntos.runner import Task
from juntos.settings import Settings, settings_from_env
from juntos.social import manifest as social
from juntos.social.dispatch.restore import settle_after_restore
from juntos.web import app as web_app
from juntos.web.views import account, auth, home, invite, users
from juntos.web.views import calendar as calendar_web
from juntos.web.views import campaigns as campaigns_web
from juntos.web.views import catalogue as catalogue_web
from juntos.web.views import mail as mail_web
from juntos.web.views import network_map as network_map_web
from juntos.web.views import organisations as organisations_web
from juntos.web.views import social as social_web
from juntos.web.webarea import WebArea


@dataclass(frozen=True)
class Installed:
    """An area as the house holds it: its manifest and its pages."""

    area: Area
    web: Sequence[WebArea] = ()


#: Every area, in dependency order.
AREAS: tuple[Installed, ...] = (
    Installed(organisations.AREA, [organisations_web.WEB]),
    Installed(accounts.AREA, [auth.WEB, account.WEB, users.WEB, invite.WEB]),
    Installed(mail.AREA, [mail_web.WEB]),
    Installed(campaigns.AREA, [campaigns_web.WEB]),
    Installed(calendar.AREA, [calendar_web.WEB]),
    Installed(network_map.AREA, [network_map_web.WEB]),
    Installed(catalogue.AREA, [catalogue_web.WEB]),
    Installed(social.AREA, [social_web.WEB]),
)

#: Pages of the house itself, not of one area (the dashboard, health check).
HOUSE_PAGES: tuple[WebArea, ...] = (home.WEB,)


def areas() -> list[Area]:
    return [installed.area for installed in AREAS]


def install() -> None:
    """Wire the areas together: permissions into the policy, plugs into lower areas.

    Idempotent; run by the CLI and ``create_app`` before anything else (and by the tests).
    """
    for area in areas():
        for action, rule in area.permissions.items():
            policy.register(action, rule)
        for plug in area.plugs:
            plug.install()
    for prefix, reserved in SLUG_ADDRESSES:
        for word in route_words(prefix):
            reserved.add(word, word)


#: Where a slug sits in an address, and the area's list of words a slug may not be.
SLUG_ADDRESSES: tuple[tuple[str, ExtensionPoint[str]], ...] = (
    ("/organisations/", organisation_store.RESERVED_SLUGS),
    ("/network/actors/", organisation_store.RESERVED_SLUGS),
    ("/campaigns/", campaign_store.RESERVED_SLUGS),
    ("/ideas/", catalogue_store.RESERVED_SLUGS),
)


def route_words(prefix: str) -> set[str]:
    """The fixed words that follow ``prefix`` in some page's address (``/campaigns/new`` →
    ``new``): a slug spelled so would be hidden by that page."""
    words = set()
    for web in [*(w for installed in AREAS for w in installed.web), *HOUSE_PAGES]:
        for route in web.routes:
            path = getattr(route, "path", "")
            if path.startswith(prefix):
                word = path[len(prefix):].split("/", 1)[0].split(".", 1)[0]
                if word and "{" not in word:
                    words.add(word)
    return words


def migrations() -> list[Migrations]:
    return [area.migrations for area in areas() if area.migrations is not None]


def open_db(path: Path | str) -> Database:
    """Open the database and bring every area's tables up to date."""
    return database.open_db(path, migrations())


def after_restore(db: Database, clock: Clock = system_clock) -> None:
    """What a restore from backup means beyond the data: posts due or in flight since the
    backup may have been sent by the replaced database, so they are checked, not resent (and
    e-mail waiting or in flight is shown as "may have been sent")."""
    settle_after_restore(db, clock())
    mail_outbox.settle_after_restore(db, clock())


def migrate(db: Database) -> list[str]:
    return database.migrate(db, migrations())


def commands() -> list[click.Command]:
    return [command for area in areas() for command in area.commands]


def tasks() -> list[Task]:
    return [task for area in areas() for task in area.tasks]


def web_areas() -> list[WebArea]:
    return [*HOUSE_PAGES, *(web for installed in AREAS for web in installed.web)]


def create_app(settings: Settings, *, clock: Clock = system_clock,
               dispatch: bool = False) -> Starlette:
    """The whole web app. ``dispatch``: also post from this process (``juntos serve``)."""
    install()
    if not dispatch:
        settings = replace(settings, dispatch_in_process=False)
    return web_app.create_app(settings, areas=web_areas(), migrations=migrations(),
                              tasks=tasks(), clock=clock)


def app_from_env() -> Starlette:
    """The app of each worker of ``juntos serve --workers N``, from the ``JUNTOS_*`` variables
    that ``serve`` sets (uvicorn starts workers from an import string, not an object)."""
    settings = settings_from_env()
    return create_app(settings, dispatch=settings.dispatch_in_process)
