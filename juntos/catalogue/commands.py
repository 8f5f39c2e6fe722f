"""CLI commands of the catalogue area (thin: parse, call the library, print)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from juntos.catalogue import search as searching
from juntos.catalogue import seed as seeding
from juntos.catalogue import transfer
from juntos.catalogue.search import FACETS
from juntos.clock import system_clock
from juntos.db import Database


def _db(ctx: click.Context) -> Database:
    from juntos.commandline import open_database

    return open_database(ctx)


@click.group()
def ideas() -> None:
    """Search, export and import the civic action idea catalogue."""


@ideas.command("search")
@click.argument("query", nargs=-1)
@click.option("--class", "klass", multiple=True, help="Class key, e.g. digital.")
@click.option("--subclass", multiple=True)
@click.option("--risk", multiple=True, type=click.Choice(["low", "medium", "high"]))
@click.option("--cost", multiple=True, type=click.Choice(["none", "low", "medium", "high"]))
@click.option("--people", multiple=True,
              type=click.Choice(["few", "dozens", "hundreds", "thousands"]))
@click.option("--mode", multiple=True, type=click.Choice(["online", "offline", "both"]))
@click.option("--theme", multiple=True)
@click.option("--language", multiple=True)
@click.option("--sort", type=click.Choice(searching.SORTS), default="relevance",
              show_default=True)
@click.option("--limit", type=int, default=20, show_default=True)
@click.pass_context
def search_command(ctx: click.Context, query: tuple[str, ...], klass: tuple[str, ...],
                   limit: int, sort: str, **facets: tuple[str, ...]) -> None:
    """Print published ideas matching QUERY, best first: title and slug.

    \b
    Example:
      juntos ideas search petition --risk low --class digital
    """
    filters = {"class": klass, **facets}
    q = searching.Query(q=" ".join(query), sort=sort, per_page=max(1, min(limit, 100)),
                        filters={k: tuple(v) for k, v in filters.items() if v and k in FACETS})
    results = searching.search(_db(ctx), q, facets=False)
    for hit in results.hits:
        click.echo(f"{hit['title']}\t{hit['slug']}")
    click.echo(f"{results.total} idea(s) found.", err=True)


@ideas.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="json",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
@click.pass_context
def export_command(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Export every published idea as CSV or JSON (the shape `ideas import` reads).

    \b
    Example:
      juntos ideas export --format csv -o ideas.csv
    """
    text = transfer.export(_db(ctx), fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.", err=True)
    else:
        sys.stdout.write(text)


@ideas.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_command(ctx: click.Context, path: Path) -> None:
    """Import ideas from a CSV or JSON file: all rows or none; errors are named by row.

    Existing ideas (same slug) are updated; new ones are published.

    \b
    Example:
      juntos ideas import partner-ideas.csv
    """
    report = transfer.import_file(_db(ctx), path, now=system_clock())
    click.echo(f"Imported {report.created} new and {report.updated} updated idea(s).")


@click.group()
def catalogue() -> None:
    """The idea catalogue's starter content."""


@catalogue.command("seed")
@click.pass_context
def seed_command(ctx: click.Context) -> None:
    """Load the 198 classic methods and the contemporary tactics (safe to run twice).

    \b
    Example:
      juntos catalogue seed
    """
    report = seeding.seed(_db(ctx), now=system_clock())
    click.echo(f"Added {report.methods_added} classic method(s) and {report.tactics_added}"
               f" tactic(s); {report.skipped} already present.")


commands: list[click.Command] = [ideas, catalogue]
