"""CLI commands of the calendar area (thin: parse, call the library, print)."""

from __future__ import annotations

from pathlib import Path

import click

from juntos.calendar import feeds, importer, international, subscriptions
from juntos.calendar.filters import Filters
from juntos.calendar.kinds import SyncResult
from juntos.calendar.sync import refresh
from juntos.clock import system_clock
from juntos.organisations import store as orgs


@click.group("calendar")
def calendar() -> None:
    """The joint calendar: iCalendar export, imports, subscriptions, international days."""


@calendar.command("export")
@click.option("--campaign", default="", help="Campaign slug.")
@click.option("--org", default="", help="Organiser organisation slug.")
@click.option("--country", default="", help="ISO country code or region.")
@click.option("--category", default="", help="Event category, e.g. day_of_action.")
@click.option("--theme", default="", help="Theme, e.g. climate.")
@click.option("--public", is_flag=True, help="Only public events (what /calendar.ics serves).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write; default: standard output.")
@click.pass_context
def export(ctx: click.Context, campaign: str, org: str, country: str, category: str,
           theme: str, public: bool, output: Path | None) -> None:
    """Write every event matching the filters as one .ics file.

    An administrator's command: without --public it includes every visibility, past and
    imported events (served feeds use a time window; this does not).

    \b
    Example:
      juntos calendar export --campaign autumn-2027 --country MZ -o autumn.ics
    """
    from juntos.commandline import open_database, settings_of

    db = open_database(ctx)
    filters = Filters.from_query({"campaign": campaign, "org": org, "country": country,
                                  "category": category, "theme": theme})
    body = feeds.export(db, filters, now=system_clock(), public=public,
                        base_url=settings_of(ctx).public_base_url)
    if output is None:
        click.echo(body.decode(), nl=False)
    else:
        output.write_bytes(body)
        click.echo(f"Wrote {output} ({len(body)} bytes).")


@calendar.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", default="", help="Organiser organisation slug for the events.")
@click.option("--visibility", type=click.Choice(["public", "network", "organisation"]),
              default="network", show_default=True)
@click.pass_context
def import_(ctx: click.Context, file: Path, org: str, visibility: str) -> None:
    """Import an .ics file (all or nothing; matched by UID, so re-importing updates).

    \b
    Example:
      juntos calendar import partner-events.ics --org samvirke-dk
    """
    from juntos.commandline import open_database

    db = open_database(ctx)
    organiser = orgs.get(db, org) if org else None
    defaults = importer.Defaults(
        organiser_id=organiser["id"] if organiser else None, visibility=visibility,
        timezone=(organiser or {}).get("timezone") or "UTC")
    if visibility == "organisation" and organiser is None:
        raise click.ClickException("--visibility organisation needs --org.")
    report = importer.import_bytes(db, file.read_bytes(), label=file.name, defaults=defaults,
                                   now=system_clock())
    click.echo(f"Imported {file.name}: {report.created} new, {report.updated} updated,"
               f" {report.unchanged} unchanged.")
    for note in report.notes:
        click.echo(f"Note: {note}")


@calendar.command()
@click.argument("url")
@click.option("--org", required=True, help="Organisation whose feed this is.")
@click.option("--visibility", type=click.Choice(["public", "network", "organisation"]),
              default="network", show_default=True)
@click.pass_context
def subscribe(ctx: click.Context, url: str, org: str, visibility: str) -> None:
    """Subscribe the joint calendar to an external feed, and fetch it now.

    \b
    Example:
      juntos calendar subscribe webcal://example.org/partner.ics --org samvirke-dk
    """
    from juntos.commandline import open_database, settings_of

    db = open_database(ctx)
    result = subscriptions.subscribe(
        db, url, org_slug=org, now=system_clock(), visibility=visibility,
        allow_private=settings_of(ctx).calendar_private_feeds)
    _print_result(result)


@calendar.command()
@click.pass_context
def sync(ctx: click.Context) -> None:
    """Refresh every subscribed feed (the server also does this periodically).

    \b
    Example:
      juntos calendar sync
    """
    from juntos.commandline import open_database, settings_of

    db = open_database(ctx)
    results, purged = refresh(db, now=system_clock(),
                              allow_private=settings_of(ctx).calendar_private_feeds)
    for result in results:
        _print_result(result)
    click.echo(f"{len(results)} subscription(s) synced; {purged} old deleted event(s) purged.")
    if any(r.error for r in results):
        ctx.exit(1)


def _print_result(result: SyncResult) -> None:
    if result.error:
        click.echo(f"{result.label}: not updated: {result.error}", err=True)
    elif result.report:
        r = result.report
        click.echo(f"{result.label}: {r.created} new, {r.updated} updated, {r.gone} gone.")


@calendar.command()
@click.pass_context
def observances(ctx: click.Context) -> None:
    """Load the international days shipped with Juntos as yearly recurring all-day events.

    \b
    Example:
      juntos calendar observances
    """
    from juntos.commandline import open_database

    db = open_database(ctx)
    n = international.load_observances(db, now=system_clock())
    click.echo(f"{n} international days loaded.")


commands: list[click.Command] = [calendar]
