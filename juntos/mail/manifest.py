"""The mail area, declared once for the composition root."""

from __future__ import annotations

from typing import Any

from juntos.area import Area
from juntos.db import connect
from juntos.mail import commands, demo, digest, migrations
from juntos.mail.sender import Sender
from juntos.runner import Task, TaskContext


def _send(ctx: TaskContext) -> None:
    """The sender inside ``juntos serve``: mail goes out while the app runs."""
    sender = Sender(ctx.settings, clock=ctx.clock)
    sender.stop = ctx.stopping
    sender.run()


def _scan(ctx: TaskContext) -> None:
    """Reminders and digests due, written every few minutes (idempotent by key)."""
    db = connect(ctx.settings.db_path)
    try:
        digest.run_scans(db, now=ctx.clock())
    finally:
        db.close()


def _coordinator(user: Any, target: Any = None) -> bool:
    return getattr(user, "role", "") == "coordinator"


AREA = Area(
    name="mail",
    summary="E-mail: an outbox written with the change, sent exactly once over SMTP.",
    migrations=migrations.migrations,
    commands=commands.commands,
    demo_last=demo.load,
    permissions={"mail.outbox": _coordinator},
    tasks=[
        Task(name="mail-send", run=_send,
             enabled=lambda s: s.dispatch_in_process and bool(s.smtp_host)),
        Task(name="mail-scan", run=_scan, every=600,
             enabled=lambda s: s.dispatch_in_process),
    ],
)
