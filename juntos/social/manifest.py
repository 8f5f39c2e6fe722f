"""The social area, declared once for the composition root."""

from __future__ import annotations

from juntos.area import Area, Plug
from juntos.calendar import sources
from juntos.mail import kinds as mail_kinds
from juntos.runner import Task, TaskContext
from juntos.social import (
    calendar_link,
    commands,
    demo,
    dispatch,
    mail_link,
    migrations,
    permissions,
)


def _dispatch(ctx: TaskContext) -> None:
    """The dispatcher inside ``juntos serve``: posts go out while the app runs."""
    dispatcher = dispatch.Dispatcher(ctx.settings, clock=ctx.clock)
    dispatcher.stop = ctx.stopping
    dispatcher.run()


AREA = Area.conventional(
    "social",
    "Message kits, waves of posts, and the dispatcher that posts them exactly once.",
    migrations, commands, demo, permissions,
    tasks=[Task(name="dispatch", run=_dispatch,
                enabled=lambda settings: settings.dispatch_in_process)],
    plugs=[
        Plug(sources.SOURCES, "social-reminders", calendar_link.SOURCE),
        Plug(mail_kinds.KINDS, mail_link.APPROVAL.id, mail_link.APPROVAL),
        Plug(mail_kinds.KINDS, mail_link.PROBLEM.id, mail_link.PROBLEM),
        Plug(mail_kinds.KINDS, mail_link.BY_HAND.id, mail_link.BY_HAND),
        Plug(mail_kinds.SCANS, "social.approvals", mail_link.approvals_scan),
        Plug(mail_kinds.SCANS, "social.problems", mail_link.problems_scan),
        Plug(mail_kinds.SCANS, "social.by_hand", mail_link.by_hand_scan),
    ],
)
