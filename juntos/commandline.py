"""What every area's click commands share: the settings and the database of the invocation.

The root command (``juntos.cli``) puts both in the click context; an area's command reads them
here, so areas never import the CLI module (which sits above them, with the web app).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from juntos.db import Database
from juntos.settings import Settings

#: Opens the database at a path and brings it up to date (the composition root's migrations).
Opener = Callable[[Path], Database]


def settings_of(ctx: click.Context) -> Settings:
    """The settings this invocation runs with (flags over ``JUNTOS_*`` variables)."""
    settings: Settings = ctx.find_root().obj["settings"]
    return settings


def open_database(ctx: click.Context) -> Database:
    """The database, migrated. Commands other than ``init`` need it to exist already."""
    path = settings_of(ctx).db_path
    if not path.exists():
        raise click.ClickException(
            f"No database at {path}. Create it with: juntos --db {path} init"
        )
    opener: Opener = ctx.find_root().obj["open_db"]
    return opener(path)
