"""Digests: the weekly one for everyone (the network's next two weeks, their commitments, what
waits for them) and the daily one for those who chose it for some kinds.

Each is one outbox row per person, keyed by the period (``digest.weekly:2026-W50:7``), so a
scan run many times in a week writes one. Sections come from the areas (``DIGEST_SECTIONS``).
"""

from __future__ import annotations

from datetime import datetime

from juntos.db import Database
from juntos.mail import kinds, outbox
from juntos.mail.i18n import gettext_for
from juntos.mail.kinds import Recipient, Section
from juntos.validation import N_

_WEEKLY_SUBJECT = N_("Your week on Juntos")
_DAILY_SUBJECT = N_("Your day on Juntos")
_WAITING = N_("Messages you chose to receive in this digest")
_INTRO = N_("Hello %(name)s, here is what concerns you.")


def _period(frequency: str, now: datetime) -> str:
    if frequency == "weekly":
        year, week, _ = now.isocalendar()
        return f"{year}-W{week:02d}"
    return now.date().isoformat()


def _pending(db: Database, frequency: str) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = {}
    for row in db.query("select id, user_id, line from mail_digest_items where"
                        " digested_in is null and delivery = ? order by id", [frequency]):
        found.setdefault(row["user_id"], []).append((row["id"], row["line"]))
    return found


def write_digests(db: Database, frequency: str, *, now: datetime) -> int:
    """Write this period's digest for everyone who has something in it; return how many."""
    kind = kinds.WEEKLY_DIGEST if frequency == "weekly" else kinds.DAILY_DIGEST
    pending = _pending(db, frequency)
    period = _period(frequency, now)
    written = 0
    for provide_recipients in kinds.RECIPIENTS:
        for person in provide_recipients(db):
            if person.user_id is None:
                continue
            key = f"{kind.id}:{period}:{person.user_id}"
            items = pending.get(person.user_id, [])
            if frequency == "daily" and not items:
                continue
            written += _write_one(db, kind, key, person, items, now=now)
    return written


def _write_one(db: Database, kind: kinds.Kind, key: str, person: Recipient,
               items: list[tuple[int, str]], *, now: datetime) -> int:
    if list(db.query("select 1 from mail_outbox where key = ?", [key])):
        return 0
    if outbox.delivery(db, person.user_id, kind.id) == "never":
        return 0
    _ = gettext_for(person.language)
    sections: list[tuple[str, tuple[str, ...]]] = []
    if items:
        sections.append((_(_WAITING), tuple(line for _id, line in items)))
    if kind is kinds.WEEKLY_DIGEST:
        for provide in kinds.DIGEST_SECTIONS:
            section: Section | None = provide(db, person, now, _)
            if section is not None and section.lines:
                sections.append((section.heading, section.lines))
    if not sections:
        return 0
    subject = _(_WEEKLY_SUBJECT if kind is kinds.WEEKLY_DIGEST else _DAILY_SUBJECT)
    content = outbox.Content(
        subject=subject, paragraphs=(_(_INTRO, name=person.name or person.email),),
        action_label=_("Open Juntos"), action_path="/", why=_(kind.why),
        sections=tuple(sections))
    with db.atomic():
        written = outbox.write(db, to=person, kind=kind.id, key=key, content=content, now=now)
        if written.outcome == "queued" and items:
            marks = ",".join("?" * len(items))
            db.execute(f"update mail_digest_items set digested_in = ? where id in ({marks})",
                       [written.outbox_id, *(i for i, _line in items)])
    return 1 if written.outcome == "queued" else 0


def scan(db: Database, *, now: datetime) -> int:
    """The mail area's own scan: daily digests every day, the weekly one once a week."""
    return write_digests(db, "daily", now=now) + write_digests(db, "weekly", now=now)


def run_scans(db: Database, *, now: datetime) -> int:
    """Every area's scans (reminders due), then the digests; idempotent by key."""
    written = 0
    for each in kinds.SCANS:
        written += each(db, now=now)
    return written + scan(db, now=now)

