"""Kinds of calendar source: where a partner's stored events come from, one object each.

An uploaded ``.ics`` file (``upload.UPLOAD``), a subscribed remote feed
(``subscriptions.SUBSCRIPTION``), or any kind plugged into ``KINDS`` from a manifest::

    plugs=[Plug(kinds.KINDS, "caldav", caldav.CALDAV)]

A kind says what it is called, which fields its form has, how a new source of it is read the
first time (``add``) and, if it can be, how it is read again (``refresh``: the server's
periodic sync and the *Refresh now* button) and dropped (``remove``). The import page draws
one form per kind, and ``/calendar/sources/{id}`` takes any kind's form.

Events that other areas compute from their own rows, never stored here, come in through
``sources.SOURCES`` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from juntos.area import ExtensionPoint
from juntos.calendar.importer import ImportReport
from juntos.db import Database
from juntos.errors import NotFound
from juntos.validation import N_

log = logging.getLogger("juntos.calendar")

#: Who may see a new source's events, as the forms offer it.
VISIBILITIES = ("network", "public", "organisation")


@dataclass(frozen=True, kw_only=True)
class FormField:
    """One field of a kind's form. ``type``: text, url, file or visibility (a choice of
    ``VISIBILITIES``). ``label`` and ``help`` are msgids, shown translated."""

    name: str
    label: str
    type: str = "text"
    required: bool = False
    help: str = ""
    accept: str = ""
    #: The HTML id's suffix, when two forms on one page have a field of the same name.
    id: str = ""

    @property
    def html_id(self) -> str:
        return self.id or self.name


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True, kw_only=True)
class NewSource:
    """What a kind's form gave, who adds the source (their organisation's row) and when."""

    values: Mapping[str, str]
    files: Mapping[str, Upload]
    organisation: Mapping[str, Any]
    now: datetime
    allow_private: bool = False


@dataclass(frozen=True)
class SyncResult:
    """A source read once: how it went (``report``), or why not (``error``, nothing changed)."""

    source_id: int
    label: str
    report: ImportReport | None
    error: str = ""


class Refresher(Protocol):
    def __call__(self, db: Database, source_id: int, *, now: datetime,
                 allow_private: bool = False) -> SyncResult: ...


class Remover(Protocol):
    def __call__(self, db: Database, source_id: int, *, now: datetime) -> int: ...


@dataclass(frozen=True, kw_only=True)
class SourceKind:
    """One kind of source (stored in ``calendar_sources.kind`` as ``id``)."""

    id: str
    #: The heading of its form, a sentence introducing it, and its button (msgids).
    label: str
    intro: str
    submit: str
    fields: tuple[FormField, ...]
    #: Reads a new source the first time; bad input raises ``ValidationError`` by field.
    add: Callable[[Database, NewSource], SyncResult]
    refresh: Refresher | None = None
    #: Drops a source (its events shown as cancelled for a while); returns how many.
    remove: Remover | None = None
    #: Said after ``add`` (msgid with ``%(name)s`` and ``%(n)d``).
    done: str = N_("%(name)s: %(n)d events up to date.")
    #: Where its form posts; by default ``/calendar/sources/<id>``.
    action: str = ""
    #: Its place on the import page (lower first).
    order: int = 100

    @property
    def form_action(self) -> str:
        return self.action or f"/calendar/sources/{self.id}"

    @property
    def multipart(self) -> bool:
        return any(f.type == "file" for f in self.fields)


#: Filled by manifests (the calendar's own kinds too), through the composition root.
KINDS: ExtensionPoint[SourceKind] = ExtensionPoint("calendar.source_kinds")


def kind(kind_id: str) -> SourceKind:
    for key, found in KINDS.items():
        if key == kind_id:
            return found
    raise NotFound(f"No source kind {kind_id!r}.")


def get(db: Database, source_id: int) -> dict[str, Any]:
    """A stored source of any kind."""
    rows = list(db.query("select * from calendar_sources where id = ?", [source_id]))
    if not rows:
        raise NotFound(f"No source {source_id}.")
    return rows[0]


def refresh_all(db: Database, *, now: datetime,
                allow_private: bool = False) -> list[SyncResult]:
    """Read again every source whose kind can be; one failing does not stop the others."""
    refreshers = {key: k.refresh for key, k in KINDS.items() if k.refresh is not None}
    results = []
    for row in list(db.query("select id, kind, label from calendar_sources order by id")):
        if row["kind"] not in refreshers:
            continue
        try:
            results.append(refreshers[row["kind"]](db, row["id"], now=now,
                                                   allow_private=allow_private))
        except Exception:  # a kind's own failure is that source's, never the others'
            log.exception("Calendar: refreshing source %s failed.", row["id"])
            db["calendar_sources"].update(row["id"], {"last_error": "The source could not"
                                                                    " be read."})
            results.append(SyncResult(row["id"], row["label"], None,
                                      "The source could not be read."))
    return results
