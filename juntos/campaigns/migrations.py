"""Schema of the campaigns area. Never edit a released migration: add a new one."""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("juntos.campaigns")
