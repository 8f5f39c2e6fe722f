"""How large a network import may be, and the time it may take: refused early, with a
message, instead of holding the server.

The limits are high enough for a real network (20,000 actors and 100,000 ties) and low enough
that reading and planning one import stays within a few seconds and a few hundred MB. They are
stated in docs/network-map.md; a test keeps the two in step.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from juntos.errors import Message
from juntos.validation import N_

#: One file of an import (the web's upload cap is lower; this bounds the CLI too).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Rows of one CSV file or sheet.
MAX_ROWS = 150_000
#: Columns of one CSV file or sheet.
MAX_COLUMNS = 200
#: Actors (nodes) and ties (edges) of one import.
MAX_ACTORS = 20_000
MAX_TIES = 100_000
#: Values in one ``|``-separated cell (several targets in From/To: one tie each).
MAX_VALUES_PER_CELL = 100
#: An XLSX workbook is a zip: the sum of its parts' declared uncompressed sizes.
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024
#: Nesting of a node-link JSON file (a network needs 4 or 5).
MAX_JSON_DEPTH = 32
#: Reading and planning one import while a person waits for its preview; a file still being
#: read after this is refused. A background commit (the app's runner) allows ``BACKGROUND``.
SECONDS = 25.0
BACKGROUND_SECONDS = 120.0
_budget: ContextVar[float] = ContextVar("import_seconds", default=SECONDS)


@contextmanager
def allowing(seconds: float) -> Iterator[None]:
    """Imports read inside this block may take ``seconds`` (a background commit)."""
    token = _budget.set(seconds)
    try:
        yield
    finally:
        _budget.reset(token)


class TooLarge(Exception):
    """An import past one of the limits; ``message`` says which, in the reader's language."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def refuse(template: str, **params: object) -> TooLarge:
    return TooLarge(Message(template, **params))


class Deadline:
    """The time an import may still take; ``check()`` refuses it once past."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = _budget.get() if seconds is None else seconds
        self.until = time.monotonic() + self.seconds
        self._calls = 0

    def check(self) -> None:
        """Cheap enough for every row: the clock is read once in 1,000 calls."""
        self._calls += 1
        if self._calls % 1000 == 0 and time.monotonic() > self.until:
            raise refuse(N_("This file took more than %(seconds)s seconds to read; nothing was"
                            " imported. Split it into smaller imports."),
                         seconds=int(self.seconds))


def check_file(path: Path) -> None:
    """Refuse a file larger than ``MAX_FILE_BYTES``."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise refuse(N_("%(file)s is larger than %(mb)s MB; nothing was imported."),
                     file=path.name, mb=MAX_FILE_BYTES // (1024 * 1024))


def check_rows(count: int, name: str) -> None:
    if count > MAX_ROWS:
        raise refuse(N_("%(file)s has more than %(limit)s rows; nothing was imported."),
                     file=name, limit=f"{MAX_ROWS:,}")


def check_columns(count: int, name: str) -> None:
    if count > MAX_COLUMNS:
        raise refuse(N_("%(file)s has more than %(limit)s columns; nothing was imported."),
                     file=name, limit=MAX_COLUMNS)


def check_actors(count: int, name: str) -> None:
    if count > MAX_ACTORS:
        raise refuse(N_("%(file)s has more than %(limit)s actors; an import holds at most"
                        " %(limit)s. Nothing was imported."), file=name, limit=f"{MAX_ACTORS:,}")


def check_ties(count: int, name: str) -> None:
    if count > MAX_TIES:
        raise refuse(N_("%(file)s has more than %(limit)s ties; an import holds at most"
                        " %(limit)s. Nothing was imported."), file=name, limit=f"{MAX_TIES:,}")


def check_values(count: int, where: str) -> None:
    if count > MAX_VALUES_PER_CELL:
        raise refuse(N_("%(where)s: a cell holds %(count)s values separated by |; at most"
                        " %(limit)s are allowed. Nothing was imported."),
                     where=where, count=f"{count:,}", limit=MAX_VALUES_PER_CELL)


def check_workbook(path: Path) -> None:
    """Refuse a workbook whose parts declare more than ``MAX_XLSX_UNCOMPRESSED`` once
    uncompressed (a zip bomb), before any part is read. Python's zip reader stops each part at
    its declared size, so the declaration bounds what is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the workbook reader says so
    if declared > MAX_XLSX_UNCOMPRESSED:
        raise refuse(N_("%(file)s would take more than %(mb)s MB once uncompressed; nothing was"
                        " imported."), file=path.name, mb=MAX_XLSX_UNCOMPRESSED // (1024 * 1024))


def check_depth(data: object, name: str) -> None:
    """Refuse JSON nested deeper than ``MAX_JSON_DEPTH`` (walked without recursion)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise too_deep(name)
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def too_deep(name: str) -> TooLarge:
    return refuse(N_("%(file)s is nested more than %(limit)s levels deep; nothing was"
                     " imported."), file=name, limit=MAX_JSON_DEPTH)
