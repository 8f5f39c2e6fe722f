"""Writes docs/cli.md from the commands themselves, so the reference cannot drift.

``make docs`` regenerates it; a test fails when the committed file differs.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

HEADER = """# Command-line reference

Generated from the code by `make docs`; do not edit by hand.
"""


def _walk(command: click.Command,
          path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from _walk(command.commands[name], [*path, name])


def render(root: click.Command) -> str:
    parts = [HEADER]
    for path, command in _walk(root, ["juntos"]):
        ctx = click.Context(command, info_name=" ".join(path), terminal_width=100,
                            max_content_width=100)
        parts.append(f"\n## `{' '.join(path)}`\n\n```text\n{command.get_help(ctx)}\n```\n")
    return "".join(parts)


def main() -> None:
    from juntos.cli import cli

    print(render(cli), end="")


if __name__ == "__main__":
    main()
