"""The ``juntos`` command: parse, call the library, print. Domain errors become one line."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from juntos import __version__, house
from juntos import db as database
from juntos.clock import system_clock
from juntos.commandline import open_database, settings_of
from juntos.errors import JuntosError, ValidationError
from juntos.settings import settings_from_env


class JuntosGroup(click.Group):
    """Turns domain errors raised by any command into a clear message and exit code 1.

    ``--db PATH`` is a top-level option, also accepted after the command
    (``juntos init --db x.db``): it is moved to the front before parsing.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            args = hoist_db_option(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationError as e:
            raise click.ClickException(
                "; ".join(f"{field}: {msg}" for field, msg in e.errors.items())
            ) from e
        except JuntosError as e:
            raise click.ClickException(e.message) from e


def hoist_db_option(args: list[str]) -> list[str]:
    """Move every ``--db PATH`` / ``--db=PATH`` (before a ``--``) to the front; the last wins."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg == "--db" and i + 1 < len(args):
            front += args[i:i + 2]
            i += 2
            continue
        if arg.startswith("--db="):
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


@click.group(cls=JuntosGroup)
@click.version_option(__version__, prog_name="juntos")
@click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="SQLite database file, before or after the command. [env: JUNTOS_DB_PATH or "
         "JUNTOS_DB; default: ./juntos.db]",
)
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None) -> None:
    """Juntos: campaign and advocacy coordination for networks of CSOs.

    \b
    First run:
      juntos init && juntos demo && juntos serve
    """
    house.install()
    ctx.obj = {"settings": settings_from_env(db_path=db_path), "open_db": house.open_db}


@cli.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create the database, or bring an existing one up to date.

    \b
    Example:
      juntos --db network.db init
    """
    settings = settings_of(ctx)
    existed = settings.db_path.exists()
    db = database.connect(settings.db_path)
    applied = house.migrate(db)
    settings.with_secret()
    verb = "Updated" if existed else "Created"
    click.echo(f"{verb} {settings.db_path} ({len(applied)} migration(s) applied).")


@cli.command()
@click.option("--if-incomplete", is_flag=True,
              help="Load only to finish an interrupted load, or into a database without "
                   "organisations; leave a complete demo or other data alone.")
@click.pass_context
def demo(ctx: click.Context, if_incomplete: bool) -> None:
    """Load the demo coalition (safe to run twice: nothing is duplicated).

    Each step is all or nothing: an interrupted load is completed by the next one.

    \b
    Example:
      juntos init && juntos demo
    """
    from juntos import demo as demo_data

    db = open_database(ctx)
    state = demo_data.status(db, house.areas())
    if if_incomplete and (state == "complete" or (
            state == "absent" and db["organisations"].count > 0)):
        return
    if state == "partial":
        click.echo("Completing a demo load that was interrupted.", err=True)
    names = demo_data.step_names(house.areas())
    with click.progressbar(length=len(names), label="Loading demo data", file=sys.stderr,
                           item_show_func=lambda name: name, show_pos=True) as bar:
        def advance(name: str) -> None:
            if name != names[0]:
                bar.update(1)
            bar.update(0, current_item=name)

        demo_data.load(db, house.areas(), now=system_clock(), progress=advance)
        bar.update(1)
    click.echo("Demo data loaded. Log in with:")
    for line in demo_data.demo_login_lines():
        click.echo(line)


@cli.command()
@click.option("--host", default=None, help="Address to listen on. [default: 127.0.0.1]")
@click.option("--port", default=None, type=int, help="Port. [default: 8000]")
@click.option("--workers", default=None, type=click.IntRange(min=1),
              help="Worker processes. [default: 1]")
@click.option("--trusted-proxy", "trusted_proxies", multiple=True, metavar="ADDR",
              help="A reverse proxy whose X-Forwarded-For/-Proto headers are believed "
                   "(repeat, or a comma list; addresses or networks).")
@click.option("--no-dispatch", is_flag=True,
              help="Do not run the social dispatcher in this process (run `juntos social "
                   "dispatch` elsewhere).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None,
          trusted_proxies: tuple[str, ...], no_dispatch: bool) -> None:
    """Serve the web app (and post scheduled social messages, unless --no-dispatch).

    \b
    Examples:
      juntos serve --port 8000
      juntos serve --workers 4 --trusted-proxy 127.0.0.1    # behind Caddy
    """
    import dataclasses

    import uvicorn

    from juntos import demo as demo_data
    from juntos.web.logfilter import install_redaction

    settings = settings_of(ctx)
    settings = dataclasses.replace(
        settings, host=host or settings.host, port=port or settings.port,
        workers=workers or settings.workers,
        trusted_proxies=",".join(trusted_proxies) or settings.trusted_proxies,
        dispatch_in_process=settings.dispatch_in_process and not no_dispatch)
    if "JUNTOS_CALENDAR_SYNC_MINUTES" not in os.environ:  # the server refreshes feeds hourly
        settings = dataclasses.replace(settings, calendar_sync_minutes=60)
    db = open_database(ctx)
    show_demo = demo_data.demo_login_valid(db)
    demo_state = demo_data.status(db, house.areas())
    db.close()
    if demo_state == "partial":
        click.echo("Warning: the demo load was interrupted; complete it with: "
                   f"juntos --db {settings.db_path} demo", err=True)
    click.echo(f"Juntos is serving {settings.db_path} at http://{settings.host}:{settings.port}/")
    if show_demo:
        click.echo("Demo login (change these passwords before real use):")
        for line in demo_data.demo_login_lines():
            click.echo(line)
    install_redaction()
    # Behind a trusted proxy, uvicorn takes the client address and scheme from
    # X-Forwarded-For / X-Forwarded-Proto; from anyone else those headers are ignored.
    proxy_headers = bool(settings.trusted_proxy_list)
    allow = settings.trusted_proxy_list or None
    if settings.workers == 1:
        uvicorn.run(house.create_app(settings, dispatch=settings.dispatch_in_process),
                    host=settings.host, port=settings.port, log_level="info",
                    proxy_headers=proxy_headers, forwarded_allow_ips=allow)
        return
    settings = dataclasses.replace(settings, db_path=settings.db_path.resolve()).with_secret()
    os.environ.update(settings.to_env())  # each worker builds its app from these
    uvicorn.run("juntos.house:app_from_env", factory=True, workers=settings.workers,
                host=settings.host, port=settings.port, log_level="info",
                proxy_headers=proxy_headers, forwarded_allow_ips=allow)


@cli.group()
def user() -> None:
    """Manage user accounts."""


@user.command("add")
@click.argument("email")
@click.option("--org", "org_slug", required=True, help="Slug of the user's organisation.")
@click.option("--role", type=click.Choice(["coordinator", "member", "viewer"]), default="member",
              show_default=True)
@click.option("--name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def user_add(ctx: click.Context, email: str, org_slug: str, role: str, name: str,
             password_stdin: bool) -> None:
    """Add a user; prompts for the password unless piped in.

    \b
    Example:
      juntos user add ana@example.org --org forum-juntos-mz --role coordinator
      echo 'a long password' | juntos user add ana@example.org --org forum-juntos-mz
    """
    from juntos.accounts import store as accounts

    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    db = open_database(ctx)
    created = accounts.create(db, email=email, password=password, org_slug=org_slug, role=role,
                              name=name, now=system_clock())
    click.echo(f"Added {created.email} ({created.role}) to {created.organisation_name}.")


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup(ctx: click.Context, path: Path) -> None:
    """Write a consistent copy of the database, safe while the app is running.

    \b
    Example:
      juntos backup backups/juntos-$(date +%F).db
    """
    db = open_database(ctx)
    database.backup(db, path)
    click.echo(f"Backed up {settings_of(ctx).db_path} to {path}.")


@cli.command()
@click.argument("backup_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def restore(ctx: click.Context, backup_file: Path, yes: bool) -> None:
    """Replace the database with a backup made by `juntos backup`.

    The current database is first copied to <db>.before-restore (mode 0600). Stop the
    server first: pages and feeds it has cached would still show the data from before.

    \b
    Example:
      systemctl stop juntos
      juntos restore backups/juntos-2026-05-01.db
      systemctl start juntos
    """
    settings = settings_of(ctx)
    target = settings.db_path
    database.check_backup(backup_file)
    if target.exists():
        if not yes:
            click.confirm(f"Replace {target} with {backup_file}?", abort=True)
        safety = target.with_name(target.name + ".before-restore")
        db = database.connect(target)
        database.backup(db, safety)
        db.close()
        click.echo(f"Copied the current database to {safety}.")
    database.restore(backup_file, target, house.migrations(), after=house.after_restore)
    click.echo(f"Restored {target} from {backup_file}.")


for _command in house.commands():
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="juntos")
