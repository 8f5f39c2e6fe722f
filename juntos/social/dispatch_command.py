"""``juntos social dispatch``: run a dispatcher worker in the foreground."""

from __future__ import annotations

import dataclasses
import logging
import signal

import click


@click.command("dispatch")
@click.option("--concurrency", type=int, default=None,
              help="Posts in flight at once in this worker. [default: setting, 64]")
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
@click.pass_context
def dispatch_command(ctx: click.Context, concurrency: int | None, once: bool) -> None:
    """Post approved messages at their time; stop with Ctrl-C or SIGTERM.

    Several workers (on one machine, against one database) may run at once: each post is
    claimed by one of them only. `juntos serve` runs one too unless given --no-dispatch.

    Example:

      juntos social dispatch
    """
    from juntos.commandline import open_database, settings_of
    from juntos.social.dispatch import Dispatcher

    settings = settings_of(ctx)
    if concurrency:
        settings = dataclasses.replace(settings, dispatch_concurrency=concurrency)
    db = open_database(ctx)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    worker = Dispatcher(settings)
    if once:
        results = worker.run_once(db)
        click.echo(f"{len(results)} post(s) handled.")
        return
    db.close()

    def stop(signum: int, frame: object) -> None:
        worker.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"Dispatcher {worker.worker} running on {settings.db_path}.")
    worker.run()
