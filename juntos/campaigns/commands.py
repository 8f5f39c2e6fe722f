"""CLI commands of the campaigns area (thin: parse, call the library, print).

The command line is an administrator's tool with the database file in hand: it shows every
campaign, private ones included, exactly as the campaign page and its JSON show them.
"""

from __future__ import annotations

import click

from juntos.campaigns import export, store
from juntos.campaigns.models import STATUSES
from juntos.clock import system_clock


@click.group()
def campaigns() -> None:
    """Joint campaigns: list, show, export."""


@campaigns.command("list")
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only this status.")
@click.pass_context
def list_(ctx: click.Context, status: str | None) -> None:
    """List campaigns: slug, status, dates, title.

    \b
    Example:
      juntos campaigns list --status active
    """
    from juntos.commandline import open_database

    db = open_database(ctx)
    rows, _ = store.search(db, store.CampaignFilter(status=status or ""), user=None,
                           limit=100_000, all_campaigns=True)
    for r in rows:
        dates = f"{r['start_date'] or '?'}..{r['end_date'] or '?'}"
        click.echo(f"{r['slug']:<40} {r['status']:<9} {dates:<22} {r['title']}")


@campaigns.command()
@click.argument("slug")
@click.pass_context
def show(ctx: click.Context, slug: str) -> None:
    """Show a campaign: details, partners, the responsibility matrix, commitments, dates.

    \b
    Example:
      juntos campaigns show autumn-2027
    """
    from juntos.commandline import open_database

    db = open_database(ctx)
    view = export.overview(db, store.get(db, slug), today=system_clock().date())
    click.echo(export.to_text(view), nl=False)


@campaigns.command("export")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["json", "md"]), default="json",
              show_default=True)
@click.pass_context
def export_(ctx: click.Context, slug: str, fmt: str) -> None:
    """Export a campaign as JSON (as ``GET /campaigns/SLUG.json``) or a Markdown brief.

    \b
    Example:
      juntos campaigns export autumn-2027 --format md > brief.md
    """
    from juntos.commandline import open_database

    db = open_database(ctx)
    view = export.overview(db, store.get(db, slug), today=system_clock().date())
    click.echo(export.to_json(view) if fmt == "json" else export.to_markdown(view), nl=False)


commands: list[click.Command] = [campaigns]
