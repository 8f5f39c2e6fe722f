"""CLI commands of the organisations area (thin: parse, call the library, print)."""

from __future__ import annotations

from typing import Any

import click

from juntos.clock import system_clock
from juntos.db import Database
from juntos.organisations import duplicates, merge, names
from juntos.organisations import store as orgs


@click.group()
def organisations() -> None:
    """The shared organisations: adding one, likely duplicates and merging them."""


@organisations.command("add")
@click.argument("name")
@click.option("--slug", default=None, help="Short name in addresses. [default: from the name]")
@click.option("--country", default="", help="Two-letter country code, e.g. MZ.")
@click.option("--timezone", default=None, help="IANA time zone, e.g. Africa/Maputo.")
@click.pass_context
def add(ctx: click.Context, name: str, slug: str | None, country: str,
        timezone: str | None) -> None:
    """Add an organisation (the first one, before its first user, on a new server).

    \b
    Example:
      juntos organisations add "Forum Juntos" --slug forum-juntos --country MZ
    """
    from juntos.commandline import open_database
    from juntos.organisations.models import OrganisationInput

    db = open_database(ctx)
    org = orgs.create(db, OrganisationInput.validated(name=name, slug=slug, country=country,
                                                      timezone=timezone), now=system_clock())
    click.echo(f"Added {org['name']} ({org['slug']}).")


@organisations.command("duplicates")
@click.option("--min-score", type=click.IntRange(0, 100), default=60, show_default=True,
              help="Leave out pairs scored below this (percent).")
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many pairs.")
@click.pass_context
def duplicates_(ctx: click.Context, min_score: int, limit: int) -> None:
    """List likely duplicate pairs, best first: score, the two slugs, and why.

    Pairs marked "not a duplicate" on the web page are left out.

    \b
    Example:
      juntos organisations duplicates --min-score 50
    """
    from juntos.commandline import open_database

    db = open_database(ctx)
    found = duplicates.candidates(db, min_score=min_score / 100, limit=limit)
    for c in found:
        click.echo(f"{c.percent:>3}%  {c.a['slug']}  {c.b['slug']}")
        click.echo(f"      {c.a['name']} / {c.b['name']}")
        click.echo(f"      {'; '.join(str(r) for r in c.reasons)}")
    click.echo(f"{len(found)} pair(s).")


def _find(db: Database, text: str) -> dict[str, Any]:
    found = names.resolve(db, text)
    if found is None:
        raise click.ClickException(f"No single organisation named {text!r} (use its slug).")
    return orgs.get_by_id(db, found["id"])


@organisations.command("merge")
@click.argument("keep")
@click.argument("drop")
@click.option("--take", multiple=True, type=click.Choice(merge.CHOOSABLE),
              help="Take this field's value from DROP rather than KEEP (repeatable).")
@click.option("--survivor-wins", is_flag=True,
              help="Where both have a row for the same thing and disagree, keep KEEP's values"
                   " (DROP's rows stay in the merge history) instead of refusing.")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.pass_context
def merge_(ctx: click.Context, keep: str, drop: str, take: tuple[str, ...],
           survivor_wins: bool, dry_run: bool) -> None:
    """Merge organisation DROP into KEEP (slugs, names or acronyms), in one transaction.

    Everything that referred to DROP (campaign partners, commitments, events, ties,
    memberships, users, social accounts...) is moved to KEEP; DROP's name, acronym and slug
    become KEEP's aliases and its old address redirects. Refused, with the rows named, when it
    would lose information.

    \b
    Example:
      juntos organisations merge accao-cidada accao-cidada-mz --dry-run
      juntos organisations merge accao-cidada accao-cidada-mz --take website
    """
    from juntos.commandline import open_database

    db = open_database(ctx)
    kept, dropped = _find(db, keep), _find(db, drop)
    result = merge.merge(db, kept["id"], dropped["id"], now=system_clock(),
                         by_name="command line", choose={f: "drop" for f in take},
                         survivor_wins=survivor_wins, dry_run=dry_run)
    verb = "Would merge" if dry_run else "Merged"
    click.echo(f"{verb} {dropped['slug']} ({dropped['name']}) into {kept['slug']}.")
    for table, count in sorted(result.counts().items()):
        click.echo(f"  {table}: {count} row(s)")
    for name, (old, new) in sorted(result.changes.items()):
        click.echo(f"  {name}: {old!r} -> {new!r}")
    if dry_run:
        click.echo("Nothing was changed (dry run).")


commands = [organisations]
