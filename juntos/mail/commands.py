"""CLI commands of the mail area (thin: parse, call the library, print)."""

from __future__ import annotations

import click

from juntos.commandline import open_database, settings_of
from juntos.mail import digest, outbox
from juntos.mail.sender import Sender


@click.group()
def mail() -> None:
    """E-mail: the outbox and its sender."""


@mail.command("send")
@click.option("--once", is_flag=True, help="Look for messages due, send what is queued, stop.")
@click.option("--lease-seconds", type=float, default=300, show_default=True,
              help="How long a claimed message is this sender's before another may take it.")
@click.pass_context
def send(ctx: click.Context, once: bool, lease_seconds: float) -> None:
    """Write the messages due (reminders, digests) and send the outbox over SMTP.

    Without --once it keeps running (as `juntos serve` does by itself). With no SMTP host
    set (JUNTOS_SMTP_HOST), messages are written and kept in the outbox.

    Example:

      JUNTOS_SMTP_HOST=localhost JUNTOS_SMTP_PORT=25 juntos mail send --once
    """
    settings = settings_of(ctx)
    sender = Sender(settings, lease_seconds=lease_seconds)
    db = open_database(ctx)
    written = digest.run_scans(db, now=sender.clock())
    click.echo(f"{written} new messages written.")
    if not sender.configured:
        waiting = outbox.counts(db)["queued"]
        db.close()
        click.echo(f"No SMTP host set (JUNTOS_SMTP_HOST): {waiting} messages kept in the outbox.")
        return
    db.close()
    if not once:
        sender.run()
        return
    report = sender.run_once()
    click.echo(f"{report.sent} sent, {report.retried} to retry, {report.failed} failed, "
               f"{report.unsure} unsure.")
    for reason in report.reasons[:5]:
        click.echo(f"  {reason}", err=True)


@mail.command("outbox")
@click.option("--status", type=click.Choice(outbox.STATUSES), default=None,
              help="Only this status.")
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many.")
@click.pass_context
def list_outbox(ctx: click.Context, status: str | None, limit: int) -> None:
    """List the outbox, newest first: status, recipient, subject, reason.

    Example:

      juntos mail outbox --status failed
    """
    db = open_database(ctx)
    for row in outbox.listing(db, status=status or "", limit=limit):
        reason = f"  ({row['reason']})" if row["reason"] else ""
        click.echo(f"{row['id']}\t{row['status']}\t{row['to_addr']}\t{row['subject']}{reason}")


commands = [mail]
