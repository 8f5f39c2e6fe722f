"""What kinds of message exist, and what areas add to mail: declared by the areas, read here.

Mail sits low in the house (below accounts), so every area can write a message in the same
transaction as the change that causes it. It knows no area: each one plugs its kinds, its
scheduled scans (reminders) and its digest sections into the extension points below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from juntos.area import ExtensionPoint
from juntos.db import Database
from juntos.validation import N_

#: How a person wants a kind of message.
DELIVERIES = ("immediately", "daily", "weekly", "never")
DELIVERY_LABELS = {
    "immediately": N_("Immediately"),
    "daily": N_("In the daily digest"),
    "weekly": N_("In the weekly digest"),
    "never": N_("Never"),
}


@dataclass(frozen=True, kw_only=True)
class Kind:
    """A kind of message: its label on the preferences page and the reason it gives.

    ``always``: sent whatever the preferences (invitations, password resets), with no
    unsubscribe link. ``digest``: may wait for a digest (a reminder may; a digest may not).
    """

    id: str
    label: str
    why: str
    default: str = "immediately"
    always: bool = False
    digest: bool = True
    #: Order on the preferences page.
    order: int = 50


@dataclass(frozen=True)
class Recipient:
    """A person to write to, as the calling area knows them (mail reads no users table)."""

    user_id: int | None
    email: str
    language: str = "en"
    name: str = ""
    organisation_id: int | None = None


class Scan(Protocol):
    """A scheduled look for messages due (commitments falling due): writes them, idempotently
    by key, and returns how many it wrote."""

    def __call__(self, db: Database, *, now: datetime) -> int: ...


@dataclass(frozen=True)
class Section:
    """One section of a digest: a heading and lines, already in the reader's language."""

    heading: str
    lines: tuple[str, ...]


#: A digest section for one person: ``(db, recipient, now, gettext) -> Section | None``.
SectionProvider = Callable[[Database, Recipient, datetime, Callable[..., str]], "Section | None"]

KINDS: ExtensionPoint[Kind] = ExtensionPoint("mail.kinds")
SCANS: ExtensionPoint[Scan] = ExtensionPoint("mail.scans")
DIGEST_SECTIONS: ExtensionPoint[SectionProvider] = ExtensionPoint("mail.digest_sections")
#: Everyone who may receive a digest (the accounts area: active users).
RECIPIENTS: ExtensionPoint[Callable[[Database], list[Recipient]]] = ExtensionPoint(
    "mail.recipients")

WEEKLY_DIGEST = Kind(id="digest.weekly", label=N_("Weekly digest"),
                     why=N_("You receive the weekly digest of the network."),
                     default="immediately", digest=False, order=90)
DAILY_DIGEST = Kind(id="digest.daily", label=N_("Daily digest"),
                    why=N_("You chose to receive some messages in a daily digest."),
                    default="immediately", digest=False, order=91)
OWN = (WEEKLY_DIGEST, DAILY_DIGEST)


def kind(kind_id: str) -> Kind:
    """The kind by id; an unknown one (a kind removed since) behaves as a plain notice."""
    for own in OWN:
        if own.id == kind_id:
            return own
    for key, item in KINDS.items():
        if key == kind_id:
            return item
    return Kind(id=kind_id, label=kind_id, why=N_("You have an account on Juntos."))


def all_kinds() -> list[Kind]:
    return sorted([*KINDS, *OWN], key=lambda k: (k.order, k.id))
