"""Demo preferences: coordinators take reminders in the daily digest, one member wants no
weekly digest, so the preferences page shows every choice in use."""

from __future__ import annotations

from datetime import datetime

from juntos.db import Database
from juntos.mail.preferences import set_delivery


def load(db: Database, *, now: datetime) -> None:
    # Mail reads no users table in its code; the demo only needs the ids of the demo people.
    with db.atomic():
        rows = list(db.query("select id, role from users order by id"))
        for row in rows:
            if row["role"] == "coordinator":
                set_delivery(db, row["id"], "campaigns.commitment_due", "daily")
        members = [r["id"] for r in rows if r["role"] == "member"]
        if members:
            set_delivery(db, members[-1], "digest.weekly", "never")
