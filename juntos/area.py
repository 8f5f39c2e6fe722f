"""An area declares itself once: its manifest.

Each area (``juntos/<area>/manifest.py``) builds one ``Area`` naming everything it brings to
the house: its migrations, CLI commands, demo loader, permission rules, background tasks, and
the things it plugs into lower areas (a calendar source, a partner lookup). The composition
root (``juntos.house``) lists the areas in order and wires them; nothing else keeps a list.

Lower areas offer ``ExtensionPoint``s; higher ones fill them with ``Plug``s, so the calendar
shows campaign dates without ever naming campaigns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

import click
from sqlite_utils.migrations import Migrations

from juntos.db import Database
from juntos.runner import Task

T = TypeVar("T")

#: A permission rule: ``rule(user, target) -> bool`` (see ``juntos.accounts.policy``).
Rule = Callable[[Any, Any], bool]


class DemoLoader(Protocol):
    """Loads an area's demo data; idempotent, so an interrupted demo can be completed."""

    def __call__(self, db: Database, *, now: datetime) -> object: ...


# The modules of an area built by the convention (see ``Area.conventional``); mypy checks that
# a module passed has the attribute, so passing them in the wrong order is a type error.
class MigrationsModule(Protocol):
    """An area's ``migrations.py``: ``migrations = Migrations("juntos.<area>")``."""

    @property
    def migrations(self) -> Migrations: ...


class CommandsModule(Protocol):
    """An area's ``commands.py``: ``commands = [<click group>, ...]``."""

    @property
    def commands(self) -> Sequence[click.Command]: ...


class DemoModule(Protocol):
    """An area's ``demo.py``: ``def load(db, *, now)``."""

    def load(self, db: Database, *, now: datetime) -> object: ...


class RulesModule(Protocol):
    """The module holding an area's permission rules: ``RULES = {"<area>.<action>": rule}``."""

    @property
    def RULES(self) -> Mapping[str, Rule]: ...


class ExtensionPoint(Generic[T]):
    """A named place in a lower area where higher areas plug things in (by key, idempotent)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, T] = {}

    def add(self, key: str, item: T) -> None:
        self._items[key] = item

    def items(self) -> list[tuple[str, T]]:
        return sorted(self._items.items())

    def __iter__(self) -> Iterator[T]:
        return iter(item for _, item in self.items())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items


@dataclass(frozen=True)
class Plug(Generic[T]):
    """One thing an area puts into another area's extension point."""

    point: ExtensionPoint[T]
    key: str
    item: T

    def install(self) -> None:
        self.point.add(self.key, self.item)


@dataclass(frozen=True, kw_only=True)
class Area:
    """What an area brings to the house. Only ``name`` is required."""

    name: str
    #: One line for the docs and ``juntos --help``.
    summary: str = ""
    migrations: Migrations | None = None
    commands: Sequence[click.Command] = ()
    demo: DemoLoader | None = None
    #: Demo data that must come after every area's (it would change what they draw).
    demo_last: DemoLoader | None = None
    #: Actions and their rules, added to the policy (``campaign.edit``, ...).
    permissions: Mapping[str, Rule] = field(default_factory=dict)
    tasks: Sequence[Task] = ()
    plugs: Sequence[Plug[Any]] = ()

    @classmethod
    def conventional(
        cls,
        name: str,
        summary: str,
        migrations: MigrationsModule,
        commands: CommandsModule,
        demo: DemoModule,
        rules: RulesModule,
        *,
        tasks: Sequence[Task] = (),
        plugs: Sequence[Plug[Any]] = (),
    ) -> Area:
        """An area laid out by the convention, from its modules (imported as usual).

        It takes ``migrations.migrations``, ``commands.commands``, ``demo.load`` and
        ``rules.RULES``, so a manifest states only what differs: its name, summary, tasks and
        plugs. An area that strays from the convention builds ``Area(...)`` itself.
        """
        return cls(name=name, summary=summary, migrations=migrations.migrations,
                   commands=commands.commands, demo=demo.load, permissions=rules.RULES,
                   tasks=tasks, plugs=plugs)
