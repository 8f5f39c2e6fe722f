"""CLI commands of the social area (thin: parse, call the library, print)."""

from __future__ import annotations

import sys

import click

from juntos.organisations import store as orgs
from juntos.social import campaign_link, export, platforms, posts
from juntos.social.counting import count
from juntos.social.models import STATUSES


@click.group()
def social() -> None:
    """Message kits, variants and waves of posts on social platforms."""


@social.command("check")
@click.option("--platform", "platform", required=True,
              type=click.Choice([p.id for p in platforms.ALL if p.limit is not None]),
              help="The platform whose counting rules apply.")
@click.argument("text")
def check(platform: str, text: str) -> None:
    """Count TEXT (or `-` for standard input) by a platform's rules; exit 1 when too long.

    Example:

      juntos social check --platform x "Hello https://example.org 🌍"
    """
    if text == "-":
        text = sys.stdin.read()
        # A trailing newline from echo or a file is not part of the post.
        text = text.removesuffix("\n")
    measured = count(platform, text)
    verdict = "ok" if measured.ok else "too long"
    click.echo(f"{platform}: {measured.length}/{measured.limit} {verdict}")
    if not measured.ok:
        click.echo(f"Rule: {measured.rule}.", err=True)
        sys.exit(1)


@social.command("queue")
@click.option("--campaign", "campaign_slug", default="", help="Only this campaign (slug).")
@click.option("--org", "org_slug", default="", help="Only this organisation's posts (slug).")
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only this status.")
@click.option("--limit", type=int, default=200, show_default=True, help="At most this many.")
@click.pass_context
def queue(ctx: click.Context, campaign_slug: str, org_slug: str, status: str | None,
          limit: int) -> None:
    """List posts in time order (UTC), with status, organisation and account.

    Example:

      juntos social queue --campaign autumn-health --status scheduled
    """
    from juntos.commandline import open_database

    db = open_database(ctx)
    flt = posts.QueueFilter(
        campaign_id=campaign_link.by_slug(db, campaign_slug)["id"] if campaign_slug else None,
        organisation_id=orgs.get(db, org_slug)["id"] if org_slug else None,
        status=status or "")
    page = posts.queue(db, flt, per_page=limit)
    for row in page.rows:
        account = row["account_label"] or f"@{row['handle']}"
        text = " ".join(row["text"].split())
        click.echo(f"{row['scheduled_at']}  {row['status']:<11} {row['platform']:<8} "
                   f"{row['organisation_name']} ({account}): {text[:60]}")
    click.echo(f"{page.total} post(s)" + (f", first {len(page.rows)} shown" if
                                          page.total > len(page.rows) else ""))


@social.command("export")
@click.option("--campaign", "campaign_slug", required=True, help="The campaign (slug).")
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv", show_default=True,
              help="Output format.")
@click.pass_context
def export_plan(ctx: click.Context, campaign_slug: str, fmt: str) -> None:
    """Print a campaign's posting plan (local and UTC times, texts) for offline use.

    Example:

      juntos social export --campaign autumn-health --format csv > plan.csv
    """
    from juntos.commandline import open_database

    db = open_database(ctx)
    campaign = campaign_link.by_slug(db, campaign_slug)
    click.echo(export.plan_csv(db, campaign["id"]), nl=False)


from juntos.social.dispatch_command import dispatch_command  # noqa: E402

social.add_command(dispatch_command)
commands: list[click.Command] = [social]
