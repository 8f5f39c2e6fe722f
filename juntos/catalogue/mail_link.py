"""What the catalogue sends by e-mail: ideas and case stories waiting for review, to the
coordinators (who review them). A scan, keyed by the item and the coordinator, so each waiting
item is announced once; items waiting since before the horizon are not (a new server)."""

from __future__ import annotations

from datetime import datetime, timedelta

from juntos.accounts import mailing
from juntos.clock import iso
from juntos.db import Database
from juntos.mail import outbox
from juntos.mail.i18n import gettext_for
from juntos.mail.kinds import Kind
from juntos.validation import N_

REVIEW = Kind(id="catalogue.review", label=N_("Ideas and case stories waiting for review"),
              why=N_("You receive this because you are a coordinator, and coordinators review "
                     "what members propose."), order=40)

HORIZON = timedelta(days=7)


def scan(db: Database, *, now: datetime) -> int:
    since = iso(now - HORIZON)
    waiting = [("idea", r["id"], r["title"], f"/ideas/{r['slug']}") for r in db.query(
        "select id, slug, title from ideas where status = 'draft' and created_at >= ?",
        [since])]
    waiting += [("story", r["id"], r["title"], f"/stories/{r['id']}") for r in db.query(
        "select id, title from case_stories where status = 'draft' and created_at >= ?",
        [since])]
    if not waiting:
        return 0
    written = 0
    for person in mailing.coordinators(db):
        _ = gettext_for(person.language)
        for what, item_id, title, path in waiting:
            subject = (_("Idea waiting for review: %(title)s", title=title) if what == "idea"
                       else _("Case story waiting for review: %(title)s", title=title))
            content = outbox.Content(
                subject=subject,
                paragraphs=(_("A member proposed it; it is published once a coordinator "
                              "approves it."),),
                action_label=_("Review it"), action_path=path, why=_(REVIEW.why))
            done = outbox.write(db, to=person, kind=REVIEW.id,
                                key=f"catalogue.review:{what}:{item_id}:{person.user_id}",
                                content=content, now=now)
            written += done.outcome in ("queued", "digest")
    return written
