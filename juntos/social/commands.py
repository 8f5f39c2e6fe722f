"""CLI commands of the social area (thin: parse, call the library, print)."""

from __future__ import annotations

import sys

import click

from juntos.social.counting import COUNTED_PLATFORMS, count


@click.group()
def social() -> None:
    """Message kits, variants and waves of posts on social platforms."""


@social.command("check")
@click.option("--platform", "platform", type=click.Choice(COUNTED_PLATFORMS), required=True,
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


commands: list[click.Command] = [social]
