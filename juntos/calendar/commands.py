"""CLI commands of the calendar area (thin: parse, call the library, print)."""

from __future__ import annotations

import click

commands: list[click.Command] = []
